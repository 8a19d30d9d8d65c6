"""Local aids declared as data: one TOML file per aid in local_aids/, evaluated vectorised.

A file states who gives the aid, where (EPCI, départements, communes), to whom, the amount
(fixed, by tiers, or none: an advantage), the periodicity, how to claim, its source, and
whether anything is uncertain. The catalogue is validated when loaded (a malformed file stops
with its name and the problem), and evaluated on numpy arrays over the whole batch.

Conditions on a person (`[beneficiaire]`; the aid is due when one person of the home meets them):
`roles`, `age_min`, `age_max`, `situations`, `situations_exclues`, `scolarites`,
`revenus_activite_max` (net pay and micro-entrepreneur turnover, per month), `ressources_max`
(the person's own monthly resources: every income they declared plus their own AAH, ASS or
ASI), `prestations_exclues` (benefits or aids of the person's own famille or their own:
a young `autre` adult is judged on their own RSA, not their hosts').

Conditions on the household (`[menage]`): `prestations_exclues`, `prestations_une_de` (benefits
or local aids received by any famille of the home), `statuts_logement`, `ressources_max` (monthly
resources of the home, benefits included) and `quotient_familial` (those resources divided by
parts: `plafond`, `parts_seul`, `parts_couple`, `parts_parent_isole`, `parts_par_enfant`).

Amounts: `montant` (fixed) or `[[montants]]` tiers (`montant` with `revenus_activite_max` or
`ressources_max`, the first tier that matches wins), else an `avantage` (text).
`evaluation = "a_examiner"` says the rules beyond the stated ones cannot be stated from public
facts: such an aid is shown as "to examine with a professional", never with a made-up amount.

Contract with the questionnaire and the web pages:
- `LocalAid.asks`: the question groups (relais.rights.questions) its result depends on, derived
  from its conditions (and from the asks of the benefits it refers to).
- English texts: `nom_en`, `description_en`, `avantage_en`, `note_en`, `conditions_a_verifier_en`
  and `[demarche_en]` (organisme, comment) are required; `LocalAid.text(field)` returns the
  English one when the active language (django.utils.translation.get_language()) is English.
"""

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.rights.benefits import BY_CODE, RESOURCES

CATALOGUE_DIR = Path(__file__).parent / "local_aids"
ROLES = {"demandeur", "conjoint", "enfant", "autre"}
SITUATIONS = {"salarie", "independant", "chomeur", "etudiant", "eleve", "retraite", "inactif"}
SCOLARITES = {"aucune", "maternelle", "primaire", "college", "lycee", "superieur"}
STATUTS = {
    "locataire",
    "locataire_meuble",
    "locataire_hlm",
    "locataire_foyer",
    "proprietaire",
    "accedant",
    "heberge",
    "sans_domicile",
}
PERIODICITES = {"mensuelle", "annuelle", "ponctuelle"}
EVALUATIONS = {"regles", "a_examiner"}
EXTRA_BENEFITS = {"css_gratuite"}  # derived flags usable in conditions
TRANSLATED = ("nom", "description", "avantage", "note", "conditions_a_verifier", "demarche", "motif_a_examiner")
TOP_KEYS = {
    "id", "nom", "institution", "description", "periodicite", "avantage", "source", "autres_sources",
    "verifie_le", "incertain", "note", "conditions_a_verifier", "demarche", "zone", "beneficiaire",
    "menage", "montants", "montant", "evaluation", "motif_a_examiner", *(f"{key}_en" for key in TRANSLATED),
}  # fmt: skip
PERSON_KEYS = {
    "roles", "age_min", "age_max", "situations", "situations_exclues", "scolarites", "revenus_activite_max",
    "ressources_max", "prestations_exclues",
}  # fmt: skip
HOUSEHOLD_KEYS = {
    "prestations_exclues",
    "prestations_une_de",
    "statuts_logement",
    "ressources_max",
    "quotient_familial",
}
QF_KEYS = {"plafond", "parts_seul", "parts_couple", "parts_parent_isole", "parts_par_enfant"}
TIER_KEYS = {"montant", "revenus_activite_max", "ressources_max"}


