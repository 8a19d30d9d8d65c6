"""Template filters that turn offer codes into plain French: vocabularies, languages, dates, capacity."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from relais.offer import hours
from relais.offer import vocabularies as voc
from relais.offer.models import Capacity

register = template.Library()

# Languages often spoken in our structures that Django's own list lacks (ISO 639-1, or 639-3 when none).
EXTRA_LANGUAGES = {
    "am": gettext_lazy("Amharique"),
    "bm": gettext_lazy("Bambara"),
    "ff": gettext_lazy("Peul"),
    "ln": gettext_lazy("Lingala"),
    "prs": gettext_lazy("Dari"),
    "ps": gettext_lazy("Pachto"),
    "so": gettext_lazy("Somali"),
    "ti": gettext_lazy("Tigrigna"),
    "wo": gettext_lazy("Wolof"),
    "zh": gettext_lazy("Chinois"),  # Django knows only zh-hans and zh-hant
    "lsf": gettext_lazy("Langue des signes française"),
}

CAPACITY_CLASSES = {
    Capacity.ACCEPTING: "status-open",
    Capacity.WAITING_LIST: "status-warn",
    Capacity.FULL: "status-closed",
}


@register.filter
def vocab_label(value, vocabulary: str) -> str:
    """The label of a data·inclusion code, e.g. {{ service.frais|vocab_label:"frais" }}."""
    if not value:
        return ""
    return voc.label(voc.BY_API_NAME[vocabulary], value)


@register.filter
def vocab_labels(values, vocabulary: str) -> list[str]:
    return [vocab_label(value, vocabulary) for value in values or ()]


@register.filter
def language_name(code: str) -> str:
    code = (code or "").strip().lower()
    if code in EXTRA_LANGUAGES:
        return str(EXTRA_LANGUAGES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def language_names(codes) -> str:
    return ", ".join(language_name(code) for code in codes or ())


@register.filter
def day_month(day: dt.date | None) -> str:
    """3 décembre, 1er mai; the year when it is not the current one."""
    if not day:
        return ""
    return hours.day_month(day, timezone.localdate())


@register.filter
def opening_time(value) -> str:
    return hours.format_time(value) if value else ""


@register.filter
def capacity_label(service) -> str:
    """accueille de nouvelles personnes, liste d’attente, complet jusqu’au 3 décembre."""
    today = timezone.localdate()
    capacity = service.capacity_on(today)
    if capacity == Capacity.FULL and service.full_until:
        return _("complet jusqu’au %(date)s") % {"date": hours.day_month(service.full_until, today)}
    return str(Capacity(capacity).label)


@register.filter
def capacity_class(service) -> str:
    return CAPACITY_CLASSES.get(service.capacity_on(timezone.localdate()), "")


@register.filter
def verifier_name(user) -> str:
    """A first name and an initial, never an e-mail address: these pages are public."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last:
        return f"{first} {last[0]}."
    return first or last


@register.filter
def beyond(items, limit: int) -> int:
    """How many items a list shows past its first `limit` ones (0 when it holds no more)."""
    return max(len(items or ()) - int(limit), 0)
