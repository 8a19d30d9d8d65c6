"""GET /api/v1/search/services: the data·inclusion search, answered by the matching engine.

The data·inclusion parameters (`sources`, `code_commune`, `lat`, `lon`, `thematiques`, `frais`, `publics`,
`modes_accueil`, `types`, `page`, `size`) keep their meaning, and each result is a data·inclusion service
(every v1 field, `score_qualite`, `structure`: relais/matching/serializers.py); Relais adds the person's words (`q`),
profile and constraints, and each result says its distance, whether the person is eligible or what to
check, and why. Contract and differences from data·inclusion: docs/api.md. Every search that runs leaves
an anonymous trace (docs/data-traces.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from typing import Literal

import pydantic_core
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError
from pydantic import BaseModel, Field

from relais.apierrors import MAX_INPUT_SHOWN
from relais.matching import runtime
from relais.matching.empty import empty_out, why_empty
from relais.matching.lexicon import label as thematique_label
from relais.matching.lexicon import lexicon_for
from relais.matching.serializers import DataInclusionServiceOut, datainclusion_services
from relais.matching.types import (
    GENDERS,
    HOUSEHOLDS,
    Constraints,
    Needs,
    Place,
    Problem,
    Profile,
    Result,
    SearchResponse,
    ServiceRecord,
    Severity,
)
from relais.offer import vocabularies as voc

router = Router(tags=["recherche"])

DEFAULT_SIZE = 20
MAX_SIZE = 10_000  # data·inclusion's MAX_PAGE_SIZE; the engine is asked 100 results at a time
ENGINE_PAGE = 100  # the engine's page limit (engine.MAX_LIMIT)
MAX_SOURCES = 50
MAX_PAGE = 1000
MAX_NEEDS = 30
MAX_SITUATIONS = 20
MAX_LANGUAGES = 10
MAX_TEXT = 300

Genre = enum.StrEnum("Genre", [(g, g) for g in GENDERS])
Foyer = enum.StrEnum("Foyer", [(h, h) for h in HOUSEHOLDS])


# -- response schemas (plain pydantic models fed with dicts, like relais/offer/schemas.py) ------------


class Schema(BaseModel):
    pass


class ReasonOut(Schema):
    code: str = Field(description="Code stable de la raison (par exemple age_unknown, zone_outside).")
    message: str = Field(description="La raison en une phrase.")


class ExplanationOut(Schema):
    need: str = Field(description="Le besoin auquel le service répond, et les mots qui y ont mené.")
    eligibility: str = Field(description="Pourquoi la personne peut en bénéficier, ou ce qu’il faut vérifier.")
    distance: str = Field(description="Distance et adresse, ou service à distance.")
    opening: str = Field(description="Ouverture : maintenant, prochaine ouverture, fermeture temporaire.")
    mobilisation: str = Field(description="Comment y accéder (se présenter, téléphoner, être orienté…).")
    notes: list[str] = Field(description="Remarques : fiche ancienne, complet, frais…")
    lines: list[str] = Field(description="Les phrases ci-dessus non vides, dans l’ordre, pour un affichage simple.")


class OpeningOut(Schema):
    state: str = Field(description="open, closed ou unknown.")
    label: str = Field(description="En une phrase, par exemple « Fermé, ouvre demain à 9 h ».")
    closes_at: dt.datetime | None = Field(description="Quand le service est ouvert : sa prochaine fermeture.")
    next_opening: dt.datetime | None = Field(description="Quand il est fermé : sa prochaine ouverture connue.")
    closed_until: dt.date | None = Field(description="Fermeture temporaire en cours : jusqu’à ce jour inclus.")
    message: str | None = Field(description="Message de la structure (fermeture, information).")


class StructureRef(Schema):
    id: str
    nom: str


class ServiceSummary(Schema):
    """The data·inclusion fields needed to act on a result; the full listing is at /services/{id}."""

    id: str
    structure_id: str
    nom: str
    type: str | None
    thematiques: list[str] | None
    frais: str | None
    frais_precisions: str | None
    publics: list[str] | None
    publics_precisions: str | None
    conditions_acces: str | None
    modes_accueil: list[str] | None
    zone_eligibilite: list[str] | None
    commune: str | None
    code_insee: str | None
    adresse: str | None
    latitude: float | None
    longitude: float | None
    telephone: str | None
    courriel: str | None
    horaires_accueil: str | None = Field(description="Horaires du service, à défaut ceux de sa structure.")
    modes_mobilisation: list[str] | None
    mobilisable_par: list[str] | None
    mobilisation_precisions: str | None
    lien_mobilisation: str | None


class ResultExtension(Schema):
    status: Literal["eligible", "to_check"] = Field(
        description="eligible : la personne peut en bénéficier d’après ce qu’elle a dit ; to_check : à vérifier."
    )
    score: float = Field(description="Score de classement, de 0 à 1 (docs/api.md).")
    distance_km: float | None = Field(description="Distance en km (2 décimales) ; null à distance ou sans adresse.")
    approximate_location: bool = Field(description="Position du centre de la commune, pas de l’adresse.")
    located_at_structure: bool = Field(
        description="Le service n’indique pas de lieu : adresse et position sont celles de sa structure."
    )
    structure: StructureRef
    matched: list[str] = Field(description="Thématiques recherchées auxquelles le service répond.")
    eligible_because: list[ReasonOut]
    to_check: list[ReasonOut] = Field(description="Ce qu’il faut vérifier avant d’y aller.")
    explanation: ExplanationOut
    opening: OpeningOut
    languages: list[str] = Field(description="Langues parlées (codes ISO 639-1).")
    step_free_access: bool | None
    capacity: str = Field(description="accepting, waiting_list ou full, à la date du jour.")
    full_until: dt.date | None
    accepts_referrals: bool
    age_min: int | None
    age_max: int | None
    last_verified_on: dt.date | None
    is_demo: bool


class SearchResultOut(Schema):
    service: DataInclusionServiceOut
    distance: int | None = Field(
        description="Comme data·inclusion : distance en km arrondie, pour un service sur place ; null sinon."
    )
    relais: ResultExtension


class ExcludedOut(Schema):
    service: StructureRef = Field(description="Le service (id, nom).")
    structure: StructureRef
    distance_km: float | None
    excluded_because: list[ReasonOut] = Field(description="Pourquoi la personne n’y a pas accès.")
    explanation: str


class CommuneRef(Schema):
    code: str
    nom: str


class PlaceOut(Schema):
    commune: CommuneRef
    latitude: float
    longitude: float
    precision: str = Field(description="coordinates (lat et lon donnés) ou commune (centre de la commune).")


class NeedOut(Schema):
    thematique: str
    label: str
    weight: float = Field(description="1 pour une thématique demandée ; moins pour un mot plus vague.")
    words: list[str] = Field(description="Les mots de q qui ont mené à cette thématique.")
    urgent: bool


class ProblemOut(Schema):
    type: str = Field(description="Type d’erreur : ceux de pydantic, ou ceux du moteur (unknown_commune…).")
    loc: list[str | int]
    msg: str = Field(description="Message en français qui nomme le paramètre.")
    param: str = Field(description="Nom du paramètre en cause.")
    input: str | None = None
    suggestions: list[str] | None = Field(None, description="Valeurs proches ou possibles, quand elles aident.")


class CauseOut(Schema):
    code: str = Field(description="closed_now, closed_that_day, zone, not_eligible, free_only, languages, mode…")
    count: int = Field(description="Services qui répondent au besoin écartés pour cette raison.")
    label: str


class ReopeningOut(Schema):
    id: str
    nom: str
    next_open: str | None = Field(description="Prochaine ouverture (ISO 8601, heure de Paris).")
    label: str
    telephone: str | None


class RelaxOut(Schema):
    filter: str = Field(
        description="Le paramètre à retirer : open_now, open_on, free_only, languages, "
        "modes_accueil (mode), step_free, accepting_referrals, max_distance_km."
    )
    label: str
    count: int | None = Field(description="Services que ce filtre seul a écartés (null : non compté).")


class EmptyOut(Schema):
    causes: list[CauseOut] = Field(description="Ce qui a écarté les services qui répondent au besoin, compté.")
    reopenings: list[ReopeningOut] = Field(description="Les lieux fermés les plus proches, par prochaine ouverture.")
    relax: list[RelaxOut] = Field(description="Une recherche plus large : un filtre retiré à la fois.")
    urgent: bool
    emergency_numbers: list[dict[str, str]] = Field(description="Numéros d’urgence, quand le besoin est urgent.")


class SearchExtension(Schema):
    place: PlaceOut
    needs: list[NeedOut] = Field(description="Les thématiques recherchées, comprises des codes et des mots.")
    urgent: bool = Field(description="Les mots signalent une urgence (violences, dormir ce soir…).")
    when: Literal["now", "tonight", "today"] | None = Field(
        description="Les mots disent quand (« maintenant », « ce soir », « aujourd’hui ») : les services ouverts à ce "
        "moment-là passent devant, et chaque résultat le dit dans explanation.notes."
    )
    language: Literal["fr", "en"] = Field(description="La langue lue d’abord pour les mots de q (voir langue).")
    radius_km: float | None = Field(description="Rayon atteint pour les services sur place.")
    warnings: list[ProblemOut] = Field(description="Ce que nous avons compris autrement (code postal, faute…).")
    excluded: list[ExcludedOut] = Field(description="Services proches qui répondent au besoin mais pas à la situation.")
    excluded_total: int
    empty: EmptyOut | None = Field(
        None, description="Seulement quand aucun service n’est trouvé : pourquoi, et comment élargir (docs/api.md)."
    )


class SearchPageOut(Schema):
    items: list[SearchResultOut]
    total: int = Field(description="Nombre de résultats (éligibles et à vérifier).")
    page: int
    size: int = Field(description="Nombre de résultats dans cette page.")
    pages: int
    relais: SearchExtension


class SearchErrorOut(Schema):
    detail: list[ProblemOut]


# -- input -> engine ------------------------------------------------------------------------------

FIELD_PARAMS = {
    "place": "code_commune",
    "place.commune": "code_commune",
    "place.address": "code_commune",
    "needs": "thematiques",
    "needs.thematiques": "thematiques",
    "needs.text": "q",
    "profile.age": "age",
    "profile.gender": "gender",
    "profile.household": "household",
    "profile.children": "children",
    "profile.situations": "situations",
    "profile.not_situations": "situations",
    "constraints.open_on": "open_on",
    "constraints.languages": "languages",
    "constraints.max_distance_km": "max_distance_km",
    "constraints.mode": "modes_accueil",
}


def _shown(value) -> str | None:
    if value is None or value == [] or value == ():
        return None
    text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return text if len(text) <= MAX_INPUT_SHOWN else text[: MAX_INPUT_SHOWN - 1] + "…"


def _coordinate_ok(value, limit: float) -> bool:
    return value is not None and not math.isnan(value) and -limit <= value <= limit


def problem_out(problem: Problem, given: dict) -> dict:
    """An engine problem as an API error: the parameter's name, a French message naming it, suggestions."""
    if problem.field == "place.coordinates":
        lat_ok, lon_ok = _coordinate_ok(given.get("lat"), 90), _coordinate_ok(given.get("lon"), 180)
        param = "lon" if lat_ok and not lon_ok else "lat"
    else:
        param = FIELD_PARAMS.get(problem.field, problem.field)
    message = problem.message
    if problem.code == "missing_place":
        message = _("indiquez une commune (code_commune) ou des coordonnées (lat et lon).")
    if problem.field == "needs":
        msg = _("Paramètres « thematiques » et « q » : %(problem)s") % {"problem": message}
    else:
        msg = _("Paramètre « %(param)s » : %(problem)s") % {"param": param, "problem": message}
    out = {"type": problem.code, "loc": ["query", param], "msg": msg, "param": param}
    shown = _shown(given.get(param))
    if shown is not None:
        out["input"] = shown
    if problem.suggestions:
        out["suggestions"] = [str(s) for s in problem.suggestions]
    return out


