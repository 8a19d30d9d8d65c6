"""From plain answers to OpenFisca inputs, as arrays: the mapping layer.

A batch of households becomes one set of entity arrays (persons, familles, foyers fiscaux,
ménages) and, for each OpenFisca input variable, one array per period. What it does, and why:

- **net to gross and taxable**: people give net monthly amounts; relais.rights.calibration turns
  them into the gross and taxable amounts that OpenFisca computed for the same net.
- **resources over the months the law looks back on**: every income is a monthly series over the
  window from January of year N-3 to December of year N (RSA and prime d'activité look at the
  last 3 months, housing aids and the CSS at the last 12, AAH and family benefits at year N-2,
  the chèque énergie and school grants at the revenu fiscal de référence of N-2 or N-1). An
  income given with `depuis`/`jusqu_a` is zero outside those months.
- **January values for yearly benefits**: situation variables (commune, housing, activity,
  disability...) are set for every month of the window, so that yearly formulas, which read the
  situation in January (`period.first_month`), see it.
- **a past tax year**: `revenus_annuels` (yearly totals of year N-3 to N-1) replace, for every
  month of that year, the monthly answers they give (else the situation is taken as stable).
- the **steady state** (benefits that are resources of other benefits) is the engine's job:
  relais.rights.engine feeds back the first pass's benefits over the past months, and the
  amounts households declare in `prestations_percues` instead of its own (`Frame.declared`).

Everything here is numpy over the whole batch; Python loops run once per person, not per month.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from openfisca_core import periods

from relais.rights import calibration
from relais.rights.benefits import BY_CODE
from relais.rights.household import (
    ANNUAL_FIELDS,
    Couple,
    Household,
    Person,
    Role,
    Scolarite,
    Situation,
    StatutLogement,
    age_at,
)
from relais.rights.places import Place
from relais.rights.system import tax_benefit_system

Period = periods.Period

ACTIVITE = {
    Situation.SALARIE: "actif",
    Situation.INDEPENDANT: "actif",
    Situation.CHOMEUR: "chomeur",
    Situation.ETUDIANT: "etudiant",
    Situation.ELEVE: "etudiant",
    Situation.RETRAITE: "retraite",
    Situation.INACTIF: "inactif",
}
SCOLARITE = {
    Scolarite.AUCUNE: "inconnue",
    Scolarite.MATERNELLE: "maternelle",
    Scolarite.PRIMAIRE: "primaire",
    Scolarite.COLLEGE: "college",
    Scolarite.LYCEE: "lycee",
    Scolarite.SUPERIEUR: "enseignement_superieur",
}
STATUT = {
    StatutLogement.LOCATAIRE: "locataire_vide",
    StatutLogement.LOCATAIRE_MEUBLE: "locataire_meuble",
    StatutLogement.LOCATAIRE_HLM: "locataire_hlm",
    StatutLogement.LOCATAIRE_FOYER: "locataire_foyer",
    StatutLogement.PROPRIETAIRE: "proprietaire",
    StatutLogement.ACCEDANT: "primo_accedant",
    StatutLogement.HEBERGE: "loge_gratuitement",
    StatutLogement.SANS_DOMICILE: "sans_domicile",
}
NATIONALITE = {"francaise": "FR", "ue": "DE", "hors_ue": "ZZ"}  # any EEA / any non-EEA code
CA_VARIABLE = {
    "vente": "rpns_auto_entrepreneur_CA_achat_revente",
    "services": "rpns_auto_entrepreneur_CA_bic",
    "liberal": "rpns_auto_entrepreneur_CA_bnc",
}
# Incomes given net that OpenFisca reads as they are (no contributions to add back).
PLAIN_INCOMES = {
    "pension_invalidite": "pensions_invalidite",
    "indemnites_journalieres": "indemnites_journalieres",
    "pension_alimentaire_recue": "pensions_alimentaires_percues",
    "pension_alimentaire_versee": "pensions_alimentaires_versees_individu",
    "bourse_etudes": "bourse_enseignement_sup",
    "revenus_locatifs": "revenus_locatifs",
}
# Formula variables whose inputs we never ask: set to zero over the window so that OpenFisca does
# not derive them month after month from other zero inputs (a large share of the naive run time).
ZERO_INCOMES = [
    "rente_accident_travail",
    "indemnites_journalieres_imposables",
    "revenus_capitaux_prelevement_liberatoire",
    "revenus_capitaux_prelevement_forfaitaire_unique_ir",
    "rente_viagere_titre_onereux",
    "remuneration_apprenti",
    "indemnites_stage",
]


@dataclass
class Frame:
    """A batch as OpenFisca entity arrays and inputs; `inputs[variable][period] = array`."""

    month: Period
    months: list[Period]
    n_households: int
    person_ids: list[str]
    person_household: np.ndarray
    groups: dict[str, np.ndarray]  # entity -> group index of each person
    roles: dict[str, list[str]]  # entity -> role key of each person
    group_household: dict[str, np.ndarray]  # entity -> household index of each group
    main_famille: np.ndarray  # household -> index of its own famille (the demandeur's)
    inputs: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    age: np.ndarray | None = None  # age at the simulated month, per person
    people: list = field(default_factory=list)  # (Person, Household) in person order
    households: list = field(default_factory=list)
    places: list = field(default_factory=list)
    pregnant: np.ndarray | None = None  # household -> a pregnant demandeur or conjoint
    # Amounts declared in prestations_percues: OpenFisca variable -> (values, given) at its entity.
    declared: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def count(self, entity: str) -> int:
        return len(self.person_household) if entity == "individu" else len(self.group_household[entity])

    def put(self, variable: str, period, values) -> None:
        key = period if isinstance(period, str) else _KEYS.get(period) or str(period)
        self.inputs.setdefault(variable, {})[key] = values

    @property
    def month_keys(self) -> list[str]:
        return [_key(p) for p in self.months]


_KEYS: dict = {}  # Period -> "AAAA-MM": str(Period) costs about 0.2 ms


def _key(period) -> str:
    if period not in _KEYS:
        _KEYS[period] = str(period)
    return _KEYS[period]


def window(month: Period) -> list[Period]:
    """Every month from January of year N-3 to December of year N."""
    start = periods.period(f"{month.start.year - 3}-01")
    return [start.offset(i) for i in range(48)]


def _month_index(months: list[Period], text: str | None, default: int) -> int:
    if text is None:
        return default
    key = periods.period(text)
    first, last = months[0], months[-1]
    if key.start < first.start:
        return -1
    if key.start > last.start:
        return len(months)
    return (key.start.year - first.start.year) * 12 + key.start.month - first.start.month


def _series(answers: list, months: list[Period]) -> np.ndarray:
    """(persons x months) amounts from answers that are None, a number or an Income."""
    n, m = len(answers), len(months)
    amount = np.zeros(n)
    start = np.full(n, -1)
    end = np.full(n, m)
    for i, answer in enumerate(answers):
        if answer is None:
            continue
        if isinstance(answer, int | float):
            amount[i] = answer
        else:
            amount[i] = answer.mensuel
            start[i] = _month_index(months, answer.depuis, -1)
            end[i] = _month_index(months, answer.jusqu_a, m)
    k = np.arange(m)
    return np.where((k[None, :] >= start[:, None]) & (k[None, :] <= end[:, None]), amount[:, None], 0.0)


UNBORN_ID = "enfant-a-naitre"
ROLE_ORDER = {role: i for i, role in enumerate(Role)}


def _with_unborn(household: Household, month: str) -> Household:
    """The household with its expected child, born two months after `month` (see engine._birth_grant)."""
    total = int(month[:4]) * 12 + int(month[5:7]) - 1 + 2
    child = Person(id=UNBORN_ID, role=Role.ENFANT, date_naissance=dt.date(total // 12, total % 12 + 1, 1))
    return household.model_copy(update={"personnes": [*household.personnes, child]})


def build_frame(households: list[Household], places: list[Place], month: str, unborn: bool = False) -> Frame:
    """The whole batch as arrays; households and places are aligned lists.

    `unborn=True` adds each household's expected child (only to compute the birth grant).
    """
    if unborn:
        households = [_with_unborn(h, month) for h in households]
    month_period = periods.period(month)
    months = window(month_period)
    person_ids, person_household, people = [], [], []
    groups: dict[str, list[int]] = {"famille": [], "foyer_fiscal": [], "menage": []}
    roles: dict[str, list[str]] = {"famille": [], "foyer_fiscal": [], "menage": []}
    group_household: dict[str, list[int]] = {"famille": [], "foyer_fiscal": [], "menage": []}
    main_famille = np.zeros(len(households), dtype=int)
    single_parent = []

    for h, household in enumerate(households):
        ordered = sorted(household.personnes, key=lambda p: ROLE_ORDER[p.role])
        married = household.couple in (Couple.MARIE, Couple.PACSE)
        famille = len(group_household["famille"])
        foyer = len(group_household["foyer_fiscal"])
        menage = len(group_household["menage"])
        main_famille[h] = famille
        group_household["famille"].append(h)
        group_household["foyer_fiscal"].append(h)
        group_household["menage"].append(h)
        has_conjoint = any(p.role == Role.CONJOINT for p in ordered)
        for person in ordered:
            person_ids.append(person.id)
            person_household.append(h)
            people.append((person, household))
            single_parent.append(not has_conjoint)
            groups["menage"].append(menage)
            if person.role == Role.DEMANDEUR:
                groups["famille"].append(famille)
                roles["famille"].append("demandeur")
                groups["foyer_fiscal"].append(foyer)
                roles["foyer_fiscal"].append("declarant_principal")
                roles["menage"].append("personne_de_reference")
            elif person.role == Role.CONJOINT:
                groups["famille"].append(famille)
                roles["famille"].append("conjoint")
                roles["menage"].append("conjoint")
                if married:
                    groups["foyer_fiscal"].append(foyer)
                    roles["foyer_fiscal"].append("conjoint")
                else:  # unmarried partners file their own tax returns
                    groups["foyer_fiscal"].append(len(group_household["foyer_fiscal"]))
                    roles["foyer_fiscal"].append("declarant_principal")
                    group_household["foyer_fiscal"].append(h)
            elif person.role == Role.ENFANT:
                groups["famille"].append(famille)
                roles["famille"].append("enfant")
                groups["foyer_fiscal"].append(foyer)
                roles["foyer_fiscal"].append("personne_a_charge")
                roles["menage"].append("enfant")
            else:  # another adult: own famille and foyer fiscal, same home
                groups["famille"].append(len(group_household["famille"]))
                roles["famille"].append("demandeur")
                group_household["famille"].append(h)
                groups["foyer_fiscal"].append(len(group_household["foyer_fiscal"]))
                roles["foyer_fiscal"].append("declarant_principal")
                group_household["foyer_fiscal"].append(h)
                roles["menage"].append("autre")

    frame = Frame(
        month=month_period,
        months=months,
        n_households=len(households),
        person_ids=person_ids,
        person_household=np.array(person_household, dtype=int),
        groups={k: np.array(v, dtype=int) for k, v in groups.items()},
        roles=roles,
        group_household={k: np.array(v, dtype=int) for k, v in group_household.items()},
        main_famille=main_famille,
        people=people,
        households=list(households),
        places=list(places),
    )
    frame.pregnant = np.array(
        [any(p.enceinte and p.role in (Role.DEMANDEUR, Role.CONJOINT) for p in h.personnes) for h in households],
        dtype=bool,
    )
    _person_inputs(frame, people)
    _income_inputs(frame, people)
    _home_inputs(frame, households, places)
    _famille_inputs(frame, households)
    _declared_benefits(frame, households)
    return frame


def _declared_benefits(frame: Frame, households: list[Household]) -> None:
    """Amounts of prestations_percues, at the entity of the OpenFisca variables they stand for.

    Famille benefits go to the demandeur's famille. An individual benefit declared for the
    household goes to the person of that famille it most likely belongs to: the AAH to the
    highest disability rate, the ASI to a person with an invalidity pension, the ASS to a
    person at the end of unemployment rights (else the demandeur). Housing aids also set
    `aide_logement`, their sum.
    """
    system = tax_benefit_system()
    if not any(h.prestations_percues for h in households):
        return
    declared: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def slot(variable):
        if variable not in declared:
            n = frame.count(system.variables[variable].entity.key)
            declared[variable] = (np.zeros(n, dtype=np.float32), np.zeros(n, dtype=bool))
        return declared[variable]

    in_main = frame.groups["famille"] == frame.main_famille[frame.person_household]
    for h, household in enumerate(households):
        for code, amount in household.prestations_percues.items():
            benefit = BY_CODE.get(code)
            if benefit is None:
                continue
            for variable in benefit.feedback:
                values, given = slot(variable)
                if system.variables[variable].entity.key == "individu":
                    index = _individual_owner(frame, h, code, in_main)
                else:
                    index = frame.main_famille[h]
                if variable == "aide_logement":
                    values[index] = (values[index] if given[index] else 0) + amount
                else:
                    values[index] = amount
                given[index] = True
    frame.declared = declared


def _individual_owner(frame: Frame, h: int, code: str, in_main: np.ndarray) -> int:
    candidates = np.flatnonzero((frame.person_household == h) & in_main)
    people = [frame.people[i][0] for i in candidates]
    if code == "aah":
        scores = [p.taux_incapacite for p in people]
    elif code == "asi":
        scores = [2 * p.invalidite + (p.revenus.pension_invalidite is not None) for p in people]
    else:  # ass
        scores = [2 * p.chomage_droits_epuises + (p.situation == Situation.CHOMEUR) for p in people]
    return int(candidates[int(np.argmax(scores))])  # ties: the first, the demandeur


def _birth_dates(people, month: str) -> np.ndarray:
    """Birth dates; from an age alone, the person is taken as born 6 months before turning it."""
    year, mon = int(month[:4]), int(month[5:7])
    dates = []
    for person, _household in people:
        if person.date_naissance is not None:
            dates.append(np.datetime64(person.date_naissance, "D"))
        else:
            total = year * 12 + (mon - 1) - person.age * 12 - 6
            dates.append(np.datetime64(f"{total // 12:04d}-{total % 12 + 1:02d}-01", "D"))
    return np.array(dates, dtype="datetime64[D]")


def _every_month(frame: Frame, variable: str, values) -> None:
    for key in frame.month_keys:
        frame.put(variable, key, values)


def _person_inputs(frame: Frame, people) -> None:
    month = str(frame.month)
    frame.put("date_naissance", "ETERNITY", _birth_dates(people, month))
    frame.age = np.array([age_at(p, month) if p.date_naissance else p.age for p, _ in people])
    attributes = {
        "activite": np.array([ACTIVITE[p.situation] for p, _ in people]),
        "scolarite": np.array([SCOLARITE[p.scolarite] for p, _ in people]),
        "taux_incapacite": np.array([p.taux_incapacite / 100 for p, _ in people], dtype=np.float32),
        "handicap": np.array([p.taux_incapacite >= 50 for p, _ in people]),
        "aah_restriction_substantielle_durable_acces_emploi": np.array([p.restriction_emploi for p, _ in people]),
        "invalidite": np.array([p.invalidite for p, _ in people]),
        "inapte_travail": np.array([p.inapte_travail for p, _ in people]),
        "nationalite": np.array([NATIONALITE[p.nationalite] for p, _ in people]),
        "duree_possession_titre_sejour": np.array([p.titre_sejour_annees for p, _ in people], dtype=np.float32),
        "enceinte": np.array([p.enceinte for p, _ in people]),
        "garde_alternee": np.array([p.garde_alternee for p, _ in people]),
        "ass_precondition_remplie": np.array([p.chomage_droits_epuises for p, _ in people]),
        "categorie_salarie": np.array(["prive_non_cadre" for _ in people]),
        "statut_marital": np.array([_marital(p, h) for p, h in people]),
    }
    for variable, values in attributes.items():
        _every_month(frame, variable, values)


def _marital(person, household) -> str:
    if person.role in (Role.DEMANDEUR, Role.CONJOINT) and household.couple in (Couple.MARIE, Couple.PACSE):
        return "marie" if household.couple == Couple.MARIE else "pacse"
    return "celibataire"


def _tax_parts(frame: Frame, people) -> np.ndarray:
    """Approximate tax parts of each person's foyer fiscal, only to pick the CSG band (see calibration)."""
    foyer = frame.groups["foyer_fiscal"]
    n_foyers = frame.count("foyer_fiscal")
    adults = np.bincount(
        foyer, weights=[r != "personne_a_charge" for r in frame.roles["foyer_fiscal"]], minlength=n_foyers
    )
    children = np.bincount(
        foyer, weights=[r == "personne_a_charge" for r in frame.roles["foyer_fiscal"]], minlength=n_foyers
    )
    child_parts = np.minimum(children, 2) * 0.5 + np.maximum(children - 2, 0)
    single_parent_bonus = np.where((adults == 1) & (children > 0), 0.5, 0)
    return (adults + child_parts + single_parent_bonus)[foyer]


