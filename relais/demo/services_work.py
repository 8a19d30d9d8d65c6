"""Invented demo services about work and training: choosing a job, applying, training, creating a business."""

from relais.demo.templates import ServiceTemplate as T

WORK = [
    # choisir un métier
    T(
        "decouverte-metiers",
        "Découverte des métiers et immersions en entreprise",
        "atelier",
        (
            "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
            "choisir-un-metier--confirmer-son-choix-de-metier",
        ),
        "Visites d’entreprises, rencontres avec des professionnels et stages d’immersion de quelques jours "
        "pour vérifier qu’un métier vous plaît avant de vous engager.",
        publics=("demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux"),
        volume_horaire_hebdomadaire=6,
        nombre_semaines=4,
    ),
    T(
        "point-competences",
        "Point compétences et métiers qui recrutent",
        "accompagnement",
        (
            "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
            "choisir-un-metier--connaitre-les-opportunites-demploi",
        ),
        "Un entretien pour faire le point sur ce que vous savez faire, y compris hors emploi (bénévolat, "
        "vie de famille), et sur les métiers qui recrutent près de chez vous.",
        publics=("demandeurs-emploi", "actifs", "femmes"),
        modes_accueil=("en-presentiel", "a-distance"),
        conditions_acces="Sur rendez-vous.",
    ),
    # créer une entreprise
    T(
        "creation-entreprise",
        "Accompagnement à la création d’entreprise",
        "accompagnement",
        (
            "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
            "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
        ),
        "De l’idée au lancement : étude de marché, statut, financement, microcrédit. Réunion d’information "
        "collective puis rendez-vous individuels.",
        publics=("demandeurs-emploi", "beneficiaires-des-minimas-sociaux", "residents-qpv-frr"),
        modes_accueil=("en-presentiel", "a-distance"),
        modes_mobilisation=("envoyer-un-courriel", "telephoner"),
    ),
    T(
        "suivi-entreprise",
        "Suivi des jeunes entreprises",
        "accompagnement",
        ("creer-une-entreprise--developper-son-entreprise",),
        "Un suivi pendant les trois premières années : gestion, premiers recrutements, recherche de clients.",
        publics=("actifs",),
        frais="payant",
        frais_precisions="Adhésion de 50 € par an, gratuite la première année.",
        modes_accueil=("en-presentiel", "a-distance"),
    ),
    # préparer sa candidature
    T(
        "atelier-cv",
        "Atelier CV et lettre de motivation",
        "atelier",
        (
            "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
            "preparer-sa-candidature--valoriser-ses-competences",
        ),
        "Construire ou refaire son CV, adapter sa lettre à une offre, mettre en valeur son expérience.",
        publics=("demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux"),
        hours=("Mo 14:00-16:30", "Th 09:30-12:00", "We 17:30-19:30"),
    ),
    T(
        "club-emploi",
        "Club de recherche d’emploi",
        "atelier",
        (
            "preparer-sa-candidature--developper-son-reseau",
            "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
        ),
        "Se retrouver chaque semaine pour chercher ensemble, partager les pistes et rencontrer des employeurs.",
        publics=("demandeurs-emploi",),
        volume_horaire_hebdomadaire=6,
        nombre_semaines=8,
    ),
    T(
        "parrainage",
        "Parrainage vers l’emploi",
        "accompagnement",
        ("preparer-sa-candidature--developper-son-reseau", "preparer-sa-candidature--valoriser-ses-competences"),
        "Un parrain ou une marraine en activité vous accompagne pendant six mois dans votre recherche.",
        publics=("jeunes", "residents-qpv-frr", "demandeurs-emploi"),
        modes_accueil=("en-presentiel", "a-distance"),
        age_max=30,
    ),
    # se former
    T(
        "trouver-formation",
        "Trouver une formation",
        "accompagnement",
        ("se-former--trouver-sa-formation", "se-former--monter-son-dossier-de-formation"),
        "Un conseiller vous aide à choisir une formation qualifiante et à en chercher le financement.",
        publics=("demandeurs-emploi", "jeunes", "actifs"),
        modes_accueil=("en-presentiel", "a-distance"),
    ),
    T(
        "dossier-formation",
        "Monter son dossier de financement de formation",
        "accompagnement",
        ("se-former--monter-son-dossier-de-formation",),
        "Compte personnel de formation, aides de la Région : on monte le dossier ensemble.",
        publics=("demandeurs-emploi", "actifs"),
        modes_accueil=("a-distance",),
        modes_mobilisation=("envoyer-un-courriel", "utiliser-lien-mobilisation"),
    ),
    # s'ouvrir à l'international
    T(
        "mobilite-internationale",
        "Information mobilité internationale",
        "information",
        (
            "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
            "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
        ),
        "Volontariat, emploi saisonnier, études ou stage à l’étranger : informations et aides possibles.",
        publics=("jeunes", "etudiants"),
        age_min=18,
        age_max=30,
        modes_accueil=("en-presentiel", "a-distance"),
    ),
    T(
        "retour-en-france",
        "Accueil des personnes de retour de l’étranger",
        "accompagnement",
        ("souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france",),
        "Papiers, Assurance maladie, logement, inscription à France Travail : les premières démarches "
        "après un retour en France.",
    ),
    # trouver un emploi
    T(
        "entretien",
        "Préparer un entretien d’embauche",
        "atelier",
        ("trouver-un-emploi--convaincre-un-recruteur-en-entretien",),
        "Simulations d’entretien filmées avec un professionnel du recrutement, prêt de tenue possible.",
        publics=("demandeurs-emploi", "jeunes"),
    ),
    T(
        "candidatures",
        "Atelier candidatures et relances",
        "atelier",
        (
            "trouver-un-emploi--faire-des-candidatures-spontanees",
            "trouver-un-emploi--repondre-a-des-offres-demploi",
            "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
        ),
        "Cibler les entreprises, répondre aux offres, suivre ses candidatures et relancer les employeurs.",
        publics=("demandeurs-emploi",),
        volume_horaire_hebdomadaire=3,
        nombre_semaines=4,
    ),
    T(
        "maintien-emploi",
        "Maintien dans l’emploi",
        "accompagnement",
        ("trouver-un-emploi--maintien-dans-lemploi",),
        "Quand la santé ou une situation de handicap rend votre poste difficile : aménagement, "
        "reclassement, formation.",
        publics=("actifs", "personnes-en-situation-de-handicap"),
        mobilisable_par=("usagers", "professionnels"),
    ),
    T(
        "chantier-insertion",
        "Contrats en chantier d’insertion",
        "accompagnement",
        ("trouver-un-emploi--repondre-a-des-offres-demploi", "choisir-un-metier--confirmer-son-choix-de-metier"),
        "Un contrat de travail de 26 heures par semaine (espaces verts, bâtiment, restauration) avec un "
        "accompagnement vers l’emploi durable.",
        publics=("demandeurs-emploi", "beneficiaires-des-minimas-sociaux"),
        conditions_acces="Être éligible à l’insertion par l’activité économique.",
        mobilisable_par=("professionnels",),
        volume_horaire_hebdomadaire=26,
    ),
    T(
        "accompagnement-rsa",
        "Accompagnement des allocataires du RSA",
        "accompagnement",
        (
            "trouver-un-emploi--repondre-a-des-offres-demploi",
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        ),
        "Un référent unique vous accompagne dans votre parcours d’insertion sociale et professionnelle.",
        publics=("beneficiaires-des-minimas-sociaux",),
        conditions_acces="Être allocataire du RSA.",
        mobilisable_par=("professionnels",),
    ),
    T(
        "accompagnement-jeunes",
        "Accompagnement des jeunes vers l’emploi",
        "accompagnement",
        (
            "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
            "choisir-un-metier--connaitre-les-opportunites-demploi",
            "trouver-un-emploi--repondre-a-des-offres-demploi",
        ),
        "Un conseiller suit chaque jeune dans son projet : emploi, formation, logement, santé, mobilité.",
        publics=("jeunes",),
        age_min=16,
        age_max=25,
    ),
    T(
        "logement-jeunes",
        "Information logement des jeunes",
        "information",
        (
            "logement-hebergement--louer-un-logement",
            "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
        ),
        "Foyers de jeunes travailleurs, colocation, garanties et aides pour un premier logement.",
        publics=("jeunes", "etudiants"),
        age_min=16,
        age_max=30,
    ),
]
