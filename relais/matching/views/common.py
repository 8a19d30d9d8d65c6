"""What the orientation pages share: form values -> engine inputs, engine problems -> form errors with
suggestion links, results -> what a page shows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from relais.matching.explain import format_distance
from relais.matching.lexicon import CATEGORIES, THEMATIQUES
from relais.matching.lexicon import label as thematique_label
from relais.matching.places import CommuneTable
from relais.matching.types import SITUATIONS, Needs, Place, Problem, Profile, Result, Severity, Status
from relais.matching.validation import SITUATION_LABELS
from relais.territories import geocoder
from relais.territories.cog import looks_like_a_code, named_code
from relais.territories.coverage import covered_areas, covers
from relais.territories.places import read_place
from relais.territories.text import normalize

# "45.76, 4.84", "45,76 ; 4,84", "45.76 4.84": coordinates typed in the place field
_COORDINATES = re.compile(r"^\s*(-?\d{1,3}(?:[.,]\d+)?)\s*(?:[;,/]\s*|\s+)(-?\d{1,3}(?:[.,]\d+)?)\s*$")
_TRAILING_CODE = re.compile(r"\(([^()]+)\)\s*$")
MAX_TRACE_TOKEN = 120


# --- inputs -----------------------------------------------------------------------------------


def place_from(lieu: str, lat: float | None, lon: float | None, table: CommuneTable) -> Place:
    """The engine's Place for what was typed: coordinates, a commune (code, postal code, name) or an address.

    Coordinates in their own fields win; the place field may hold coordinates too. A known commune code,
    postal code or name -- or the unique commune whose name starts with the text ("Lyon 3e") -- is a
    commune; text with a number or a comma is an address; anything else is a commune name the engine
    does not know, and it suggests the closest ones.
    """
    lieu = (lieu or "").strip()
    if lat is not None or lon is not None:
        return Place(latitude=lat, longitude=lon)
    if not lieu:
        return Place()
    match = _COORDINATES.match(lieu)
    if match:
        return Place(latitude=float(match[1].replace(",", ".")), longitude=float(match[2].replace(",", ".")))
    if looks_like_a_code(lieu) or named_code(lieu):  # « 69003 », « Irigny (69100) »
        return Place(commune=lieu)
    key = normalize(lieu)
    if read_place(lieu, table).matches:  # a commune's name (homonyms too) or an arrondissement (« Lyon 3 »)
        return Place(commune=lieu)
    starting = [name for name in table.by_name if name.startswith(key + " ")] if len(key) >= 3 else []
    if len(starting) == 1 and len(table.by_name[starting[0]]) == 1:
        return Place(commune=table.by_name[starting[0]][0])
    if any(ch.isdigit() for ch in lieu) or "," in lieu:
        located = geocoder.geocode(lieu)  # None when off, unknown or failing: the engine uses the commune
        if located is not None and table.get(located.citycode) is not None:
            # « label (code) » names the commune by its code Insee, so that it is not read as a postal code
            commune = f"{table.get(located.citycode).name} ({located.citycode})"
            return Place(commune=commune, latitude=located.latitude, longitude=located.longitude)
        return Place(address=lieu)
    return Place(commune=lieu)


def trace_token(query: QueryDict) -> str:
    """The trace token the page carried back (relais.observatory.traces), if it looks like one."""
    value = query.get("trace", "")
    return value if 0 < len(value) <= MAX_TRACE_TOKEN else ""


def shared_place(place) -> str:
    """A resolved place as a shared link names it: the commune, « Nom (code) » (read back as that commune's
    Insee code, never as a postal code), never the address or the position typed."""
    return f"{place.commune.name} ({place.commune.code})"


def query_pairs(data: dict, names) -> list[tuple[str, str]]:
    """(name, value) pairs of a form's cleaned values, for a query string: lists give one pair per value,
    True gives « on », empty values nothing."""
    out = []
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            out += [(name, v) for v in value]
        elif value not in (None, "", False):
            out.append((name, "on" if value is True else str(value)))
    return out


def needs_from(thematiques, text: str) -> Needs:
    return Needs(thematiques=tuple(thematiques or ()), text=(text or "").strip())


def profile_from(data: dict) -> Profile:
    return Profile(
        age=data.get("age"),
        gender=data.get("genre") or None,
        household=data.get("foyer") or None,
        children=data.get("enfants"),
        situations=frozenset(data.get("situations") or ()),
    )


# --- outside the territory -----------------------------------------------------------------------


@dataclass
class Outside:
    """A place outside the territory Relais covers (known: a commune of France; else not in the referential)."""

    place: str
    areas: str
    known: bool


def outside_of(response, typed: str) -> Outside | None:
    """Say what Relais covers when the place is a commune outside it, or a commune it does not know."""
    areas = covered_areas()
    if not areas:
        return None
    names = get_text_list([name for _code, name in areas], _("et"))
    place = getattr(response, "place", None)
    if place is not None:
        return None if covers(place.commune.epci) else Outside(place.commune.name, names, True)
    if any(p.code == "unknown_commune" for p in response.problems):
        return Outside(typed.strip()[:100], names, False)
    return None


# --- problems -----------------------------------------------------------------------------------

# An engine problem's field -> the form field that shows it (longest prefix first).
PROBLEM_FIELDS = (
    ("place.coordinates", "lieu"),
    ("place", "lieu"),
    ("needs.thematiques", "thematiques"),
    ("needs.text", "besoins"),
    ("needs", "besoins"),
    ("profile.age", "age"),
    ("profile.children", "enfants"),
    ("profile.gender", "genre"),
    ("profile.household", "foyer"),
    ("profile.situations", "situations"),
    ("profile.not_situations", "situations"),
    ("constraints.open_on", "jour"),
    ("constraints.mode", "mode"),
    ("constraints.languages", "langues"),
    ("constraints.max_distance_km", "distance"),
)


def form_field_for(problem_field: str, renames: dict[str, str] | None = None) -> str:
    for prefix, name in PROBLEM_FIELDS:
        if problem_field == prefix or problem_field.startswith(prefix + "."):
            return (renames or {}).get(name, name)
    return ""


@dataclass
class Suggestion:
    label: str
    url: str


@dataclass
class Issue:
    field: str
    message: str
    suggestions: list[Suggestion] = field(default_factory=list)


def query_with(query: QueryDict, drop=(), **changes) -> str:
    """The query string with some parameters dropped or replaced (lists for several values), page reset."""
    q = query.copy()
    for name in (*drop, "page"):
        q.pop(name, None)
    for name, value in changes.items():
        q.setlist(name, list(value) if isinstance(value, list | tuple) else [str(value)])
    return q.urlencode()


def _code_of(suggestion: str) -> str:
    """'Lyon 3e Arrondissement (69383)' -> '69383'; a bare code stays itself."""
    match = _TRAILING_CODE.search(suggestion)
    return match[1].strip() if match else suggestion.strip()


def _unknown(values, known) -> list[str]:
    return [v for v in values if v not in known]


def suggestion_links(problem: Problem, query: QueryDict, path: str, names: dict[str, str]) -> list[Suggestion]:
    """Links that re-run the search with a suggested value instead of the faulty one.

    `names` maps the page's parameter names: {"lieu": ..., "besoins": ..., "thematiques": ..., "situations": ...}.
    """
    out = []
    lieu, besoins, thematiques, situations = names["lieu"], names["besoins"], names["thematiques"], names["situations"]
    chosen = query.getlist(thematiques) if thematiques else []
    known_codes = THEMATIQUES.keys() | CATEGORIES.keys()
    for suggestion in problem.suggestions[:6]:
        code = _code_of(str(suggestion))
        if problem.field.startswith("place"):
            # « Irigny (69100) » as written: a code alone could be ambiguous again (postal or Insee)
            url = query_with(query, drop=("lat", "lon"), **{lieu: str(suggestion) if code != suggestion else code})
            label = str(suggestion)
            named = named_code(label)
            if problem.code == "postal_code_also_insee" and named:  # the other reading of five digits
                label = _("Vous cherchiez %(name)s (code commune %(code)s) ?") % {"name": named[0], "code": named[1]}
        elif problem.field.startswith("needs") and thematiques:
            if code not in known_codes:
                continue
            kept = [c for c in chosen if c in known_codes and c != code]
            drop = (besoins,) if problem.code in ("no_need_recognised", "empty_needs") else ()
            url = query_with(query, drop=drop, **{thematiques: [*kept, code]})
            label = thematique_label(code)
        elif problem.field.startswith("profile.situations") and situations and code in SITUATIONS:
            kept = [c for c in query.getlist(situations) if c in SITUATIONS]
            url = query_with(query, **{situations: [*kept, code]})
            label = str(SITUATION_LABELS[code])
        else:
            continue
        out.append(Suggestion(label, f"{path}?{url}"))
    return out


def attach_problems(form, problems, query: QueryDict, path: str, names: dict[str, str]):
    """Put the engine's errors on the form fields they name; return (suggestions by field, warnings)."""
    suggestions: dict[str, list[Suggestion]] = {}
    warnings: list[Issue] = []
    renames = {k: v for k, v in names.items() if v}
    for problem in problems:
        name = form_field_for(problem.field, renames)
        if name not in form.fields:
            name = next(iter(form.fields))
        if problem.severity == Severity.WARNING:
            warnings.append(Issue(name, problem.message, suggestion_links(problem, query, path, names)))
            continue
        form.add_error(name, problem.message)
        links = suggestion_links(problem, query, path, names)
        if links:
            suggestions.setdefault(name, []).extend(links)
    return suggestions, warnings


