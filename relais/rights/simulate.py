"""Households in, rights out: validation, places, national benefits, local aids, explanations.

`simulate_households` is what the API, `simulate_rights` and `screen_rights` call. Households
that fail validation come back as errors (naming person and field); the others are simulated
together, in vectorised batches, whatever their number.
"""

import datetime as dt
import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.utils.translation import get_language, gettext, gettext_lazy

from relais.rights import engine, freshness, local
from relais.rights.benefits import BENEFITS, BY_CODE
from relais.rights.household import Household, HouseholdError, Role, age_at, parse_household, reference_month
from relais.rights.mapping import ALSACE_MOSELLE, regime_local
from relais.rights.places import Place, resolve
from relais.rights.system import last_revaluation, versions
from relais.rights.totals import TO_CHECK, monthly_totals

# Benefits counted, per month, in the household resources that local aids look at.
MONTHLY_RESOURCES = [
    "rsa", "prime_activite", "apl", "alf", "als", "allocations_familiales", "complement_familial", "asf",
    "paje_base", "aah", "majoration_vie_autonome", "aspa", "asi", "ass",
]  # fmt: skip
INCOME_INPUTS = [
    "salaire_net", "chomage_net", "retraite_nette", "pensions_invalidite", "indemnites_journalieres",
    "pensions_alimentaires_percues", "bourse_enseignement_sup", "revenus_locatifs",
    "rpns_auto_entrepreneur_CA_achat_revente", "rpns_auto_entrepreneur_CA_bic", "rpns_auto_entrepreneur_CA_bnc",
]  # fmt: skip
ACTIVITY_INPUTS = ["salaire_net", "rpns_auto_entrepreneur_CA_achat_revente", "rpns_auto_entrepreneur_CA_bic",
                   "rpns_auto_entrepreneur_CA_bnc"]  # fmt: skip
# Individual benefits counted in a person's own resources.
PERSONAL_BENEFITS = ["aah", "majoration_vie_autonome", "asi", "ass"]

logger = logging.getLogger(__name__)


# Translations, memoised per language while results are built: a batch of 10 000 households
# asks for the same few dozen texts hundreds of thousands of times, and each gettext call goes
# through Django's asgiref locals (about 30 µs).
_state = threading.local()
_TRANSLATED: dict[tuple[str, object], str] = {}


def _(message: str) -> str:
    language = getattr(_state, "language", None)
    if language is None:
        return gettext(message)
    key = (language, message)
    text = _TRANSLATED.get(key)
    if text is None:
        text = _TRANSLATED[key] = gettext(message)
    return text


def _str(lazy) -> str:
    """str() of a lazy translation (benefit names...), memoised like `_`."""
    language = getattr(_state, "language", None)
    if language is None:
        return str(lazy)
    key = (language, id(lazy))
    text = _TRANSLATED.get(key)
    if text is None:
        text = _TRANSLATED[key] = str(lazy)
    return text


@dataclass
class Outcome:
    index: int
    result: dict | None = None
    problems: list[dict] | None = None
    failed: bool = False  # valid answers, but the engine failed on this household (problems say so)