def _income_inputs(frame: Frame, people) -> None:
    months = frame.months
    n = len(people)
    month = str(frame.month)
    years = np.array([m.start.year for m in months])
    incomes = [p.revenus for p, _ in people]
    annual = _annual_overrides(people, years)
    salary_net = annual("salaire_net", _series([i.salaire_net for i in incomes], months))
    salary_gross_given = _series([i.salaire_brut for i in incomes], months)
    yearly_salary = annual.given("salaire_net")
    if yearly_salary is not None:  # a yearly net total replaces a monthly gross answer that year
        salary_gross_given = np.where(yearly_salary, 0.0, salary_gross_given)
    chomage_net = annual("chomage_net", _series([i.chomage_net for i in incomes], months))
    retraite_net = annual("retraite_nette", _series([i.retraite_nette for i in incomes], months))

    salary_gross = np.zeros_like(salary_net)
    salary_taxable = np.zeros_like(salary_net)
    chomage_gross, chomage_taxable = np.zeros_like(salary_net), np.zeros_like(salary_net)
    retraite_gross, retraite_taxable = np.zeros_like(salary_net), np.zeros_like(salary_net)
    # CSG band of replacement incomes: from an estimated RFR of year N-2 (net annual resources
    # of the foyer after the 10 % deduction) and the foyer's tax parts.
    foyer = frame.groups["foyer_fiscal"]
    parts = _tax_parts(frame, people)
    for year in np.unique(years):
        cols = years == year
        table = calibration.salary_table(int(year), month)
        gross, taxable = table.from_net(salary_net[:, cols])
        given = salary_gross_given[:, cols] > 0
        gross_net, gross_taxable = table.from_gross(salary_gross_given[:, cols])
        salary_gross[:, cols] = np.where(given, salary_gross_given[:, cols], gross)
        salary_taxable[:, cols] = np.where(given, gross_taxable, taxable)
        salary_net[:, cols] = np.where(given, gross_net, salary_net[:, cols])

        n2 = years == year - 2
        yearly = (
            (salary_net[:, n2].sum(1) + chomage_net[:, n2].sum(1) + retraite_net[:, n2].sum(1))
            if n2.any()
            else (
                (salary_net[:, cols].sum(1) + chomage_net[:, cols].sum(1) + retraite_net[:, cols].sum(1))
                * 12
                / cols.sum()
            )
        )
        rfr = np.bincount(foyer, weights=0.9 * yearly, minlength=frame.count("foyer_fiscal"))[foyer]
        band = calibration.csg_band(rfr, parts, int(year))[:, None]
        for net, gross_out, taxable_out, kind in (
            (chomage_net, chomage_gross, chomage_taxable, "chomage"),
            (retraite_net, retraite_gross, retraite_taxable, "retraite"),
        ):
            table = calibration.replacement_table(kind, int(year), month)
            g, t = table.from_net(net[:, cols], np.broadcast_to(band, net[:, cols].shape))
            gross_out[:, cols], taxable_out[:, cols] = g, t

    ca = np.zeros((n, len(months)))
    ca_kind = [i.type_independant.value for i in incomes]
    ca_all = annual("chiffre_affaires", _series([i.chiffre_affaires for i in incomes], months))
    per_kind = {kind: np.where(np.array(ca_kind)[:, None] == kind, ca_all, 0.0) for kind in CA_VARIABLE}
    del ca
    plain = {
        var: annual(name, _series([getattr(i, name) for i in incomes], months)) for name, var in PLAIN_INCOMES.items()
    }
    epargne = np.array([h.epargne if p.role == Role.DEMANDEUR else 0 for p, h in people], dtype=float)
    zeros = np.zeros(n, dtype=np.float32)
    for k, period in enumerate(frame.month_keys):
        put = frame.put
        put("salaire_net", period, salary_net[:, k])
        put("salaire_de_base", period, salary_gross[:, k])
        put("salaire_imposable", period, salary_taxable[:, k])
        put("chomage_net", period, chomage_net[:, k])
        put("chomage_brut", period, chomage_gross[:, k])
        put("chomage_imposable", period, chomage_taxable[:, k])
        put("retraite_nette", period, retraite_net[:, k])
        put("retraite_brute", period, retraite_gross[:, k])
        put("retraite_imposable", period, retraite_taxable[:, k])
        for kind, variable in CA_VARIABLE.items():
            put(variable, period, per_kind[kind][:, k])
        for variable, values in plain.items():
            put(variable, period, values[:, k])
        put("livret_a", period, epargne)
    del zeros
    for variable in ZERO_INCOMES:
        _zero_everywhere(frame, variable)


