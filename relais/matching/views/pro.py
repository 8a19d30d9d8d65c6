"""The professional search: place, needs, profile and filters in one GET form; results as a list and a map;
a selection carried in the query string for the fiche de services.

`share_query()` and `first_results()` serve the sharing pages (relais/sharing/): the link they send carries
the search and the selection, never the person's answers; the list they send is this search's first results.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from relais.matching import runtime
from relais.matching.empty import why_empty
from relais.matching.forms import MAX_SELECTION, PAGE_SIZE, SearchForm, language_choices, thematique_groups
from relais.matching.map import results_map, results_map_data
from relais.matching.types import Constraints, SearchResponse
from relais.matching.views.common import (
    attach_problems,
    error_summary,
    needs_from,
    needs_summary,
    outside_of,
    place_from,
    profile_from,
    query_pairs,
    query_with,
    relax_links,
    shared_place,
    shown,
    trace_token,
)

# the filters of this page: Constraints field -> the parameters that set it
FILTER_PARAMS = {
    "open_now": ("ouvert", "jour"),
    "open_on": ("ouvert", "jour"),
    "free_only": ("gratuit",),
    "languages": ("langues",),
    "mode": ("mode",),
    "step_free": ("plain_pied",),
    "accepting_referrals": ("orientation",),
    "max_distance_km": ("distance",),
}
FILTER_PARAMS_ALL = frozenset(name for names in FILTER_PARAMS.values() for name in names)
SITUATION_PARAMS = frozenset({"age", "enfants", "genre", "foyer", "situations"})
NAMES = {"lieu": "lieu", "besoins": "besoins", "thematiques": "thematiques", "situations": "situations"}


def constraints_from(data: dict) -> Constraints:
    ouvert, jour = data.get("ouvert") or "", data.get("jour")
    return Constraints(
        open_now=ouvert == "maintenant",
        open_on=jour if ouvert != "maintenant" else None,
        mode=data.get("mode") or None,
        free_only=bool(data.get("gratuit")),
        languages=tuple(data.get("langues") or ()),
        step_free=bool(data.get("plain_pied")),
        accepting_referrals=bool(data.get("orientation")),
        max_distance_km=data.get("distance"),
        for_professional=True,
    )


# The filters a shared link keeps, each from the form's checked value (never the raw query string).
SHARED_FILTERS = ("ouvert", "jour", "mode", "distance", "gratuit", "plain_pied", "orientation", "langues")


def _run(data: dict, limit: int) -> SearchResponse:
    index = runtime.get_index()
    return runtime.run_search(
        place_from(data.get("lieu", ""), data.get("lat"), data.get("lon"), index.communes),
        needs_from(data.get("thematiques"), data.get("besoins", "")),
        profile_from(data),
        constraints_from(data),
        limit=limit,
        channel="pro",
        trace=False,
    )


def share_query(query: QueryDict) -> str:
    """The query string of a shared link (search, fiche), rebuilt from what the search understood: the commune
    (« Nom (code) »), the thématiques, the checked filters, the selection's known services. Never what was
    typed (words, an address, coordinates), the person's answers, the trace token or a first name: a link
    sent to someone else can carry neither the person's situation nor a stranger's text
    (docs/adr/0020-sharing.md). Empty when the search cannot run."""
    form = SearchForm(query)
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    response = _run(data, limit=1)
    if not response.ok or response.place is None:
        return ""
    languages = {code for code, _label in language_choices()}
    data["langues"] = [code for code in data.get("langues") or () if code in languages]
    pairs = [("lieu", shared_place(response.place))]
    pairs += [("thematiques", match.thematique) for match in response.needs]
    pairs += query_pairs(data, SHARED_FILTERS)
    selection = list(data.get("selection") or ())[:MAX_SELECTION]
    if selection:
        known = {s.id for s in runtime.get_index().services if s.id in selection}
        pairs += [("selection", code) for code in selection if code in known]
    return urlencode(pairs)


def first_results(query: QueryDict, limit: int) -> SearchResponse | None:
    """The first `limit` results of the search in this query string, as the page shows them, not traced
    (it was when the page showed it); None when the search cannot run (an input to correct)."""
    form = SearchForm(query)
    if not form.is_valid():
        return None
    response = _run(form.cleaned_data, limit)
    return response if response.ok else None


def selected_elsewhere(index, selection: list[str], on_page: set[str]) -> list:
    """The services of the selection that are not on this page (found by id in the index), in order."""
    wanted = [i for i in selection if i not in on_page]
    if not wanted:
        return []
    found = {s.id: s for s in index.services if s.id in wanted}
    return [found[i] for i in wanted if i in found]


def _pages(request, response, page: int) -> dict:
    pages = {}
    if page > 1:
        pages["previous"] = "?" + query_with(request.GET, page=page - 1)
    if response.total > page * PAGE_SIZE:
        pages["next"] = "?" + query_with(request.GET, page=page + 1)
    return pages


@require_safe
def search(request):
    submitted = bool(request.GET)
    form = SearchForm(request.GET if submitted else None)
    context = {
        "form": form,
        "submitted": submitted,
        "groups": [(*group, False) for group in thematique_groups()],
        "chosen": set(),
        "max_selection": MAX_SELECTION,
        "tile_attribution": settings.RELAIS_TILE_ATTRIBUTION if settings.RELAIS_TILE_URL else "",
        "suggestions": defaultdict(list),
        "warnings": [],
        "outside": None,
        "errors": [],
        "response": None,
        "understood": "",
        "selection": [],
        "show_results": False,
        "results": [],
        "excluded": [],
        "map": None,
        "map_data": None,
        "pages": {},
        "page": 1,
        "elsewhere": [],
        "fiche_url": reverse("matching:fiche"),
        "trace_token": "",
        "empty": None,
        "relax": [],
        "situation_open": False,
        "filters_open": False,
    }
    if not submitted:
        return render(request, "matching/search.html", context)
    given = {name for name, value in request.GET.items() if value}

    form.is_valid()
    data = form.cleaned_data
    typing_errors = bool(form.errors)
    index = runtime.get_index()
    page = data.get("page") or 1
    place = place_from(data.get("lieu", ""), data.get("lat"), data.get("lon"), index.communes)
    constraints = constraints_from(data)
    response = runtime.run_search(
        place,
        needs_from(data.get("thematiques"), data.get("besoins", "")),
        profile_from(data),
        constraints,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        channel="pro",
        trace=not typing_errors,
        trace_token=trace_token(request.GET),
    )
    context["trace_token"] = response.extra.get("trace_token", "")
    suggestions, warnings = attach_problems(form, response.problems, request.GET, request.path, NAMES)
    selection = list(data.get("selection") or ())
    chosen = set(request.GET.getlist("thematiques"))
    context.update(
        chosen=chosen,
        groups=[
            (code, label, items, code in chosen or any(value in chosen for value, _ in items))
            for code, label, items in thematique_groups()
        ],
        suggestions=defaultdict(list, suggestions),
        warnings=warnings,
        outside=outside_of(response, request.GET.get("lieu", "")),
        errors=error_summary(form),
        response=response,
        understood=needs_summary(response),
        selection=selection,
    )
    # a collapsed section with an error in it opens (the error summary links to its fields)
    in_error = set(form.errors)
    context["situation_open"] = bool(given & SITUATION_PARAMS or in_error & SITUATION_PARAMS)
    context["filters_open"] = bool(given & FILTER_PARAMS_ALL or in_error & FILTER_PARAMS_ALL)
    if response.ok and not form.errors:
        results = shown(response.results, selection, start=(page - 1) * PAGE_SIZE + 1)
        on_page = {s.service.id for s in results}
        empty = why_empty(response, constraints)
        chart = results_map(response.place, results, tile_url=settings.RELAIS_TILE_URL)
        context.update(
            empty=empty,
            relax=relax_links(empty, request.GET, request.path, FILTER_PARAMS),
            show_results=True,
            results=results,
            excluded=shown(response.excluded, start=1),
            map=chart,
            map_data=results_map_data(
                chart,
                response.place,
                results,
                tile_url=settings.RELAIS_TILE_URL,
                tile_attribution=settings.RELAIS_TILE_ATTRIBUTION,
            ),
            pages=_pages(request, response, page),
            page=page,
            elsewhere=selected_elsewhere(index, selection, on_page),
        )
    else:
        context["elsewhere"] = selected_elsewhere(index, selection, set())
    return render(request, "matching/search.html", context)