ESTIMATION = gettext_lazy(
    "Estimation indicative, calculée d’après vos réponses et la législation connue au %(date)s "
    "(OpenFisca-France %(version)s) : seul l’organisme qui verse chaque aide décide du droit et du "
    "montant, après étude de votre demande."
)
# Per-item flags (`estimation` on each result item): code -> plain French explanation.
ESTIMATION_FLAGS = {
    "annee_fiscale_estimee": gettext_lazy(
        "Les revenus de l’année %(y)s (déclaration de revenus) sont estimés d’après vos revenus actuels."
    ),
    "prestations_estimees": gettext_lazy(
        "Les autres prestations comptées dans les ressources sont estimées, faute d’en connaître le montant perçu."
    ),
    "conditions_non_evaluees": gettext_lazy(
        "Certaines conditions ne sont pas évaluées ici : à confirmer auprès de l’organisme."
    ),
    "naissance_prevue_inconnue": gettext_lazy(
        "Mois prévu de la naissance non indiqué : la prime est estimée comme due maintenant."
    ),
    "regles_incertaines": gettext_lazy("Règles de l’aide en partie incertaines : à vérifier avec un professionnel."),
    "a_examiner": gettext_lazy("Règles d’attribution non publiées ici : seule la demande dira si l’aide est accordée."),
    "conditions_a_verifier": gettext_lazy("D’autres conditions, non demandées ici, sont à vérifier."),
    "loi_en_retard": gettext_lazy(
        "Un paramètre de cette aide attend sa revalorisation dans la législation utilisée : le résultat peut être "
        "inexact, surtout près d’un plafond."
    ),
}
LATE_LAW = gettext_lazy(
    "Législation à mettre à jour : %(label)s (%(benefits)s) n’a pas encore sa revalorisation du %(date)s dans "
    "la législation utilisée (dernière valeur connue : %(latest)s). Les résultats de ces aides peuvent être "
    "inexacts, surtout près d’un plafond : à confirmer auprès de l’organisme."
)


def legislation(month: str) -> dict:
    revaluation = last_revaluation(
        "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa"
    )
    return {
        "moteur": "OpenFisca-France",
        "version": versions()["openfisca_france"],
        "openfisca_core": versions()["openfisca_core"],
        "mois": month,
        "date_legislation": f"{month}-01",
        "derniere_revalorisation_rsa": revaluation.isoformat() if revaluation else None,
        "parametres_en_retard": [
            {
                "parametre": key,
                "libelle": str(s.family.label),
                "derniere_valeur": s.latest.isoformat(),
                "revalorisation_attendue": s.expected.isoformat(),
                "source_calendrier": s.family.source,
            }
            for key, s in freshness.overdue(_first_day(month)).items()
        ],  # fmt: skip
    }


def _first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def _late_law_warnings(month: str) -> list[str]:
    """One warning per overdue parameter family, naming the benefits that rest on it."""
    warnings = []
    for key, status in freshness.overdue(_first_day(month)).items():
        names = [_str(b.name) for b in BENEFITS if key in freshness.BENEFIT_FAMILIES.get(b.code, ())]
        warnings.append(_str(LATE_LAW) % {
            "label": _str(status.family.label), "benefits": ", ".join(names),
            "date": status.expected.strftime("%d/%m/%Y"), "latest": status.latest.strftime("%d/%m/%Y"),
        })  # fmt: skip
    return warnings


def simulate_households(
    data: list,
    *,
    passes: int | None = 2,
    chunk: int = engine.RIGHTS_CHUNK,
    places: dict[str, Place] | None = None,
    on_progress=None,
    detail: bool = True,
) -> list[Outcome]:
    """Simulate households (dicts or Household); `places` replaces the referential (tests, benches).

    `detail=False` gives light results for batch screening: per item only code, eligible,
    montant, periodicite, deja_percu (and the CSS form); local aids only id, eligible, statut,
    montant, deja_percu; no explanations, claims, notices (a third of the batch time otherwise).

    `on_progress(done, total)` is called after each simulated chunk (and once at the end), with
    `total` the number of households given and `done` those finished, rejected ones included.
    """
    outcomes = [Outcome(i) for i in range(len(data))]
    valid: list[tuple[int, Household]] = []
    for i, item in enumerate(data):
        try:
            valid.append((i, item if isinstance(item, Household) else parse_household(item)))
        except HouseholdError as exc:
            outcomes[i].problems = exc.problems
    places = places if places is not None else resolve({h.commune for _, h in valid})
    by_month: dict[str, list[tuple[int, Household]]] = {}
    for i, household in valid:
        if household.commune not in places:
            message = _("Champ commune : « %(code)s » n’est pas un code Insee connu du référentiel.") % {
                "code": household.commune
            }
            outcomes[i].problems = [{"champ": "commune", "personne": None, "message": message}]
            continue
        by_month.setdefault(reference_month(household), []).append((i, household))
    total = len(data)
    progress = _Progress(total - sum(len(items) for items in by_month.values()), total, on_progress)
    for month, items in by_month.items():
        chunk_items = [(i, h, places[h.commune]) for i, h in items]
        for start in range(0, len(chunk_items), chunk):
            _simulate_alone_if_need_be(chunk_items[start : start + chunk], month, outcomes, passes, detail, progress)
    if on_progress is not None:
        on_progress(total, total)
    return outcomes


