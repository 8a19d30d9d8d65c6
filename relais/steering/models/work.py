"""Working on a plan: roles, notes and qualitative texts, the change history, reporting campaigns."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanRole(models.Model):
    """A person's role on a plan. An editor is the editor of one territory; pilots are named on actions."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrateur du plan")
        EDITOR = "editor", _("éditeur d’un territoire")
        READER = "reader", _("lecteur")

    plan = models.ForeignKey("steering.Plan", on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="steering_roles")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="steering_editors"
    )

    class Meta:
        verbose_name = _("rôle sur un plan")
        verbose_name_plural = _("rôles sur un plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "user", "role", "territory"], name="steering_role_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="editor") | models.Q(territory__isnull=False), name="steering_editor_territory"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.role} {self.plan_id}"


class Note(models.Model):
    """A dated follow-up note on an action, or a qualitative text (synthesis, decision) of the plan.

    Draft, then published: only published notes are shown publicly."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("note de suivi")
        SYNTHESIS = "synthesis", _("synthèse")
        DECISION = "decision", _("décision")

    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")

    plan = models.ForeignKey("steering.Plan", on_delete=models.CASCADE, related_name="notes")
    action = models.ForeignKey("steering.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="steering_notes"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.FOLLOW_UP)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("texte"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-written_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.written_on}"


class Change(models.Model):
    """One change on a plan: who, when, what (model and id), and each field's old and new value."""

    plan = models.ForeignKey("steering.Plan", on_delete=models.CASCADE, related_name="changes")
    action = models.ForeignKey(
        "steering.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    target = models.CharField(_("objet"), max_length=30)  # model name: action, declination, step, note…
    object_id = models.CharField(_("identifiant"), max_length=50)
    label = models.CharField(_("libellé"), max_length=250, blank=True)
    diff = models.JSONField(_("modifications"), default=dict)  # {field: [old, new]}
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("origine"), max_length=200, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("modification du plan")
        verbose_name_plural = _("modifications du plan")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.target} {self.object_id} @ {self.at:%Y-%m-%d %H:%M}"


class Campaign(models.Model):
    """A reporting campaign ("point d'étape before 15 March"): each pilot is asked to update their actions."""

    plan = models.ForeignKey("steering.Plan", on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("intitulé"), max_length=200)
    due_on = models.DateField(_("réponse attendue avant le"))
    message = models.TextField(_("message aux pilotes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    launched_at = models.DateTimeField(_("lancée le"), default=timezone.now)

    class Meta:
        verbose_name = _("campagne de remontée")
        verbose_name_plural = _("campagnes de remontée")
        ordering = ["-launched_at"]

    def __str__(self):
        return self.title


class CampaignRequest(models.Model):
    """One action asked for news in a campaign; answered when its pilot (or anyone allowed) updates it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    action = models.ForeignKey("steering.Action", on_delete=models.CASCADE, related_name="campaign_requests")
    emailed_at = models.DateTimeField(_("demande envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("relances"), default=0)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("demande de remontée")
        verbose_name_plural = _("demandes de remontée")
        ordering = ["campaign", "action"]
        constraints = [models.UniqueConstraint(fields=["campaign", "action"], name="steering_campaign_action")]

    def __str__(self):
        return f"{self.campaign_id} {self.action_id}"