def error_summary(form) -> list[dict]:
    """Every error of the form, with the field's label and the id to jump to, in the fields' order."""
    out = []
    for name, errors in form.errors.items():
        if name == "__all__":
            out += [{"label": "", "message": e, "anchor": ""} for e in errors]
            continue
        bound = form[name]
        anchor = bound.auto_id
        if getattr(bound.field.widget, "allow_multiple_selected", False) or isinstance(
            bound.field.widget, forms.RadioSelect
        ):
            anchor = f"{bound.auto_id}_legend"
        out += [{"label": bound.label, "message": e, "anchor": anchor} for e in errors]
    return out


# --- results ----------------------------------------------------------------------------------


@dataclass
class Shown:
    """One result as the pages show it."""

    number: int
    result: Result
    selected: bool = False
    why: list[str] = field(default_factory=list)
    check: list[str] = field(default_factory=list)
    how: str = ""
    distance: str = ""

    @property
    def service(self):
        return self.result.service

    @property
    def eligible(self) -> bool:
        return self.result.status == Status.ELIGIBLE

    @property
    def opening_class(self) -> str:
        return {"open": "status-open", "closed": "status-closed"}.get(self.result.opening.state, "status-warn")

    @property
    def opening(self) -> str:
        e = self.result.explanation
        return (e.opening if e and e.opening else self.result.opening.label) or ""

    @property
    def status_text(self) -> str:
        return status_label(self.result)

    @property
    def on_map(self) -> bool:
        return self.service.on_site and self.service.located