@dataclass
class _Progress:
    done: int
    total: int
    callback: object

    def add(self, count: int) -> None:
        self.done += count
        if self.callback is not None and self.done < self.total:
            self.callback(self.done, self.total)


def _simulate_alone_if_need_be(items: list, month: str, outcomes: list[Outcome], passes, detail, progress) -> None:
    """Simulate `items` (index, household, place) together; if the engine fails, halve the group until the
    household that makes it fail is alone: that one is reported, every other household gets its result."""
    households, house_places = [item[1] for item in items], [item[2] for item in items]
    try:
        computed = next(engine.compute_batch(households, house_places, month, passes=passes, chunk=len(items)))[1]
        results = _results(computed, households, house_places, month, detail)
    except Exception:
        if len(items) == 1:
            logger.exception("rights: the simulation of household %s (month %s) failed", items[0][0] + 1, month)
        results = None
    if results is None and len(items) > 1:
        middle = len(items) // 2
        _simulate_alone_if_need_be(items[:middle], month, outcomes, passes, detail, progress)
        _simulate_alone_if_need_be(items[middle:], month, outcomes, passes, detail, progress)
        return
    if results is None:
        outcome = outcomes[items[0][0]]
        outcome.failed = True
        message = _(
            "Le calcul de ce ménage a échoué (erreur interne signalée) ; les autres ménages ne sont pas concernés."
        )
        outcome.problems = [{"champ": "", "personne": None, "message": message}]
        progress.add(1)
        return
    for item, result in zip(items, results, strict=True):
        outcomes[item[0]].result = result
    progress.add(len(items))


def _declared(computed, households: list[Household]) -> dict[str, np.ndarray]:
    """Per household: declared amount of each code (NaN where not declared)."""
    codes = {c for h in households for c in h.prestations_percues}
    return {
        code: np.array([h.prestations_percues.get(code, np.nan) for h in households], dtype=float) for code in codes
    }


def _person_resources(computed, at_month: dict) -> np.ndarray:
    frame = computed.frame
    own = sum(np.asarray(at_month[name], dtype=float) for name in INCOME_INPUTS)
    for code in PERSONAL_BENEFITS:
        values = computed.per_person[code]
        variable = BY_CODE[code].variable
        if variable in frame.declared:  # a declared amount replaces ours for its owner
            declared, given = frame.declared[variable]
            values = np.where(given, declared, values)
        own = own + values
    return own


