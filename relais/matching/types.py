"""Plain, immutable values that go in and out of the matching engine.

Nothing here touches the database: the engine works on these records only, so it can be tested
and benchmarked without Django models. `index.build_index_from_db()` is the bridge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    ELIGIBLE = "eligible"
    TO_CHECK = "to_check"
    EXCLUDED = "excluded"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Situation codes a profile may declare (see eligibility.publics_facts for their mapping to publics).
SITUATIONS = (
    "rsa",  # bénéficiaire du RSA
    "aah",  # bénéficiaire de l'AAH
    "ass",  # bénéficiaire de l'ASS
    "aspa",  # bénéficiaire du minimum vieillesse
    "job_seeker",  # demandeur ou demandeuse d'emploi
    "employed",  # en emploi
    "student",  # étudiant ou étudiante
    "retired",  # retraité ou retraitée
    "disability",  # en situation de handicap
    "exiled",  # personne exilée (réfugiée, demandeuse d'asile, primo-arrivante)
    "homeless",  # sans domicile
    "violence_victim",  # victime de violences
    "qpv_resident",  # habite un quartier prioritaire (QPV) ou une zone FRR
    "justice",  # placée sous main de justice ou sortant de détention
    "legal_protection",  # sous tutelle ou curatelle
    "single_parent",  # parent seul
    "pregnant",  # enceinte
    "carer",  # proche aidant
)

GENDERS = ("femme", "homme", "autre")
HOUSEHOLDS = ("seul", "couple")
MODES = ("en-presentiel", "a-distance")


@dataclass(frozen=True, slots=True)
class ClosureRecord:
    starts_on: dt.date
    ends_on: dt.date
    message: str = ""
    is_closed: bool = True

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """A published service, flattened with what matching needs from its structure."""

    id: str
    structure_id: str
    structure_name: str
    name: str
    thematiques: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    publics_precisions: str = ""
    zone_eligibilite: tuple[str, ...] | None = None
    modes_accueil: tuple[str, ...] = ()
    frais: str = ""
    frais_precisions: str = ""
    type: str = ""
    latitude: float | None = None
    longitude: float | None = None
    approximate_location: bool = False  # coordinates of the commune, not of the address
    located_at_structure: bool = False  # no place of its own: its structure's address and position
    code_insee: str = ""
    commune: str = ""
    adresse: str = ""
    telephone: str = ""
    courriel: str = ""
    languages: tuple[str, ...] = ()
    step_free_access: bool | None = None
    capacity: str = "accepting"
    full_until: dt.date | None = None
    accepts_referrals: bool = True
    age_min: int | None = None
    age_max: int | None = None
    conditions_acces: str = ""
    last_verified_on: dt.date | None = None
    horaires: str = ""  # the service's opening hours, else its structure's (OSM opening_hours syntax)
    closures: tuple[ClosureRecord, ...] = ()
    modes_mobilisation: tuple[str, ...] = ()
    mobilisable_par: tuple[str, ...] = ()
    mobilisation_precisions: str = ""
    lien_mobilisation: str = ""
    is_demo: bool = False
    source: str = ""  # data·inclusion `source` (the API's `sources` filter)
    date_maj: dt.date | None = None  # last change at the data's producer (its freshness, as imported)

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def on_site(self) -> bool:
        """Received in person; a service that states no mode counts as on site when it has a place."""
        return "en-presentiel" in self.modes_accueil or (not self.modes_accueil and self.located)

    @property
    def remote(self) -> bool:
        return "a-distance" in self.modes_accueil

    def capacity_on(self, day: dt.date) -> str:
        if self.capacity == "full" and self.full_until and self.full_until < day:
            return "accepting"
        return self.capacity


@dataclass(frozen=True, slots=True)
class CommuneInfo:
    """One row of the place lookup table (built from the territories referential)."""

    code: str
    name: str
    latitude: float | None
    longitude: float | None
    departement: str
    epci: str | None = None
    parent: str | None = None
    postal_codes: tuple[str, ...] = ()
    population: int | None = None
    departement_name: str = ""
    epci_name: str = ""

    @property
    def zone_codes(self) -> frozenset[str]:
        """Every `zone_eligibilite` code that covers this commune (like territories.Commune.zone_codes)."""
        codes = {self.code, self.departement, "france", "99100"}
        if self.parent:
            codes.add(self.parent)
        if self.epci:
            codes.add(self.epci)
        return frozenset(codes)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the person lives or is: a commune code (or name), coordinates, or an address in a known commune."""

    commune: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    # A five-digit code that is one commune's Insee code and another's postal code (69003: Albigny-sur-Saône,
    # and the postal code of Lyon 3e): True reads it as the Insee code with a warning (the API's code_commune,
    # as data·inclusion); False asks which one was meant (the pages, where people type postal codes).
    code_is_insee: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    commune: CommuneInfo
    latitude: float
    longitude: float
    precision: str  # "coordinates" or "commune" (distances from the commune's centre)
    zone_codes: frozenset[str]
    arrondissement_unknown: bool = False  # a commune with arrondissements, not told which


