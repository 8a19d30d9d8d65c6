"""The invented content of the demo offer: kinds of structures, service templates, names, streets.

Everything here is made up for demonstration. Names are plausible kinds of places found in a
French métropole (centre social, épicerie solidaire, CCAS…) with invented proper names; the
generator (generate.py) adds « (démo) » to every structure name. Texts are in French:
they are data, shown as they are (like real listings), not interface strings.
"""

from dataclasses import dataclass

from relais.demo.services_life import EVERYDAY as EVERYDAY
from relais.demo.services_life import LIFE
from relais.demo.services_life import URGENT as URGENT
from relais.demo.services_work import WORK
from relais.demo.templates import ServiceTemplate

DEMO_NOTE = "Fiche fictive : données de démonstration, ne pas utiliser pour orienter une personne."


@dataclass(frozen=True)
class StructureKind:
    key: str
    names: tuple[str, ...]  # "{word}" is an invented proper name, "{place}" the commune
    templates: tuple[str, ...]
    reseaux: tuple[str, ...] = ()
    services: tuple[int, int] = (2, 4)
    weight: int = 1  # how often the kind is drawn for a place's extra structures
    description: str = ""
    local_zone: bool = False  # its services serve the commune only (e.g. a CCAS)


TEMPLATES: list[ServiceTemplate] = WORK + LIFE + URGENT + EVERYDAY

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}

K = StructureKind