def _population(computed, households: list[Household], places: list[Place]) -> local.Population:
    frame = computed.frame
    month = str(frame.month)
    people = frame.people
    n = len(households)
    at_month = {name: frame.inputs[name][month] for name in INCOME_INPUTS}
    activity = sum(np.asarray(at_month[name], dtype=float) for name in ACTIVITY_INPUTS)
    incomes = sum(np.asarray(at_month[name], dtype=float) for name in INCOME_INPUTS)
    declared = _declared(computed, households)
    famille_household = frame.group_household["famille"]

    def per_famille(code: str) -> np.ndarray:
        """The code's amount per famille, the declared amount in place of ours for the demandeur's."""
        values = computed.famille[code].copy()
        if code in declared:
            given = ~np.isnan(declared[code])
            values[frame.main_famille[given]] = declared[code][given]
        return values

    def any_famille(values: np.ndarray) -> np.ndarray:
        out = np.zeros(n)
        np.maximum.at(out, famille_household, values)
        return out

    # Household benefits: what any famille of the home receives (an `autre` adult's AAH opens
    # the TCL free pass to them), declared amounts included.
    benefits = {code: any_famille(per_famille(code)) for code in computed.famille}
    benefits["css_gratuite"] = any_famille(computed.css_free.astype(float))
    for code, values in declared.items():
        if code not in benefits:  # a local aid declared as received
            benefits[code] = np.nan_to_num(values)
    # Resources of the home: every person's incomes, every famille's monthly benefits.
    resources = np.bincount(frame.person_household, weights=incomes, minlength=n)
    for code in MONTHLY_RESOURCES:
        resources = resources + np.bincount(famille_household, weights=per_famille(code), minlength=n)
    # Each person's view: their own famille's benefits (individual ones: their own).
    famille_of = frame.groups["famille"]
    # A child is not the beneficiary of their parents' famille benefits (the RSA is the parent's).
    holder = np.isin(np.array(frame.roles["famille"]), ["demandeur", "conjoint"])
    person_benefits = {}
    for code in computed.famille:
        if code in computed.per_person:
            person_benefits[code] = computed.per_person[code]
        else:
            person_benefits[code] = np.where(holder, per_famille(code)[famille_of], 0.0)
    person_benefits["css_gratuite"] = computed.css_free[famille_of].astype(float)
    for code, values in declared.items():
        if code not in person_benefits:  # a local aid declared as received
            person_benefits[code] = np.nan_to_num(values)[frame.person_household]
    return local.Population(
        household=frame.person_household,
        role=np.array([p.role.value for p, _h in people]),
        age=np.asarray(frame.age, dtype=float),
        situation=np.array([p.situation.value for p, _h in people]),
        scolarite=np.array([p.scolarite.value for p, _h in people]),
        activity_income=activity,
        person_resources=_person_resources(computed, at_month),
        person_benefits=person_benefits,
        commune=np.array([p.code for p in places]),
        departement=np.array([p.departement for p in places]),
        epci=np.array([p.epci or "" for p in places]),
        statut=np.array([h.logement.statut.value for h in households]),
        couple=np.array([any(p.role == Role.CONJOINT for p in h.personnes) for h in households]),
        children=np.array([sum(p.role == Role.ENFANT for p in h.personnes) for h in households]),
        resources=resources,
        benefits=benefits,
    )


def _euros(value: float) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"