def keep_filter(frais, publics, modes_accueil, types, sources=()):
    """The data·inclusion filters as a predicate on services (None when there is none)."""
    sources_set = frozenset(sources or ())
    frais_set = frozenset(frais or ())
    publics_set = frozenset(publics or ())
    if publics_set and voc.Public.TOUS_PUBLICS.value in publics_set:
        publics_set = frozenset()  # asking for tous-publics does not filter, as in data·inclusion
    elif publics_set:
        publics_set |= {voc.Public.TOUS_PUBLICS.value}
    modes_set = frozenset(modes_accueil or ())
    types_set = frozenset(types or ())
    if not (frais_set or publics_set or modes_set or types_set or sources_set):
        return None

    def keep(service: ServiceRecord) -> bool:
        return (
            (not sources_set or service.source in sources_set)
            and (not frais_set or service.frais in frais_set)
            and (not publics_set or not publics_set.isdisjoint(service.publics))
            and (not modes_set or not modes_set.isdisjoint(service.modes_accueil))
            and (not types_set or service.type in types_set)
        )

    return keep


# -- engine -> output -----------------------------------------------------------------------------


def _none_if_empty(value):
    if value is None or value == "" or value == () or value == []:
        return None
    return list(value) if isinstance(value, tuple) else value


def _reasons(reasons) -> list[dict]:
    return [{"code": r.code, "message": r.message} for r in reasons]