class _annual_overrides:
    """Applies `revenus_annuels`: a yearly total replaces that year's months (total / 12 each)."""

    def __init__(self, people, years: np.ndarray):
        self.masks: dict[str, np.ndarray] = {}
        self.values: dict[str, np.ndarray] = {}
        n, m = len(people), len(years)
        for i, (person, _household) in enumerate(people):
            for entry in person.revenus_annuels:
                cols = years == entry.annee
                for name in ANNUAL_FIELDS:
                    total = getattr(entry, name)
                    if total is None:
                        continue
                    mask = self.masks.setdefault(name, np.zeros((n, m), dtype=bool))
                    values = self.values.setdefault(name, np.zeros((n, m)))
                    mask[i, cols] = True
                    values[i, cols] = total / 12

    def given(self, name: str):
        return self.masks.get(name)

    def __call__(self, name: str, series: np.ndarray) -> np.ndarray:
        if name not in self.masks:
            return series
        return np.where(self.masks[name], self.values[name], series)


def _zero_everywhere(frame: Frame, variable: str) -> None:
    """Zero for every month (or year) of the window, at the variable's own entity."""
    meta = tax_benefit_system().variables[variable]
    values = np.zeros(frame.count(meta.entity.key), dtype=np.float32)
    if meta.definition_period == "year":
        for year in sorted({m.start.year for m in frame.months}):
            frame.put(variable, str(year), values)
    else:
        _every_month(frame, variable, values)


