"""The questionnaire's vocabulary: a small, stable list of question groups, and who needs which.

Contract with the questionnaire pages (relais/rights/views, questionnaire.py):

- `QUESTION_GROUPS`: the groups, in questionnaire order. Stable codes; labels in `LABELS`
  (French source strings, translated).
- `FIELDS[group]`: the household JSON fields (relais.rights.household) the group fills, as
  paths: `commune`, `logement.loyer`, `personnes[].revenus.salaire_net`... Every field of the
  household schema belongs to exactly one group, except `mois` (the simulated month, not a
  question: the current month by default).
- `groups_for(codes)`: the groups to ask, in questionnaire order, for a set of requested
  national benefit codes (relais.rights.benefits.BY_CODE) and local aid ids
  (relais.rights.local.catalogue()); `None` or empty means every aid. "commune", "composition"
  and "ages" are always asked: the household schema requires them.

Each benefit and local aid states what it needs in `asks` (benefits.Benefit.asks,
local.LocalAid.asks). A group not asked keeps the schema's default (no income, no disability,
French nationality...), so the other aids computed on the way stay estimates.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from relais.rights.benefits import BENEFITS, BY_CODE
from relais.rights.local import by_id, catalogue

QUESTION_GROUPS: tuple[str, ...] = (
    "commune",
    "composition",
    "ages",
    "logement",
    "loyer",
    "situation_pro",
    "scolarite",
    "handicap",
    "grossesse",
    "nationalite_sejour",
    "revenus_activite",
    "revenus_remplacement",
    "pensions_retraite",
    "pension_alimentaire",
    "patrimoine_epargne",
    "prestations_percues",
    "annee_fiscale",
)
ALWAYS = ("commune", "composition", "ages")
GATED = frozenset({"handicap", "grossesse", "nationalite_sejour", "revenus_activite", "revenus_remplacement"})

LABELS = {
    "commune": _("Commune de résidence"),
    "composition": _("Composition du foyer (couple, enfants, autres adultes)"),
    "ages": _("Âges ou dates de naissance"),
    "logement": _("Logement"),
    "loyer": _("Loyer ou mensualité d’emprunt"),
    "situation_pro": _("Situation professionnelle ou d’études"),
    "scolarite": _("Scolarité des enfants"),
    "handicap": _("Handicap, invalidité"),
    "grossesse": _("Grossesse"),
    "nationalite_sejour": _("Nationalité et titre de séjour"),
    "revenus_activite": _("Revenus d’activité (salaires, micro-entreprise)"),
    "revenus_remplacement": _("Allocations chômage, indemnités journalières, pension d’invalidité, bourse"),
    "pensions_retraite": _("Pensions de retraite"),
    "pension_alimentaire": _("Pensions alimentaires"),
    "patrimoine_epargne": _("Épargne et revenus du patrimoine"),
    "prestations_percues": _("Prestations et aides déjà perçues"),
    "annee_fiscale": _("Revenus d’une année passée (déclaration de revenus)"),
}

P = "personnes[]."
FIELDS: dict[str, tuple[str, ...]] = {
    "commune": ("commune",),
    "composition": (
        "couple", "isolement_recent", P + "id", P + "role", P + "garde_alternee",
    ),
    "ages": (P + "date_naissance", P + "age"),
    "logement": ("logement.statut", "logement.colocation", "logement.conventionne"),
    "loyer": ("logement.loyer",),
    "situation_pro": (P + "situation", P + "nationalite", P + "enceinte"),
    "scolarite": (P + "scolarite",),
    "handicap": (P + "taux_incapacite", P + "restriction_emploi", P + "invalidite", P + "inapte_travail"),
    "grossesse": (P + "naissance_prevue",),
    "nationalite_sejour": (P + "titre_sejour_annees",),
    "revenus_activite": (
        P + "revenus.salaire_net", P + "revenus.salaire_brut", P + "revenus.chiffre_affaires",
        P + "revenus.type_independant",
    ),
    "revenus_remplacement": (
        P + "revenus.chomage_net", P + "revenus.indemnites_journalieres", P + "revenus.pension_invalidite",
        P + "chomage_droits_epuises", P + "revenus.bourse_etudes",
    ),
    "pensions_retraite": (P + "revenus.retraite_nette",),
    "pension_alimentaire": (P + "revenus.pension_alimentaire_recue", P + "revenus.pension_alimentaire_versee"),
    "patrimoine_epargne": ("epargne", P + "revenus.revenus_locatifs"),
    "prestations_percues": ("prestations_percues",),
    "annee_fiscale": (P + "revenus_annuels",),
}  # fmt: skip
# The simulated month (the current one unless a professional sets another); the Alsace-Moselle
# health regime, assumed from the place and corrected on the results page, where it is asked only
# to households of the Bas-Rhin, the Haut-Rhin and the Moselle.
NOT_ASKED = ("mois", "regime_alsace_moselle")


def label(group: str) -> str:
    return str(LABELS[group])


def asks_of(code: str) -> frozenset[str]:
    """The groups one benefit (code) or local aid (id) needs; KeyError names an unknown code."""
    if code in BY_CODE:
        return BY_CODE[code].asks
    aid = by_id(code)
    if aid is None:
        raise KeyError(code)
    return aid.asks


def all_codes() -> list[str]:
    """Every code a questionnaire can request: national benefits, then local aids."""
    return [b.code for b in BENEFITS] + [a.id for a in catalogue()]


def groups_for(codes: Iterable[str] | None = None) -> list[str]:
    """The question groups needed for the requested aids, in questionnaire order (all if none)."""
    wanted = list(codes or [])
    if not wanted:
        wanted = all_codes()
    needed = set(ALWAYS)
    for code in wanted:
        needed |= asks_of(code)
    if needed & GATED:  # whether these are asked, and of whom, is answered on the situation step
        needed.add("situation_pro")
    return [group for group in QUESTION_GROUPS if group in needed]