def service_summary(s: ServiceRecord) -> dict:
    e = _none_if_empty
    return {
        "id": s.id,
        "structure_id": s.structure_id,
        "nom": s.name,
        "type": e(s.type),
        "thematiques": e(s.thematiques),
        "frais": e(s.frais),
        "frais_precisions": e(s.frais_precisions),
        "publics": e(s.publics),
        "publics_precisions": e(s.publics_precisions),
        "conditions_acces": e(s.conditions_acces),
        "modes_accueil": e(s.modes_accueil),
        "zone_eligibilite": e(s.zone_eligibilite),
        "commune": e(s.commune),
        "code_insee": e(s.code_insee),
        "adresse": e(s.adresse),
        "latitude": None if s.approximate_location else s.latitude,
        "longitude": None if s.approximate_location else s.longitude,
        "telephone": e(s.telephone),
        "courriel": e(s.courriel),
        "horaires_accueil": e(s.horaires),
        "modes_mobilisation": e(s.modes_mobilisation),
        "mobilisable_par": e(s.mobilisable_par),
        "mobilisation_precisions": e(s.mobilisation_precisions),
        "lien_mobilisation": e(s.lien_mobilisation),
    }


def result_out(result: Result, today: dt.date, service: dict) -> dict:
    """One result: `service` is its data·inclusion record (serializers.datainclusion_services)."""
    s = result.service
    x = result.explanation
    o = result.opening
    on_site = s.on_site and result.distance_km is not None
    return {
        "service": service,
        "distance": round(result.distance_km) if on_site else None,
        "relais": {
            "status": str(result.status),
            "score": result.score,
            "distance_km": result.distance_km,
            "approximate_location": s.approximate_location,
            "located_at_structure": s.located_at_structure,
            "structure": {"id": s.structure_id, "nom": s.structure_name},
            "matched": [m.thematique for m in result.matched],
            "eligible_because": _reasons(result.eligible_because),
            "to_check": _reasons(result.to_check),
            "explanation": {
                "need": x.need,
                "eligibility": x.eligibility,
                "distance": x.distance,
                "opening": x.opening,
                "mobilisation": x.mobilisation,
                "notes": list(x.notes),
                "lines": list(x.lines()),
            },
            "opening": {
                "state": o.state,
                "label": o.label,
                "closes_at": o.closes_at,
                "next_opening": o.next_open,
                "closed_until": o.closed_until,
                "message": o.message or None,
            },
            "languages": list(s.languages),
            "step_free_access": s.step_free_access,
            "capacity": s.capacity_on(today),
            "full_until": s.full_until,
            "accepts_referrals": s.accepts_referrals,
            "age_min": s.age_min,
            "age_max": s.age_max,
            "last_verified_on": s.last_verified_on,
            "is_demo": s.is_demo,
        },
    }


