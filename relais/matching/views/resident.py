"""The resident's path, in plain words: what do you need? where are you? here is who can help.

Each step is a GET form carrying the answers already given, so the back button, a bookmark or a shared
link land on the same step. Nothing about the person is asked before the results; then only the questions
that would settle a result marked « to check » are offered, all optional.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from relais.matching import runtime
from relais.matching.eligibility import publics_facts
from relais.matching.empty import why_empty
from relais.matching.forms import RESIDENT_NEED_KEYS, RESIDENT_NEEDS, RESIDENT_PAGE_SIZE, ResidentForm
from relais.matching.lexicon import lexicon_for
from relais.matching.map import results_map, results_map_data
from relais.matching.types import SITUATIONS, Constraints, Needs, SearchResponse
from relais.matching.validation import SITUATION_LABELS, read_needs
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
FILTER_PARAMS = {"open_now": ("maintenant",), "free_only": ("gratuit",)}
NAMES = {"lieu": "lieu", "besoins": "mots", "thematiques": "thematiques", "situations": "situations"}

# A data·inclusion public a service is reserved to -> what to ask to know whether the person is in it.
PUBLIC_QUESTIONS = {
    "jeunes": ("age",),
    "seniors": ("age",),
    "familles": ("enfants",),
    "femmes": ("genre",),
    "beneficiaires-des-minimas-sociaux": ("rsa", "aah", "ass", "aspa"),
    "demandeurs-emploi": ("job_seeker",),
    "actifs": ("employed",),
    "etudiants": ("student",),
    "personnes-en-situation-de-handicap": ("disability",),
    "personnes-en-situation-durgence": ("homeless", "violence_victim"),
    "personnes-en-situation-juridique-specifique": ("justice", "legal_protection"),
    "personnes-exilees": ("exiled",),
    "residents-qpv-frr": ("qpv_resident",),
}
FIELD_QUESTIONS = ("age", "enfants", "genre")


def questions_for(results, profile, data) -> tuple[list[str], list[tuple[str, str]]]:
    """The optional questions worth asking: fields ("age", "enfants", "genre") and situations, from what
    the results shown leave « to check »; questions already answered stay, so the answer can be changed."""
    facts = publics_facts(profile)
    fields: set[str] = set()
    situations: list[str] = []
    for r in results:
        codes = {reason.code for reason in r.to_check}
        if "age_unknown" in codes:
            fields.add("age")
        if "publics_unknown" in codes:
            for public in r.service.publics:
                if facts.get(public) is None:
                    for question in PUBLIC_QUESTIONS.get(public, ()):
                        if question in FIELD_QUESTIONS:
                            fields.add(question)
                        elif question not in situations:
                            situations.append(question)
    for name in FIELD_QUESTIONS:
        if data.get(name) not in (None, ""):
            fields.add(name)
    for code in data.get("situations") or ():
        if code in SITUATIONS and code not in situations:
            situations.append(code)
    ordered = [name for name in FIELD_QUESTIONS if name in fields]
    return ordered, [(code, str(SITUATION_LABELS[code])) for code in situations]


def share_query(query) -> str:
    """The query string of a shared link, rebuilt from what the search understood: the need's button, the
    thématiques, the commune (« Nom (code) »), the two filters. Never the words typed nor the person's answers
    (docs/adr/0020-sharing.md). Empty when there is no search to run."""
    form = ResidentForm(query)
    if not form.is_valid():
        return ""
    response = first_results(query, 1)
    if response is None or response.place is None:
        return ""
    data = form.cleaned_data
    button = data.get("besoin") or ""
    pairs = [("besoin", button)] if button in RESIDENT_NEED_KEYS else []
    if not pairs or data.get("mots") or data.get("thematiques"):  # what the button alone does not say
        pairs += [("thematiques", m.thematique) for m in response.needs]
    pairs += [("lieu", shared_place(response.place))]
    pairs += query_pairs(data, ("maintenant", "gratuit"))
    return urlencode(pairs)


def needs_of(data: dict) -> tuple[list[str], str]:
    """(thématiques, words) of the need: the button chosen (`besoin`), the thématiques and the words typed."""
    _label, need_thematiques, words = RESIDENT_NEED_KEYS.get(data.get("besoin") or "", ("", (), ""))
    thematiques = [*need_thematiques, *(data.get("thematiques") or ())]
    return thematiques, " ".join(part for part in (words, data.get("mots", "")) if part)


def constraints_of(data: dict) -> Constraints:
    return Constraints(open_now=bool(data.get("maintenant")), free_only=bool(data.get("gratuit")))


def first_results(query: QueryDict, limit: int) -> SearchResponse | None:
    """The first `limit` results of the resident's search in this query string, as the page shows them, not
    traced (it was when the page showed it); None when there is no search to run (a step to complete)."""
    form = ResidentForm(query)
    if not form.is_valid() or (form.cleaned_data.get("besoin") or "") not in ("", *RESIDENT_NEED_KEYS):
        return None
    data = form.cleaned_data
    thematiques, text = needs_of(data)
    if not (thematiques or text) or not data.get("lieu"):
        return None
    index = runtime.get_index()
    response = runtime.run_search(
        place_from(data["lieu"], None, None, index.communes),
        needs_from(thematiques, text),
        profile_from(data),
        constraints_of(data),
        limit=limit,
        channel="resident",
        trace=False,
        audience="resident",
    )
    return response if response.ok else None


def _refuse_unknown_words(form, text: str, thematiques, request, context) -> None:
    """Words the lexicon does not know are refused at step 1 (not after the commune), with suggestions."""
    _matches, problems, _signals = read_needs(
        Needs(thematiques=tuple(thematiques), text=text), lexicon_for(get_language())
    )
    unknown = [p for p in problems if p.code == "no_need_recognised"]
    if unknown and not thematiques:
        suggestions, _warnings = attach_problems(form, unknown, request.GET, request.path, NAMES)
        context["suggestions"].update(suggestions)


def _empty_context(form, key: str) -> dict[str, Any]:
    """What the page shows before anything is found (every name the template reads)."""
    return {
        "form": form,
        "needs": RESIDENT_NEEDS,
        "need_key": key if key in RESIDENT_NEED_KEYS else "",
        "need_label": RESIDENT_NEED_KEYS[key][0] if key in RESIDENT_NEED_KEYS else "",
        "suggestions": defaultdict(list),
        "warnings": [],
        "outside": None,
        "errors": [],
        "response": None,
        "understood": "",
        "show_results": False,
        "results": [],
        "map": None,
        "map_data": None,
        "tile_attribution": "",
        "ask_fields": [],
        "ask_situations": [],
        "chosen_situations": set(),
        "hidden_search": [],
        "more": "",
        "previous": "",
        "empty": None,
        "relax": [],
        "page": 1,
    }


def _add_results(request, context: dict, form, response, data: dict, profile, constraints, page: int) -> None:
    """The results (or, when a profile answer contradicts itself, the questions asked again)."""
    if response.ok and not form.errors:
        results = shown(response.results, start=(page - 1) * RESIDENT_PAGE_SIZE + 1)
        fields, situations = questions_for(response.results, profile, data)
        empty = why_empty(response, constraints)
        chart = results_map(response.place, results, tile_url=settings.RELAIS_TILE_URL)
        context.update(
            empty=empty,
            relax=relax_links(empty, request.GET, request.path, FILTER_PARAMS),
            show_results=True,
            results=results,
            map=chart,
            map_data=results_map_data(
                chart,
                response.place,
                results,
                tile_url=settings.RELAIS_TILE_URL,
                tile_attribution=settings.RELAIS_TILE_ATTRIBUTION,
            ),
            tile_attribution=settings.RELAIS_TILE_ATTRIBUTION if settings.RELAIS_TILE_URL else "",
            ask_fields=fields,
            ask_situations=situations,
            chosen_situations=set(data.get("situations") or ()),
            hidden_search=query_pairs(data, ("besoin", "mots", "thematiques", "lieu"))
            + ([("trace", response.extra["trace_token"])] if response.extra.get("trace_token") else []),
            more=("?" + query_with(request.GET, page=page + 1)) if response.total > page * RESIDENT_PAGE_SIZE else "",
            previous=("?" + query_with(request.GET, page=page - 1)) if page > 1 else "",
            page=page,
        )
    elif context["step"] == "resultats":
        # a profile answer contradicts itself (e.g. age 12 and RSA): ask again, with what was answered
        fields, situations = questions_for((), profile, data)
        context.update(
            ask_fields=fields or ["age"],
            ask_situations=situations,
            chosen_situations=set(data.get("situations") or ()),
            hidden_search=query_pairs(data, ("besoin", "mots", "thematiques", "lieu")),
        )


@require_safe
def find_help(request):
    form = ResidentForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    key = data.get("besoin") or ""
    context = _empty_context(form, key)
    if key and key not in RESIDENT_NEED_KEYS:
        form.add_error(
            "mots", _("Besoin « %(value)s » inconnu : choisissez un bouton ou écrivez avec vos mots.") % {"value": key}
        )
        key = ""
    need_thematiques = RESIDENT_NEED_KEYS.get(key, ("", (), ""))[1]
    thematiques, text = needs_of(data)
    has_need = bool(thematiques or text)
    lieu = data.get("lieu", "")
    context.update(
        change_need="?" + query_with(request.GET, drop=("besoin", "mots", "thematiques")),
        change_place="?" + query_with(request.GET, drop=("lieu",)),
        hidden_need=query_pairs(data, ("besoin", "mots", "thematiques")),
        hidden_place=query_pairs(data, ("lieu",)),
    )
    if not has_need and "mots" in request.GET and "mots" not in form.errors:
        form.add_error("mots", _("Écrivez votre besoin en quelques mots, ou choisissez un des boutons ci-dessus."))
    if has_need and not need_thematiques and text and "mots" not in form.errors:
        _refuse_unknown_words(form, text, data.get("thematiques") or (), request, context)
    if not has_need or (form.errors and ("mots" in form.errors or "thematiques" in form.errors)):
        context["step"] = "besoin"
        context["errors"] = error_summary(form)
        return render(request, "matching/resident.html", context)
    if not lieu:
        if "lieu" in request.GET and "lieu" not in form.errors:
            form.add_error(
                "lieu", _("Écrivez votre commune ou votre code postal, par exemple « Villeurbanne » ou « 69003 ».")
            )
        context["step"] = "lieu"
        context["errors"] = error_summary(form)
        return render(request, "matching/resident.html", context)

    index = runtime.get_index()
    profile = profile_from(data)
    page = data.get("page") or 1
    constraints = constraints_of(data)
    response = runtime.run_search(
        place_from(lieu, None, None, index.communes),
        needs_from(thematiques, text),
        profile,
        constraints,
        limit=RESIDENT_PAGE_SIZE,
        offset=(page - 1) * RESIDENT_PAGE_SIZE,
        channel="resident",
        trace=not form.errors,
        trace_token=trace_token(request.GET),
        audience="resident",
    )
    suggestions, warnings = attach_problems(form, response.problems, request.GET, request.path, NAMES)
    context.update(
        suggestions=defaultdict(list, suggestions),
        warnings=warnings,
        outside=outside_of(response, lieu),
        errors=error_summary(form),
        response=response,
        understood=needs_summary(response),
    )
    if "lieu" in form.errors:
        context["step"] = "lieu"
    elif "mots" in form.errors or "thematiques" in form.errors:
        context["step"] = "besoin"
    else:
        context["step"] = "resultats"
    _add_results(request, context, form, response, data, profile, constraints, page)
    return render(request, "matching/resident.html", context)
