"""The national benefits we compute: OpenFisca variable, period, where to claim, how to explain.

Each benefit's explanation reads a few intermediate OpenFisca variables of the same simulation
(already computed on the way, so they cost almost nothing) and says in plain French what the
amount rests on.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SP = "https://www.service-public.fr/particuliers/vosdroits/"
CAF = _("CAF (ou MSA pour le régime agricole)")


@dataclass(frozen=True)
class Benefit:
    code: str
    variable: str
    entity: str  # famille, individu (summed over the demandeur's famille), menage
    name: str
    periodicity: str  # "mensuelle" or "annuelle"
    yearly_period: bool  # computed over the calendar year (else over the month)
    claim: str  # where to claim
    url: str
    details: tuple[str, ...] = field(default=())  # intermediate variables (famille or menage level) shown


BENEFITS: list[Benefit] = [
    Benefit(
        "rsa",
        "rsa",
        "famille",
        _("Revenu de solidarité active (RSA)"),
        "mensuelle",
        False,
        CAF,
        SP + "F19778",
        ("rsa_socle", "rsa_socle_majore", "rsa_base_ressources", "rsa_forfait_logement"),
    ),
    Benefit(
        "prime_activite",
        "ppa",
        "famille",
        _("Prime d’activité"),
        "mensuelle",
        False,
        CAF,
        SP + "F2882",
        ("ppa_base_ressources", "ppa_revenu_activite"),
    ),
    Benefit(
        "apl",
        "apl",
        "famille",
        _("Aide personnalisée au logement (APL)"),
        "mensuelle",
        False,
        CAF,
        SP + "F12006",
        ("aide_logement_base_ressources", "aide_logement_loyer_retenu"),
    ),
    Benefit(
        "alf",
        "alf",
        "famille",
        _("Allocation de logement familiale (ALF)"),
        "mensuelle",
        False,
        CAF,
        SP + "F13132",
        ("aide_logement_base_ressources", "aide_logement_loyer_retenu"),
    ),
    Benefit(
        "als",
        "als",
        "famille",
        _("Allocation de logement sociale (ALS)"),
        "mensuelle",
        False,
        CAF,
        SP + "F1280",
        ("aide_logement_base_ressources", "aide_logement_loyer_retenu"),
    ),
    Benefit(
        "allocations_familiales",
        "af",
        "famille",
        _("Allocations familiales"),
        "mensuelle",
        False,
        CAF,
        SP + "F13213",
        ("af_nbenf",),
    ),
    Benefit(
        "complement_familial",
        "cf",
        "famille",
        _("Complément familial"),
        "mensuelle",
        False,
        CAF,
        SP + "F13214",
        ("prestations_familiales_base_ressources",),
    ),
    Benefit("asf", "asf", "famille", _("Allocation de soutien familial (ASF)"), "mensuelle", False, CAF, SP + "F815"),
    Benefit(
        "paje_base",
        "paje_base",
        "famille",
        _("PAJE : allocation de base"),
        "mensuelle",
        False,
        CAF,
        SP + "F2552",
        ("prestations_familiales_base_ressources",),
    ),
    Benefit(
        "paje_naissance",
        "paje_naissance",
        "famille",
        _("PAJE : prime à la naissance"),
        "mensuelle",
        False,
        CAF,
        SP + "F2550",
    ),
    Benefit(
        "aah",
        "aah",
        "individu",
        _("Allocation aux adultes handicapés (AAH)"),
        "mensuelle",
        False,
        _("MDPH (reconnaissance du handicap), puis CAF ou MSA"),
        SP + "F12242",
    ),
    Benefit(
        "aspa",
        "aspa",
        "famille",
        _("Allocation de solidarité aux personnes âgées (ASPA)"),
        "mensuelle",
        False,
        _("Caisse de retraite (Carsat, MSA…)"),
        SP + "F16871",
    ),
    Benefit(
        "asi",
        "asi",
        "individu",
        _("Allocation supplémentaire d’invalidité (ASI)"),
        "mensuelle",
        False,
        _("Caisse primaire d’assurance maladie (CPAM) ou MSA"),
        "https://www.legifrance.gouv.fr/codes/id/LEGISCTA000006156277/",
    ),
    Benefit(
        "ass",
        "ass",
        "individu",
        _("Allocation de solidarité spécifique (ASS)"),
        "mensuelle",
        False,
        _("France Travail"),
        SP + "F12484",
    ),
    Benefit(
        "css",
        "css_participation_forfaitaire",
        "famille",
        _("Complémentaire santé solidaire (CSS)"),
        "mensuelle",
        False,
        _("Caisse d’assurance maladie (CPAM) ou MSA, en ligne sur ameli.fr"),
        SP + "F10027",
        ("css_cmu_base_ressources",),
    ),
    Benefit(
        "cheque_energie",
        "cheque_energie",
        "menage",
        _("Chèque énergie"),
        "annuelle",
        True,
        _("Envoyé automatiquement d’après la déclaration de revenus"),
        "https://chequeenergie.gouv.fr",
    ),
    Benefit(
        "bourse_college",
        "bourse_college",
        "famille",
        _("Bourse de collège"),
        "annuelle",
        False,
        _("Collège de l’enfant (dossier en ligne à la rentrée)"),
        SP + "F984",
    ),
    Benefit(
        "bourse_lycee",
        "bourse_lycee",
        "famille",
        _("Bourse de lycée"),
        "annuelle",
        False,
        _("Lycée de l’enfant (campagne au printemps et à la rentrée)"),
        SP + "F616",
    ),
    Benefit(
        "reduction_loyer_solidarite",
        "reduction_loyer_solidarite",
        "famille",
        _("Réduction de loyer de solidarité (RLS)"),
        "mensuelle",
        False,
        _("Appliquée d’office par le bailleur social"),
        "https://www.anil.org/aj-reduction-loyer-solidarite-rls-apl/",
    ),
]
BY_CODE = {b.code: b for b in BENEFITS}
# Extra variables the explanations and the CSS need.
CSS_FREE = "cmu_c"
OUTPUT_VARIABLES = sorted({b.variable for b in BENEFITS} | {d for b in BENEFITS for d in b.details} | {CSS_FREE})