def excluded_out(result: Result) -> dict:
    s = result.service
    return {
        "service": {"id": s.id, "nom": s.name},
        "structure": {"id": s.structure_id, "nom": s.structure_name},
        "distance_km": result.distance_km,
        "excluded_because": _reasons(result.excluded_because),
        "explanation": result.explanation.eligibility if result.explanation else "",
    }


def page_out(
    response: SearchResponse,
    page: int,
    size: int,
    given: dict,
    today: dt.date,
    constraints: Constraints,
    place_only: bool = False,
) -> dict:
    place = response.place
    empty = why_empty(response, constraints)
    services = datainclusion_services([r.service for r in response.results])
    # A service deleted since the index was built is left out rather than answered half.
    items = [result_out(r, today, services[r.service.id]) for r in response.results if r.service.id in services]
    return {
        "items": items,
        "total": response.total,
        "page": page,
        "size": len(items),
        "pages": math.ceil(response.total / size),
        "relais": {
            "place": {
                "commune": {"code": place.commune.code, "nom": place.commune.name},
                "latitude": place.latitude,
                "longitude": place.longitude,
                "precision": "coordinates" if place.precision == "coordinates" else "commune",
            },
            "needs": [
                {
                    "thematique": m.thematique,
                    "label": str(thematique_label(m.thematique)),
                    "weight": m.weight,
                    "words": list(m.words),
                    "urgent": m.urgent,
                }
                for m in ([] if place_only else response.needs)
            ],
            "urgent": response.urgent,
            "when": response.when,
            "language": response.extra.get("language", "fr"),
            "radius_km": response.radius_km,
            "warnings": [problem_out(p, given) for p in response.problems if p.severity == Severity.WARNING],
            "excluded": [excluded_out(r) for r in response.excluded],
            "excluded_total": response.excluded_total,
            "empty": empty_out(empty) if empty else None,
        },
    }


