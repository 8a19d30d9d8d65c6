"""Referrals: a professional sends a person to a service, the structure answers, the loop closes.

A referral holds the minimum about the person (name, one contact channel, availability, a situation
from a controlled list, a short reason) and loses it on schedule (`relais.referrals.retention`); the
row itself stays, anonymised, for the steering figures. Its lifecycle is the state machine declared
in `relais.referrals.machine`; every change goes through `relais.referrals.actions`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relais.append_only import AppendOnlyModel

# --- vocabularies ---------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SENT = "sent", _("envoyée, en attente de réponse")
    ACCEPTED = "accepted", _("acceptée")
    REFUSED = "refused", _("refusée")
    EXPIRED = "expired", _("expirée sans réponse")
    CLOSED = "closed", _("clôturée")
    CANCELLED = "cancelled", _("annulée")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("par courriel")
    PHONE = "phone", _("par téléphone")
    PROFESSIONAL = "professional", _("par l’intermédiaire du professionnel qui oriente")


class Situation(models.TextChoices):
    """The person's situation, from a controlled list: never a health detail."""

    HOUSING = "housing", _("logement, hébergement")
    FOOD = "food", _("alimentation")
    RIGHTS = "rights", _("accès aux droits, démarches administratives")
    EMPLOYMENT = "employment", _("emploi, formation")
    BUDGET = "budget", _("budget, dettes")
    FAMILY = "family", _("famille, parentalité")
    MOBILITY = "mobility", _("mobilité")
    DIGITAL = "digital", _("numérique")
    ISOLATION = "isolation", _("isolement, lien social")
    LANGUAGE = "language", _("apprentissage du français")
    OTHER = "other", _("autre")


class RefusalReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("plus de place pour le moment")
    NOT_ELIGIBLE = "not_eligible", _("la personne ne remplit pas les conditions d’accès")
    OUT_OF_ZONE = "out_of_zone", _("hors de la zone d’intervention")
    UNSUITED = "unsuited", _("le service ne répond pas à ce besoin")
    ALREADY_FOLLOWED = "already_followed", _("la personne est déjà accompagnée par la structure")
    OTHER = "other", _("autre motif")


class Outcome(models.TextChoices):
    GOT_HELP = "got_help", _("la personne a été aidée")
    NO_CAPACITY = "no_capacity", _("pas de place finalement")
    NOT_REACHED = "not_reached", _("la personne n’a pas pu être contactée")
    NO_LONGER_NEEDED = "no_longer_needed", _("la personne n’en a plus besoin")


class Party(models.TextChoices):
    """Who makes a transition: the sending side, the receiving side, or the platform's own jobs."""

    SENDER = "sender", _("professionnel qui oriente")
    RECEIVER = "receiver", _("structure qui reçoit")
    SYSTEM = "system", _("plateforme")


# --- referrals ------------------------------------------------------------------------------


def attachment_path(instance, filename: str) -> str:
    """A random name: never the uploaded file's, which may hold the person's name (`filename` is ignored)."""
    kind = instance.attachment_kind if instance.attachment_kind in ("pdf", "png", "jpg") else "bin"
    return f"referrals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{kind}"