def _explain(code: str, amount: float, d: dict, household: Household, month: str) -> str:
    year = int(month[:4])
    if code == "rsa":
        base = max(d["rsa_socle_majore"], d["rsa_socle"])
        if amount > 0:
            return _(
                "Montant forfaitaire de %(base)s, moins les ressources prises en compte (%(res)s par mois en "
                "moyenne sur les 3 derniers mois) et le forfait logement (%(fl)s)."
            ) % {"base": _euros(base), "res": _euros(d["rsa_base_ressources"]), "fl": _euros(d["rsa_forfait_logement"])}
        if base <= 0:
            return _("Conditions d’accès non remplies (âge de 25 ans, sauf parent ou jeune actif ; études ; séjour).")
        return _("Vos ressources (%(res)s par mois, prestations comprises) et le forfait logement (%(fl)s) dépassent le montant forfaitaire de %(base)s.") % {
            "res": _euros(d["rsa_base_ressources"]), "fl": _euros(d["rsa_forfait_logement"]), "base": _euros(base)}  # fmt: skip
    if code == "prime_activite":
        return _("Calculée sur les revenus d’activité des 3 derniers mois (%(act)s par mois) et les autres ressources du foyer.") % {
            "act": _euros(d["ppa_revenu_activite"])}  # fmt: skip
    if code in ("apl", "alf", "als"):
        if household.logement.statut.value in ("proprietaire", "heberge", "sans_domicile"):
            return _("Pas d’aide au logement sans loyer ni mensualité d’emprunt.")
        return _("Loyer retenu %(rent)s ; ressources des 12 derniers mois prises en compte : %(res)s par an.") % {
            "rent": _euros(d["aide_logement_loyer_retenu"]), "res": _euros(d["aide_logement_base_ressources"])}  # fmt: skip
    if code == "allocations_familiales":
        return _("%(n)d enfant(s) à charge au sens des prestations familiales (il en faut au moins 2).") % {
            "n": d["af_nbenf"]
        }
    if code in ("complement_familial", "paje_base"):
        return _family_reason(code, amount, d, household, month)
    if code == "asf":
        return _(
            "Pour un parent seul : versée si l’autre parent ne verse pas de pension alimentaire (ou moins que l’ASF), à faire confirmer par la CAF."
        )
    if code == "aah":
        return _(
            "Suppose un taux d’incapacité reconnu par la MDPH (80 %%, ou 50 à 79 %% avec restriction d’accès à l’emploi) ; ressources de l’année %(y)s."
        ) % {"y": year - 2}
    if code == "cheque_energie":
        return _("D’après le revenu fiscal de référence de l’année %(y)s et la composition du ménage.") % {
            "y": year - 2
        }
    if code in ("bourse_college", "bourse_lycee"):
        return _("Montant pour l’année scolaire, d’après les revenus et le nombre d’enfants à charge.")
    if code == "reduction_loyer_solidarite":
        return _(
            "Réservée aux locataires d’un logement social, sous plafond de ressources ; déduite du loyer par le bailleur."
        )
    if code == "ass":
        return _(
            "Suppose la fin des droits à l’allocation chômage et 5 ans d’activité salariée dans les 10 ans avant la fin du contrat."
        )
    if code in ("aspa", "asi"):
        return _("D’après les ressources des 3 derniers mois du foyer.")
    if code == "majoration_vie_autonome":
        if amount > 0:
            return _(
                "Versée avec l’AAH à une personne qui vit dans un logement indépendant et reçoit une aide au "
                "logement ; comptée dans les ressources de la Complémentaire santé solidaire."
            )
        return _(
            "Réservée aux personnes qui reçoivent l’AAH, vivent dans un logement indépendant et reçoivent une aide au logement."
        )
    if code == "paje_naissance":
        if not any(p.enceinte for p in household.personnes):
            return _("Versée en une fois au 7e mois de grossesse : indiquer une grossesse en cours pour l’estimer.")
        if amount > 0:
            return _(
                "Versée en une fois, au 7e mois de grossesse (%(m)s), sous plafond de ressources de l’année %(y)s ; "
                "déclarer la grossesse à l’Assurance maladie et à la CAF avant la fin du 3e mois."
            ) % {"m": _birth_grant_month(household, month), "y": year - 2}
        return _("Ressources de l’année %(y)s au-dessus du plafond de la prime à la naissance.") % {"y": year - 2}
    return _("Calculé par OpenFisca-France d’après vos réponses.")


def _family_reason(code: str, amount: float, d: dict, household: Household, month: str) -> str:
    """Complément familial and PAJE: the resources when granted or refused for them, else the
    children's number or age (CSS L522-1: 3 children of 3 or more; L531-3: a child under 3)."""
    year = int(month[:4])
    resources = _("Ressources de l’année %(y)s prises en compte : %(res)s.") % {
        "y": year - 2, "res": _euros(d["prestations_familiales_base_ressources"])}  # fmt: skip
    if amount > 0:
        return resources
    ages = [age_at(p, month) for p in household.personnes if p.role == Role.ENFANT]
    if code == "complement_familial":
        counted = sum(1 for a in ages if a is not None and 3 <= a < 21)
        if counted < 3:
            return _(
                "Il faut au moins 3 enfants à charge âgés de 3 ans ou plus (moins de 21 ans) : %(n)d dans votre foyer."
            ) % {"n": counted}
        return _("Ressources au-dessus du plafond du complément familial. %(res)s") % {"res": resources}
    if not any(a is not None and a < 3 for a in ages):
        return _("Pour un enfant de moins de 3 ans : aucun enfant de cet âge dans votre foyer.")
    return _("Ressources au-dessus du plafond de l’allocation de base. %(res)s") % {"res": resources}


