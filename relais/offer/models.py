"""The territorial offer: structures, services and aids.

Structures and services carry every field of the data·inclusion schema v1 under the schema's own
names (so import and export are lossless), plus what our users need and the schema lacks:
languages, accessibility details, capacity, temporary closures, verification and moderation.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.offer import vocabularies as voc


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for validation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Capacity(models.TextChoices):
    ACCEPTING = "accepting", _("accepting new people")
    WAITING_LIST = "waiting_list", _("waiting list")
    FULL = "full", _("full")


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
    def with_thematique(self, value: str):
        """A thématique, or a whole category when `value` has no '--'."""
        needle = f'"{value}"' if "--" in value else f'"{value}--'
        return self.filter(thematiques__icontains=needle)

    def with_any(self, field: str, values):
        query = models.Q()
        for value in values:
            query |= models.Q(**{f"{field}__icontains": f'"{value}"'})
        return self.filter(query)


class Located(models.Model):
    """Address fields shared by structures and services (data·inclusion v1 names)."""

    commune = models.CharField(_("commune"), max_length=150, blank=True)
    code_postal = models.CharField(_("postal code"), max_length=5, blank=True)
    code_insee = models.CharField(_("INSEE code"), max_length=5, blank=True, db_index=True)
    adresse = models.CharField(_("address"), max_length=255, blank=True)
    complement_adresse = models.CharField(_("address complement"), max_length=255, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    telephone = models.CharField(_("phone"), max_length=50, blank=True)
    courriel = models.EmailField(_("e-mail"), blank=True)
    horaires_accueil = models.CharField(
        _("opening hours"),
        max_length=500,
        blank=True,
        help_text=_("OpenStreetMap opening_hours syntax, e.g. Mo-Fr 09:00-12:00"),
    )

    class Meta:
        abstract = True


class Tracked(models.Model):
    """Our extensions: provenance, moderation, verification, demo marking."""

    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED, db_index=True
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last verified by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
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
    id = models.CharField(_("identifier"), max_length=200, primary_key=True)
    source = models.CharField(_("source"), max_length=100)
    nom = models.CharField(_("name"), max_length=150)
    date_maj = models.DateField(_("last modified"))
    description = models.TextField(_("description"), blank=True)
    lien_source = models.URLField(_("source link"), max_length=500, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    site_web = models.URLField(_("website"), max_length=500, blank=True)
    accessibilite_lieu = models.URLField(_("accessibility (Accès libre link)"), max_length=500, blank=True)
    reseaux_porteurs = models.JSONField(_("networks"), default=list, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Service(Located, Tracked):
    # data·inclusion v1
    id = models.CharField(_("identifier"), max_length=200, primary_key=True)
    source = models.CharField(_("source"), max_length=100)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    nom = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"))
    lien_source = models.URLField(_("source link"), max_length=500, blank=True)
    date_maj = models.DateField(_("last modified"))
    type = models.CharField(_("type"), max_length=50, blank=True, choices=voc.choices(voc.TypeService))
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    frais = models.CharField(_("fees"), max_length=20, blank=True, choices=voc.choices(voc.Frais))
    frais_precisions = models.TextField(_("fees details"), blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    publics_precisions = models.TextField(_("publics details"), blank=True)
    conditions_acces = models.TextField(_("access conditions"), blank=True)
    modes_accueil = models.JSONField(_("reception modes"), default=list, blank=True)
    zone_eligibilite = models.JSONField(_("eligibility zone"), null=True, blank=True)
    contact_nom_prenom = models.CharField(_("contact name"), max_length=150, blank=True)
    lien_mobilisation = models.URLField(_("referral link"), max_length=500, blank=True)
    modes_mobilisation = models.JSONField(_("how to mobilise"), null=True, blank=True)
    mobilisable_par = models.JSONField(_("who can mobilise"), null=True, blank=True)
    mobilisation_precisions = models.TextField(_("mobilisation details"), blank=True)
    volume_horaire_hebdomadaire = models.FloatField(_("weekly hours"), null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(_("number of weeks"), null=True, blank=True)

    # Relais extensions
    languages = models.JSONField(_("languages spoken"), default=list, blank=True, help_text=_("ISO 639-1 codes"))
    step_free_access = models.BooleanField(_("step-free access"), null=True, blank=True)
    accessibility_details = models.TextField(_("accessibility details"), blank=True)
    capacity = models.CharField(_("capacity"), max_length=15, choices=Capacity.choices, default=Capacity.ACCEPTING)
    full_until = models.DateField(_("full until"), null=True, blank=True)
    accepts_referrals = models.BooleanField(_("accepts referrals through Relais"), default=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["nom"]

    def __str__(self):
        return self.nom

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
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (included)"))
    message = models.CharField(_("message"), max_length=300, blank=True)
    is_closed = models.BooleanField(
        _("closed during the period"), default=True, help_text=_("Untick for a message only.")
    )

    class Meta:
        verbose_name = _("temporary closure or message")
        verbose_name_plural = _("temporary closures and messages")
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
        ONCE = "once", _("once")
        MONTHLY = "monthly", _("monthly")
        YEARLY = "yearly", _("yearly")
        ON_DEMAND = "on_demand", _("on demand")

    class Kind(models.TextChoices):
        FINANCIAL = "aide-financiere", _("financial aid")
        MATERIAL = "aide-materielle", _("material aid")

    slug = models.SlugField(_("identifier"), max_length=150, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FINANCIAL)
    institution = models.CharField(_("institution"), max_length=200)
    summary = models.TextField(_("what it is"))
    conditions = models.TextField(_("conditions"), blank=True)
    amount = models.CharField(_("amount"), max_length=200, blank=True)
    periodicity = models.CharField(_("periodicity"), max_length=10, choices=Periodicity.choices, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    zone_eligibilite = models.JSONField(_("eligibility zone"), null=True, blank=True)
    how_to_claim = models.TextField(_("how to claim"), blank=True)
    claim_url = models.URLField(_("online claim"), max_length=500, blank=True)
    source_url = models.URLField(_("source of the rules"), max_length=500, blank=True)
    claim_services = models.ManyToManyField(
        Service, blank=True, related_name="aids", verbose_name=_("where to claim or get help")
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid")
        verbose_name_plural = _("aids")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Change(models.Model):
    """One change to a listing: who, when, old and new values; reviewed by a territory moderator."""

    class Kind(models.TextChoices):
        CREATE = "create", _("creation")
        UPDATE = "update", _("update")
        IMPORT = "import", _("import")
        REVERT = "revert", _("revert")

    class Review(models.TextChoices):
        TO_REVIEW = "to_review", _("to review")
        APPROVED = "approved", _("approved")
        REVERTED = "reverted", _("reverted")
        NOT_NEEDED = "not_needed", _("no review needed")

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="changes")
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes")
    object_id = models.CharField(_("listing identifier"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    diff = models.JSONField(_("changes"), default=dict, help_text=_("{field: [old, new]}"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.TO_REVIEW, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    code_insee = models.CharField(max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} @ {self.at:%Y-%m-%d %H:%M}"
