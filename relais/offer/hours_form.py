"""The opening-hours part of the partner forms: a grid, French words, or the raw OpenStreetMap expression.

Three ways to give the same `horaires_accueil`, all plain form fields (no JavaScript):

- the grid: up to `ROWS` lines of days and one or two time ranges, "closed on public holidays", and the
  dates closed every year (« 25 décembre, du 1er au 15 août »);
- French words (« du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés »), read by
  `hours_french.parse_french`;
- the expression itself, for experts.

The grid is filled from the stored expression when it can show it. On saving, the way the partner
changed wins; changing two ways at once is refused with a message saying so. Temporary closures (works,
holidays) have their own page.
"""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from relais.offer import hours, hours_french

ROWS = 4
DAY_CHOICES = [
    ("Mo", gettext_lazy("lundi")),
    ("Tu", gettext_lazy("mardi")),
    ("We", gettext_lazy("mercredi")),
    ("Th", gettext_lazy("jeudi")),
    ("Fr", gettext_lazy("vendredi")),
    ("Sa", gettext_lazy("samedi")),
    ("Su", gettext_lazy("dimanche")),
]
TIME_PARTS = ("start1", "end1", "start2", "end2")


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%Hh%M", "%Hh", "%H"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "time"}),
    )


class HoursFieldsMixin:
    """Adds the grid and the French text to a ModelForm that has `horaires_accueil`."""

    def _add_hours_fields(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["hours_text"] = forms.CharField(
            label=gettext_lazy("Horaires en toutes lettres"),
            required=False,
            max_length=500,
            help_text=gettext_lazy(
                "Par exemple : « du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés ». "
                "Laissez vide pour utiliser la grille."
            ),
        )
        for i in range(ROWS):
            fields[f"hours_{i}_days"] = forms.MultipleChoiceField(
                label=gettext_lazy("Jours"),
                choices=DAY_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "days"}),
            )
            fields[f"hours_{i}_start1"] = _time_field(gettext_lazy("Ouverture"))
            fields[f"hours_{i}_end1"] = _time_field(gettext_lazy("Fermeture"))
            fields[f"hours_{i}_start2"] = _time_field(gettext_lazy("Réouverture (facultatif)"))
            fields[f"hours_{i}_end2"] = _time_field(gettext_lazy("Fermeture (facultatif)"))
        fields["hours_holidays_closed"] = forms.BooleanField(
            label=gettext_lazy("Fermé les jours fériés"), required=False
        )
        fields["hours_closed_dates"] = forms.CharField(
            label=gettext_lazy("Fermé chaque année ces jours-là"),
            required=False,
            max_length=300,
            help_text=gettext_lazy("Par exemple : « 24 décembre, du 1er au 15 août ». Laissez vide s’il n’y en a pas."),
        )
        self.hours_grid_unavailable = False
        current = (getattr(self.instance, "horaires_accueil", "") or "").strip()  # type: ignore[attr-defined]
        grid = hours_french.rows_of(current)
        if grid is None or len(grid[0]) > ROWS:
            self.hours_grid_unavailable = True
            self._initial_grid = ""
            return
        rows, holidays_closed, dates = grid
        initial = self.initial  # type: ignore[attr-defined]
        for i, row in enumerate(rows):
            initial[f"hours_{i}_days"] = list(row.days)
            for (start, end), (a, b) in zip(row.times, (("start1", "end1"), ("start2", "end2")), strict=False):
                initial[f"hours_{i}_{a}"] = start
                initial[f"hours_{i}_{b}"] = "00:00" if end == "24:00" else end
        initial["hours_holidays_closed"] = holidays_closed
        with translation.override("fr"):  # the field is read in French, whatever the page's language
            initial["hours_closed_dates"] = ", ".join(
                hours_french.describe_selector(d).removeprefix("le ") for d in dates
            )
        self._initial_grid = hours_french.build(rows, holidays_closed, dates)

    @property
    def hours_rows(self) -> list[dict]:
        """The bound fields of the grid, row by row, for the template."""
        return [
            {"number": i + 1, "days": self[f"hours_{i}_days"], **{p: self[f"hours_{i}_{p}"] for p in TIME_PARTS}}  # type: ignore[index]
            for i in range(ROWS)
        ]

    def _grid_rows(self, data: dict) -> list[hours_french.Row]:
        rows = []
        for i in range(ROWS):
            days = tuple(data.get(f"hours_{i}_days") or ())
            times = []
            for a, b in (("start1", "end1"), ("start2", "end2")):
                start, end = data.get(f"hours_{i}_{a}"), data.get(f"hours_{i}_{b}")
                if (start is None) != (end is None):
                    self.add_error(  # type: ignore[attr-defined]
                        f"hours_{i}_{b if end is None else a}",
                        gettext_lazy("Indiquez l’heure d’ouverture et l’heure de fermeture."),
                    )
                elif start is not None and end is not None:
                    end_text = "24:00" if end.strftime("%H:%M") == "00:00" else end.strftime("%H:%M")
                    times.append((start.strftime("%H:%M"), end_text))
            if days and not times:
                self.add_error(f"hours_{i}_start1", gettext_lazy("Indiquez les heures de ces jours."))  # type: ignore[attr-defined]
            elif times and not days:
                self.add_error(f"hours_{i}_days", gettext_lazy("Cochez les jours de ces heures."))  # type: ignore[attr-defined]
            elif days:
                rows.append(hours_french.Row(days, tuple(times)))
        return rows

    def clean_hours(self, data: dict) -> None:
        """Set data["horaires_accueil"] from the way the partner changed the hours."""
        initial_raw = (getattr(self.instance, "horaires_accueil", "") or "").strip()  # type: ignore[attr-defined]
        raw = data.get("horaires_accueil")
        raw_changed = raw is not None and raw != initial_raw
        text = (data.get("hours_text") or "").strip()
        dates, problem = hours_french.parse_closed_dates(data.get("hours_closed_dates") or "")
        if problem:
            self.add_error("hours_closed_dates", problem)  # type: ignore[attr-defined]
            return
        rows = self._grid_rows(data)
        grid = hours_french.build(rows, bool(data.get("hours_holidays_closed")), dates or [])
        grid_changed = grid != self._initial_grid
        ways = [w for w, changed in (("text", bool(text)), ("grid", grid_changed), ("raw", raw_changed)) if changed]
        if len(ways) > 1:
            self.add_error(  # type: ignore[attr-defined]
                "hours_text",
                gettext_lazy(
                    "Vous avez changé les horaires à plusieurs endroits (en toutes lettres, dans la grille ou dans "
                    "l’expression) : gardez-en un seul."
                ),
            )
            return
        if text:
            expression, message = hours_french.parse_french(text)
            if message:
                self.add_error("hours_text", message)  # type: ignore[attr-defined]
                return
            data["horaires_accueil"] = expression
        elif grid_changed:
            message = hours.validate(grid)
            if message:
                self.add_error("hours_text", message)  # type: ignore[attr-defined]
                return
            data["horaires_accueil"] = grid