def _birth_grant_month(household: Household, month: str) -> str:
    """The month the PAJE birth grant is paid: two months before the expected birth (not before now)."""
    expected = [p.naissance_prevue for p in household.personnes if p.enceinte and p.naissance_prevue]
    if not expected:
        return month
    total = int(min(expected)[:4]) * 12 + int(min(expected)[5:7]) - 1 - 2
    paid = f"{total // 12:04d}-{total % 12 + 1:02d}"
    return max(paid, month)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _item(benefit, amount: float, free: bool, details: dict, household: Household, month: str) -> dict:
    item = {
        "code": benefit.code,
        "nom": _str(benefit.name),
        "periodicite": benefit.periodicity,
        "periode": month[:4] if benefit.yearly_period else month,
        "demarche": {"organisme": _str(benefit.claim), "url": benefit.url},
        "a_verifier": benefit.code in TO_CHECK,
    }
    if benefit.code == "paje_naissance":
        item["periode"] = _birth_grant_month(household, month)
    if benefit.code == "css":
        item.update(
            eligible=free or amount > 0,
            montant=0.0,
            forme="sans_participation" if free else ("avec_participation" if amount > 0 else None),
            participation_mensuelle=0.0 if free else amount,
            explication=_("Sans participation financière : ressources sous le plafond.") if free else (
                _("Avec une participation de %(p)s par mois pour le foyer (selon l’âge de chacun).") % {"p": _euros(amount)}
                if amount > 0 else _("Ressources des 12 derniers mois au-dessus du plafond.")),
        )  # fmt: skip
    else:
        item.update(
            eligible=amount > 0,
            montant=amount,
            explication=_explain(benefit.code, amount, details, household, month),
        )
    return item


def _flags(benefit, item: dict, household: Household, famille_codes: dict, year: int) -> list[str]:
    """Per-item estimation flags (ESTIMATION_FLAGS) for a national benefit."""
    flags = []
    if "annee_fiscale" in benefit.asks and not any(
        y.annee == year - 2 for p in household.personnes for y in p.revenus_annuels
    ):
        flags.append("annee_fiscale_estimee")
    if benefit.counts_benefits and any(
        amount > 0 and code != benefit.code and code not in household.prestations_percues
        for code, amount in famille_codes.items()
        if code in MONTHLY_RESOURCES
    ):
        flags.append("prestations_estimees")
    if item["a_verifier"]:
        flags.append("conditions_non_evaluees")
    if benefit.code == "paje_naissance" and any(p.enceinte and not p.naissance_prevue for p in household.personnes):
        flags.append("naissance_prevue_inconnue")
    if item.get("loi_en_retard"):
        flags.append("loi_en_retard")
    return flags


def _flag_notes(flags, year: int) -> dict[str, str]:
    notes = {}
    for flag in sorted(flags):
        text = _str(ESTIMATION_FLAGS[flag])
        notes[flag] = text % {"y": year - 2} if "%(y)" in text else text
    return notes


def _local_summary(aid, outcome, h: int, household: Household) -> dict:
    to_examine = bool(outcome.to_examine[h])
    eligible = bool(outcome.eligible[h])
    value = outcome.amount[h]
    return {
        "id": aid.id,
        "eligible": eligible and not to_examine,
        "statut": "a_examiner" if to_examine else ("eligible" if eligible else "non_eligible"),
        "montant": None if np.isnan(value) else round(float(value), 2),
        "periodicite": aid.periodicite,
        "incertain": aid.incertain,
        "deja_percu": aid.id in household.prestations_percues,
    }