# The kinds every place gets (by population thresholds) are chosen in generate.py; the others are
# drawn by weight for a place's extra structures.
KINDS = [
    K(
        "ccas",
        ("CCAS de {place}",),
        (
            "acces-droits",
            "domiciliation",
            "aide-a-domicile",
            "adaptation-logement",
            "colis-alimentaires",
            "demarches-en-ligne",
        ),
        ("ccas-cias", "communes"),
        services=(3, 5),
        weight=0,
        description="Centre communal d’action sociale : accueil social, aides facultatives, domiciliation.",
        local_zone=True,
    ),
    K(
        "mairie",
        ("Mairie de {place}, accueil social",),
        ("acces-droits", "demarches-en-ligne", "colis-alimentaires"),
        ("communes",),
        services=(2, 3),
        weight=0,
        description="L’accueil de la mairie oriente les habitants et aide aux premières démarches.",
        local_zone=True,
    ),
    K(
        "solidarites",
        ("{solidarites} de {place}",),
        (
            "accompagnement-rsa",
            "pmi",
            "prevention-expulsions",
            "masp",
            "dossier-mdph",
            "protection-juridique",
            "point-conseil-budget",
        ),
        ("departements", "maisons-des-solidarites"),
        services=(3, 5),
        weight=0,
        description="Travailleurs sociaux, protection maternelle et infantile, insertion, autonomie.",
    ),
    K(
        "centre-social",
        ("Centre social {word}", "Centre social et culturel {word}"),
        (
            "cafe-habitants",
            "laep",
            "accompagnement-scolarite",
            "atelier-numerique",
            "asl",
            "ecrivain-public",
            "sorties",
            "halte-garderie",
            "benevolat",
            "confiance-en-soi",
            "repas-partages",
        ),
        ("fcsf",),
        services=(3, 5),
        weight=4,
        description="Un lieu ouvert à tous les habitants du quartier : familles, jeunes, seniors.",
    ),
    K(
        "epicerie",
        ("Épicerie solidaire {word}",),
        ("epicerie", "atelier-budget", "repas-partages", "vestiaire"),
        services=(2, 3),
        weight=3,
        description="Une épicerie à petits prix et un lieu d’échange pour les personnes aux revenus modestes.",
    ),
    K(
        "acces-droit",
        ("Point justice {word}", "Association d’accès au droit {word}"),
        ("consultation-avocat", "discrimination", "acces-droits", "naturalisation", "mediation-familiale"),
        ("points-justice",),
        services=(2, 4),
        weight=2,
        description="Information juridique gratuite et confidentielle, consultations d’avocats et de juristes.",
    ),
    K(
        "droits-femmes",
        ("Centre d’information sur les droits des femmes {word}",),
        ("violences", "discrimination", "point-competences", "mediation-familiale"),
        ("cidff",),
        services=(2, 3),
        weight=1,
        description="Information juridique, accompagnement des victimes de violences, emploi des femmes.",
    ),
    K(
        "mission-locale",
        ("Mission locale {word}",),
        (
            "accompagnement-jeunes",
            "atelier-cv",
            "entretien",
            "trouver-formation",
            "logement-jeunes",
            "mobilite-internationale",
            "ecoute-psy",
            "conseil-mobilite",
        ),
        ("mission-locale",),
        services=(4, 6),
        weight=2,
        description="Accompagnement des jeunes de 16 à 25 ans : emploi, formation, logement, santé.",
    ),
    K(
        "emploi",
        ("Espace emploi {word}", "Association {word} Emploi"),
        (
            "atelier-cv",
            "club-emploi",
            "parrainage",
            "entretien",
            "candidatures",
            "decouverte-metiers",
            "point-competences",
        ),
        ("plie",),
        services=(2, 4),
        weight=3,
        description="Accompagnement vers l’emploi des personnes qui en sont éloignées.",
    ),
    K(
        "insertion",
        ("Chantier d’insertion {word}", "Atelier d’insertion {word}"),
        ("chantier-insertion", "decouverte-metiers", "savoirs-de-base"),
        ("aci", "inae"),
        services=(2, 3),
        weight=2,
        description="Une structure d’insertion par l’activité économique : un emploi et un accompagnement.",
    ),
    K(
        "numerique",
        ("Espace numérique {word}", "Fabrique numérique {word}"),
        ("acces-internet", "atelier-numerique", "demarches-en-ligne", "ordinateur-solidaire"),
        ("conseillers-numeriques", "espaces-publics-numeriques"),
        services=(2, 4),
        weight=3,
        description="Médiation numérique : accès libre, ateliers et aide aux démarches en ligne.",
    ),
    K(
        "budget",
        ("Point conseil budget {word}",),
        ("point-conseil-budget", "surendettement", "atelier-budget"),
        ("points-conseil-budget",),
        services=(2, 3),
        weight=1,
        description="Conseil budgétaire gratuit et confidentiel pour toute personne qui a des difficultés.",
    ),
    K(
        "habitat",
        ("Association {word} Habitat", "Agence immobilière sociale {word}"),
        ("recherche-logement", "demande-logement-social", "prevention-expulsions", "accession", "adaptation-logement"),
        services=(2, 4),
        weight=2,
        description="Accès et maintien dans le logement, information sur le logement social.",
    ),
    K(
        "accueil-de-jour",
        ("Accueil de jour {word}",),
        ("hebergement-urgence", "domiciliation", "colis-alimentaires", "acces-soins", "vestiaire"),
        ("federation-des-acteurs-de-la-solidarite",),
        services=(3, 4),
        weight=1,
        description="Accueil inconditionnel des personnes sans domicile : repos, douche, orientation.",
    ),
    K(
        "mobilite",
        ("Plateforme mobilité {word}",),
        ("conseil-mobilite", "auto-ecole-sociale", "garage-solidaire", "location-vehicule", "atelier-velo"),
        ("wimoov",),
        services=(2, 4),
        weight=1,
        description="Des solutions pour se déplacer vers l’emploi et la formation.",
    ),
    K(
        "sante",
        ("Centre de santé {word}", "Maison de santé {word}"),
        ("acces-soins", "sante-sexuelle", "ecoute-psy", "addictions", "dossier-mdph"),
        ("cms",),
        services=(2, 4),
        weight=2,
        description="Médecins, infirmiers et travailleurs sociaux pour un accès aux soins sans obstacle.",
    ),
    K(
        "addictologie",
        ("Centre d’addictologie {word}",),
        ("addictions", "ecoute-psy"),
        ("csapa",),
        services=(2, 2),
        weight=1,
        description="Centre de soins, d’accompagnement et de prévention en addictologie.",
    ),
    K(
        "creation",
        ("Couveuse d’entreprises {word}",),
        ("creation-entreprise", "suivi-entreprise"),
        ("reseau-bge",),
        services=(2, 2),
        weight=1,
        description="Accompagnement des créateurs et des créatrices d’entreprise.",
    ),
    K(
        "information-jeunesse",
        ("Point information jeunesse {word}",),
        ("mobilite-internationale", "retour-en-france", "trouver-formation", "logement-jeunes", "sante-sexuelle"),
        ("reseau-information-jeunesse",),
        services=(2, 4),
        weight=1,
        description="Information des jeunes sur les études, l’emploi, le logement et les séjours à l’étranger.",
    ),
    K(
        "ressourcerie",
        ("Ressourcerie {word}", "Recyclerie {word}"),
        ("electromenager", "vestiaire", "ordinateur-solidaire", "benevolat"),
        ("ressourceries",),
        services=(2, 3),
        weight=2,
        description="Réemploi d’objets, de vêtements et d’appareils, vendus à petit prix.",
    ),
    K(
        "mjc",
        ("Maison des jeunes et de la culture {word}",),
        ("sorties", "benevolat", "confiance-en-soi", "accompagnement-scolarite", "atelier-velo"),
        ("mjc",),
        services=(2, 4),
        weight=2,
        description="Activités culturelles, sportives et citoyennes pour tous les âges.",
    ),
    K(
        "savoirs",
        ("Atelier des savoirs {word}",),
        ("savoirs-de-base", "asl", "dossier-formation", "trouver-formation"),
        services=(2, 3),
        weight=2,
        description="Formations de base en français, calcul et numérique, pour adultes.",
    ),
    K(
        "petite-enfance",
        ("Relais petite enfance {word}",),
        ("relais-petite-enfance", "laep", "halte-garderie"),
        services=(2, 3),
        weight=2,
        description="Modes de garde, accueil des jeunes enfants et soutien aux parents.",
    ),
    K(
        "aidants",
        ("Plateforme d’aide aux aidants {word}",),
        ("groupe-aidants", "accueil-de-jour-repit", "aide-a-domicile", "protection-juridique"),
        services=(2, 4),
        weight=1,
        description="Soutien des proches aidants de personnes âgées ou en situation de handicap.",
    ),
    K(
        "exiles",
        ("Association d’accueil des personnes exilées {word}",),
        ("naturalisation", "asl", "acces-droits", "acces-soins", "retour-en-france"),
        ("singa",),
        services=(2, 4),
        weight=1,
        description="Accueil, accès aux droits et apprentissage du français pour les personnes exilées.",
    ),
]

KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

# Invented proper names for structures ("Centre social La Passerelle").
WORDS = [
    "Les Tilleuls",
    "La Passerelle",
    "L’Escale",
    "Le Trait d’union",
    "La Ruche",
    "Les Glycines",
    "Le Carrefour",
    "L’Olivier",
    "La Boussole",
    "Le Phare",
    "La Clairière",
    "Les Coquelicots",
    "L’Arc-en-ciel",
    "Le Fil d’Ariane",
    "La Source",
    "Les Platanes",
    "La Traverse",
    "L’Étape",
    "Le Tremplin",
    "La Courte Échelle",
    "Les Lucioles",
    "Le Pont",
    "La Main tendue",
    "Le Colibri",
    "La Fourmilière",
    "Les Marronniers",
    "Le Jardin",
    "La Roseraie",
    "Les Acacias",
    "Le Grand Large",
    "La Boîte à outils",
    "Le Lien",
    "La Rencontre",
    "L’Embellie",
    "Les Hirondelles",
    "Le Fil rouge",
    "La Maison bleue",
    "L’Horizon",
    "Les Quatre Vents",
    "Le Sémaphore",
]

STREETS = [
    "rue des Tilleuls",
    "avenue Jean Jaurès",
    "rue de la République",
    "place du Marché",
    "rue Victor Hugo",
    "chemin des Vignes",
    "rue du Stade",
    "allée des Cerisiers",
    "rue Pasteur",
    "rue de la Mairie",
    "avenue de la Libération",
    "rue des Écoles",
    "impasse des Lilas",
    "rue Voltaire",
    "cours Émile Zola",
    "rue Paul Bert",
    "montée des Roses",
    "rue Anatole France",
    "rue de la Gare",
    "place de l’Église",
    "rue des Jardins",
    "avenue des Platanes",
    "rue du Moulin",
    "quai des Mariniers",
    "rue des Artisans",
]

