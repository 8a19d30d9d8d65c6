"""Local aids declared as data: one TOML file per aid in local_aids/, evaluated vectorised.

A file states who gives the aid, where (EPCI, départements, communes), to whom (conditions on a
person: role, age, situation, schooling, activity income; conditions on the household: benefits
received or excluded, housing status, resources per part), the amount (fixed, by tiers of
activity income, or none: "eligible"), the periodicity, how to claim, its source, and whether
anything is uncertain. The catalogue is validated when loaded (a malformed file stops with its
name and the problem), and evaluated on numpy arrays over the whole batch.
"""

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from relais.rights.benefits import BY_CODE

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
EXTRA_BENEFITS = {"css_gratuite"}  # derived flags usable in conditions
TOP_KEYS = {
    "id", "nom", "institution", "description", "periodicite", "avantage", "source", "autres_sources",
    "verifie_le", "incertain", "note", "conditions_a_verifier", "demarche", "zone", "beneficiaire",
    "menage", "montants", "montant",
}  # fmt: skip
PERSON_KEYS = {"roles", "age_min", "age_max", "situations", "situations_exclues", "scolarites", "revenus_activite_max"}
HOUSEHOLD_KEYS = {"prestations_exclues", "prestations_une_de", "statuts_logement", "ressources_par_part"}


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
    avantage: str | None = None
    note: str = ""
    conditions_a_verifier: list[str] = field(default_factory=list)
    autres_sources: list[str] = field(default_factory=list)

    def local_references(self) -> set[str]:
        refs = set(self.menage.get("prestations_une_de", [])) | set(self.menage.get("prestations_exclues", []))
        return {r for r in refs if r not in BY_CODE and r not in EXTRA_BENEFITS}


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
    if not str(data["source"]).startswith("https://"):
        fail("source must be an https:// address")
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
    parts = household.get("ressources_par_part")
    if parts is not None and set(parts) != {"plafond", "seul", "couple", "famille", "enfant"}:
        fail("menage.ressources_par_part needs plafond, seul, couple, famille, enfant")
    for tier in data.get("montants", []):
        if set(tier) - {"montant", "revenus_activite_max"} or "montant" not in tier:
            fail("each [[montants]] needs montant and optionally revenus_activite_max")
    if data.get("incertain") and not data.get("note"):
        fail("an uncertain aid needs a note saying what is uncertain")
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
        avantage=data.get("avantage"),
        note=data.get("note", ""),
        conditions_a_verifier=data.get("conditions_a_verifier", []),
        autres_sources=data.get("autres_sources", []),
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


@dataclass
class Population:
    """What conditions look at, as arrays. Persons are flat; `household` maps each to its household."""

    household: np.ndarray  # (persons,)
    role: np.ndarray
    age: np.ndarray
    situation: np.ndarray
    scolarite: np.ndarray
    activity_income: np.ndarray  # net salary + micro-entrepreneur turnover, this month
    commune: np.ndarray  # (households,)
    departement: np.ndarray
    epci: np.ndarray
    statut: np.ndarray
    couple: np.ndarray  # bool
    children: np.ndarray  # int
    resources: np.ndarray  # monthly net resources incl. benefits
    benefits: dict[str, np.ndarray]  # code -> amount (or 1.0/0.0 for flags), per household


@dataclass
class Outcome:
    in_zone: np.ndarray
    eligible: np.ndarray
    amount: np.ndarray  # NaN where the aid has no amount
    reasons: list[list[str]]  # per household, why not eligible


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
    reasons = [[] for _ in range(n)]

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
        require(
            _any_per_household(ok, pop.household, n),
            _("aucune personne du foyer ne remplit les conditions (âge, situation, revenus)"),
        )
        if aid.montants:
            per_person = np.zeros(len(pop.household))
            chosen = np.zeros(len(pop.household), dtype=bool)
            for tier in aid.montants:
                match = ok & ~chosen & (pop.activity_income <= tier.get("revenus_activite_max", np.inf))
                per_person[match] = tier["montant"]
                chosen |= match
            amount = np.bincount(pop.household, weights=per_person, minlength=n)
    household = aid.menage
    for code in household.get("prestations_exclues", []):
        require(pop.benefits[code] <= 0, _("incompatible avec : %(b)s") % {"b": _benefit_name(code)})
    if household.get("prestations_une_de"):
        received = np.zeros(n, dtype=bool)
        for code in household["prestations_une_de"]:
            received |= pop.benefits[code] > 0
        names = ", ".join(_benefit_name(c) for c in household["prestations_une_de"])
        require(received, _("réservé aux bénéficiaires de : %(b)s") % {"b": names})
    if household.get("statuts_logement"):
        require(np.isin(pop.statut, household["statuts_logement"]), _("situation de logement non concernée"))
    parts_rule = household.get("ressources_par_part")
    if parts_rule:
        parts = np.where(
            pop.children > 0,
            parts_rule["famille"] + parts_rule["enfant"] * pop.children,
            np.where(pop.couple, parts_rule["couple"], parts_rule["seul"]),
        )
        require(pop.resources <= parts_rule["plafond"] * parts, _("ressources au-dessus du plafond"))
    if aid.montant is not None and not aid.montants:
        amount = np.full(n, float(aid.montant))
    amount = np.where(eligible, amount, np.nan if not (aid.montants or aid.montant is not None) else 0.0)
    return Outcome(in_zone, eligible, amount, reasons)


def _benefit_name(code: str) -> str:
    if code in BY_CODE:
        return str(BY_CODE[code].name)
    if code == "css_gratuite":
        return _("Complémentaire santé solidaire sans participation")
    aid = next((a for a in catalogue() if a.id == code), None)
    return aid.nom if aid else code


def evaluate_all(pop: Population) -> list[tuple[LocalAid, Outcome]]:
    """Every aid, in dependency order; an aid's eligibility becomes a benefit flag for the next."""
    results = []
    for aid in catalogue():
        outcome = evaluate(aid, pop)
        pop.benefits[aid.id] = outcome.eligible.astype(float)
        results.append((aid, outcome))
    return results