def _local_item(aid, outcome, h: int, household: Household, language: str) -> dict:
    value = outcome.amount[h]
    eligible = bool(outcome.eligible[h])
    to_examine = bool(outcome.to_examine[h])
    statut = "a_examiner" if to_examine else ("eligible" if eligible else "non_eligible")
    flags = [f for f, on in (("regles_incertaines", aid.incertain), ("a_examiner", to_examine),
                             ("conditions_a_verifier", bool(aid.conditions_a_verifier))) if on]  # fmt: skip
    if statut == "a_examiner" and aid.motif_a_examiner:
        explanation = aid.text("motif_a_examiner", language)
    elif statut == "a_examiner":
        explanation = _("Conditions connues remplies ; les règles d’attribution ne sont pas publiées ici : à examiner.")
    elif eligible:
        explanation = _("Conditions remplies d’après vos réponses.")
    else:
        explanation = _sentence("; ".join(outcome.reasons.get(h, [])))
    return {
        "id": aid.id,
        "nom": aid.text("nom", language),
        "institution": aid.institution,
        "description": aid.text("description", language),
        "eligible": eligible and not to_examine,
        "statut": statut,
        "montant": None if np.isnan(value) else round(float(value), 2),
        "avantage": aid.text("avantage", language),
        "periodicite": aid.periodicite,
        "explication": explanation,
        "conditions_a_verifier": list(aid.text("conditions_a_verifier", language)),
        "demarche": dict(aid.text("demarche", language)),
        "source": aid.source,
        "autres_sources": list(aid.autres_sources),
        "verifie_le": aid.verifie_le.isoformat(),
        "incertain": aid.incertain,
        "note": aid.text("note", language),
        "a_verifier_avec_un_professionnel": aid.incertain or to_examine,
        "deja_percu": aid.id in household.prestations_percues,
        "estimation": flags,
    }


def _results(computed, households: list[Household], places: list[Place], month: str, detail: bool = True) -> list[dict]:
    _state.language = get_language() or "fr"
    try:
        return _build_results(computed, households, places, month, _state.language, detail)
    finally:
        _state.language = None


def _groups(index: np.ndarray, count: int) -> list[list[int]]:
    """For each group, the positions whose `index` is that group (one pass, not one per group)."""
    groups: list[list[int]] = [[] for _ in range(count)]
    for position, group in enumerate(index.tolist()):
        groups[group].append(position)
    return groups


def _summary(benefit, amount: float, free: bool) -> dict:
    """An item without texts (detail=False): what screening writes."""
    if benefit.code == "css":
        form = "sans_participation" if free else ("avec_participation" if amount > 0 else None)
        return {"code": "css", "eligible": free or amount > 0, "montant": 0.0, "forme": form,
                "participation_mensuelle": 0.0 if free else amount, "periodicite": benefit.periodicity}  # fmt: skip
    return {"code": benefit.code, "eligible": amount > 0, "montant": amount, "periodicite": benefit.periodicity}


def _warnings(household, place, late_law: list, others: list) -> tuple[list, bool]:
    """The warnings of one household's results, and whether the Alsace-Moselle regime is assumed."""
    warnings = []
    if not place.in_referential:
        warnings.append(
            _(
                "Commune absente du référentiel des territoires : les aides locales liées à une intercommunalité ne sont pas évaluées."
            )
        )
    if any(p.date_naissance is None for p in household.personnes):
        warnings.append(
            _(
                "Âge donné sans date de naissance : les droits qui dépendent de l’âge exact (enfants de moins de 3 ans, 14 ou 20 ans) sont approchés."
            )
        )
    warnings.extend(late_law)
    assumed = household.regime_alsace_moselle is None and place.departement in ALSACE_MOSELLE
    if assumed:
        warnings.append(
            _(
                "Régime local d’Alsace-Moselle supposé (habitant du Bas-Rhin, du Haut-Rhin ou de la Moselle) : "
                "il réduit la participation à la Complémentaire santé solidaire. Il dépend surtout du lieu de "
                "travail : si vous n’en relevez pas, indiquez-le pour corriger le calcul."
            )
        )
    if others:
        warnings.append(
            _(
                "Les autres adultes du logement (rôle « autre ») ont leurs propres droits, dans autres_adultes ; "
                "ils sont supposés ne pas payer de loyer."
            )
        )
    return warnings, assumed


