"""Households in, rights out: validation, places, national benefits, local aids, explanations.

`simulate_households` is what the API, `simulate_rights` and `screen_rights` call. Households
that fail validation come back as errors (naming person and field); the others are simulated
together, in vectorised batches, whatever their number.
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from relais.rights import engine, local
from relais.rights.benefits import BENEFITS
from relais.rights.household import Household, HouseholdError, Role, parse_household, reference_month
from relais.rights.places import Place, resolve
from relais.rights.system import last_revaluation, versions

# Benefits counted, per month, in the household resources that local aids look at.
MONTHLY_RESOURCES = [
    "rsa", "prime_activite", "apl", "alf", "als", "allocations_familiales", "complement_familial", "asf",
    "paje_base", "aah", "aspa", "asi", "ass",
]  # fmt: skip
INCOME_INPUTS = [
    "salaire_net", "chomage_net", "retraite_nette", "pensions_invalidite", "indemnites_journalieres",
    "pensions_alimentaires_percues", "bourse_enseignement_sup", "revenus_locatifs",
    "rpns_auto_entrepreneur_CA_achat_revente", "rpns_auto_entrepreneur_CA_bic", "rpns_auto_entrepreneur_CA_bnc",
]  # fmt: skip
ACTIVITY_INPUTS = ["salaire_net", "rpns_auto_entrepreneur_CA_achat_revente", "rpns_auto_entrepreneur_CA_bic",
                   "rpns_auto_entrepreneur_CA_bnc"]  # fmt: skip
TO_CHECK = {"asf", "aah", "asi", "ass"}


@dataclass
class Outcome:
    index: int
    result: dict | None = None
    problems: list[dict] | None = None


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
    }


def simulate_households(
    data: list, *, passes: int | None = 2, chunk: int = engine.RIGHTS_CHUNK, places: dict[str, Place] | None = None
) -> list[Outcome]:
    """Simulate households (dicts or Household); `places` replaces the referential (tests, benches)."""
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
    for month, items in by_month.items():
        households = [h for _, h in items]
        house_places = [places[h.commune] for h in households]
        for start, computed in engine.compute_batch(households, house_places, month, passes=passes, chunk=chunk):
            part = households[start : start + len(computed.frame.group_household["menage"])]
            results = _results(computed, part, house_places[start : start + len(part)], month)
            for offset, result in enumerate(results):
                outcomes[items[start + offset][0]].result = result
    return outcomes


def _household_benefits(computed) -> dict[str, np.ndarray]:
    benefits = dict(computed.amounts)
    benefits["css_gratuite"] = computed.css_free.astype(float)
    return benefits


def _population(computed, households: list[Household], places: list[Place]) -> local.Population:
    frame = computed.frame
    month = str(frame.month)
    people = frame.people
    n = len(households)
    at_month = {name: frame.inputs[name][month] for name in INCOME_INPUTS}
    activity = sum(np.asarray(at_month[name], dtype=float) for name in ACTIVITY_INPUTS)
    incomes = sum(np.asarray(at_month[name], dtype=float) for name in INCOME_INPUTS)
    resources = np.bincount(frame.person_household, weights=incomes, minlength=n)
    for code in MONTHLY_RESOURCES:
        resources = resources + computed.amounts[code]
    return local.Population(
        household=frame.person_household,
        role=np.array([p.role.value for p, _h in people]),
        age=np.asarray(frame.age, dtype=float),
        situation=np.array([p.situation.value for p, _h in people]),
        scolarite=np.array([p.scolarite.value for p, _h in people]),
        activity_income=activity,
        commune=np.array([p.code for p in places]),
        departement=np.array([p.departement for p in places]),
        epci=np.array([p.epci or "" for p in places]),
        statut=np.array([h.logement.statut.value for h in households]),
        couple=np.array([any(p.role == Role.CONJOINT for p in h.personnes) for h in households]),
        children=np.array([sum(p.role == Role.ENFANT for p in h.personnes) for h in households]),
        resources=resources,
        benefits=_household_benefits(computed),
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
        return _("Ressources de l’année %(y)s prises en compte : %(res)s.") % {
            "y": year - 2, "res": _euros(d["prestations_familiales_base_ressources"])}  # fmt: skip
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
    return _("Calculé par OpenFisca-France d’après vos réponses.")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _results(computed, households: list[Household], places: list[Place], month: str) -> list[dict]:
    law = legislation(month)
    pop = _population(computed, households, places)
    local_outcomes = local.evaluate_all(pop)
    frame = computed.frame
    results = []
    for h, household in enumerate(households):
        details = {name: float(values[h]) for name, values in computed.details.items()}
        prestations = []
        monthly_total = 0.0
        for benefit in BENEFITS:
            amount = round(float(computed.amounts[benefit.code][h]), 2)
            item = {
                "code": benefit.code,
                "nom": str(benefit.name),
                "periodicite": benefit.periodicity,
                "periode": month[:4] if benefit.yearly_period else month,
                "demarche": {"organisme": str(benefit.claim), "url": benefit.url},
                "a_verifier": benefit.code in TO_CHECK,
            }
            if benefit.code == "css":
                free = bool(computed.css_free[h])
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
                if benefit.periodicity == "mensuelle":
                    monthly_total += amount
            if benefit.entity == "individu" and amount > 0:
                mine = (frame.person_household == h) & (computed.per_person[benefit.code] > 0)
                item["par_personne"] = {
                    frame.person_ids[i]: round(float(computed.per_person[benefit.code][i]), 2)
                    for i in np.flatnonzero(mine)
                }
            prestations.append(item)
        aides = []
        for aid, outcome in local_outcomes:
            if not outcome.in_zone[h]:
                continue
            value = outcome.amount[h]
            aides.append({
                "id": aid.id,
                "nom": aid.nom,
                "institution": aid.institution,
                "description": aid.description,
                "eligible": bool(outcome.eligible[h]),
                "montant": None if np.isnan(value) else round(float(value), 2),
                "avantage": aid.avantage,
                "periodicite": aid.periodicite,
                "explication": _("Conditions remplies d’après vos réponses.") if outcome.eligible[h] else _sentence("; ".join(outcome.reasons[h])),
                "conditions_a_verifier": aid.conditions_a_verifier,
                "demarche": aid.demarche,
                "source": aid.source,
                "verifie_le": aid.verifie_le.isoformat(),
                "incertain": aid.incertain,
                "note": aid.note,
                "a_verifier_avec_un_professionnel": aid.incertain,
            })  # fmt: skip
        place = places[h]
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
        results.append({
            "legislation": law,
            "mois": month,
            "commune": {"code": place.code, "nom": place.name, "departement": place.departement, "epci": place.epci},
            "prestations": prestations,
            "total_mensuel": round(monthly_total, 2),
            "aides_locales": aides,
            "avertissements": warnings,
        })  # fmt: skip
    return results