@dataclass(frozen=True, slots=True)
class Needs:
    """Thématique or catégorie codes, and/or the person's own words."""

    thematiques: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Profile:
    """What is known of the person. Anything left None or unlisted is unknown, never assumed."""

    age: int | None = None
    gender: str | None = None  # GENDERS
    household: str | None = None  # HOUSEHOLDS
    children: int | None = None
    situations: frozenset[str] = frozenset()  # SITUATIONS the person is in
    not_situations: frozenset[str] = frozenset()  # SITUATIONS the person is known NOT to be in
    situations_complete: bool = False  # True: every situation not listed is known to be false


@dataclass(frozen=True, slots=True)
class Constraints:
    open_now: bool = False
    open_on: dt.date | None = None
    mode: str | None = None  # MODES: only on site, or only remote
    free_only: bool = False
    languages: tuple[str, ...] = ()  # ISO 639-1; the service must speak one of them
    step_free: bool = False
    accepting_referrals: bool = False
    max_distance_km: float | None = None
    for_professional: bool = False  # the search is made by a professional (mobilisable_par)


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem with the input: the field it concerns, a French message and suggestions."""

    field: str
    code: str
    message: str
    suggestions: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR


@dataclass(frozen=True, slots=True)
class NeedMatch:
    """A thématique the search looks for, how strongly, and the words that led to it."""

    thematique: str
    weight: float = 1.0
    words: tuple[str, ...] = ()
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a service is eligible, what to check, or why it is excluded: a stable code and a French message.

    While ranking, reasons carry codes only (message ""); messages are written for the results shown.
    """

    code: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class OpeningInfo:
    state: str  # "open", "closed" or "unknown"
    next_open: dt.datetime | None = None  # when closed: the next opening
    closes_at: dt.datetime | None = None  # when open: the next closing
    closed_until: dt.date | None = None  # a temporary closure in force
    message: str = ""  # the structure's closure message, if any
    label: str = ""  # plain French status, e.g. "Fermé, ouvre demain à 9 h"

    @property
    def open_now(self) -> bool | None:
        return None if self.state == "unknown" else self.state == "open"


UNKNOWN_OPENING = OpeningInfo(state="unknown")


@dataclass(frozen=True, slots=True)
class Explanation:
    need: str
    eligibility: str
    distance: str
    opening: str
    mobilisation: str
    notes: tuple[str, ...] = ()

    def lines(self) -> tuple[str, ...]:
        parts = (self.need, self.eligibility, self.distance, self.opening, self.mobilisation, *self.notes)
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Result:
    service: ServiceRecord
    status: Status
    score: float
    components: dict[str, float]
    matched: tuple[NeedMatch, ...]
    to_check: tuple[Reason, ...] = ()
    excluded_because: tuple[Reason, ...] = ()
    eligible_because: tuple[Reason, ...] = ()
    distance_km: float | None = None
    opening: OpeningInfo = UNKNOWN_OPENING
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class SearchResponse:
    ok: bool
    problems: tuple[Problem, ...] = ()
    place: ResolvedPlace | None = None
    needs: tuple[NeedMatch, ...] = ()
    results: tuple[Result, ...] = ()  # eligible and to-check services, best first
    excluded: tuple[Result, ...] = ()  # nearby services that meet the need but not the person's situation
    total: int = 0  # eligible and to-check services found (results holds the first `limit`)
    excluded_total: int = 0
    radius_km: float | None = None
    urgent: bool = False  # the words typed signal an emergency (violence, nowhere to sleep tonight...)
    signals: frozenset[str] = frozenset()  # lexicon signals: "violence", "shelter", "suicide", "tonight"...
    extra: dict = field(default_factory=dict)  # "eligible_total": eligible services among `total`, and counters

    @property
    def when(self) -> str | None:
        """ "now", "tonight" or "today" when the words said when the need is (opening ranked on that window)."""
        return next((hint for hint in ("now", "tonight", "today") if hint in self.signals), None)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == Severity.ERROR)