def shown(results, selection=(), start: int = 1) -> list[Shown]:
    out = []
    for number, r in enumerate(results, start=start):
        e = r.explanation
        why = [e.need] if e and e.need else []
        why += [reason.message for reason in r.eligible_because if reason.message]
        if e and e.distance:
            why.append(e.distance)
        check = [reason.message for reason in r.to_check if reason.message]
        check += [reason.message for reason in r.excluded_because if reason.message]
        if e:
            check += list(e.notes)
        out.append(
            Shown(
                number=number,
                result=r,
                selected=r.service.id in selection,
                why=why,
                check=check,
                how=e.mobilisation if e else "",
                distance=format_distance(r.distance_km) if r.distance_km is not None else "",
            )
        )
    return out


def needs_summary(response) -> str:
    """The thématiques understood, in words: « Alimentation », « Hébergement temporaire »…"""
    if not response or not response.needs:
        return ""
    return ", ".join(f"« {thematique_label(m.thematique)} »" for m in response.needs[:6])


def status_label(result: Result) -> str:
    return _("Correspond à la situation") if result.status == Status.ELIGIBLE else _("Possible, à vérifier")


# --- empty results ----------------------------------------------------------------------------


@dataclass
class RelaxLink:
    label: str
    count: int | None
    url: str


def relax_links(empty, query: QueryDict, path: str, params: Mapping[str, tuple[str, ...]]) -> list[RelaxLink]:
    """A link per filter that can be lifted (empty.Relax), each dropping that filter's parameters only."""
    out = []
    for relax in empty.relax if empty else ():
        names = params.get(relax.constraint)
        if names:
            out.append(RelaxLink(relax.label, relax.count, f"{path}?{query_with(query, drop=names)}"))
    return out