def _home_inputs(frame: Frame, households: list[Household], places: list[Place]) -> None:
    statut = np.array([STATUT[h.logement.statut] for h in households])
    rent = np.array([h.logement.loyer for h in households], dtype=np.float32)
    rent = np.where(np.isin(statut, ["proprietaire", "loge_gratuitement", "sans_domicile"]), 0, rent)
    coloc = np.array([h.logement.colocation for h in households])
    conventionne = np.array(
        [
            h.logement.conventionne
            if h.logement.conventionne is not None
            else h.logement.statut == StatutLogement.LOCATAIRE_HLM
            for h in households
        ]
    )
    depcom = np.array([place.depcom for place in places])
    # The local health regime of Alsace-Moselle (CSS participation, CSS L861-1): as the household
    # says (regime_alsace_moselle), else taken as applying to residents of Bas-Rhin, Haut-Rhin and
    # Moselle (it follows affiliation, mostly by workplace; the results say it was assumed).
    alsace_moselle = np.array([regime_local(h, place) for h, place in zip(households, places, strict=True)])[
        frame.person_household
    ]
    _every_month(frame, "salarie_regime_alsace_moselle", alsace_moselle)
    for period in frame.month_keys:
        frame.put("depcom", period, depcom)
        frame.put("statut_occupation_logement", period, statut)
        frame.put("loyer", period, rent)
        frame.put("coloc", period, coloc)
        frame.put("logement_conventionne", period, conventionne)


def _famille_inputs(frame: Frame, households: list[Household]) -> None:
    n_familles = frame.count("famille")
    isolement = np.zeros(n_familles, dtype=bool)
    isolement[frame.main_famille] = [h.isolement_recent for h in households]
    _every_month(frame, "rsa_isolement_recent", isolement)


ALSACE_MOSELLE = ("57", "67", "68")


def regime_local(household: Household, place) -> bool:
    """Whether the household is taken as affiliated to the Alsace-Moselle local health regime."""
    if household.regime_alsace_moselle is not None:
        return household.regime_alsace_moselle
    return place.departement in ALSACE_MOSELLE