_TEXTS: dict[tuple, object] = {}  # (aid id, field, English?) -> text: the files do not change at run time


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class LocalAid:
    id: str
    nom: str
    institution: str
    description: str
    periodicite: str
    source: str
    verifie_le: dt.date
    incertain: bool
    demarche: dict
    zone: dict
    beneficiaire: dict | None
    menage: dict
    montants: list[dict]
    montant: float | None
    english: dict  # field -> English text (same shape as the French one)
    avantage: str | None = None
    note: str = ""
    conditions_a_verifier: list[str] = field(default_factory=list)
    autres_sources: list[str] = field(default_factory=list)
    evaluation: str = "regles"
    motif_a_examiner: str = ""  # why an aid "to examine" cannot be judged here (shown as its explanation)

    def references(self) -> set[str]:
        """Benefit and aid codes its conditions read."""
        person = self.beneficiaire or {}
        return (
            set(self.menage.get("prestations_une_de", []))
            | set(self.menage.get("prestations_exclues", []))
            | set(person.get("prestations_exclues", []))
        )

    def local_references(self) -> set[str]:
        return {r for r in self.references() if r not in BY_CODE and r not in EXTRA_BENEFITS}

    def text(self, name: str, language: str | None = None):
        """A translated field (nom, description, avantage, note, conditions_a_verifier, demarche).

        `language` defaults to the active one (django.utils.translation.get_language()).
        """
        english = (language or get_language() or "fr").startswith("en")
        key = (self.id, name, english)
        if key not in _TEXTS:
            french = getattr(self, name)
            if english and name in self.english:
                _TEXTS[key] = {**french, **self.english[name]} if name == "demarche" else self.english[name]
            else:
                _TEXTS[key] = french
        return _TEXTS[key]

    @property
    def asks(self) -> frozenset[str]:
        return _aid_asks(self.id)


def _check(path: Path, data: dict) -> LocalAid:
    def fail(message):
        raise CatalogueError(f"{path.name}: {message}")

    unknown = set(data) - TOP_KEYS
    if unknown:
        fail(f"unknown keys {sorted(unknown)}")
    for key in ("id", "nom", "institution", "description", "periodicite", "source", "verifie_le", "demarche", "zone"):
        if key not in data:
            fail(f"missing key {key!r}")
    if data["id"] != path.stem:
        fail(f"id {data['id']!r} must equal the file name {path.stem!r}")
    if data["periodicite"] not in PERIODICITES:
        fail(f"periodicite must be one of {sorted(PERIODICITES)}")
    if data.get("evaluation", "regles") not in EVALUATIONS:
        fail(f"evaluation must be one of {sorted(EVALUATIONS)}")
    for url in [data["source"], *data.get("autres_sources", [])]:
        if not str(url).startswith("https://"):
            fail("source and autres_sources must be https:// addresses")
    zone = data["zone"]
    if not set(zone) <= {"epci", "departements", "communes"} or not any(zone.values()):
        fail("zone needs epci, departements or communes")
    person = data.get("beneficiaire")
    if person is not None:
        if set(person) - PERSON_KEYS:
            fail(f"beneficiaire: unknown keys {sorted(set(person) - PERSON_KEYS)}")
        if set(person.get("roles", [])) - ROLES:
            fail(f"beneficiaire.roles: allowed {sorted(ROLES)}")
        for key in ("situations", "situations_exclues"):
            if set(person.get(key, [])) - SITUATIONS:
                fail(f"beneficiaire.{key}: allowed {sorted(SITUATIONS)}")
        if set(person.get("scolarites", [])) - SCOLARITES:
            fail(f"beneficiaire.scolarites: allowed {sorted(SCOLARITES)}")
    household = data.get("menage", {})
    if set(household) - HOUSEHOLD_KEYS:
        fail(f"menage: unknown keys {sorted(set(household) - HOUSEHOLD_KEYS)}")
    if set(household.get("statuts_logement", [])) - STATUTS:
        fail(f"menage.statuts_logement: allowed {sorted(STATUTS)}")
    qf = household.get("quotient_familial")
    if qf is not None and set(qf) != QF_KEYS:
        fail(f"menage.quotient_familial needs exactly {sorted(QF_KEYS)}")
    for tier in data.get("montants", []):
        if set(tier) - TIER_KEYS or "montant" not in tier:
            fail("each [[montants]] needs montant and optionally revenus_activite_max or ressources_max")
    if (data.get("montants") or data.get("montant") is not None) and data.get("evaluation") == "a_examiner":
        fail("an aid to examine (evaluation = a_examiner) cannot state an amount")
    if data.get("montants") and person is None:
        fail("[[montants]] tiers need a [beneficiaire] (they are per person)")
    if data.get("incertain") and not data.get("note"):
        fail("an uncertain aid needs a note saying what is uncertain")
    english = {}
    for key in TRANSLATED:
        if data.get(key):  # every French text has its English one
            if f"{key}_en" not in data:
                fail(f"missing English text {key}_en")
            english[key] = data[f"{key}_en"]
    if len(english.get("conditions_a_verifier", [])) != len(data.get("conditions_a_verifier", [])):
        fail("conditions_a_verifier_en needs one English line per French line")
    if set(english["demarche"]) - {"organisme", "comment"}:
        fail("demarche_en holds organisme and comment only (the url is shared)")
    return LocalAid(
        id=data["id"],
        nom=data["nom"],
        institution=data["institution"],
        description=data["description"],
        periodicite=data["periodicite"],
        source=data["source"],
        verifie_le=data["verifie_le"]
        if isinstance(data["verifie_le"], dt.date)
        else dt.date.fromisoformat(data["verifie_le"]),
        incertain=bool(data.get("incertain", False)),
        demarche=data["demarche"],
        zone=zone,
        beneficiaire=person,
        menage=household,
        montants=data.get("montants", []),
        montant=data.get("montant"),
        english=english,
        avantage=data.get("avantage"),
        note=data.get("note", ""),
        conditions_a_verifier=data.get("conditions_a_verifier", []),
        autres_sources=data.get("autres_sources", []),
        evaluation=data.get("evaluation", "regles"),
        motif_a_examiner=data.get("motif_a_examiner", ""),
    )