def _build_results(computed, households, places, month: str, language: str, detail: bool) -> list[dict]:
    law = legislation(month)
    year = int(month[:4])
    on = _first_day(month)
    late_law = _late_law_warnings(month) if detail else []
    notice = _str(ESTIMATION) % {"date": f"01/{month[5:7]}/{month[:4]}", "version": law["version"]}
    pop = _population(computed, households, places)
    local_outcomes = local.evaluate_all(pop)
    frame = computed.frame
    familles_of = _groups(frame.group_household["famille"], frame.n_households)
    members_of = _groups(frame.groups["famille"], frame.count("famille"))
    amounts = {b.code: np.round(computed.famille[b.code], 2).tolist() for b in BENEFITS}
    per_person = {code: values.tolist() for code, values in computed.per_person.items()}
    details_all = {name: values.tolist() for name, values in computed.details.items()}
    css_free = computed.css_free.tolist()
    main_of = frame.main_famille.tolist()
    local_rows = [(aid, outcome, outcome.in_zone.tolist()) for aid, outcome in local_outcomes]
    results = []
    for h, household in enumerate(households):
        main = main_of[h]
        received_codes = household.prestations_percues
        used_flags: set[str] = set()
        blocks = []
        for f in familles_of[h]:
            codes = {code: values[f] for code, values in amounts.items()}
            if detail:
                details = {name: values[f] for name, values in details_all.items()}
            items = []
            for benefit in BENEFITS:
                if f != main and benefit.entity == "menage":
                    continue  # the ménage's benefits are shown once, with the demandeur's famille
                amount = codes[benefit.code]
                received = f == main and benefit.code in received_codes
                if detail:
                    item = _item(benefit, amount, css_free[f], details, household, month)
                    item["deja_percu"] = received
                    item["montant_declare"] = received_codes.get(benefit.code) if received else None
                    item["loi_en_retard"] = [s.family.key for s in freshness.overdue_for(benefit.code, on)]
                    item["estimation"] = _flags(benefit, item, household, codes, year)
                    if benefit.entity == "individu" and amount > 0:
                        values = per_person[benefit.code]
                        item["par_personne"] = {
                            frame.person_ids[i]: round(values[i], 2) for i in members_of[f] if values[i] > 0
                        }
                    used_flags |= set(item["estimation"]) if (f == main or item["eligible"]) else set()
                else:
                    item = _summary(benefit, amount, css_free[f])
                    item["deja_percu"] = received
                    item["montant_declare"] = received_codes.get(benefit.code) if received else None
                if f == main or item["eligible"]:
                    items.append(item)
            blocks.append((f, members_of[f], items))
        prestations = blocks[0][2]
        others = [
            {
                "personnes": [frame.person_ids[i] for i in members],
                "prestations": items,
                "total_mensuel": monthly_totals(items, [])["total_mensuel"],
            }
            for f, members, items in blocks[1:]
        ]
        aides = []
        for aid, outcome, in_zone in local_rows:
            if not in_zone[h]:
                continue
            if detail:
                aides.append(_local_item(aid, outcome, h, household, language))
                used_flags |= set(aides[-1]["estimation"])
            else:
                aides.append(_local_summary(aid, outcome, h, household))
        totals = monthly_totals(prestations, aides)
        if not detail:
            results.append({
                "mois": month, "prestations": prestations, **totals, "autres_adultes": others, "aides_locales": aides,
            })  # fmt: skip
            continue
        place = places[h]
        warnings, assumed = _warnings(household, place, late_law, others)
        results.append({
            "legislation": law,
            "mois": month,
            "commune": {"code": place.code, "nom": place.name, "departement": place.departement, "epci": place.epci},
            "estimation": notice,
            "estimation_notes": _flag_notes(used_flags, year),
            "prestations": prestations,
            **totals,
            "autres_adultes": others,
            "aides_locales": aides,
            "regime_local": {
                "applique": regime_local(household, place), "suppose": assumed,
                "question": place.departement in ALSACE_MOSELLE or household.regime_alsace_moselle is not None,
            },  # fmt: skip
            "avertissements": warnings,
        })  # fmt: skip
    return results
