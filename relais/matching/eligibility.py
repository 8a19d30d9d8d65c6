"""Is this person eligible to this service? 'eligible', 'to check' (saying what) or 'excluded' (saying why).

Three things are checked: the zone (`zone_eligibilite` covers the person's commune, its EPCI, its
département or the whole country), the publics, and the explicit criteria the offer declares (age
range, conditions about resources), then the person's own constraints (mode, free, languages,
step-free access, referrals). A fact we do not know never excludes: it becomes something to check.

How a profile maps to data·inclusion publics (`publics_facts`). True: the person is in this public;
False: known not to be; None: unknown, so a service reserved to it is 'to check'.

- jeunes: age 25 or under; unknown from 26 to 29 (many youth schemes run to 29 or 30); False from 30.
- seniors: age 60 or over, or retired; unknown from 55 to 59; False under 55.
- familles: at least one child, a parent alone, or pregnant; False when told there are no children.
- femmes: gender "femme"; False for "homme"; unknown otherwise. Being a victim of violence does not
  make the person a woman in our eyes: services for women stay 'to check' until gender is known.
- beneficiaires-des-minimas-sociaux: RSA, AAH, ASS or ASPA recipient.
- demandeurs-emploi: job seeker. actifs: in work. etudiants: student.
- personnes-en-situation-de-handicap: disability, or AAH recipient.
- personnes-en-situation-durgence: homeless, or victim of violence (who may have to leave home now).
- personnes-en-situation-juridique-specifique: under justice (prison, probation) or legal protection
  (tutelle, curatelle).
- personnes-exilees: exiled (refugee, asylum seeker, newcomer).
- residents-qpv-frr: lives in a priority neighbourhood (QPV) or a France Ruralités Revitalisation zone.

A situation is False when listed in `not_situations`, or when `situations_complete` is set and it is
not listed; otherwise it is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from relais.matching.i18n import _
from relais.matching.places import CommuneTable
from relais.matching.types import Constraints, Profile, Reason, ResolvedPlace, ServiceRecord, Status
from relais.offer import vocabularies as voc

PUBLIC_LABELS = {p.value: p.label for p in voc.Public}

_MINIMA = ("rsa", "aah", "ass", "aspa")
_RESOURCES = re.compile(
    r"ressources|revenus?|quotient familial|plafond|imposable|non imposable|minimas? sociaux|\bQF\b", re.IGNORECASE
)


def _situation(profile: Profile, code: str) -> bool | None:
    if code in profile.situations:
        return True
    if code in profile.not_situations or profile.situations_complete:
        return False
    return None


def _any(*facts: bool | None) -> bool | None:
    if any(f is True for f in facts):
        return True
    if all(f is False for f in facts):
        return False
    return None


def publics_facts(profile: Profile) -> dict[str, bool | None]:
    """What we know of the person for each data·inclusion public (see the module docstring)."""

    def sit(code):
        return _situation(profile, code)

    age = profile.age
    jeunes = None if age is None else (True if age <= 25 else (None if age < 30 else False))
    seniors = None if age is None else (True if age >= 60 else (None if age >= 55 else False))
    if sit("retired"):
        seniors = True
    familles: bool | None
    if profile.children is not None and profile.children > 0:
        familles = True
    else:
        familles = _any(sit("single_parent"), sit("pregnant"))
        if familles is None and profile.children == 0:
            familles = False
    femmes = {"femme": True, "homme": False}.get(profile.gender or "", None)
    return {
        "tous-publics": True,
        "jeunes": jeunes,
        "seniors": seniors,
        "familles": familles,
        "femmes": femmes,
        "beneficiaires-des-minimas-sociaux": _any(*(sit(c) for c in _MINIMA)),
        "demandeurs-emploi": sit("job_seeker"),
        "actifs": sit("employed"),
        "etudiants": sit("student"),
        "personnes-en-situation-de-handicap": _any(sit("disability"), sit("aah")),
        "personnes-en-situation-durgence": _any(sit("homeless"), sit("violence_victim")),
        "personnes-en-situation-juridique-specifique": _any(sit("justice"), sit("legal_protection")),
        "personnes-exilees": sit("exiled"),
        "residents-qpv-frr": sit("qpv_resident"),
    }


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    eligible_because: tuple[Reason, ...] = ()
    to_check: tuple[Reason, ...] = ()
    excluded_because: tuple[Reason, ...] = ()


@dataclass
class Query:
    """Everything about the person that eligibility needs, computed once per search."""

    place: ResolvedPlace
    communes: CommuneTable
    profile: Profile
    constraints: Constraints
    today: dt.date
    facts: dict[str, bool | None] = field(default_factory=dict)
    arrondissements: frozenset[str] = frozenset()
    true_publics: frozenset[str] = frozenset()
    false_publics: frozenset[str] = frozenset()
    plain: bool = True  # no constraint that `assess` checks

    def __post_init__(self):
        self.facts = publics_facts(self.profile)
        self.true_publics = frozenset(p for p, fact in self.facts.items() if fact is True)
        self.false_publics = frozenset(p for p, fact in self.facts.items() if fact is False)
        self.plain = no_constraints(self.constraints)
        if self.place.arrondissement_unknown:
            self.arrondissements = frozenset(self.communes.children.get(self.place.commune.code, ()))


def _labels(codes, labels: dict) -> str:
    return ", ".join(str(labels.get(c, c)).lower() for c in codes)


def _range(service: ServiceRecord) -> str:
    if service.age_min is not None and service.age_max is not None:
        return _("de %(min)d à %(max)d ans") % {"min": service.age_min, "max": service.age_max}
    if service.age_min is not None:
        return _("à partir de %(min)d ans") % {"min": service.age_min}
    return _("jusqu’à %(max)d ans") % {"max": service.age_max}


def assess(service: ServiceRecord, q: Query) -> Assessment:
    """Zone, publics, explicit criteria and the person's constraints, as reason codes (no text: fast).

    `with_messages` writes the French text, for the results shown.
    """
    ok: list[str] = []
    check: list[str] = []
    out: list[str] = []

    # zone
    zone = service.zone_eligibilite
    if not zone:
        check.append("zone_unknown")
    elif not q.place.zone_codes.isdisjoint(zone):
        ok.append("zone")
    elif q.arrondissements and not q.arrondissements.isdisjoint(zone):
        check.append("zone_arrondissement")
    elif q.place.commune.epci is None and any(len(z) == 9 for z in zone):
        check.append("zone_epci_unknown")
    else:
        out.append("zone_mismatch")

    # publics (a public we have no fact for, e.g. an unknown value, is neither true nor false)
    publics = service.publics
    if not publics or "tous-publics" in publics:
        ok.append("publics_all")
    elif not q.true_publics.isdisjoint(publics):
        ok.append("publics")
    elif q.false_publics.issuperset(publics):
        out.append("publics_mismatch")
    else:
        check.append("publics_unknown")

    # explicit criteria
    if service.age_min is not None or service.age_max is not None:
        age = q.profile.age
        if age is None:
            check.append("age_unknown")
        elif (service.age_min is None or age >= service.age_min) and (
            service.age_max is None or age <= service.age_max
        ):
            ok.append("age")
        else:
            out.append("age_mismatch")
    if service.conditions_acces and _RESOURCES.search(service.conditions_acces):
        check.append("resources")
    if not q.plain:
        _constraints(service, q.constraints, check, out)
    return _assessment(ok, check, out)


def _constraints(service: ServiceRecord, c: Constraints, check: list, out: list) -> None:
    if c.mode == "en-presentiel" and not service.on_site:
        (out if service.modes_accueil else check).append("mode_on_site" if service.modes_accueil else "mode_unknown")
    elif c.mode == "a-distance" and not service.remote:
        (out if service.modes_accueil else check).append("mode_remote" if service.modes_accueil else "mode_unknown")
    if c.free_only:
        if service.frais == "payant":
            out.append("fees")
        elif service.frais != "gratuit":
            check.append("fees_unknown")
    if c.languages:
        if service.languages:
            if not set(c.languages) & set(service.languages):
                out.append("languages")
        elif "fr" not in c.languages:
            check.append("languages_unknown")
    if c.step_free and service.on_site and not service.remote:
        if service.step_free_access is False:
            out.append("step_free")
        elif service.step_free_access is None:
            check.append("step_free_unknown")
    if c.accepting_referrals and not service.accepts_referrals:
        out.append("referrals")


_ASSESSMENTS: dict[tuple, Assessment] = {}


def _assessment(ok, check, out) -> Assessment:
    """Assessments are shared: a search makes thousands, with a few dozen distinct reason lists."""
    key = (tuple(ok), tuple(check), tuple(out))
    found = _ASSESSMENTS.get(key)
    if found is None:
        status = Status.EXCLUDED if out else (Status.TO_CHECK if check else Status.ELIGIBLE)
        found = Assessment(
            status,
            tuple(Reason(code) for code in ok),
            tuple(Reason(code) for code in check),
            tuple(Reason(code) for code in out),
        )
        if len(_ASSESSMENTS) < 10_000:
            _ASSESSMENTS[key] = found
    return found


ELIGIBLE_EVERYWHERE = _assessment(["zone", "publics_all"], [], [])


def is_simple(service: ServiceRecord) -> bool:
    """Open to all publics with no declared criterion: only the zone and the constraints can matter."""
    return (
        (not service.publics or "tous-publics" in service.publics)
        and service.age_min is None
        and service.age_max is None
        and not (service.conditions_acces and _RESOURCES.search(service.conditions_acces))
    )


def no_constraints(constraints: Constraints) -> bool:
    """Nothing in `constraints` that `assess` checks (opening constraints are added by `with_opening`)."""
    c = constraints
    return not (c.mode or c.free_only or c.languages or c.step_free or c.accepting_referrals)


def zone_excludes(service: ServiceRecord, q: Query) -> bool:
    """The zone part of `assess` alone: True when the zone excludes the service."""
    zone = service.zone_eligibilite
    if not zone:
        return False
    codes = q.place.zone_codes
    for z in zone:
        if z in codes or z in q.arrondissements:
            return False
    return not (q.place.commune.epci is None and any(len(z) == 9 for z in zone))


def with_opening(assessment: Assessment, q: Query, open_now: bool | None, open_that_day: bool | None) -> Assessment:
    """Add the 'open now' or 'open on a given day' constraint, once the opening is known."""
    c = q.constraints
    if (not c.open_now or open_now is True) and (c.open_on is None or open_that_day is True):
        return assessment  # nothing to add: the common case
    check = [r.code for r in assessment.to_check]
    out = [r.code for r in assessment.excluded_because]
    if c.open_now:
        if open_now is False:
            out.append("closed_now")
        elif open_now is None:
            check.append("hours_unknown_now")
    if c.open_on is not None:
        if open_that_day is False:
            out.append("closed_that_day")
        elif open_that_day is None:
            check.append("hours_unknown_that_day")
    return _assessment([r.code for r in assessment.eligible_because], check, out)


def with_exclusion(assessment: Assessment, code: str) -> Assessment:
    """The assessment with one more reason to exclude (e.g. a contraindication of the need)."""
    return _assessment(
        [r.code for r in assessment.eligible_because],
        [r.code for r in assessment.to_check],
        [*(r.code for r in assessment.excluded_because), code],
    )


# --- messages -----------------------------------------------------------------------------------


def _zones(service: ServiceRecord, q: Query) -> str:
    return ", ".join(q.communes.zone_label(z) for z in service.zone_eligibilite or ())


def _covering_zone(service: ServiceRecord, q: Query) -> str:
    covering = [z for z in service.zone_eligibilite or () if z in q.place.zone_codes]
    return q.communes.zone_label(sorted(covering, key=_zone_rank)[0]) if covering else ""


def _matching_publics(service: ServiceRecord, q: Query) -> str:
    return _labels([p for p in service.publics if q.facts.get(p) is True], PUBLIC_LABELS)


def _unknown_publics(service: ServiceRecord, q: Query) -> str:
    return _labels([p for p in service.publics if q.facts.get(p) is not False], PUBLIC_LABELS)


def _day(q: Query) -> str:
    return q.constraints.open_on.strftime("%d/%m/%Y") if q.constraints.open_on else ""


_MESSAGES = {
    # why eligible
    "zone": lambda s, q: _("Zone d’éligibilité : %(zone)s (vous y habitez).") % {"zone": _covering_zone(s, q)},
    "publics_all": lambda s, q: _("Ouvert à tous les publics."),
    "publics": lambda s, q: (
        _("Pour les publics : %(publics)s ; c’est votre cas.") % {"publics": _matching_publics(s, q)}
    ),
    "age": lambda s, q: _("Âge demandé : %(range)s ; c’est votre cas.") % {"range": _range(s)},
    # what to check
    "zone_unknown": lambda s, q: (
        _("Zone d’éligibilité non précisée : vérifier que le service accueille les habitants de %(c)s.")
        % {"c": q.place.commune.name}
    ),
    "zone_arrondissement": lambda s, q: (
        _("Zone d’éligibilité : %(zone)s ; vérifier que vous habitez l’un de ces arrondissements.")
        % {"zone": _zones(s, q)}
    ),
    "zone_epci_unknown": lambda s, q: (
        _("Zone d’éligibilité : %(zone)s ; vérifier que %(c)s en fait partie.")
        % {"zone": _zones(s, q), "c": q.place.commune.name}
    ),
    "publics_unknown": lambda s, q: (
        _("Réservé aux publics suivants : %(publics)s ; vérifier que c’est votre cas.")
        % {"publics": _unknown_publics(s, q)}
    ),
    "age_unknown": lambda s, q: _("Âge demandé : %(range)s.") % {"range": _range(s)},
    "resources": lambda s, q: (
        _("Conditions de ressources à vérifier : %(text)s") % {"text": s.conditions_acces.strip()}
    ),
    "mode_unknown": lambda s, q: _("Mode d’accueil non précisé : vérifier qu’il convient."),
    "fees_unknown": lambda s, q: _("Gratuité non précisée : vérifier le coût."),
    "languages_unknown": lambda s, q: (
        _("Langues parlées autres que le français non précisées : vérifier %(langs)s.")
        % {"langs": ", ".join(sorted(q.constraints.languages))}
    ),
    "step_free_unknown": lambda s, q: _("Accessibilité de plain-pied non précisée : vérifier."),
    "hours_unknown_now": lambda s, q: _("Horaires non renseignés : vérifier qu’il est ouvert maintenant."),
    "hours_unknown_that_day": lambda s, q: (
        _("Horaires non renseignés : vérifier qu’il est ouvert le %(day)s.") % {"day": _day(q)}
    ),
    # why excluded
    "zone_mismatch": lambda s, q: (
        _("Zone d’éligibilité : %(zone)s ; %(c)s n’en fait pas partie.")
        % {"zone": _zones(s, q), "c": q.place.commune.name}
    ),
    "publics_mismatch": lambda s, q: (
        _("Réservé aux publics suivants : %(publics)s.") % {"publics": _labels(s.publics, PUBLIC_LABELS)}
    ),
    "age_mismatch": lambda s, q: _("Réservé aux personnes âgées %(range)s.") % {"range": _range(s)},
    "mode_on_site": lambda s, q: _("Uniquement à distance, or vous cherchez un accueil sur place."),
    "mode_remote": lambda s, q: _("Uniquement sur place, or vous cherchez un service à distance."),
    "fees": lambda s, q: _("Payant, or vous cherchez un service gratuit."),
    "languages": lambda s, q: _("Langues parlées : %(langs)s.") % {"langs": ", ".join(sorted(s.languages))},
    "step_free": lambda s, q: _("Lieu non accessible de plain-pied."),
    "referrals": lambda s, q: _("N’accepte pas les orientations par Relais."),
    "mediation_violence": lambda s, q: _(
        "La médiation familiale ne convient pas quand il y a des violences : la loi l’écarte (article 373-2-10 "
        "du code civil). Un service d’aide aux victimes est plus adapté."
    ),
    "closed_now": lambda s, q: _("Fermé en ce moment."),
    "closed_that_day": lambda s, q: _("Fermé le %(day)s.") % {"day": _day(q)},
}

REASON_CODES = frozenset(_MESSAGES)


def message(code: str, service: ServiceRecord, q: Query, messages: dict | None = None) -> str:
    if messages and code in messages:
        return messages[code](service, q)
    return _MESSAGES[code](service, q)


def with_messages(assessment: Assessment, service: ServiceRecord, q: Query, messages: dict | None = None) -> Assessment:
    """The same assessment with the French text of every reason (`messages`: other wordings by code, e.g.
    explain.PLAIN_REASONS for residents)."""

    def written(reasons):
        return tuple(Reason(r.code, message(r.code, service, q, messages)) for r in reasons)

    return Assessment(
        assessment.status,
        written(assessment.eligible_because),
        written(assessment.to_check),
        written(assessment.excluded_because),
    )


def _zone_rank(code: str) -> tuple[int, str]:
    """Most precise first: commune, EPCI, département, country."""
    if code in ("france", "99100"):
        return (3, code)
    if len(code) == 9:
        return (1, code)
    if len(code) <= 3:
        return (2, code)
    return (0, code)
