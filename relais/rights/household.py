"""The household as people describe it: plain answers, validated at the edge.

One JSON shape for the API, the `simulate_rights` command and each row of `screen_rights`
(docs/adr/0004-rights-engine.md, "Household JSON"). Amounts are euros per month, net, as people
know them; the mapping layer (relais.rights.mapping) turns them into OpenFisca inputs.
Every error names the person (by id and position), the field and the problem, in French.

Which question asks which field: relais.rights.questions (FIELDS). Fields of the contract used
by the questionnaire pages:

- `prestations_percues`: {benefit or local aid code: monthly amount already received}; the
  result marks those items `deja_percu`, and the engine counts the amounts as resources where
  the law does (instead of its own steady-state estimate).
- `Person.enceinte` with `Person.naissance_prevue` (AAAA-MM): the PAJE birth grant.
- `Person.revenus_annuels`: yearly net totals of a past tax year (question group
  "annee_fiscale"), for the aids that read the income of year N-2 (family benefits, AAH,
  chèque énergie, school grants); without them, that year is estimated from today's incomes.
"""

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from relais.rights.benefits import BY_CODE
from relais.rights.local import catalogue
from relais.territories.cog import is_commune_code

MAX_PERSONS = 12
MAX_AMOUNT = 1_000_000  # euros per month: anything above is a typing error
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The months the pinned law covers (docs/adr/0004-rights-engine.md, "Months simulated"): from the first
# month for which every simulated benefit finds its parameters over its whole look-back window (January
# of N-3; tested by simulating the golden households at FIRST_MONTH), to December of next year (later,
# the law would be today's law with a made-up date, and OpenFisca extrapolates slowly).
FIRST_MONTH = "2022-01"
YEARS_AHEAD = 1


def month_window(today: dt.date | None = None) -> tuple[str, str]:
    """The first and last months accepted for a simulation, as AAAA-MM."""
    today = today or dt.date.today()
    return FIRST_MONTH, f"{today.year + YEARS_AHEAD:04d}-12"


class Role(StrEnum):
    DEMANDEUR = "demandeur"  # the person who asks
    CONJOINT = "conjoint"  # their partner, living with them
    ENFANT = "enfant"  # a child in their care
    AUTRE = "autre"  # another adult in the home (own household for benefits)


class Couple(StrEnum):
    MARIE = "marie"
    PACSE = "pacse"
    CONCUBINAGE = "concubinage"


class Situation(StrEnum):
    SALARIE = "salarie"
    INDEPENDANT = "independant"
    CHOMEUR = "chomeur"
    ETUDIANT = "etudiant"
    ELEVE = "eleve"
    RETRAITE = "retraite"
    INACTIF = "inactif"


class Scolarite(StrEnum):
    AUCUNE = "aucune"
    MATERNELLE = "maternelle"
    PRIMAIRE = "primaire"
    COLLEGE = "college"
    LYCEE = "lycee"
    SUPERIEUR = "superieur"


class StatutLogement(StrEnum):
    LOCATAIRE = "locataire"  # private, unfurnished
    LOCATAIRE_MEUBLE = "locataire_meuble"
    LOCATAIRE_HLM = "locataire_hlm"  # social housing (conventionné: APL, RLS)
    LOCATAIRE_FOYER = "locataire_foyer"
    PROPRIETAIRE = "proprietaire"
    ACCEDANT = "accedant"  # paying back a loan for the home
    HEBERGE = "heberge"  # housed free of charge
    SANS_DOMICILE = "sans_domicile"


class Nationalite(StrEnum):
    FRANCAISE = "francaise"
    UE = "ue"  # EU/EEA/Swiss citizen
    HORS_UE = "hors_ue"


class TypeIndependant(StrEnum):
    VENTE = "vente"  # sale of goods (BIC vente)
    SERVICES = "services"  # commercial services (BIC services)
    LIBERAL = "liberal"  # non-commercial (BNC)


def _month(value: str, field: str) -> str:
    if not MONTH_RE.match(value):
        raise ValueError(_("%(field)s : « %(value)s » n’est pas un mois AAAA-MM.") % {"field": field, "value": value})
    return value


Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT)]


