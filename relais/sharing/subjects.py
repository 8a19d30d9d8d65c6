"""What can be shared, and what a shared message holds: a result list or a fiche, in a few lines each.

Four subjects, each read from the request the page made (its query string, or a service's id), never from
text the sender types:

- `recherche`: the professional search (/recherche/), its first results;
- `trouver`: the residents' search (/trouver-de-l-aide/), its first results;
- `fiche`: the fiche de services (/recherche/fiche/), the services selected;
- `service`: one service's fiche (/offre/services/<id>/).

A subject gives the link to share (`link_path`: the page's address, whose query string keeps the search and
leaves out the person's answers: relais.matching.views), the page to go back to (`back_path`), and the
content of a message (`build`): a title, for each service its name, structure, address, phone, hours summary
and fiche, the link. Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.matching.views import fiche, pro, resident
from relais.matching.views.common import needs_summary
from relais.offer import hours
from relais.offer.models import Service


@dataclass(frozen=True)
class Entry:
    """One service as a message gives it."""

    number: int
    name: str
    structure: str
    address: str
    phone: str
    hours: list[str]
    url: str


@dataclass(frozen=True)
class Shared:
    """What a message holds: a title, the first services, how many more the link shows, the link."""

    title: str
    entries: list[Entry]
    link: str
    more: int = 0
    needs: str = ""


def site_url(path: str) -> str:
    """An absolute address on the public site (RELAIS_SITE_URL), never taken from the request's Host."""
    return settings.RELAIS_SITE_URL.rstrip("/") + path


def _service_url(service_id: str) -> str:
    return site_url(reverse("offer:service", args=[service_id]))


def _entry(number: int, record, today: dt.date) -> Entry:
    """An entry from a search's service record (relais.matching.types.ServiceRecord)."""
    address = ", ".join(part for part in (record.adresse, record.commune) if part)
    return Entry(
        number=number,
        name=record.name,
        structure=record.structure_name,
        address=address,
        phone=record.telephone,
        hours=hours.week_summary(record.horaires, today, record.code_insee),
        url=_service_url(record.id),
    )


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


# --- the professional search ---------------------------------------------------------------------


def _search_link(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:search"), pro.share_query(query))


def _search_back(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:search"), _without(query, ("page",))) + "#resultats"


def _search_build(query: QueryDict, _key: str, limit: int) -> Shared | None:
    response = pro.first_results(query, limit)
    if response is None or not response.results:
        return None
    today = timezone.localdate()
    place = response.place.commune.name if response.place else ""
    title = _("Des services près de %(place)s") % {"place": place}
    return Shared(
        title=title,
        entries=[_entry(n, r.service, today) for n, r in enumerate(response.results, start=1)],
        link=site_url(_search_link(query, "")),
        more=max(0, response.total - len(response.results)),
        needs=needs_summary(response),
    )


# --- the residents' search -----------------------------------------------------------------------


def _resident_link(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:resident"), resident.share_query(query))


def _resident_back(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:resident"), _without(query, ("page",)))


def _resident_build(query: QueryDict, _key: str, limit: int) -> Shared | None:
    response = resident.first_results(query, limit)
    if response is None or not response.results:
        return None
    today = timezone.localdate()
    place = response.place.commune.name if response.place else ""
    return Shared(
        title=_("Des lieux qui peuvent aider près de %(place)s") % {"place": place},
        entries=[_entry(n, r.service, today) for n, r in enumerate(response.results, start=1)],
        link=site_url(_resident_link(query, "")),
        more=max(0, response.total - len(response.results)),
        needs=needs_summary(response),
    )


# --- the fiche de services -----------------------------------------------------------------------


def _fiche_link(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:fiche"), pro.share_query(query))


def _fiche_back(query: QueryDict, _key: str) -> str:
    return _with_query(reverse("matching:fiche"), _without(query, ("page", "prenom")))


def _fiche_build(query: QueryDict, _key: str, limit: int) -> Shared | None:
    context = fiche.fiche_context(query, None)
    records = [entry["service"] for entry in context["entries"]]
    if not records:
        return None
    today = timezone.localdate()
    title = _("Fiche de services")
    if context["place_name"]:
        title = _("Fiche de services : près de %(place)s") % {"place": context["place_name"]}
    return Shared(
        title=title,
        entries=[_entry(n, record, today) for n, record in enumerate(records[:limit], start=1)],
        link=site_url(_fiche_link(query, "")),
        more=max(0, len(records) - limit),
        needs=context["understood"],
    )


# --- one service's fiche -------------------------------------------------------------------------


def _service_link(_query: QueryDict, key: str) -> str:
    return reverse("offer:service", args=[key])


def _service_build(_query: QueryDict, key: str, _limit: int) -> Shared | None:
    service = Service.objects.visible().select_related("structure").filter(pk=key).first()
    if service is None:
        return None
    structure = service.structure
    street = ", ".join(part for part in (service.adresse, service.complement_adresse) if part)
    town = " ".join(part for part in (service.code_postal, service.commune) if part)
    entry = Entry(
        number=1,
        name=service.nom,
        structure=structure.nom,
        address=", ".join(part for part in (street, town) if part),
        phone=service.telephone or structure.telephone,
        hours=hours.week_summary(
            service.effective_hours(), timezone.localdate(), service.code_insee or structure.code_insee
        ),
        url=_service_url(service.pk),
    )
    return Shared(title=service.nom, entries=[entry], link=entry.url)


def _without(query: QueryDict, names) -> str:
    kept = query.copy()
    for name in (*names, "trace", "csrfmiddlewaretoken"):
        kept.pop(name, None)
    return kept.urlencode()


@dataclass(frozen=True)
class Subject:
    name: str
    link_path: Callable[[QueryDict, str], str]  # the page's shared address (path and query)
    back_path: Callable[[QueryDict, str], str]  # where the sender goes back to
    build: Callable[[QueryDict, str, int], Shared | None]  # the message's content, or None: nothing to share
    is_list: bool = True


SUBJECTS = {
    "recherche": Subject("recherche", _search_link, _search_back, _search_build),
    "trouver": Subject("trouver", _resident_link, _resident_back, _resident_build),
    "fiche": Subject("fiche", _fiche_link, _fiche_back, _fiche_build, is_list=False),
    "service": Subject("service", _service_link, _service_link, _service_build, is_list=False),
}


def share_path(subject: Subject, query: QueryDict, key: str) -> str:
    """The address of the sharing page of this subject (its query string: the page's, as it is)."""
    if subject.name == "service":
        return reverse("sharing:service", args=[key])
    return _with_query(reverse(f"sharing:{subject.name}"), _without(query, ("page",)))
