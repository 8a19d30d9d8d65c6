"""Why a search found nothing, and the ways out (issue 10, "Results").

    why_empty(response, constraints) -> EmptyExplanation | None

An empty page never says only "try other words": it counts what each filter and each rule removed
(`SearchResponse.extra["excluded_by"]`, from the engine), lists when the nearest closed places open next,
with their phone numbers, gives the emergency numbers when the need is urgent, and offers a wider search:
one filter lifted at a time, each with the number of places it alone brings back. The pages turn
`Relax.constraint` into a link; the API returns the whole object under `relais.empty`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from relais.matching.types import Constraints, Result, SearchResponse

# reason code of an exclusion -> the cause shown (several codes may share one cause)
CAUSE_OF = {
    "closed_now": "closed_now",
    "hours_unknown_now": "closed_now",
    "closed_that_day": "closed_that_day",
    "zone_mismatch": "zone",
    "publics_mismatch": "not_eligible",
    "age_mismatch": "not_eligible",
    "fees": "free_only",
    "languages": "languages",
    "mode_on_site": "mode",
    "mode_remote": "mode",
    "step_free": "step_free",
    "referrals": "accepting_referrals",
    "mediation_violence": "contraindicated",
}

CAUSE_LABELS = {
    "closed_now": _("fermés en ce moment"),
    "closed_that_day": _("fermés le jour choisi"),
    "zone": _("n’accueillent pas les habitants de cette commune"),
    "not_eligible": _("réservés à d’autres personnes (âge, situation)"),
    "free_only": _("payants (filtre « gratuit »)"),
    "languages": _("ne parlent pas les langues choisies"),
    "mode": _("n’ont pas le mode d’accueil choisi (sur place ou à distance)"),
    "step_free": _("ne sont pas accessibles de plain-pied"),
    "accepting_referrals": _("n’acceptent pas les orientations par Relais"),
    "contraindicated": _("ne conviennent pas quand il y a des violences"),
}

# the person's filters: constraint name -> causes it produces, and the label of the relaxed search
FILTERS = {
    "open_now": (("closed_now",), _("Voir aussi les lieux fermés en ce moment")),
    "open_on": (("closed_that_day",), _("Voir aussi les lieux fermés ce jour-là")),
    "free_only": (("free_only",), _("Voir aussi les lieux payants")),
    "languages": (("languages",), _("Voir les lieux quelle que soit la langue")),
    # the mode and the distance choose the candidates before any is assessed: what they left out is not counted
    "mode": ((), _("Voir les lieux sur place et à distance")),
    "step_free": (("step_free",), _("Voir aussi les lieux sans accès de plain-pied")),
    "accepting_referrals": (("accepting_referrals",), _("Voir aussi les lieux sans orientation par Relais")),
    "max_distance_km": ((), _("Chercher plus loin")),
}

# the national numbers of the resident path (matching/partials/urgent.html), for the API
EMERGENCY_NUMBERS = (
    ("115", _("un hébergement pour cette nuit (gratuit, jour et nuit)")),
    ("3919", _("violences faites aux femmes (gratuit, anonyme, jour et nuit)")),
    ("119", _("enfance en danger")),
    ("3114", _("idées suicidaires, écoute jour et nuit")),
    ("17", _("danger immédiat (police)")),
    ("112", _("danger immédiat (urgences européennes)")),
    ("114", _("danger immédiat, par SMS")),
)

MAX_REOPENINGS = 5


@dataclass(frozen=True)
class Cause:
    code: str
    count: int
    label: str


@dataclass(frozen=True)
class Reopening:
    service_id: str
    name: str
    next_open: dt.datetime | None
    label: str
    telephone: str


@dataclass(frozen=True)
class Relax:
    constraint: str  # the Constraints field to lift
    label: str
    count: int | None  # places this filter alone removed (None: not counted, e.g. beyond the distance)


@dataclass(frozen=True)
class EmptyExplanation:
    causes: tuple[Cause, ...]
    reopenings: tuple[Reopening, ...]
    relax: tuple[Relax, ...]
    urgent: bool
    emergency_numbers: tuple[tuple[str, str], ...]

    @property
    def removed(self) -> int:
        return sum(c.count for c in self.causes)


def _set_filters(c: Constraints) -> list[str]:
    return [
        name
        for name, on in (
            ("open_now", c.open_now),
            ("open_on", c.open_on is not None),
            ("free_only", c.free_only),
            ("languages", bool(c.languages)),
            ("mode", bool(c.mode)),
            ("step_free", c.step_free),
            ("accepting_referrals", c.accepting_referrals),
            ("max_distance_km", c.max_distance_km is not None),
        )
        if on
    ]


def _reopening(r: Result) -> Reopening:
    s = r.service
    return Reopening(s.id, s.name, r.opening.next_open, r.opening.label, s.telephone)


def why_empty(response: SearchResponse, constraints: Constraints) -> EmptyExplanation | None:
    """What removed the places that meet the need, and the ways out; None when the search found some."""
    if not response.ok or response.total:
        return None
    by = response.extra.get("excluded_by", {})
    only = response.extra.get("excluded_only_by", {})
    counts: dict[str, int] = {}
    alone: dict[str, int] = {}
    for code, n in by.items():
        cause = CAUSE_OF.get(code, code)
        counts[cause] = counts.get(cause, 0) + n
    for code, n in only.items():
        cause = CAUSE_OF.get(code, code)
        alone[cause] = alone.get(cause, 0) + n
    causes = tuple(
        Cause(code, n, str(CAUSE_LABELS.get(code, code)))
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    closed = [r for r in response.excluded if r.opening.next_open is not None]
    closed.sort(key=lambda r: (r.opening.next_open, r.distance_km if r.distance_km is not None else 1e9))
    relax = []
    for name in _set_filters(constraints):
        produced, label = FILTERS[name]
        count = sum(alone.get(cause, 0) for cause in produced) if produced else None
        if count == 0:
            continue  # lifting it alone would bring nothing back
        relax.append(Relax(name, str(label), count))
    return EmptyExplanation(
        causes=causes,
        reopenings=tuple(_reopening(r) for r in closed[:MAX_REOPENINGS]),
        relax=tuple(relax),
        urgent=response.urgent,
        emergency_numbers=tuple((n, str(label)) for n, label in EMERGENCY_NUMBERS) if response.urgent else (),
    )


# Constraints field -> the search API's parameter (the others have the same name)
API_PARAMS = {"mode": "modes_accueil"}


def empty_out(e: EmptyExplanation) -> dict:
    """The API's `relais.empty` object (docs/api.md): `relax.filter` is the API parameter to drop."""
    return {
        "causes": [{"code": c.code, "count": c.count, "label": c.label} for c in e.causes],
        "reopenings": [
            {
                "id": r.service_id,
                "nom": r.name,
                "next_open": r.next_open.isoformat() if r.next_open else None,
                "label": r.label,
                "telephone": r.telephone or None,
            }
            for r in e.reopenings
        ],
        "relax": [
            {"filter": API_PARAMS.get(r.constraint, r.constraint), "label": r.label, "count": r.count} for r in e.relax
        ],
        "urgent": e.urgent,
        "emergency_numbers": [{"number": n, "label": label} for n, label in e.emergency_numbers],
    }