COMPLEMENTS = ["", "", "", "", "Rez-de-chaussée", "Bâtiment B, 1er étage", "Entrée par la cour", "Local associatif"]

# OpenStreetMap opening_hours expressions (structure hours), varied on purpose.
STRUCTURE_HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Mo-Th 08:30-12:30,13:30-17:00; Fr 08:30-12:30; PH off",
    "Mo 13:30-17:00; Tu-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo-Fr 09:00-12:30,13:30-17:30; Sa 09:00-12:00; PH off",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 09:00-12:30; Tu,Th 14:00-19:00",
    "Mo-We,Fr 09:00-12:00,14:00-17:00; Th 14:00-20:00; PH off",
    "Mo-Fr 08:30-17:30; PH off",
    "Tu,Th 14:00-18:00; Sa 09:00-12:00",
    "Mo-Fr 09:00-17:00; Sa 10:00-13:00",
    "Mo-Fr 13:30-19:00",
    "Mo-Su 08:00-20:00",
]

LANGUAGES = ["en", "ar", "es", "pt", "it", "tr", "ro", "ru", "uk", "de", "zh", "wo", "sq", "fa"]

ACCESSIBILITY_DETAILS = [
    "",
    "",
    "Rampe d’accès et ascenseur ; toilettes adaptées.",
    "Accueil au rez-de-chaussée, boucle magnétique à l’accueil.",
    "Locaux à l’étage sans ascenseur : rendez-vous possible au rez-de-chaussée sur demande.",
    "Place de stationnement réservée devant l’entrée.",
]

CLOSURE_MESSAGES = [
    (True, "Fermeture exceptionnelle pour travaux."),
    (True, "Fermeture pour formation de l’équipe."),
    (True, "Fermeture estivale, réouverture à la date indiquée."),
    (False, "Accueil sur rendez-vous uniquement pendant cette période."),
    (False, "La permanence a lieu exceptionnellement dans la salle polyvalente, au rez-de-chaussée."),
]

CONTACTS = ["Camille Martin", "Nadia Benali", "Julien Moreau", "Sofia Rossi", "Thomas Nguyen", "Awa Diallo", ""]

# One national remote service, added once (with Lyon's offer): a helpline for victims of violence, so that a
# search for « violences conjugales » shows a listening line open day and night. Invented: the number is a
# fictional one; the real national line is the 3919, which the pages show in their emergency box.
NATIONAL_HELPLINE = {
    "key": "national-ecoute-violences",
    "structure": "Ligne nationale d’écoute violences (démo)",
    "nom": "Écoute des victimes de violences conjugales, jour et nuit (démo, numéro fictif)",
    "description": "Démonstration : une ligne d’écoute nationale inventée, gratuite et anonyme, jour et nuit, pour "
    "les victimes de violences conjugales et leurs proches ; elle informe, aide à se protéger et oriente vers les "
    "associations du territoire. Le vrai numéro national est le 3919.",
    "telephone": "01 99 00 39 19",
    "thematiques": ["famille--surmonter-conflits-separation-violence"],
    "publics": ["tous-publics"],
    "hours": "24/7",
}