class ReferralQuerySet(models.QuerySet):
    """Need to know, in one place: who may see which referral (relais/referrals/roles.py says the same in words).

    The sending side is the organisation (`sender_structure`): its active members see what it sent, the
    author also their own drafts. Having sent a referral gives no access by itself: a professional whose
    membership ended (rejected, or deleted) no longer sees what they sent on that organisation's behalf.
    """

    # `access` is {structure id: since when} (relais/referrals/roles.py `access`): a member sees what their
    # structure received, and what their organisation sent, from the moment their access was granted only.

    @staticmethod
    def _since(field: str, access) -> tuple[models.Q, Coalesce]:
        when = Coalesce("sent_at", "created_at")
        query = models.Q(pk__in=[])
        for structure_id, since in access.items():
            query |= models.Q(**{field: structure_id}) & models.Q(vouched_from__gte=since)
        return query, when

    def _vouched(self, field: str, access):
        query, when = self._since(field, access)
        return self.alias(vouched_from=when).filter(query)

    def sent_by_side(self, user, access):
        """Referrals the user's organisations sent since the user's access (their drafts: their author's only)."""
        if not access or not user.is_authenticated:
            return self.none()
        return self._vouched("sender_structure_id", access).filter(
            models.Q(sender=user) | ~models.Q(status=Status.DRAFT)
        )

    def received_by(self, access):
        """Referrals sent to these structures since the member's access (never their drafts)."""
        if not access:
            return self.none()
        return self._vouched("structure_id", access).exclude(status=Status.DRAFT)

    def visible_to(self, user, access):
        """What the user's organisations sent (drafts: their author only) and what their structures received,
        since the user's access to each."""
        if not access or not user.is_authenticated:
            return self.none()
        sent, when = self._since("sender_structure_id", access)
        sent &= models.Q(sender=user) | ~models.Q(status=Status.DRAFT)
        received, _when = self._since("structure_id", access)
        received &= ~models.Q(status=Status.DRAFT)
        return self.alias(vouched_from=when).filter(sent | received)

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Where to: the service, and its structure at sending time (the inbox reads this column).
    service = models.ForeignKey(
        "offer.Service", on_delete=models.SET_NULL, null=True, related_name="referrals", verbose_name=_("service")
    )
    structure = models.ForeignKey(
        "offer.Structure",
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_received",
        verbose_name=_("structure qui reçoit"),
    )
    commune_code = models.CharField(_("commune du service"), max_length=5, blank=True)
    # Who from: the professional and the organisation (a structure they are an active member of).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_sent",
        verbose_name=_("professionnel qui oriente"),
    )
    sender_structure = models.ForeignKey(
        "offer.Structure",
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_sent",
        verbose_name=_("structure qui oriente"),
    )
    # State
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    refusal_reason = models.CharField(_("motif du refus"), max_length=20, choices=RefusalReason.choices, blank=True)
    share_reason_with_person = models.BooleanField(_("motif communiqué à la personne"), default=False)
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("réponse attendue avant le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    # Consent: the wording the professional confirmed, and when.
    consent_wording_version = models.CharField(_("version du texte de consentement"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consentement confirmé le"), null=True, blank=True)
    # The person: the minimum, erased on schedule.
    first_name = models.CharField(_("prénom"), max_length=80, blank=True)
    last_name = models.CharField(_("nom"), max_length=80, blank=True)
    person_key = models.CharField(max_length=170, blank=True, db_index=True, editable=False)
    contact_channel = models.CharField(_("canal de contact"), max_length=15, choices=ContactChannel.choices, blank=True)
    contact_value = models.CharField(_("coordonnée"), max_length=254, blank=True)
    availability = models.CharField(_("disponibilités"), max_length=200, blank=True)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices, blank=True)
    reason = models.TextField(_("motif de l’orientation"), max_length=500, blank=True)
    attachment = models.FileField(_("pièce jointe"), upload_to=attachment_path, blank=True, max_length=200)
    attachment_kind = models.CharField(max_length=4, blank=True, editable=False)
    # Retention
    attachment_purge_after = models.DateTimeField(null=True, blank=True)
    personal_data_purge_after = models.DateTimeField(null=True, blank=True)
    attachment_purged_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    # A replayed creation (the form's hidden key, the API's Idempotency-Key) finds the referral it already made;
    # the digest of what was submitted tells a replay from another request reusing the key.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    submission_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        permissions = [
            ("view_statistics", _("Voir les statistiques anonymes des orientations (pilotage)")),
            ("export_personal_data", _("Exporter les données d’une personne (droit d’accès)")),
        ]
        indexes = [
            models.Index(fields=["structure", "-sent_at"], name="referral_inbox"),
            models.Index(fields=["sender", "-created_at"], name="referral_sender"),
            models.Index(fields=["sender_structure", "-sent_at"], name="referral_sender_structure"),
            models.Index(fields=["status", "answer_due_at"], name="referral_due"),
            models.Index(
                fields=["personal_data_purge_after"],
                name="referral_personal_purge",
                condition=models.Q(anonymised_at__isnull=True),
            ),
            models.Index(
                fields=["attachment_purge_after"],
                name="referral_attachment_purge",
                condition=models.Q(attachment_purged_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} → {self.service_id} ({self.pk})"

    @property
    def person_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def shared_refusal_reason(self) -> str:
        """The refusal reason the person may read, or ''."""
        if self.status == Status.REFUSED and self.share_reason_with_person and self.refusal_reason:
            return self.get_refusal_reason_display()
        return ""


class ReferralTransition(models.Model):
    """One step of a referral's life: who, when, from, to, why. Written only by `actions.transition`."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        pgettext_lazy("statut d’origine d’une transition", "de"), max_length=10, choices=Status.choices
    )
    to_status = models.CharField(_("vers"), max_length=10, choices=Status.choices)
    party = models.CharField(_("partie"), max_length=10, choices=Party.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    link = models.ForeignKey("AnswerLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("le"), default=timezone.now)
    reason = models.CharField(_("motif"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("transition d’orientation")
        verbose_name_plural = _("transitions d’orientation")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"

    @property
    def reason_label(self) -> str:
        if not self.reason:
            return ""
        if self.reason.startswith("consent:"):
            return str(_("accord de la personne confirmé (texte %(version)s)") % {"version": self.reason[8:]})
        if self.reason == "expired":
            return str(_("délai de réponse dépassé"))
        if self.reason == "abandoned":
            return str(_("brouillon abandonné"))
        if self.to_status == Status.REFUSED:
            return str(dict(RefusalReason.choices).get(self.reason, self.reason))
        if self.to_status == Status.CLOSED:
            return str(dict(Outcome.choices).get(self.reason, self.reason))
        return self.reason

    @property
    def actor_label(self) -> str:
        if self.actor_id:
            return str(self.actor)
        if self.link_id:
            return str(_("lien de réponse envoyé à la structure"))
        return str(Party(self.party).label)


class AnswerLink(models.Model):
    """A signed, single-purpose link to answer one referral without an account (see `relais.referrals.links`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="answer_links")
    email = models.EmailField(_("envoyé à"))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewal"
    )

    class Meta:
        verbose_name = _("lien de réponse")
        verbose_name_plural = _("liens de réponse")

    def __str__(self):
        return f"{self.referral_id} → {self.email}"


# --- the access log -------------------------------------------------------------------------


class AccessLog(AppendOnlyModel):
    """Who read or changed which referral, when, and how. Append-only here and in the database (triggers)."""

    class Action(models.TextChoices):
        LIST = "list", _("vue dans une liste")
        VIEW = "view", _("consultation")
        CHANGE = "change", _("modification")
        DOWNLOAD = "download", _("téléchargement de la pièce jointe")
        EXPORT = "export", _("export (droit d’accès)")
        RENEW_LINK = "renew_link", _("renouvellement du lien de réponse")
        PERSON_VIEW = "person_view", _("consultation du suivi par la personne")

    class Channel(models.TextChoices):
        WEB = "web", _("site")
        API = "api", _("API")
        LINK = "link", _("lien signé")
        COMMAND = "command", _("tâche planifiée")

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    # No database constraints: nothing may cascade into this table, and the rows outlive users.
    referral = models.ForeignKey(Referral, on_delete=models.DO_NOTHING, db_constraint=False, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    link_id = models.UUIDField(null=True, blank=True)
    actor = models.CharField(_("qui"), max_length=254)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    channel = models.CharField(_("par"), max_length=8, choices=Channel.choices)
    detail = models.CharField(_("détail"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("accès à une orientation")
        verbose_name_plural = _("journal des accès aux orientations")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="accesslog_referral")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.referral_id}"
