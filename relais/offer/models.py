"""The territorial offer: structures, services and aids.

Structures and services carry every field of the data·inclusion schema v1 under the schema's own
names (so import and export are lossless), plus what our users need and the schema lacks:
languages, accessibility details, capacity, temporary closures, verification and moderation.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relais.append_only import AppendOnlyModel
from relais.offer import vocabularies as voc
from relais.offer.hours import validate_opening_hours
from relais.textinput import validate_multi_line, validate_single_line


def _no_rights_catalogue() -> Iterable[str]:
    return ()


# The ids of the local aids of the rights catalogue (relais.rights.local), which an Aid's `rights_aid` must
# name. relais.rights registers them when it loads (RightsConfig.ready): offer sits below rights and never
# imports it (docs/adr/0009-house-rules.md).
_rights_aid_ids: Callable[[], Iterable[str]] = _no_rights_catalogue


def register_rights_aids(ids: Callable[[], Iterable[str]]) -> None:
    """Called by relais.rights at start-up with a function answering the ids of its catalogue's local aids."""
    global _rights_aid_ids
    _rights_aid_ids = ids


class Moderation(models.TextChoices):
    PENDING = "pending", _("en attente de validation")
    PUBLISHED = "published", _("publiée")
    REJECTED = "rejected", _("refusée")


class Capacity(models.TextChoices):
    ACCEPTING = "accepting", _("accueille de nouvelles personnes")
    WAITING_LIST = "waiting_list", _("liste d’attente")
    FULL = "full", _("complet")


class OfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation=Moderation.PUBLISHED)

    def in_communes(self, codes):
        return self.filter(code_insee__in=list(codes))

    def stale(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        limit = today - dt.timedelta(days=settings.RELAIS_STALE_AFTER_DAYS)
        return self.filter(models.Q(last_verified_on__lt=limit) | models.Q(last_verified_on__isnull=True))


class ServiceQuerySet(OfferQuerySet):
    def visible(self):
        """The services people may see: a published service of a published structure (the one place of this rule)."""
        return self.filter(moderation=Moderation.PUBLISHED, structure__moderation=Moderation.PUBLISHED)

    def with_thematique(self, value: str):
        """A thématique, or a whole category when `value` has no '--'."""
        needle = f'"{value}"' if "--" in value else f'"{value}--'
        return self.filter(thematiques__icontains=needle)

    def with_any(self, field: str, values):
        query = models.Q()
        for value in values:
            query |= models.Q(**{f"{field}__icontains": f'"{value}"'})
        return self.filter(query)

    def serving(self, commune):
        """Services located in `commune` (or one of its arrondissements) or whose eligibility zone covers it.

        Give a commune loaded with `select_related("parent")` so that `zone_codes()` costs no query.
        """
        located = models.Q(code_insee=commune.code) | models.Q(code_insee__in=commune.arrondissements.values("code"))
        zone = models.Q()
        for code in sorted(commune.zone_codes()):
            zone |= models.Q(zone_eligibilite__icontains=f'"{code}"')
        return self.filter(located | zone)


class Located(models.Model):
    """Address fields shared by structures and services (data·inclusion v1 names)."""

    commune = models.CharField(_("commune"), max_length=150, blank=True, validators=[validate_single_line])
    code_postal = models.CharField(_("code postal"), max_length=5, blank=True, validators=[validate_single_line])
    code_insee = models.CharField(
        _("code Insee"), max_length=5, blank=True, db_index=True, validators=[validate_single_line]
    )
    adresse = models.CharField(_("adresse"), max_length=255, blank=True, validators=[validate_single_line])
    complement_adresse = models.CharField(
        _("complément d’adresse"), max_length=255, blank=True, validators=[validate_single_line]
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=50, blank=True, validators=[validate_single_line])
    courriel = models.EmailField(_("courriel"), blank=True)
    horaires_accueil = models.CharField(
        _("horaires d’accueil"),
        max_length=500,
        blank=True,
        help_text=_("Syntaxe opening_hours d’OpenStreetMap, par exemple Mo-Fr 09:00-12:00"),
        validators=[validate_opening_hours],
    )

    class Meta:
        abstract = True


class Tracked(models.Model):
    """Our extensions: provenance, moderation, verification, demo marking."""

    moderation = models.CharField(
        _("modération"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED, db_index=True
    )
    last_verified_on = models.DateField(_("vérifié en dernier le"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié en dernier par"),
    )
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.last_verified_on is None:
            return True
        return (today - self.last_verified_on).days > settings.RELAIS_STALE_AFTER_DAYS


class Structure(Located, Tracked):
    # data·inclusion v1
    id = models.CharField(_("identifiant"), max_length=200, primary_key=True, validators=[validate_single_line])
    source = models.CharField(_("source"), max_length=100, validators=[validate_single_line])
    nom = models.CharField(_("nom"), max_length=150, validators=[validate_single_line])
    date_maj = models.DateField(_("dernière modification"))
    description = models.TextField(_("description"), blank=True, validators=[validate_multi_line])
    lien_source = models.URLField(_("lien source"), max_length=500, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_single_line])
    site_web = models.URLField(_("site web"), max_length=500, blank=True)
    accessibilite_lieu = models.URLField(_("accessibilité (lien Accès libre)"), max_length=500, blank=True)
    reseaux_porteurs = models.JSONField(_("réseaux porteurs"), default=list, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Service(Located, Tracked):
    # data·inclusion v1
    id = models.CharField(_("identifiant"), max_length=200, primary_key=True, validators=[validate_single_line])
    source = models.CharField(_("source"), max_length=100, validators=[validate_single_line])
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    nom = models.CharField(_("nom"), max_length=150, validators=[validate_single_line])
    description = models.TextField(_("description"), validators=[validate_multi_line])
    lien_source = models.URLField(_("lien source"), max_length=500, blank=True)
    date_maj = models.DateField(_("dernière modification"))
    type = models.CharField(_("type"), max_length=50, blank=True, choices=voc.choices(voc.TypeService))
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    frais = models.CharField(_("frais"), max_length=20, blank=True, choices=voc.choices(voc.Frais))
    frais_precisions = models.TextField(_("précisions sur les frais"), blank=True, validators=[validate_multi_line])
    publics = models.JSONField(_("publics"), default=list, blank=True)
    publics_precisions = models.TextField(_("précisions sur les publics"), blank=True, validators=[validate_multi_line])
    conditions_acces = models.TextField(_("conditions d’accès"), blank=True, validators=[validate_multi_line])
    modes_accueil = models.JSONField(_("modes d’accueil"), default=list, blank=True)
    zone_eligibilite = models.JSONField(_("zone d’éligibilité"), null=True, blank=True)
    contact_nom_prenom = models.CharField(
        _("nom du contact"), max_length=150, blank=True, validators=[validate_single_line]
    )
    lien_mobilisation = models.URLField(_("lien de mobilisation"), max_length=500, blank=True)
    modes_mobilisation = models.JSONField(_("modes de mobilisation"), null=True, blank=True)
    mobilisable_par = models.JSONField(_("qui peut mobiliser"), null=True, blank=True)
    mobilisation_precisions = models.TextField(
        _("précisions sur la mobilisation"), blank=True, validators=[validate_multi_line]
    )
    volume_horaire_hebdomadaire = models.FloatField(_("volume horaire hebdomadaire"), null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(_("nombre de semaines"), null=True, blank=True)

    # Relais extensions
    languages = models.JSONField(_("langues parlées"), default=list, blank=True, help_text=_("codes ISO 639-1"))
    step_free_access = models.BooleanField(_("accès de plain-pied"), null=True, blank=True)
    accessibility_details = models.TextField(
        _("précisions sur l’accessibilité"), blank=True, validators=[validate_multi_line]
    )
    capacity = models.CharField(_("places"), max_length=15, choices=Capacity.choices, default=Capacity.ACCEPTING)
    full_until = models.DateField(_("complet jusqu’au"), null=True, blank=True)
    accepts_referrals = models.BooleanField(_("accepte les orientations par Relais"), default=True)
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def is_visible(self) -> bool:
        """The instance form of `Service.objects.visible()`: published, and so is its structure."""
        return self.moderation == Moderation.PUBLISHED and self.structure.moderation == Moderation.PUBLISHED

    def effective_hours(self) -> str:
        return self.horaires_accueil or self.structure.horaires_accueil

    def capacity_on(self, day: dt.date) -> str:
        """Capacity on a day: a 'full until' date in the past means accepting again."""
        if self.capacity == Capacity.FULL and self.full_until and self.full_until < day:
            return Capacity.ACCEPTING
        return self.capacity


class Closure(models.Model):
    """A dated temporary closure or message on a structure or one of its services."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="closures")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    message = models.CharField(_("message"), max_length=300, blank=True, validators=[validate_single_line])
    is_closed = models.BooleanField(
        _("fermé pendant la période"), default=True, help_text=_("Décochez pour un simple message.")
    )

    class Meta:
        verbose_name = _("fermeture temporaire ou message")
        verbose_name_plural = _("fermetures temporaires et messages")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_on} → {self.ends_on}: {self.message}"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Aid(Tracked):
    """A financial or material help with rules, e.g. the Métropole's youth solidarity income."""

    class Periodicity(models.TextChoices):
        ONCE = "once", _("ponctuelle")
        MONTHLY = "monthly", _("mensuelle")
        YEARLY = "yearly", _("annuelle")
        ON_DEMAND = "on_demand", _("à la demande")

    class Kind(models.TextChoices):
        FINANCIAL = "aide-financiere", _("aide financière")
        MATERIAL = "aide-materielle", _("aide matérielle")

    slug = models.SlugField(_("identifiant"), max_length=150, unique=True)
    name = models.CharField(_("nom"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.FINANCIAL)
    institution = models.CharField(_("institution"), max_length=200, validators=[validate_single_line])
    summary = models.TextField(_("ce que c’est"), validators=[validate_multi_line])
    conditions = models.TextField(_("conditions"), blank=True, validators=[validate_multi_line])
    amount = models.CharField(_("montant"), max_length=200, blank=True, validators=[validate_single_line])
    periodicity = models.CharField(_("périodicité"), max_length=10, choices=Periodicity.choices, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    zone_eligibilite = models.JSONField(_("zone d’éligibilité"), null=True, blank=True)
    how_to_claim = models.TextField(_("comment la demander"), blank=True, validators=[validate_multi_line])
    claim_url = models.URLField(_("demande en ligne"), max_length=500, blank=True)
    source_url = models.URLField(_("source des règles"), max_length=500, blank=True)
    claim_services = models.ManyToManyField(
        Service, blank=True, related_name="aids", verbose_name=_("où la demander ou se faire aider")
    )
    rights_aid = models.CharField(
        _("aide du simulateur de droits"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_(
            "L’identifiant de la même aide dans le catalogue des aides locales du simulateur de droits "
            "(relais/rights/local_aids), par exemple lyon-revenu-solidarite-jeunes : les résultats du "
            "simulateur montrent alors où la demander."
        ),
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("aide")
        verbose_name_plural = _("aides")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.rights_aid:
            known = set(_rights_aid_ids())
            if self.rights_aid not in known:
                raise ValidationError(
                    {
                        "rights_aid": _("%(code)s n’est pas une aide du catalogue des droits (%(known)s).")
                        % {"code": self.rights_aid, "known": ", ".join(sorted(known))}
                    }
                )


class Change(models.Model):
    """One change to a structure, a service, an aid or a closure: who, when, old and new values.

    Changes to structures and services are reviewed by a territory moderator. The history outlives
    what it describes: deleting a listing records a `delete` change and keeps every earlier one
    (their links become empty, `target` and `object_id` still say what they were about).
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("création")
        UPDATE = "update", _("mise à jour")
        IMPORT = "import", _("import")
        REVERT = "revert", _("annulation")
        DELETE = "delete", _("suppression")

    class Review(models.TextChoices):
        TO_REVIEW = "to_review", _("à relire")
        APPROVED = "approved", _("validé")
        REVERTED = "reverted", pgettext_lazy("décision sur une modification", "annulée")
        NOT_NEEDED = "not_needed", _("pas de relecture nécessaire")

    class Target(models.TextChoices):
        STRUCTURE = "structure", _("structure")
        SERVICE = "service", _("service")
        AID = "aid", _("aide")

    target = models.CharField(_("fiche"), max_length=10, choices=Target.choices, db_index=True)
    structure = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    aid = models.ForeignKey(Aid, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    object_id = models.CharField(_("identifiant de la fiche"), max_length=200, db_index=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    diff = models.JSONField(_("modifications"), default=dict, help_text=_("{champ: [ancienne, nouvelle]}"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("origine"), max_length=200, blank=True, help_text=_("par exemple le fichier importé"))
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    review = models.CharField(
        _("relecture"), max_length=12, choices=Review.choices, default=Review.TO_REVIEW, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    code_insee = models.CharField(max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("modifications")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self.target:
            self.target = self.target_of(self.service_id, self.aid_id)
        super().save(*args, **kwargs)

    @classmethod
    def target_of(cls, service_id, aid_id) -> str:
        if service_id:
            return cls.Target.SERVICE
        return cls.Target.AID if aid_id else cls.Target.STRUCTURE

    @property
    def target_model(self):
        return {self.Target.SERVICE: Service, self.Target.AID: Aid}.get(self.target, Structure)


# --- error reports --------------------------------------------------------------------------


class ErrorReportQuerySet(models.QuerySet):
    def about_structures(self, structure_ids):
        """Reports on these structures or on one of their services."""
        ids = list(structure_ids)
        return self.filter(models.Q(structure_id__in=ids) | models.Q(service__structure_id__in=ids))

    def in_communes(self, codes):
        """Reports whose structure (the service's, for a service) is located in one of these communes."""
        codes = sorted(codes)
        return self.filter(
            models.Q(structure__code_insee__in=codes) | models.Q(service__structure__code_insee__in=codes)
        )

    def open(self):
        return self.filter(status=ErrorReport.Status.NEW)

    def handled(self):
        return self.exclude(status=ErrorReport.Status.NEW)


class ErrorReport(models.Model):
    """« Signaler une erreur »: someone saw a mistake on a public fiche (docs/adr/0019-error-reports.md).

    Exactly one of `structure`, `service`, `aid` is set, as `target` says. It reaches the members of the
    structure (a service's structure) and the moderators of its territory; a report on an aid, which only
    staff edit, reaches staff. The reporter's e-mail is optional, erased once the report is handled or
    after RELAIS_ERROR_REPORT_EMAIL_DAYS; handled reports are deleted after RELAIS_ERROR_REPORT_RETENTION_DAYS
    (`manage.py purge_error_reports`).
    """

    MESSAGE_MAX_LENGTH = 1000

    class Target(models.TextChoices):
        STRUCTURE = "structure", _("structure")
        SERVICE = "service", _("service")
        AID = "aid", _("aide")

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Fermé définitivement")
        HOURS = "hours", _("Horaires erronés")
        CONTACT = "contact", _("Téléphone ou adresse erronés")
        ELIGIBILITY = "eligibility", _("Conditions d’accès ou publics erronés")
        OTHER = "other", _("Autre erreur")

    class Status(models.TextChoices):
        NEW = "new", _("à traiter")
        FIXED = "fixed", _("corrigé")
        REJECTED = "rejected", _("rejeté")

    target = models.CharField(_("fiche"), max_length=10, choices=Target.choices)
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports")
    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports")
    kind = models.CharField(_("ce qui est faux"), max_length=12, choices=Kind.choices)
    message = models.TextField(
        _("précisions"),
        max_length=MESSAGE_MAX_LENGTH,
        blank=True,
        validators=[validate_multi_line],
        help_text=_("Ne donnez aucune information personnelle ni de santé, ni sur vous ni sur quelqu’un d’autre."),
    )
    reporter_email = models.EmailField(_("adresse de la personne qui signale"), blank=True)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now, db_index=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True, db_index=True)
    resolution_note = models.CharField(_("réponse"), max_length=500, blank=True, validators=[validate_single_line])

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d’erreur")
        verbose_name_plural = _("signalements d’erreur")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target="structure", structure__isnull=False, service__isnull=True, aid__isnull=True)
                    | models.Q(target="service", structure__isnull=True, service__isnull=False, aid__isnull=True)
                    | models.Q(target="aid", structure__isnull=True, service__isnull=True, aid__isnull=False)
                ),
                name="error_report_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(status="new", handled_at__isnull=True)
                | (~models.Q(status="new") & models.Q(handled_at__isnull=False)),
                name="error_report_handled_when_not_new",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.target_name} ({self.created_at:%Y-%m-%d})"

    @property
    def listing(self):
        """The structure, service or aid reported."""
        return {self.Target.SERVICE: self.service, self.Target.AID: self.aid}.get(self.target, self.structure)

    @property
    def target_name(self) -> str:
        listing = self.listing
        return str(listing) if listing is not None else ""

    @property
    def owning_structure(self) -> Structure | None:
        """The structure whose members and moderators handle the report (none for an aid)."""
        if self.target == self.Target.SERVICE:
            return self.service.structure if self.service is not None else None
        return self.structure

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.NEW


class ErrorReportLog(AppendOnlyModel):
    """Append-only (relais/append_only.py): who saw an error report (it may hold the reporter's address), who
    handled it (from « à traiter » to « corrigé » or « rejeté »), and what the purge erased. Outlives the report."""

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        FIXED = "fixed", _("marqué corrigé")
        REJECTED = "rejected", _("marqué rejeté")
        EMAIL_ERASED = "email_erased", _("adresse effacée à expiration")
        DELETED = "deleted", _("supprimé à expiration")

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    report_id = models.BigIntegerField(_("signalement"), db_index=True)  # not a foreign key: the log outlives it
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField(_("qui"), max_length=254)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    detail = models.CharField(_("détail"), max_length=120, blank=True)  # a page or a transition, never the text

    class Meta:
        verbose_name = _("journal des signalements d’erreur")
        verbose_name_plural = _("journal des signalements d’erreur")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.report_id}"