class Income(BaseModel):
    """An amount per month, received since a month and/or until a month (inclusive); else all along."""

    model_config = ConfigDict(extra="forbid")

    mensuel: Amount = Field(description="Montant net par mois, en euros.")
    depuis: str | None = Field(None, description="Premier mois perçu (AAAA-MM) ; absent : depuis toujours.")
    jusqu_a: str | None = Field(None, description="Dernier mois perçu (AAAA-MM) ; absent : toujours perçu.")

    @field_validator("depuis", "jusqu_a")
    @classmethod
    def _months(cls, value, info):
        return None if value is None else _month(value, info.field_name)

    @model_validator(mode="after")
    def _order(self):
        if self.depuis and self.jusqu_a and self.jusqu_a < self.depuis:
            raise ValueError(
                _("jusqu_a (%(end)s) précède depuis (%(start)s).") % {"end": self.jusqu_a, "start": self.depuis}
            )
        return self


IncomeAnswer = Amount | Income


class Incomes(BaseModel):
    """Monthly net amounts; each is a number (same every month) or {mensuel, depuis, jusqu_a}."""

    model_config = ConfigDict(extra="forbid")

    salaire_net: IncomeAnswer | None = Field(None, description="Salaire net mensuel (avant prélèvement à la source).")
    salaire_brut: IncomeAnswer | None = Field(None, description="Salaire brut mensuel, si connu au lieu du net.")
    chiffre_affaires: IncomeAnswer | None = Field(None, description="Chiffre d’affaires mensuel de micro-entrepreneur.")
    type_independant: TypeIndependant = TypeIndependant.SERVICES
    chomage_net: IncomeAnswer | None = Field(None, description="Allocation chômage (ARE) nette mensuelle.")
    retraite_nette: IncomeAnswer | None = Field(None, description="Pensions de retraite nettes mensuelles.")
    pension_invalidite: IncomeAnswer | None = Field(None, description="Pension d’invalidité mensuelle.")
    indemnites_journalieres: IncomeAnswer | None = Field(None, description="Indemnités journalières maladie, par mois.")
    pension_alimentaire_recue: IncomeAnswer | None = Field(None, description="Pension alimentaire reçue par mois.")
    pension_alimentaire_versee: IncomeAnswer | None = Field(None, description="Pension alimentaire versée par mois.")
    bourse_etudes: IncomeAnswer | None = Field(None, description="Bourse d’études supérieures par mois.")
    revenus_locatifs: IncomeAnswer | None = Field(None, description="Loyers perçus (revenus fonciers) par mois.")


YearlyAmount = Annotated[float, Field(ge=0, le=MAX_AMOUNT * 12)]


class AnnualIncomes(BaseModel):
    """Net totals of one past calendar year (as on the tax return), for the aids that read it.

    A field given replaces, for every month of that year, the monthly answer; a field left out
    keeps it (the situation is then taken as stable).
    """

    model_config = ConfigDict(extra="forbid")

    annee: int = Field(description="Année civile des revenus (N-3 à N-1 du mois simulé).")
    salaire_net: YearlyAmount | None = Field(None, description="Salaires nets de l’année, en euros.")
    chiffre_affaires: YearlyAmount | None = Field(
        None, description="Chiffre d’affaires de micro-entrepreneur de l’année."
    )
    chomage_net: YearlyAmount | None = Field(None, description="Allocations chômage nettes de l’année.")
    retraite_nette: YearlyAmount | None = Field(None, description="Pensions de retraite nettes de l’année.")
    pension_invalidite: YearlyAmount | None = Field(None, description="Pensions d’invalidité de l’année.")
    indemnites_journalieres: YearlyAmount | None = Field(None, description="Indemnités journalières de l’année.")
    pension_alimentaire_recue: YearlyAmount | None = Field(
        None, description="Pensions alimentaires reçues dans l’année."
    )
    pension_alimentaire_versee: YearlyAmount | None = Field(
        None, description="Pensions alimentaires versées dans l’année."
    )
    revenus_locatifs: YearlyAmount | None = Field(None, description="Loyers perçus dans l’année.")


