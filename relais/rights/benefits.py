"""The national benefits we compute: OpenFisca variable, period, where to claim, how to explain.

Each benefit's explanation reads a few intermediate OpenFisca variables of the same simulation
(already computed on the way, so they cost almost nothing) and says in plain French what the
amount rests on.

Contract with the questionnaire (relais.rights.questions): `Benefit.asks` is the set of question
groups the benefit's result depends on, directly or through the benefits it counts as resources
(steady state). Only the aids that read the income of a past tax year ask "annee_fiscale":
family benefits and the PAJE (resources of year N-2), the AAH of people without work (N-2), the
chèque énergie and school grants (revenu fiscal de référence of N-2). The RSA, the prime
d'activité, housing aids, the CSS, ASPA, ASI and ASS look at the last 3 or 12 months, asked
through the monthly incomes and their `depuis`/`jusqu_a`.

`periodicity` is "mensuelle", "annuelle" or "ponctuelle" (a one-off amount, such as the PAJE
birth grant); only monthly amounts add up into `total_mensuel`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SP = "https://www.service-public.fr/particuliers/vosdroits/"
CAF = _("CAF (ou MSA pour le régime agricole)")


# Question groups (relais.rights.questions.QUESTION_GROUPS) used below.
RESOURCES = frozenset({"revenus_activite", "revenus_remplacement", "pensions_retraite", "pension_alimentaire",
                       "patrimoine_epargne"})  # fmt: skip
HOUSEHOLD = frozenset({"commune", "composition", "ages", "prestations_percues"})
PERIODICITIES = ("mensuelle", "annuelle", "ponctuelle")


def _asks(*groups: str, resources: bool = True) -> frozenset[str]:
    return HOUSEHOLD | (RESOURCES if resources else frozenset()) | frozenset(groups)


@dataclass(frozen=True)
class Benefit:
    code: str
    variable: str
    entity: str  # famille, individu (summed over the famille), menage
    name: str
    periodicity: str  # "mensuelle", "annuelle" or "ponctuelle"
    yearly_period: bool  # computed over the calendar year (else over the month)
    claim: str  # where to claim
    url: str
    details: tuple[str, ...] = field(default=())  # intermediate variables (famille or menage level) shown
    asks: frozenset[str] = HOUSEHOLD  # question groups its result depends on (relais.rights.questions)
    counts_benefits: bool = False  # other benefits count in its resources (steady state)
    feedback: tuple[str, ...] = ()  # OpenFisca variables set from a declared amount (prestations_percues)


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
        asks=_asks("logement", "loyer", "handicap", "situation_pro", "nationalite_sejour", "grossesse"),
        counts_benefits=True,
        feedback=("rsa",),
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
        asks=_asks("logement", "loyer", "handicap", "situation_pro", "nationalite_sejour", "grossesse"),
        counts_benefits=True,
        feedback=("ppa",),
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
        asks=_asks("logement", "loyer", "handicap", "situation_pro", "grossesse"),
        feedback=("apl", "aide_logement"),
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
        asks=_asks("logement", "loyer", "handicap", "situation_pro", "grossesse"),
        feedback=("alf", "aide_logement"),
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
        asks=_asks("logement", "loyer", "handicap", "situation_pro", "grossesse"),
        feedback=("als", "aide_logement"),
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
        asks=_asks("annee_fiscale"),
        feedback=("af",),
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
        asks=_asks("situation_pro", "annee_fiscale"),
        feedback=("cf",),
    ),
    Benefit(
        "asf",
        "asf",
        "famille",
        _("Allocation de soutien familial (ASF)"),
        "mensuelle",
        False,
        CAF,
        SP + "F815",
        asks=_asks("pension_alimentaire", resources=False),
        feedback=("asf",),
    ),
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
        asks=_asks("situation_pro", "annee_fiscale"),
        feedback=("paje_base",),
    ),
    Benefit(
        "paje_naissance",
        "paje_naissance",
        "famille",
        _("PAJE : prime à la naissance"),
        "ponctuelle",
        False,
        CAF,
        SP + "F2550",
        asks=_asks("grossesse", "situation_pro", "annee_fiscale"),
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
        asks=_asks("handicap", "situation_pro", "nationalite_sejour", "annee_fiscale"),
        feedback=("aah",),
    ),
    Benefit(
        "majoration_vie_autonome",
        "caah",
        "individu",
        _("Majoration pour la vie autonome (avec l’AAH)"),
        "mensuelle",
        False,
        _("CAF ou MSA, avec l’AAH (sans demande à part)"),
        SP + "F12242",
        asks=_asks("handicap", "logement", "loyer", "situation_pro", "nationalite_sejour", "annee_fiscale"),
        feedback=("caah",),
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
        asks=_asks("handicap", "nationalite_sejour"),
        counts_benefits=True,
        feedback=("aspa",),
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
        asks=_asks("handicap", "nationalite_sejour"),
        counts_benefits=True,
        feedback=("asi",),
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
        asks=_asks("situation_pro"),
        feedback=("ass",),
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
        asks=_asks("logement", "loyer", "handicap", "situation_pro"),
        counts_benefits=True,
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
        asks=_asks("logement", "annee_fiscale"),
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
        asks=_asks("scolarite", "annee_fiscale"),
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
        asks=_asks("scolarite", "annee_fiscale"),
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
        asks=_asks("logement", "loyer"),
        feedback=("reduction_loyer_solidarite",),
    ),
]
BY_CODE = {b.code: b for b in BENEFITS}
# Extra variables the explanations and the CSS need.
CSS_FREE = "cmu_c"
OUTPUT_VARIABLES = sorted({b.variable for b in BENEFITS} | {d for b in BENEFITS for d in b.details} | {CSS_FREE})
