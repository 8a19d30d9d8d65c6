"""Indicators: a definition, and dated values (initial, current, target) per territory.

An indicator may be computed by Relais (`computed_source`, a name of relais/steering/sources.py):
its current value then updates itself (manage.py refresh_plan_indicators). It may also point to an
indicator of the observatory by id (`observatory_indicator`): a documented hook, read by nothing yet,
because steering does not import the observatory app (docs/adr/0011-steering.md).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueKind(models.TextChoices):
    INITIAL = "initial", _("valeur initiale")
    CURRENT = "current", _("valeur actuelle")
    TARGET = "target", _("cible")


class Indicator(models.Model):
    class Periodicity(models.IntegerChoices):
        MONTHLY = 31, _("mensuelle")
        QUARTERLY = 92, _("trimestrielle")
        HALF_YEARLY = 183, _("semestrielle")
        YEARLY = 366, _("annuelle")

    plan = models.ForeignKey("steering.Plan", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=250)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    method = models.TextField(_("méthode de calcul"), blank=True)
    periodicity_days = models.PositiveSmallIntegerField(
        _("périodicité"), choices=Periodicity.choices, default=Periodicity.YEARLY
    )
    steward = models.CharField(_("référent"), max_length=150, blank=True)
    computed_source = models.CharField(
        _("calculé par Relais"),
        max_length=50,
        blank=True,
        help_text=_("nom d’une source de relais/steering/sources.py"),
    )
    computed_parameter = models.CharField(_("paramètre du calcul"), max_length=200, blank=True)
    observatory_indicator = models.CharField(
        _("indicateur de l’observatoire (identifiant)"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="steering_indicator_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def is_to_update(self, last_current_on: dt.date | None, today: dt.date) -> bool:
        """A current value older than the periodicity (or none at all) is "to update"."""
        return last_current_on is None or (today - last_current_on).days > self.periodicity_days


class IndicatorValue(models.Model):
    """One dated value; `territory` empty means the whole plan (the métropole)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="steering_values"
    )
    kind = models.CharField(_("type"), max_length=8, choices=ValueKind.choices, default=ValueKind.CURRENT)
    on = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4)
    comment = models.TextField(_("commentaire"), blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        ordering = ["indicator", "territory", "kind", "on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "kind", "on"],
                condition=models.Q(territory__isnull=False),
                name="steering_value_unique_local",
            ),
            models.UniqueConstraint(
                fields=["indicator", "kind", "on"],
                condition=models.Q(territory__isnull=True),
                name="steering_value_unique_plan",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "kind", "on"], name="steering_value_latest")]

    def __str__(self):
        return f"{self.indicator.code} {self.kind} {self.on}: {self.value}"


class IndicatorProgress(models.Model):
    """Derived, never edited: the latest initial, current and target values of an indicator for the whole plan
    (territory empty) or one territory, and the ratio progress draws from them.

    Rebuilt by relais.steering.ratios.refresh whenever values change (every save or delete of a value, and
    after bulk writes), so that the dashboard reads one small row per indicator and territory instead of
    every dated value (docs/adr/0011-steering.md)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="progress_rows")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    initial = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    current = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    current_on = models.DateField(null=True)
    ratio = models.FloatField(null=True)

    class Meta:
        verbose_name = _("avancement d’indicateur (calculé)")
        verbose_name_plural = _("avancements d’indicateurs (calculés)")
        indexes = [models.Index(fields=["indicator", "territory"], name="steering_progress_lookup")]

    def __str__(self):
        return f"{self.indicator_id} {self.territory_id}: {self.ratio}"
