"""Form fields of the questionnaire, as people type them: amounts in euros, months, ages.

An amount accepts « 1 100 », « 1100,50 », « 1 100 € »; a month « 06/2026 », « 6/2026 » or « 2026-06 ».
Each error message says what was typed and what is expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from relais.rights.household import MAX_AMOUNT

_MONTH_SLASH = re.compile(r"^\s*(0?[1-9]|1[0-2])\s*[/.-]\s*(\d{4})\s*$")
_MONTH_ISO = re.compile(r"^\s*(\d{4})-(0[1-9]|1[0-2])\s*$")


def amount_widget(**attrs):
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount", **attrs})


class AmountField(forms.Field):
    """Euros: a number ≥ 0, spaces, a comma or a euro sign allowed."""

    def __init__(self, *, maximum: float = MAX_AMOUNT, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", amount_widget())
        self.maximum = maximum
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, int | float):
            return float(value)
        text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
        text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(
                _("« %(value)s » n’est pas un montant : écrivez un nombre d’euros, par exemple 1 100 ou 450,50.")
                % {"value": value}
            ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise forms.ValidationError(_("« %(value)s » n’est pas un montant.") % {"value": value})
        if number < 0:
            raise forms.ValidationError(_("Un montant ne peut pas être négatif (reçu %(value)s).") % {"value": value})
        if number > self.maximum:
            raise forms.ValidationError(
                _("%(value)s € : ce montant dépasse %(max)s €, est-ce une faute de frappe ?")
                % {"value": value, "max": f"{self.maximum:,.0f}".replace(",", " ")}
            )
        return round(number, 2)

    def prepare_value(self, value):
        if isinstance(value, float):
            return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return value


class MonthField(forms.Field):
    """A month typed MM/AAAA (or AAAA-MM), kept as AAAA-MM."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "month"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value)
        match = _MONTH_ISO.match(text)
        if match:
            return f"{match[1]}-{match[2]}"
        match = _MONTH_SLASH.match(text)
        if match:
            year = int(match[2])
            if 1900 <= year <= 2100:
                return f"{year:04d}-{int(match[1]):02d}"
        raise forms.ValidationError(
            _("« %(value)s » n’est pas un mois : écrivez le mois et l’année, par exemple 06/2026.") % {"value": value}
        )

    def prepare_value(self, value):
        if isinstance(value, str) and _MONTH_ISO.match(value):
            return f"{value[5:7]}/{value[:4]}"
        return value


# --- how a step lays its fields out (the template walks these) ---------------------------------------


@dataclass
class Item:
    """One question: a field, or an income (amount, and in a disclosure: since, until)."""

    kind: str  # "field" | "income" | "check"
    name: str
    since: str = ""
    until: str = ""


@dataclass
class Section:
    """A fieldset: one person's questions (title = their label), or the household's (title may be empty)."""

    title: str
    items: list[Item] = field(default_factory=list)
    more: list[Item] = field(default_factory=list)  # shown in a <details> (« other incomes »)
    more_label: str = ""
    person: str = ""  # person id, for the remove button of the composition step
    removable: bool = False
    help: str = ""
