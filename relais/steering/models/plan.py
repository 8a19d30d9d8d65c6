"""A plan, its tree of axes, its actions (fiches action) with their steps, budgets and territorial declinations.

Cross-cutting themes ("modes de faire", national strategies) are flat tags on actions, never a second tree.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.offer import vocabularies as voc


class Status(models.TextChoices):
    NONE = "", _("sans statut")
    TO_COME = "to_come", _("à venir")
    IN_PROGRESS = "in_progress", _("en cours")
    DONE = "done", _("réalisée")
    PAUSED = "paused", _("en pause")
    ABANDONED = "abandoned", _("abandonnée")
    BLOCKED = "blocked", _("bloquée")
    LATE = "late", _("en retard")
    TO_DISCUSS = "to_discuss", _("à discuter")


# An action in one of these is over: it is never "late" and never "without news".
CLOSED_STATUSES = frozenset({Status.DONE, Status.ABANDONED})


class Meteo(models.TextChoices):
    NONE = "", _("non renseignée")
    SUNNY = "sunny", _("ensoleillée : tout va bien")
    CLOUDY = "cloudy", _("nuageuse : quelques difficultés")
    RAINY = "rainy", _("pluvieuse : difficultés sérieuses")
    STORMY = "stormy", _("orageuse : action menacée")


class Priority(models.IntegerChoices):
    HIGH = 1, _("haute")
    MEDIUM = 2, _("moyenne")
    LOW = 3, _("basse")


class Participation(models.TextChoices):
    NONE = "none", _("aucune")
    INFORMATION = "information", _("information")
    CONSULTATION = "consultation", _("consultation")
    CONCERTATION = "concertation", _("concertation")
    CO_CONSTRUCTION = "co_construction", _("co-construction")


class ProgressMode(models.TextChoices):
    STEPS = "steps", _("d’après les étapes")
    INDICATORS = "indicators", _("d’après les indicateurs")
    MANUAL = "manual", _("saisi à la main")


class Rollup(models.TextChoices):
    AVERAGE = "average", _("moyenne simple")
    WEIGHTED = "weighted", _("moyenne pondérée par le poids des actions")


class Plan(models.Model):
    slug = models.SlugField(_("identifiant court"), max_length=100, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    owner = models.CharField(_("collectivité"), max_length=200, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_note = models.TextField(_("note de source"), blank=True)
    territories = models.ManyToManyField(
        "territories.Territory", blank=True, related_name="steering_plans", verbose_name=_("territoires du plan")
    )
    rollup = models.CharField(
        _("agrégation de l’avancement"), max_length=10, choices=Rollup.choices, default=Rollup.AVERAGE
    )
    news_after_days = models.PositiveSmallIntegerField(
        _("sans nouvelles après (jours)"),
        default=90,
        help_text=_("une action sans mise à jour depuis ce délai est signalée"),
    )
    is_public = models.BooleanField(_("compte rendu public"), default=True)
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("axe parent")
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="steering_axis_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Tag(models.Model):
    class Kind(models.TextChoices):
        MODE = "mode", _("mode de faire")
        STRATEGY = "strategy", _("stratégie nationale")
        OTHER = "other", _("autre")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tags")
    slug = models.SlugField(_("identifiant court"), max_length=100)
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="steering_tag_slug")]

    def __str__(self):
        return self.name


class ActionQuerySet(models.QuerySet):
    def of_territory(self, territory):
        """The actions that run in a territory: declined there, or local to it (its Projet social de territoire)."""
        return self.filter(models.Q(declinations__territory=territory) | models.Q(local_territory=territory)).distinct()


class Action(models.Model):
    """A fiche action. Its pilot is an account or a named person without one, never neither (a check constraint)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="actions", verbose_name=_("axe"))
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="actions", verbose_name=_("étiquettes"))
    pilot_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="piloted_actions",
        verbose_name=_("pilote (compte)"),
    )
    pilot_name = models.CharField(_("pilote (nom)"), max_length=150, blank=True)
    pilot_function = models.CharField(_("fonction du pilote"), max_length=150, blank=True)
    pilot_published = models.BooleanField(_("nom et fonction du pilote publiés"), default=False)
    partners = models.ManyToManyField(
        "offer.Structure", blank=True, related_name="steering_actions", verbose_name=_("structures partenaires")
    )
    services = models.ManyToManyField(
        "offer.Service", blank=True, related_name="steering_actions", verbose_name=_("services qui la portent")
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        through="ActionTerritory",
        blank=True,
        related_name="steering_actions",
        verbose_name=_("territoires concernés"),
    )
    local_territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_steering_actions",
        verbose_name=_("action locale du territoire"),
        help_text=_("vide pour une action métropolitaine"),
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NONE, blank=True)
    meteo = models.CharField(_("météo"), max_length=10, choices=Meteo.choices, default=Meteo.NONE, blank=True)
    priority = models.PositiveSmallIntegerField(_("priorité"), choices=Priority.choices, default=Priority.MEDIUM)
    participation = models.CharField(
        _("participation des habitants"), max_length=16, choices=Participation.choices, default=Participation.NONE
    )
    progress_mode = models.CharField(
        _("calcul de l’avancement"), max_length=10, choices=ProgressMode.choices, default=ProgressMode.STEPS
    )
    manual_progress = models.PositiveSmallIntegerField(_("avancement saisi (%)"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    indicators = models.ManyToManyField(
        "steering.Indicator", blank=True, related_name="actions", verbose_name=_("indicateurs")
    )
    last_news_at = models.DateTimeField(_("dernières nouvelles"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="steering_action_code"),
            models.CheckConstraint(
                condition=models.Q(pilot_user__isnull=False) | ~models.Q(pilot_name=""), name="steering_action_pilot"
            ),
            models.CheckConstraint(
                condition=models.Q(manual_progress__isnull=True) | models.Q(manual_progress__lte=100),
                name="steering_action_manual_progress",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def pilot_label(self) -> str:
        """The pilot as shown to the plan's team: the named person, else the account's name."""
        if self.pilot_name:
            return f"{self.pilot_name}, {self.pilot_function}" if self.pilot_function else self.pilot_name
        if self.pilot_user_id:  # never the account's e-mail: personal data stay behind the second factor
            return self.pilot_user.get_full_name() or str(_("pilote avec un compte"))
        return ""

    def public_pilot(self) -> str:
        """What the public sees of the pilot: name and function, only when published."""
        return self.pilot_label() if self.pilot_published else ""

    def publics_labels(self) -> list[str]:
        return [voc.label(voc.Public, value) for value in self.publics]

    def thematiques_labels(self) -> list[str]:
        return [voc.label(voc.Thematique, value) for value in self.thematiques]


class Step(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("intitulé"), max_length=250)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done = models.BooleanField(_("réalisée"), default=False)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["action", "order", "due_on", "id"]

    def __str__(self):
        return self.title


class BudgetLine(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"))
    planned = models.DecimalField(_("budget prévu (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField(_("budget dépensé (€)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["action", "year"]
        constraints = [models.UniqueConstraint(fields=["action", "year"], name="steering_budget_year")]

    def __str__(self):
        return f"{self.action.code} {self.year}"


class ActionTerritory(models.Model):
    """An action declined in one territory: its own status, météo, local pilot and notes."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="declinations")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="steering_declinations"
    )
    status = models.CharField(_("statut local"), max_length=12, choices=Status.choices, default=Status.NONE, blank=True)
    meteo = models.CharField(_("météo locale"), max_length=10, choices=Meteo.choices, default=Meteo.NONE, blank=True)
    local_pilot_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="piloted_declinations",
        verbose_name=_("pilote local (compte)"),
    )
    local_pilot_name = models.CharField(_("pilote local (nom)"), max_length=150, blank=True)
    notes = models.TextField(_("notes locales"), blank=True)

    class Meta:
        verbose_name = _("déclinaison territoriale")
        verbose_name_plural = _("déclinaisons territoriales")
        ordering = ["action", "territory"]
        constraints = [models.UniqueConstraint(fields=["action", "territory"], name="steering_declination")]

    def __str__(self):
        return f"{self.action.code} @ {self.territory}"

    def effective_status(self) -> str:
        """The local status, else the action's: the one every count by territory uses."""
        return self.status or self.action.status