def load_catalogue(directory: Path = CATALOGUE_DIR) -> list[LocalAid]:
    """Every aid, ordered so that an aid referring to another comes after it."""
    aids = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                raise CatalogueError(f"{path.name}: {exc}") from None
        aid = _check(path, data)
        aids[aid.id] = aid
    for aid in aids.values():
        missing = aid.local_references() - aids.keys()
        if missing:
            raise CatalogueError(f"{aid.id}.toml: unknown benefit or aid {sorted(missing)}")
    ordered, done = [], set()
    while len(ordered) < len(aids):
        ready = [a for a in aids.values() if a.id not in done and a.local_references() <= done]
        if not ready:
            raise CatalogueError("local aids refer to each other in a cycle")
        for aid in ready:
            ordered.append(aid)
            done.add(aid.id)
    return ordered


@cache
def catalogue() -> tuple[LocalAid, ...]:
    return tuple(load_catalogue())


def by_id(aid_id: str) -> LocalAid | None:
    return next((a for a in catalogue() if a.id == aid_id), None)


@cache
def _aid_asks(aid_id: str) -> frozenset[str]:
    """Question groups an aid's result depends on, from its conditions."""
    aid = by_id(aid_id)
    groups = {"commune", "prestations_percues"}
    person = aid.beneficiaire or {}
    if person:
        groups |= {"composition", "ages"}  # who in the home meets the conditions
        if "situations" in person or "situations_exclues" in person:
            groups.add("situation_pro")
        if "scolarites" in person:
            groups.add("scolarite")
        if "revenus_activite_max" in person or any("revenus_activite_max" in t for t in aid.montants):
            groups.add("revenus_activite")
        if "ressources_max" in person or any("ressources_max" in t for t in aid.montants):
            groups |= RESOURCES | {"handicap"}  # own AAH / ASI count as resources
    household = aid.menage
    if household.get("statuts_logement"):
        groups.add("logement")
    if "ressources_max" in household or "quotient_familial" in household:
        groups |= RESOURCES | {"composition"}
    for code in aid.references():
        if code in BY_CODE:
            groups |= BY_CODE[code].asks
        elif code == "css_gratuite":
            groups |= BY_CODE["css"].asks
        else:
            groups |= _aid_asks(code)
    return frozenset(groups)


@dataclass
class Population:
    """What conditions look at, as arrays. Persons are flat; `household` maps each to its household."""

    household: np.ndarray  # (persons,)
    role: np.ndarray
    age: np.ndarray
    situation: np.ndarray
    scolarite: np.ndarray
    activity_income: np.ndarray  # net salary + micro-entrepreneur turnover, this month
    person_resources: np.ndarray  # the person's own monthly resources (incomes + own AAH, ASS, ASI)
    person_benefits: dict[str, np.ndarray]  # code -> amount of the person's famille (or their own)
    commune: np.ndarray  # (households,)
    departement: np.ndarray
    epci: np.ndarray
    statut: np.ndarray
    couple: np.ndarray  # bool
    children: np.ndarray  # int
    resources: np.ndarray  # monthly net resources of the home, benefits included
    benefits: dict[str, np.ndarray]  # code -> amount (or 1.0/0.0 for flags), any famille of the home


@dataclass
class Outcome:
    in_zone: np.ndarray
    eligible: np.ndarray  # the stated conditions are met
    amount: np.ndarray  # NaN where the aid has no amount
    reasons: dict[int, list[str]]  # household index -> why not eligible (absent: nothing to say)
    to_examine: np.ndarray  # eligible on the stated conditions, the rest cannot be stated


