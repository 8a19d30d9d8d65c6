"""The fiche de services: the services a professional selected, with why each fits and what to check,
on one A4 page to print or hand over (HTML preview, then PDF).

The selection and the search travel in the query string. The person's first name is the only personal
data: it is typed on the preview page, sent by POST to the PDF (never in an address), printed on the
fiche and nowhere else -- no database, no log, no trace. Each selected service is assessed again for the
same place, needs and profile by running the engine on an index of the selected services alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from relais.matching import runtime
from relais.matching.engine import search as engine_search
from relais.matching.forms import MAX_SELECTION, FicheForm, SearchForm
from relais.matching.index import OfferIndex
from relais.matching.pdf import fiche_pdf
from relais.matching.types import ServiceRecord
from relais.matching.views.common import needs_from, needs_summary, place_from, profile_from, shown
from relais.matching.views.pro import constraints_from
from relais.offer import hours

CLOSURES_AHEAD_DAYS = 60


def week_summary(service: ServiceRecord, today: dt.date) -> list[str]:
    """Usual opening hours in a few lines (relais.offer.hours.week_summary)."""
    return hours.week_summary(service.horaires, today, service.code_insee)


def closures_ahead(service: ServiceRecord, today: dt.date) -> list[str]:
    out = []
    horizon = today + dt.timedelta(days=CLOSURES_AHEAD_DAYS)
    for c in service.closures:
        if c.ends_on < today or c.starts_on > horizon:
            continue
        dates = {"start": hours.day_month(c.starts_on, today), "end": hours.day_month(c.ends_on, today)}
        if c.is_closed:
            text = _("Fermé du %(start)s au %(end)s.") % dates
        else:
            text = _("Du %(start)s au %(end)s :") % dates
        if c.message:
            text += " " + c.message.strip()
        out.append(text)
    return out


def _selected_records(index, selection: list[str]) -> list[ServiceRecord]:
    wanted = selection[:MAX_SELECTION]
    found = {s.id: s for s in index.services if s.id in wanted}
    return [found[i] for i in wanted if i in found]


def fiche_context(query: QueryDict, request) -> dict:
    """Everything the fiche shows, from the search's query string (the first name aside)."""
    form = SearchForm(query)
    form.is_valid()
    data = form.cleaned_data
    selection = list(data.get("selection") or ())
    index = runtime.get_index()
    records = _selected_records(index, selection)
    today = timezone.localdate()
    context = {
        "selection": selection,
        "too_many": len(selection) > MAX_SELECTION,
        "max_selection": MAX_SELECTION,
        "missing": max(0, min(len(selection), MAX_SELECTION) - len(records)),
        "today": today,
        "entries": [],
        "understood": "",
        "place_name": "",
        "search_query": query_without_page(query),
        "site_url": settings.RELAIS_SITE_URL.rstrip("/"),
    }
    if not records:
        return context
    # the same search, over the selected services only: eligibility, reasons and distance for each
    small = OfferIndex(records, index.communes, stale_after_days=index.stale_after_days)
    response = engine_search(
        small,
        place_from(data.get("lieu", ""), data.get("lat"), data.get("lon"), index.communes),
        needs_from(data.get("thematiques"), data.get("besoins", "")),
        profile_from(data),
        constraints_from(data),
        limit=MAX_SELECTION,
        locate=runtime.locate,
    )
    assessed = {}
    if response.ok:
        assessed = {s.service.id: s for s in shown([*response.results, *response.excluded])}
        context["understood"] = needs_summary(response)
        context["place_name"] = response.place.commune.name
    entries = []
    for number, record in enumerate(records, start=1):
        seen = assessed.get(record.id)
        entries.append(
            {
                "number": number,
                "service": record,
                "assessed": seen,
                "why": [Truncator(w).chars(240) for w in (seen.why if seen else [])],
                "check": [Truncator(c).chars(240) for c in (seen.check if seen else [])],
                "how": Truncator(seen.how).chars(300) if seen else "",
                "distance": seen.distance if seen else "",
                "hours": week_summary(record, today),
                "closures": closures_ahead(record, today),
                "url": context["site_url"] + reverse("offer:service", args=[record.id]),
            }
        )
    context["entries"] = entries
    return context


def query_without_page(query: QueryDict) -> str:
    q = query.copy()
    for name in ("page", "prenom", "csrfmiddlewaretoken"):
        q.pop(name, None)
    return q.urlencode()


def _without_first_name(request):
    """A first name put in an address by hand: send the browser to the same address without it, so that it
    never stays in a history, a bookmark or a log line of ours."""
    query = request.GET.copy()
    query.pop("prenom", None)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


@require_safe
@never_cache
def fiche(request):
    """The preview: the fiche as it will print, the first-name field and the PDF button."""
    if "prenom" in request.GET:
        return _without_first_name(request)
    context = fiche_context(request.GET, request)
    context["form"] = FicheForm()
    context["hidden"] = [(k, v) for k, values in request.GET.lists() if k not in ("page", "prenom") for v in values]
    return render(request, "matching/fiche.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def fiche_download(request):
    """The PDF. The first name comes by POST only, so it never appears in an address or a server log."""
    if request.method != "POST" and "prenom" in request.GET:
        return _without_first_name(request)
    query = request.POST if request.method == "POST" else request.GET
    form = FicheForm(request.POST if request.method == "POST" else {})
    context = fiche_context(query, request)
    if not form.is_valid() or not context["entries"]:
        context["form"] = form
        context["hidden"] = [
            (k, v) for k, values in query.lists() if k not in ("page", "prenom", "csrfmiddlewaretoken") for v in values
        ]
        return render(request, "matching/fiche.html", context, status=400)
    context["prenom"] = form.cleaned_data["prenom"]
    pdf = fiche_pdf(context, request)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="fiche-services.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response