ANNUAL_FIELDS = [name for name in AnnualIncomes.model_fields if name != "annee"]


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=40, description="Identifiant libre, repris dans les messages.")
    role: Role
    date_naissance: dt.date | None = Field(None, description="AAAA-MM-JJ ou AAAA-MM (au 1er du mois).")
    age: Annotated[int, Field(ge=0, le=120)] | None = Field(
        None, description="Âge en années, si la date de naissance n’est pas connue."
    )
    situation: Situation = Situation.INACTIF
    scolarite: Scolarite = Scolarite.AUCUNE
    taux_incapacite: Annotated[int, Field(ge=0, le=100)] = Field(0, description="Taux reconnu par la MDPH, en %.")
    restriction_emploi: bool = Field(False, description="Restriction substantielle et durable d’accès à l’emploi.")
    invalidite: bool = Field(False, description="Invalidité reconnue par l’Assurance maladie (pension).")
    inapte_travail: bool = Field(False, description="Inaptitude au travail reconnue (ASPA avant 65 ans).")
    nationalite: Nationalite = Nationalite.FRANCAISE
    titre_sejour_annees: Annotated[int, Field(ge=0, le=100)] = Field(
        0, description="Années de titre de séjour autorisant à travailler (hors UE)."
    )
    enceinte: bool = False
    naissance_prevue: str | None = Field(
        None, description="Mois prévu de la naissance (AAAA-MM), pour une personne enceinte : prime à la naissance."
    )
    garde_alternee: bool = False
    chomage_droits_epuises: bool = Field(
        False, description="Fin de droits ARE avec 5 ans d’activité salariée dans les 10 dernières années (ASS)."
    )
    revenus: Incomes = Field(default_factory=Incomes)
    revenus_annuels: list[AnnualIncomes] = Field(
        default_factory=list,
        max_length=3,
        description="Revenus d’une année passée (année fiscale), si différents des revenus mensuels actuels.",
    )

    @field_validator("naissance_prevue")
    @classmethod
    def _expected_birth(cls, value):
        return None if value is None else _month(value, "naissance_prevue")

    @field_validator("date_naissance", mode="before")
    @classmethod
    def _birth(cls, value):
        if isinstance(value, str) and MONTH_RE.match(value):
            return value + "-01"
        return value

    @model_validator(mode="after")
    def _age_or_birth(self):
        if self.date_naissance is None and self.age is None:
            raise ValueError(_("indiquer date_naissance ou age."))
        return self


class Housing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statut: StatutLogement = StatutLogement.LOCATAIRE
    loyer: Amount = Field(0, description="Loyer mensuel hors charges (ou mensualité d’emprunt), en euros.")
    colocation: bool = False
    conventionne: bool | None = Field(None, description="Logement conventionné APL ; par défaut : oui en HLM.")