# Demo aids: invented descriptions, clearly labelled; amounts are illustrative only.
AIDS = [
    {
        "slug": "demo-revenu-solidarite-jeunes",
        "rights_aid": {"lyon": "lyon-revenu-solidarite-jeunes"},  # the same aid in the rights catalogue
        "name": "Revenu Solidarité Jeunes (démo)",
        "kind": "aide-financiere",
        "institution": "Métropole de Lyon",
        "summary": "Description de démonstration : une aide mensuelle de la Métropole pour les jeunes de 18 à 24 "
        "ans sans ressources ni soutien familial, avec un accompagnement vers l’emploi ou la formation.",
        "conditions": "Exemple de conditions (démonstration) : avoir entre 18 et 24 ans, habiter la Métropole, ne "
        "pas avoir de ressources suffisantes, s’engager dans un accompagnement.",
        "amount": "Montant indicatif, à vérifier auprès de la Métropole de Lyon",
        "periodicity": "monthly",
        "thematiques": ["difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"],
        "publics": ["jeunes"],
        "region": "lyon",
        "claim_templates": ("accompagnement-jeunes", "accompagnement-rsa", "acces-droits"),
        "how_to_claim": "Demande à faire avec un conseiller de mission locale ou un travailleur social.",
    },
    {
        "slug": "demo-aide-urgence-ccas",
        "name": "Aide financière d’urgence du CCAS (démo)",
        "kind": "aide-financiere",
        "institution": "CCAS de la commune",
        "summary": "Une aide ponctuelle pour faire face à une dépense imprévue (facture d’énergie, frais de "
        "santé), décidée en commission. Données de démonstration.",
        "conditions": "Habiter la commune ; évaluation de la situation par un travailleur social.",
        "amount": "Selon la situation",
        "periodicity": "once",
        "thematiques": ["difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"],
        "publics": ["tous-publics"],
        "region": "",
        "claim_templates": ("acces-droits",),
        "how_to_claim": "Prendre rendez-vous à l’accueil du CCAS.",
    },
    {
        "slug": "demo-aide-maintien-logement",
        "rights_aid": {"lyon": "lyon-fonds-solidarite-logement", "metz": "moselle-fonds-solidarite-logement"},
        "name": "Aide au maintien dans le logement (démo)",
        "kind": "aide-financiere",
        "institution": "Fonds de solidarité logement",
        "summary": "Une aide pour régler une dette de loyer ou de charges et rester dans son logement. "
        "Description de démonstration.",
        "conditions": "Ressources sous un plafond ; un plan d’apurement avec le bailleur.",
        "amount": "Selon la dette",
        "periodicity": "once",
        "thematiques": ["logement-hebergement--reduire-les-impayes-de-loyer"],
        "publics": ["tous-publics"],
        "region": "",
        "claim_templates": ("prevention-expulsions",),
        "how_to_claim": "Dossier monté avec un travailleur social.",
    },
    {
        "slug": "demo-aide-permis",
        "name": "Aide au permis de conduire pour l’emploi (démo)",
        "kind": "aide-financiere",
        "institution": "Collectivités et partenaires emploi",
        "summary": "Une participation au coût du permis B pour les personnes dont le projet professionnel en "
        "dépend. Données de démonstration.",
        "conditions": "Être accompagné vers l’emploi ; projet professionnel nécessitant le permis.",
        "amount": "Jusqu’à un montant fixé par le financeur",
        "periodicity": "once",
        "thematiques": ["mobilite--preparer-un-permis", "mobilite--financer-ma-mobilite"],
        "publics": ["demandeurs-emploi", "jeunes"],
        "region": "",
        "claim_templates": ("conseil-mobilite", "auto-ecole-sociale"),
        "how_to_claim": "Demande faite par votre conseiller emploi ou mobilité.",
    },
    {
        "slug": "demo-equipement-numerique",
        "name": "Équipement numérique solidaire (démo)",
        "kind": "aide-materielle",
        "institution": "Réseau de médiation numérique",
        "summary": "Un ordinateur reconditionné à prix réduit, avec une initiation. Données de démonstration.",
        "conditions": "Justificatif de ressources ou orientation par un professionnel.",
        "amount": "Prix solidaire",
        "periodicity": "once",
        "thematiques": ["numerique--acquerir-un-equipement"],
        "publics": ["tous-publics"],
        "region": "",
        "claim_templates": ("ordinateur-solidaire",),
        "how_to_claim": "Se présenter avec un justificatif.",
    },
    {
        "slug": "demo-colis-urgence",
        "name": "Colis alimentaire d’urgence (démo)",
        "kind": "aide-materielle",
        "institution": "Associations d’aide alimentaire",
        "summary": "Un colis alimentaire pour quelques jours, sans délai. Données de démonstration.",
        "conditions": "Situation d’urgence ; sans condition de domicile.",
        "amount": "",
        "periodicity": "on_demand",
        "thematiques": ["equipement-et-alimentation--alimentation"],
        "publics": ["personnes-en-situation-durgence"],
        "region": "",
        "claim_templates": ("colis-alimentaires",),
        "how_to_claim": "Se présenter aux horaires de distribution.",
    },
]