def _any_per_household(mask: np.ndarray, household: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(household, weights=mask.astype(float), minlength=n) > 0


def evaluate(aid: LocalAid, pop: Population) -> Outcome:
    n = len(pop.commune)
    zone = aid.zone
    in_zone = np.zeros(n, dtype=bool)
    if zone.get("epci"):
        in_zone |= np.isin(pop.epci, zone["epci"])
    if zone.get("departements"):
        in_zone |= np.isin(pop.departement, zone["departements"])
    if zone.get("communes"):
        in_zone |= np.isin(pop.commune, zone["communes"])
    eligible = in_zone.copy()
    reasons: dict[int, list[str]] = defaultdict(list)

    def require(mask: np.ndarray, reason: str):
        nonlocal eligible
        for i in np.flatnonzero(eligible & ~mask):
            reasons[i].append(reason)
        eligible &= mask

    amount = np.full(n, np.nan)
    person = aid.beneficiaire
    if person is not None:
        ok = np.isin(pop.role, person.get("roles", ["demandeur", "conjoint"]))
        if "age_min" in person:
            ok &= pop.age >= person["age_min"]
        if "age_max" in person:
            ok &= pop.age <= person["age_max"]
        if "situations" in person:
            ok &= np.isin(pop.situation, person["situations"])
        if "situations_exclues" in person:
            ok &= ~np.isin(pop.situation, person["situations_exclues"])
        if "scolarites" in person:
            ok &= np.isin(pop.scolarite, person["scolarites"])
        if "revenus_activite_max" in person:
            ok &= pop.activity_income <= person["revenus_activite_max"]
        if "ressources_max" in person:
            ok &= pop.person_resources <= person["ressources_max"]
        for code in person.get("prestations_exclues", []):
            ok &= pop.person_benefits[code] <= 0
        require(
            _any_per_household(ok, pop.household, n),
            _("aucune personne du foyer ne remplit les conditions (âge, situation, ressources, prestations)"),
        )
        if aid.montants:
            per_person = np.zeros(len(pop.household))
            chosen = np.zeros(len(pop.household), dtype=bool)
            for tier in aid.montants:
                match = ok & ~chosen
                if "revenus_activite_max" in tier:
                    match &= pop.activity_income <= tier["revenus_activite_max"]
                if "ressources_max" in tier:
                    match &= pop.person_resources <= tier["ressources_max"]
                per_person[match] = tier["montant"]
                chosen |= match
            amount = np.bincount(pop.household, weights=per_person, minlength=n)
    household = aid.menage
    for code in household.get("prestations_exclues", []):
        require(pop.benefits[code] <= 0, _("incompatible avec : %(b)s") % {"b": benefit_name(code)})
    if household.get("prestations_une_de"):
        received = np.zeros(n, dtype=bool)
        for code in household["prestations_une_de"]:
            received |= pop.benefits[code] > 0
        names = ", ".join(benefit_name(c) for c in household["prestations_une_de"])
        require(received, _("réservé aux bénéficiaires de : %(b)s") % {"b": names})
    if household.get("statuts_logement"):
        require(np.isin(pop.statut, household["statuts_logement"]), _("situation de logement non concernée"))
    if "ressources_max" in household:
        require(pop.resources <= household["ressources_max"], _("ressources du foyer au-dessus du plafond"))
    qf = household.get("quotient_familial")
    if qf:
        require(quotient_familial(qf, pop) <= qf["plafond"], _("quotient familial au-dessus du plafond"))
    if aid.montant is not None and not aid.montants:
        amount = np.full(n, float(aid.montant))
    has_amount = bool(aid.montants) or aid.montant is not None
    amount = np.where(eligible, amount, 0.0 if has_amount else np.nan)
    to_examine = eligible & (aid.evaluation == "a_examiner")
    return Outcome(in_zone, eligible, amount, reasons, to_examine)


def quotient_familial(rule: dict, pop: Population) -> np.ndarray:
    """Monthly resources of the home divided by the parts the rule gives its composition."""
    adults = np.where(
        pop.couple, rule["parts_couple"], np.where(pop.children > 0, rule["parts_parent_isole"], rule["parts_seul"])
    )
    return pop.resources / (adults + rule["parts_par_enfant"] * pop.children)


def benefit_name(code: str) -> str:
    if code in BY_CODE:
        return str(BY_CODE[code].name)
    if code == "css_gratuite":
        return _("Complémentaire santé solidaire sans participation")
    aid = by_id(code)
    return aid.text("nom") if aid else code


def evaluate_all(pop: Population) -> list[tuple[LocalAid, Outcome]]:
    """Every aid, in dependency order; an aid's eligibility becomes a benefit flag for the next."""
    results = []
    for aid in catalogue():
        outcome = evaluate(aid, pop)
        flag = outcome.eligible.astype(float)
        pop.benefits[aid.id] = np.maximum(pop.benefits.get(aid.id, 0.0), flag)
        if aid.id not in pop.person_benefits:
            pop.person_benefits[aid.id] = flag[pop.household]
        results.append((aid, outcome))
    return results