class Household(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mois: str | None = Field(None, description="Mois simulé AAAA-MM ; par défaut le mois en cours.")
    commune: str = Field(description="Code Insee de la commune (ou de l’arrondissement) de résidence.")
    logement: Housing = Field(default_factory=Housing)
    couple: Couple | None = Field(None, description="Lien du demandeur et du conjoint, s’il y en a un.")
    personnes: list[Person] = Field(min_length=1, max_length=MAX_PERSONS)
    epargne: Amount = Field(0, description="Épargne disponible (livrets), en euros.")
    isolement_recent: bool = Field(False, description="Parent seul depuis moins de 18 mois (RSA majoré).")
    regime_alsace_moselle: bool | None = Field(
        None,
        description=(
            "Affiliation au régime local d’Alsace-Moselle (assurance maladie) ; non indiqué : supposée pour "
            "les habitants du Bas-Rhin, du Haut-Rhin et de la Moselle (elle dépend surtout du lieu de travail)."
        ),
    )
    prestations_percues: dict[str, Amount] = Field(
        default_factory=dict,
        description=(
            "Prestations et aides déjà perçues : code (celui des résultats) → montant mensuel en euros. "
            "Marquées « déjà perçues » dans le résultat et comptées comme ressources là où la loi les compte."
        ),
    )

    @field_validator("mois")
    @classmethod
    def _mois(cls, value):
        if value is None:
            return None
        first, last = month_window()
        if not first <= _month(value, "mois") <= last:
            raise ValueError(
                _(
                    "mois : « %(value)s » est hors de la période couverte par la législation chargée "
                    "(de %(first)s à %(last)s)."
                )
                % {"value": value, "first": first, "last": last}
            )
        return value

    @field_validator("commune")
    @classmethod
    def _commune(cls, value):
        value = value.strip().upper()
        if not is_commune_code(value):
            raise ValueError(_("« %(value)s » n’est pas un code Insee à 5 caractères.") % {"value": value})
        return value

    @field_validator("prestations_percues")
    @classmethod
    def _received(cls, value):
        known = received_codes()
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(
                _("code(s) inconnu(s) : %(codes)s (codes admis : ceux des prestations et des aides locales).")
                % {"codes": ", ".join(unknown)}
            )
        return value


def received_codes() -> set[str]:
    """Codes accepted in `prestations_percues`: national benefits and local aids."""
    return set(BY_CODE) | {aid.id for aid in catalogue()}


class HouseholdError(Exception):
    """Invalid answers: `problems` is a list of {"champ", "personne", "message"} in French."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(p["message"] for p in problems))


UNION_TAGS = {"float", "int", "str", "date", "Income", "constrained-float", "constrained-int"}


def _clean(loc: tuple) -> tuple:
    """The location without pydantic's union branch names ("constrained-float", "Income"...)."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p in UNION_TAGS or "[" in p)))


def _loc_to_problem(data: dict, loc: tuple, message: str) -> dict:
    person = None
    parts = list(_clean(loc))
    if len(parts) >= 2 and parts[0] == "personnes" and isinstance(parts[1], int):
        index = parts[1]
        people = data.get("personnes") if isinstance(data, dict) else None
        raw_id = people[index].get("id") if isinstance(people, list) and isinstance(people[index], dict) else None
        person = str(raw_id) if raw_id else None
        who = (
            _("personne « %(id)s » (n° %(n)s)") % {"id": person, "n": index + 1}
            if person
            else _("personne n° %(n)s") % {"n": index + 1}
        )
        parts = parts[2:]
    else:
        who = None
    # Drop pydantic's union branch names ("float", "Income", "function-after[...]").
    field = ".".join(str(p) for p in parts if not isinstance(p, int))
    text = message.removeprefix("Value error, ")
    label = ", ".join(x for x in [who, _("champ %(f)s") % {"f": field} if field else None] if x)
    return {"champ": field, "personne": person, "message": f"{label} : {text}" if label else text}


def _french(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    inp = error.get("input")
    messages = {
        "missing": _("obligatoire."),
        "extra_forbidden": _("champ inconnu."),
        "greater_than_equal": _("doit être supérieur ou égal à %(ge)s (reçu %(input)s)."),
        "less_than_equal": _("doit être inférieur ou égal à %(le)s (reçu %(input)s)."),
        "float_parsing": _("« %(input)s » n’est pas un nombre."),
        "float_type": _("« %(input)s » n’est pas un nombre."),
        "int_parsing": _("« %(input)s » n’est pas un nombre entier."),
        "int_type": _("« %(input)s » n’est pas un nombre entier."),
        "bool_parsing": _("« %(input)s » n’est pas un booléen (true ou false)."),
        "date_from_datetime_parsing": _("« %(input)s » n’est pas une date AAAA-MM-JJ."),
        "date_parsing": _("« %(input)s » n’est pas une date AAAA-MM-JJ."),
        "too_short": _("au moins %(min_length)s élément(s)."),
        "too_long": _("au plus %(max_length)s éléments."),
        "string_too_short": _("ne doit pas être vide."),
        "string_too_long": _("au plus %(max_length)s caractères."),
        "string_type": _("doit être un texte."),
        "model_type": _("doit être un objet JSON."),
        "list_type": _("doit être une liste."),
    }
    if kind == "enum":
        return _("« %(input)s » n’est pas une valeur admise (%(expected)s).") % {
            "input": inp,
            "expected": ctx.get("expected", ""),
        }
    if kind in messages:
        return messages[kind] % {**ctx, "input": inp}
    return error["msg"]


def parse_household(data) -> Household:
    """Validate plain answers; raises HouseholdError naming each person and field at fault."""
    if not isinstance(data, dict):
        raise HouseholdError([{"champ": "", "personne": None, "message": _("Le ménage doit être un objet JSON.")}])
    try:
        household = Household.model_validate(data)
    except ValidationError as exc:
        problems, seen = [], set()
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            # A number-or-object answer: report the branch that matches what was sent.
            if error["type"] in ("float_type", "float_parsing") and isinstance(error.get("input"), dict):
                continue
            if error["type"] == "model_type" and "Income" in loc and not isinstance(error.get("input"), dict):
                continue
            # A union (number or object) reports both branches; keep the first message per place.
            key = _clean(loc)
            if key in seen:
                continue
            seen.add(key)
            problems.append(_loc_to_problem(data, loc, _french(error)))
        raise HouseholdError(problems) from None
    check_consistency(household)
    return household


def reference_month(household: Household, today: dt.date | None = None) -> str:
    if household.mois:
        return household.mois
    today = today or dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def age_at(person: Person, month: str) -> int | None:
    """Age in whole years on the first day of `month`, from the birth date if given."""
    if person.date_naissance is None:
        return person.age
    year, mon = int(month[:4]), int(month[5:7])
    birth = person.date_naissance
    return year - birth.year - ((mon, 1) < (birth.month, birth.day))


def _add_months(month: str, n: int) -> str:
    total = int(month[:4]) * 12 + int(month[5:7]) - 1 + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def check_consistency(household: Household) -> None:
    """Rules across fields: one demandeur, ages possible, children with a parent, unique ids."""
    problems = []
    month = reference_month(household)
    ids = [p.id for p in household.personnes]

    def add(person: Person | None, field: str, message: str):
        if person is None:
            problems.append({"champ": field, "personne": None, "message": message})
        else:
            n = household.personnes.index(person) + 1
            who = _("personne « %(id)s » (n° %(n)s)") % {"id": person.id, "n": n}
            problems.append(
                {"champ": field, "personne": person.id, "message": f"{who}, {_('champ')} {field} : {message}"}
            )

    for person in household.personnes:
        if ids.count(person.id) > 1:
            add(person, "id", _("identifiant en double."))
        if person.date_naissance is not None:
            first_day = dt.date(int(month[:4]), int(month[5:7]), 1)
            if person.date_naissance > first_day + dt.timedelta(days=31):
                add(
                    person,
                    "date_naissance",
                    _(
                        "date de naissance après le mois simulé (%(m)s) ; pour une naissance attendue, indiquer "
                        "enceinte et naissance_prevue sur la future mère."
                    )
                    % {"m": month},
                )
            elif age_at(person, month) > 120:
                add(person, "date_naissance", _("plus de 120 ans : date impossible."))
        if person.naissance_prevue is not None:
            if not person.enceinte:
                add(person, "naissance_prevue", _("indiquée sans enceinte = true."))
            elif not month <= person.naissance_prevue <= _add_months(month, 9):
                add(
                    person,
                    "naissance_prevue",
                    _("%(v)s : attendue entre %(a)s et %(b)s (le mois simulé et les 9 mois suivants).")
                    % {"v": person.naissance_prevue, "a": month, "b": _add_months(month, 9)},
                )
        years = [y.annee for y in person.revenus_annuels]
        year = int(month[:4])
        for value in years:
            if not year - 3 <= value <= year - 1:
                add(
                    person,
                    "revenus_annuels.annee",
                    _("%(v)s : une année passée entre %(a)s et %(b)s.") % {"v": value, "a": year - 3, "b": year - 1},
                )
        if len(set(years)) < len(years):
            add(person, "revenus_annuels.annee", _("la même année est donnée deux fois."))
    demandeurs = [p for p in household.personnes if p.role == Role.DEMANDEUR]
    conjoints = [p for p in household.personnes if p.role == Role.CONJOINT]
    enfants = [p for p in household.personnes if p.role == Role.ENFANT]
    if len(demandeurs) != 1:
        if enfants and not demandeurs:
            add(
                enfants[0],
                "role",
                _("un enfant sans parent : le ménage doit avoir une personne de rôle « demandeur »."),
            )
        else:
            add(
                None,
                "personnes",
                _("il faut exactement une personne de rôle « demandeur » (%(n)s trouvée(s)).") % {"n": len(demandeurs)},
            )
    if len(conjoints) > 1:
        add(conjoints[1], "role", _("au plus un conjoint."))
    if conjoints and household.couple is None:
        household.couple = Couple.CONCUBINAGE
    if household.couple is not None and not conjoints:
        add(
            None,
            "couple",
            _("Champ couple : « %(v)s » indiqué sans personne de rôle « conjoint » dans personnes.")
            % {"v": household.couple.value},
        )
    for adult in demandeurs + conjoints:
        age = age_at(adult, month)
        if age is not None and age < 16:
            add(adult, "age", _("%(age)s ans : un demandeur ou un conjoint a au moins 16 ans.") % {"age": age})
    if demandeurs:
        parent_age = age_at(demandeurs[0], month)
        for child in enfants:
            child_age = age_at(child, month)
            if parent_age is not None and child_age is not None and child_age > parent_age - 12:
                add(
                    child,
                    "age",
                    _("%(c)s ans pour un enfant dont le parent a %(p)s ans : âges impossibles.")
                    % {"c": child_age, "p": parent_age},
                )
    if problems:
        raise HouseholdError(problems)
