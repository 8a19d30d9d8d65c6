"""Amounts and months as the pages show them, in the active language (« 1 100 € », « 06/2026 »)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _


def euros(value: float | None) -> str:
    if value is None:
        return ""
    whole = abs(value - round(value)) < 0.005
    text = formats.number_format(round(value, 2), 0 if whole else 2, use_l10n=True, force_grouping=True)
    return _("%(amount)s €") % {"amount": text}


def month(value: str | None) -> str:
    """AAAA-MM -> MM/AAAA."""
    if not value or len(value) < 7:
        return value or ""
    return f"{value[5:7]}/{value[:4]}"


def per_period(amount: float, periodicite: str, periode: str = "") -> str:
    """« 420 € par mois », « 150 € par an (2026) », « 1 000 € en une fois »."""
    text = euros(amount)
    if periodicite == "mensuelle":
        return _("%(amount)s par mois") % {"amount": text}
    if periodicite == "annuelle":
        if periode and len(periode) == 4:
            return _("%(amount)s par an (%(year)s)") % {"amount": text, "year": periode}
        return _("%(amount)s par an") % {"amount": text}
    return _("%(amount)s en une fois") % {"amount": text}