# -- the endpoint ---------------------------------------------------------------------------------


def _list(description: str, max_length: int):
    return Query(None, description=description, max_length=max_length)


# parameters, module-level like relais/offer/api.py

CODE_COMMUNE = Query(
    None,
    max_length=100,
    description=(
        "Commune de la personne : code Insee (69383, 2A004). Relais accepte aussi un code postal "
        "ou un nom de commune. Sert à l’éligibilité (zone_eligibilite) et, sans lat et lon, au calcul des "
        "distances depuis le centre de la commune. Commune inconnue : erreur 422 avec les noms proches. Un code "
        "qui est le code Insee d’une commune et le code postal d’une autre (69003) est lu comme code Insee, "
        "comme dans data·inclusion, avec un avertissement (relais.warnings) qui nomme l’autre commune."
    ),
)
LANGUE = Query(
    None,
    description="Langue des mots de q : fr (par défaut) ou en. L’autre langue lit les mots que la première ne "
    "connaît pas : « I need food » est compris sans langue=en.",
)
EXPLICATIONS = Query(
    "pro",
    description="pro : explications pour un ou une professionnelle (zone d’éligibilité, orientation par Relais) ; "
    "simple : en mots de tous les jours, adressées à la personne (comme la page « Trouver de l’aide »).",
)
LAT = Query(None, description="Latitude du point de recherche (degrés décimaux) ; avec lon.")
LON = Query(None, description="Longitude du point de recherche (degrés décimaux) ; avec lat.")
THEMATIQUES = _list(
    "Thématiques ou catégories (voir /api/v1/doc/thematiques et /doc/categories) : chaque résultat répond à "
    "l’une d’elles ; une catégorie vaut toutes ses thématiques. Thématique inconnue : erreur 422 avec les "
    "thématiques qui correspondent aux mots tapés. Facultatif, comme dans data·inclusion : sans thematiques "
    "ni q, la recherche porte sur tous les services du lieu.",
    MAX_NEEDS,
)
SOURCES = _list("Chaque résultat vient de l’une de ces sources (champ source), comme dans data·inclusion.", MAX_SOURCES)
TEXT = Query(
    None,
    max_length=MAX_TEXT,
    description="Le besoin dans les mots de la personne (« je dois quitter mon logement »), compris en thématiques.",
)
FRAIS = _list("Chaque résultat a l’un de ces frais.", 10)
PUBLICS = _list("Chaque résultat a (au moins) un de ces publics, ou est ouvert à tous (tous-publics).", 20)
MODES_ACCUEIL = _list(
    "Chaque résultat a (au moins) un de ces modes d’accueil. Un seul mode : la recherche se limite à lui "
    "(a-distance : services à distance seulement ; en-presentiel : sur place seulement).",
    10,
)
TYPES = _list("Chaque résultat a l’un de ces types.", 10)
AGE = Query(None, ge=0, le=120, description="Âge de la personne, en années.")
GENDER = Query(None, description="Genre de la personne, s’il compte (services pour les femmes).")
SITUATIONS = _list(
    "Situations de la personne : "
    "rsa, aah, ass, aspa, job_seeker, employed, student, retired, disability, exiled, homeless, "
    "violence_victim, qpv_resident, justice, legal_protection, single_parent, pregnant, carer.",
    MAX_SITUATIONS,
)
HOUSEHOLD = Query(None, description="Vit seul ou en couple.")
CHILDREN = Query(None, ge=0, le=20, description="Nombre d’enfants à charge.")
OPEN_NOW = Query(False, description="Seulement les services ouverts maintenant.")
OPEN_ON = Query(None, description="Seulement les services ouverts ce jour-là (AAAA-MM-JJ).")
FREE_ONLY = Query(
    False, description="Seulement les services gratuits ; frais non renseignés : résultat « à vérifier »."
)
LANGUAGES = _list("Le service parle l’une de ces langues (codes ISO 639-1 : fr, en, ar…).", MAX_LANGUAGES)
STEP_FREE = Query(False, description="Seulement les lieux accessibles de plain-pied.")
ACCEPTING_REFERRALS = Query(False, description="Seulement les services qui acceptent les orientations.")
MAX_DISTANCE_KM = Query(None, description="Distance maximale des services sur place, en km (1 à 1000).")
PROFESSIONAL = Query(False, description="La recherche est faite par un ou une professionnelle.")
PAGE = Query(1, ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1.")
SIZE = Query(
    DEFAULT_SIZE,
    ge=1,
    le=MAX_SIZE,
    description="Nombre de résultats par page (10 000 au plus, comme data·inclusion ; 20 par défaut).",
)


ALL_THEMATIQUES = tuple(str(t.value) for t in voc.Thematique)


def _run_pages(place, needs, profile, constraints, *, size: int, offset: int, **options) -> SearchResponse:
    """runtime.run_search() for a page of `size` results, asking the engine 100 at a time (its limit).

    Only the first call is traced: it is one search."""
    response = runtime.run_search(
        place, needs, profile, constraints, limit=min(size, ENGINE_PAGE), offset=offset, **options
    )
    results = list(response.results)
    while response.ok and len(results) < size and offset + len(results) < response.total:
        more = runtime.run_search(
            place,
            needs,
            profile,
            constraints,
            limit=min(size - len(results), ENGINE_PAGE),
            offset=offset + len(results),
            trace=False,
            **options,
        )
        if not more.results:
            break
        results.extend(more.results)
    return dataclasses.replace(response, results=tuple(results))


@router.get(
    "/services",
    response={200: SearchPageOut, 422: SearchErrorOut},
    summary="Rechercher des services",
    operation_id="search_services",
)
def search_services(
    request,
    sources: list[str] = SOURCES,
    code_commune: str = CODE_COMMUNE,
    lat: float = LAT,
    lon: float = LON,
    thematiques: list[str] = THEMATIQUES,
    q: str = TEXT,
    langue: Literal["fr", "en"] = LANGUE,
    explications: Literal["pro", "simple"] = EXPLICATIONS,
    frais: list[voc.Frais] = FRAIS,
    publics: list[voc.Public] = PUBLICS,
    modes_accueil: list[voc.ModeAccueil] = MODES_ACCUEIL,
    types: list[voc.TypeService] = TYPES,
    age: int = AGE,
    gender: Genre = GENDER,
    situations: list[str] = SITUATIONS,
    household: Foyer = HOUSEHOLD,
    children: int = CHILDREN,
    open_now: bool = OPEN_NOW,
    open_on: dt.date = OPEN_ON,
    free_only: bool = FREE_ONLY,
    languages: list[str] = LANGUAGES,
    step_free: bool = STEP_FREE,
    accepting_referrals: bool = ACCEPTING_REFERRALS,
    max_distance_km: float = MAX_DISTANCE_KM,
    professional: bool = PROFESSIONAL,
    page: int = PAGE,
    size: int = SIZE,
):
    """Services qui répondent au besoin de la personne, là où elle est, classés par pertinence et expliqués.

    Chaque résultat est **éligible** (la personne peut en bénéficier d’après ce qu’elle a dit) ou **à vérifier**
    (ce qu’il faut vérifier est dit). Les services exclus par la situation de la personne sont listés à part,
    avec la raison. Voir docs/api.md.
    """
    given = {
        "code_commune": code_commune,
        "lat": lat,
        "lon": lon,
        "thematiques": thematiques,
        "q": q,
        "age": age,
        "gender": gender,
        "situations": situations,
        "household": household,
        "children": children,
        "open_on": open_on,
        "languages": languages,
        "max_distance_km": max_distance_km,
        "modes_accueil": modes_accueil,
    }
    modes = {str(m) for m in modes_accueil or ()}
    place_only = not thematiques and not q  # data·inclusion searches by place alone: every thématique
    constraints = Constraints(
        open_now=open_now,
        open_on=open_on,
        mode=next(iter(modes)) if len(modes) == 1 else None,
        free_only=free_only,
        languages=tuple(languages or ()),
        step_free=step_free,
        accepting_referrals=accepting_referrals,
        max_distance_km=max_distance_km,
        for_professional=professional,
    )
    response = _run_pages(
        Place(commune=code_commune or None, latitude=lat, longitude=lon, code_is_insee=True),
        Needs(thematiques=ALL_THEMATIQUES if place_only else tuple(thematiques or ()), text=q or ""),
        Profile(
            age=age,
            gender=str(gender) if gender else None,
            household=str(household) if household else None,
            children=children,
            situations=frozenset(situations or ()),
        ),
        constraints,
        size=size,
        offset=(page - 1) * size,
        channel="api",
        audience="resident" if explications == "simple" else "pro",
        lexicon=lexicon_for(langue or get_language()),
        keep=keep_filter(
            [str(f) for f in frais or ()],
            [str(p) for p in publics or ()],
            modes,
            [str(t) for t in types or ()],
            [str(source) for source in sources or ()],
        ),
    )
    if not response.ok:
        raise ValidationError([problem_out(p, given) for p in response.errors])
    # The page is built to the schema above (the tests validate every answer against the OpenAPI document):
    # serialised directly, without validating it again on each request (~2 ms of the ~10 a search costs).
    body = pydantic_core.to_json(page_out(response, page, size, given, timezone.localdate(), constraints, place_only))
    return HttpResponse(body, content_type="application/json; charset=utf-8")
