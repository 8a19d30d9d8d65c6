"""The everyday words people use for their needs, mapped to data·inclusion thématiques.

Written for Relais from social workers' usual vocabulary (no external source). Each entry is
(phrases separated by "|", targets, weight[, urgent]). A target is an alias below, a whole catégorie
code, optionally with its own weight after a colon ("log.maintien:0.8"). Phrases are matched on their
significant words in any order, accent-, case- and typo-tolerant (see lexicon.py); a longer phrase
that matches hides the shorter ones it contains ("quitter mon logement" hides "logement").
"""

ALIASES = {
    "metier.confirmer": "choisir-un-metier--confirmer-son-choix-de-metier",
    "metier.opportunites": "choisir-un-metier--connaitre-les-opportunites-demploi",
    "metier.decouvrir": "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
    "metier.competences": "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
    "entreprise.definir": "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
    "entreprise.developper": "creer-une-entreprise--developper-son-entreprise",
    "entreprise.structurer": "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
    "admin.demarches": "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "admin.citoyennete": "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
    "admin.droits": "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "admin.mesure": "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
    "admin.discrimination": "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
    "admin.justice": "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    "budget.autonomie": "difficultes-financieres--acquerir-une-autonomie-budgetaire",
    "budget.gestion": "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "budget.protection": "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere",
    "budget.prevenir": "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
    "budget.dettes": "difficultes-financieres--situation-dendettement-surendettement",
    "equip.menage": "equipement-et-alimentation--aide-menagere",
    "equip.alimentation": "equipement-et-alimentation--alimentation",
    "equip.electromenager": "equipement-et-alimentation--electromenager",
    "equip.habillement": "equipement-et-alimentation--habillement",
    "famille.garde": "famille--garde-denfants",
    "famille.dependance": "famille--prise-en-charge-personne-dependante",
    "famille.parentalite": "famille--soutien-a-la-parentalite-et-a-leducation",
    "famille.aidants": "famille--soutien-aidants",
    "famille.violence": "famille--surmonter-conflits-separation-violence",
    "lec.calcul": "lecture-ecriture-calcul--maitriser-le-calcul",
    "lec.francais": "lecture-ecriture-calcul--maitriser-le-francais",
    "log.acheter": "logement-hebergement--acheter-un-logement",
    "log.changer": "logement-hebergement--changer-de-logement",
    "log.louer": "logement-hebergement--louer-un-logement",
    "log.heberg": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "log.impayes": "logement-hebergement--reduire-les-impayes-de-loyer",
    "log.maintien": "logement-hebergement--se-maintenir-dans-le-logement",
    "log.info": "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
    "mob.vehicule": "mobilite--acceder-a-un-vehicule",
    "mob.reparer": "mobilite--entretenir-reparer-son-vehicule",
    "mob.parcours": "mobilite--etre-accompagne-dans-son-parcours-mobilite",
    "mob.financer": "mobilite--financer-ma-mobilite",
    "mob.permis": "mobilite--preparer-un-permis",
    "mob.douce": "mobilite--mobilite-douce-partagee-collective",
    "num.services": "numerique--acceder-a-des-services-en-ligne",
    "num.connexion": "numerique--acceder-a-une-connexion-internet",
    "num.equipement": "numerique--acquerir-un-equipement",
    "num.bases": "numerique--maitriser-les-fondamentaux-du-numerique",
    "cand.reseau": "preparer-sa-candidature--developper-son-reseau",
    "cand.organiser": "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
    "cand.cv": "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    "cand.competences": "preparer-sa-candidature--valoriser-ses-competences",
    "remob.sport": "remobilisation--activites-sportives-et-culturelles",
    "remob.benevolat": "remobilisation--benevolat-action-citoyenne",
    "remob.confiance": "remobilisation--bien-etre-confiance-en-soi",
    "remob.lien": "remobilisation--lien-social",
    "sante.soins": "sante--acces-aux-soins",
    "sante.addictions": "sante--addictions",
    "sante.mdph": "sante--constituer-un-dossier-mdph-invalidite",
    "sante.mentale": "sante--sante-mentale",
    "sante.sexuelle": "sante--sante-sexuelle",
    "form.dossier": "se-former--monter-son-dossier-de-formation",
    "form.trouver": "se-former--trouver-sa-formation",
    "inter.emploi": "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
    "inter.aides": "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
    "inter.retour": "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france",
    "emploi.entretien": "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
    "emploi.spontanees": "trouver-un-emploi--faire-des-candidatures-spontanees",
    "emploi.maintien": "trouver-un-emploi--maintien-dans-lemploi",
    "emploi.offres": "trouver-un-emploi--repondre-a-des-offres-demploi",
    "emploi.suivre": "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
}

URGENT = True  # an emergency, with no more precise signal
# Urgent entries name what the emergency is about: the engine reads these signals (e.g. no family
# mediation when the words speak of violence, see engine.CONTRAINDICATIONS).
SHELTER = "shelter"  # nowhere to sleep tonight
VIOLENCE = "violence"  # violence, danger at home
SUICIDE = "suicide"  # suicidal thoughts

TERMS = [
    # ---- Logement et hébergement
    (
        "hébergement|héberger|hébergé|hébergée|dormir|où dormir|dormir ce soir|passer la nuit|dormir dehors|"
        "dors dehors|suis à la rue|être à la rue|vis dans la rue|vivre dans la rue|dors dans la rue|vis à la rue|retrouvé à la rue|retrouvée à la rue|sans abri|sans-abri|SDF|sans domicile|sans domicile fixe|sans logement|"
        "pas de logement|plus de logement|nulle part où dormir|nulle part où aller|115|mise à l'abri|abri|"
        "centre d'hébergement|CHRS|hébergement d'urgence|squat|mis dehors|mise dehors|jeté dehors|"
        "dormir dans ma voiture|dormir dans la voiture|dors dans ma voiture|dors dans la voiture|dort dans sa voiture|"
        "vis dans ma voiture|vit dans sa voiture|dormir dans la rue|à la rue|dehors ce soir|hôtel social|nuitée|nuitées|accueil de nuit|halte de nuit|"
        "SIAO|hébergement temporaire|toit pour ce soir|un toit",
        "log.heberg",
        1.0,
        SHELTER,
    ),
    (
        "pension de famille|maison relais|résidence sociale|foyer jeunes travailleurs|FJT|logement temporaire|"
        "logement d'urgence|logement de transition|logement passerelle|foyer d'accueil|hébergé chez un ami|"
        "hébergée chez une amie|hébergé chez des amis|hébergé chez de la famille|canapé",
        "log.heberg log.louer:0.6",
        1.0,
    ),
    (
        "quitter mon logement|dois quitter mon logement|quitter l'appartement|partir de chez moi|quitter le domicile|"
        "je dois partir|obligé de partir|obligée de partir|perdre mon logement|perdre mon appartement",
        "log.maintien log.heberg:0.9 log.changer:0.8",
        1.0,
    ),
    (
        "expulsion|expulsé|expulsée|avis d'expulsion|procédure d'expulsion|commandement de quitter les lieux|"
        "quitter les lieux|commissaire de justice|garder mon logement|rester dans mon logement|"
        "maintien dans le logement|bail résilié|résiliation du bail|congé du propriétaire|"
        "propriétaire veut me mettre dehors|trêve hivernale|assignation|jugement d'expulsion|CCAPEX",
        "log.maintien log.impayes:0.7 admin.justice:0.5",
        1.0,
    ),
    (
        "logement insalubre|insalubre|insalubrité|moisissure|moisissures|humidité|logement indigne|"
        "marchand de sommeil|punaises de lit|cafards|nuisibles|travaux dans mon logement|adapter mon logement|"
        "adaptation du logement|logement adapté|monte-escalier|douche à l'italienne|MaPrimeAdapt",
        "log.maintien log.info:0.6",
        1.0,
    ),
    (
        "précarité énergétique|factures d'énergie|facture d'électricité|facture de gaz|facture d'eau|chauffage|"
        "pas de chauffage|électricité|payer l'électricité|coupure d'électricité|coupure de gaz|électricité coupée|gaz coupé|EDF|Engie|"
        "chèque énergie|énergie|isolation|froid chez moi",
        "log.maintien budget.prevenir:0.8",
        0.9,
    ),
    (
        "impayé de loyer|impayés de loyer|loyer impayé|loyers impayés|retard de loyer|dette de loyer|"
        "dettes de loyer|payer mon loyer|payer le loyer|arriérés de loyer|plus payer mon loyer|loyer en retard|"
        "charges impayées|APL suspendue|FSL|fonds de solidarité logement|fonds de solidarité pour le logement",
        "log.impayes log.maintien:0.8 budget.dettes:0.5",
        1.0,
    ),
    (
        "louer|location|trouver un logement|chercher un logement|cherche un logement|recherche de logement|"
        "recherche un logement|trouver un appartement|appartement|appart|studio|T2|T3|logement social|HLM|"
        "demande de logement social|demande HLM|numéro unique|bailleur|bailleur social|caution|dépôt de garantie|"
        "garant|garantie Visale|Visale|Loca-Pass|premier logement|colocation|intermédiation locative|"
        "bail glissant|Action Logement|agence immobilière|bail|logement étudiant|CROUS logement",
        "log.louer log.info:0.6",
        1.0,
    ),
    (
        "changer de logement|déménager|déménagement|logement trop petit|logement trop cher|mutation logement|"
        "échange de logement|logement inadapté|plus grand|suroccupation|surpeuplement|rapprochement travail",
        "log.changer log.louer:0.6",
        1.0,
    ),
    (
        "acheter un logement|acheter une maison|acheter un appartement|achat immobilier|accession à la propriété|"
        "devenir propriétaire|prêt immobilier|PTZ|prêt à taux zéro|bail réel solidaire|BRS|location-accession|PSLA",
        "log.acheter",
        1.0,
    ),
    (
        "droits du locataire|droits des locataires|ADIL|démarches logement|information logement|conseil logement|"
        "aide au logement|aides au logement|APL|allocation logement|ALS|ALF|DALO|droit au logement opposable|"
        "recours DALO|litige avec mon propriétaire|problème avec mon propriétaire|état des lieux|"
        "charges locatives|quittance|augmentation de loyer|propriétaire",
        "log.info admin.droits:0.5",
        1.0,
    ),
    ("logement|loger|me loger|se loger|habitat|toit|maison|logé|logée", "logement-hebergement", 0.6),
    # ---- Équipement et alimentation
    (
        "manger|manger ce soir|à manger|de quoi manger|rien à manger|plus rien à manger|nourriture|nourrir|"
        "me nourrir|nourrir mes enfants|faim|j'ai faim|repas|repas chaud|colis alimentaire|colis|aide alimentaire|"
        "banque alimentaire|épicerie solidaire|épicerie sociale|restos du cœur|restos du coeur|restaurant social|"
        "Secours populaire|distribution alimentaire|distribution de repas|faire les courses|faire mes courses|frigo vide|"
        "frigo solidaire|panier|panier repas|chèque alimentaire|chèques alimentaires|chèques services|"
        "bons alimentaires|ticket service|lait bébé|lait infantile|petits pots|soupe populaire|petit déjeuner|"
        "alimentation|alimentaire|aliment|aliments|denrées|paniers solidaires|cantine|épicerie|pain|du pain|baguette|"
        "courses alimentaires|provisions|nourriture pour mes enfants",
        "equip.alimentation",
        1.0,
    ),
    ("couches|couches bébé|produits bébé", "equip.alimentation equip.habillement:0.6 famille.parentalite:0.5", 1.0),
    (
        "vêtements|vêtement|habits|habiller|m'habiller|vestiaire|vestiaire solidaire|chaussures|manteau|"
        "habillement|friperie|friperie solidaire|vêtements enfants|linge|vêtements chauds|boutique solidaire",
        "equip.habillement",
        1.0,
    ),
    (
        "électroménager|réfrigérateur|frigo|frigidaire|machine à laver|lave-linge|four|micro-ondes|plaques de cuisson|"
        "gazinière|congélateur|meubles|mobilier|lit|matelas|équiper mon logement|équipement maison|"
        "meubler mon logement|ressourcerie|recyclerie|Emmaüs|vaisselle|électroménager d'occasion",
        "equip.electromenager",
        1.0,
    ),
    (
        "aide ménagère|ménage|aide à domicile|entretien du logement|auxiliaire de vie|repassage|"
        "portage de repas|repas à domicile|laverie|laver mon linge|laver mes vêtements|lessive",
        "equip.menage famille.dependance:0.5",
        1.0,
    ),
    (
        "hygiène|douche|douches|prendre une douche|me laver|bains douches|kit hygiène|produits d'hygiène|"
        "protections périodiques|serviettes hygiéniques|coiffeur",
        "equip.menage equip.habillement:0.5 remob.confiance:0.4",
        0.9,
    ),
    # ---- Difficultés financières
    (
        "dettes|dette|endettement|endetté|endettée|surendettement|surendetté|surendettée|dossier de surendettement|"
        "commission de surendettement|Banque de France|crédit|crédits|crédit à la consommation|crédit renouvelable|"
        "rembourser|remboursement|remboursements|créanciers|créancier|recouvrement|saisie sur salaire|saisie|"
        "interdit bancaire|fiché à la Banque de France|FICP|plan de surendettement|rétablissement personnel|"
        "huissier|lettre d'huissier|injonction de payer|mise en demeure",
        "budget.dettes budget.gestion:0.6",
        1.0,
    ),
    (
        "budget|gérer mon budget|gestion du budget|gérer mon argent|finir le mois|fin du mois|fins de mois|"
        "fin de mois difficile|point conseil budget|PCB|compte bancaire|découvert|à découvert|agios|frais bancaires|"
        "banque|ouvrir un compte|droit au compte|épargne|économiser|faire des économies|factures|facture|"
        "payer mes factures|impayés|impayé",
        "budget.gestion budget.prevenir:0.8",
        1.0,
    ),
    (
        "microcrédit|micro-crédit|microcrédit personnel|prêt social|petit prêt|avance remboursable",
        "budget.prevenir budget.gestion:0.6 mob.financer:0.4",
        1.0,
    ),
    (
        "autonomie budgétaire|apprendre à gérer mon budget|éducation budgétaire|atelier budget|tenir un budget|"
        "gérer mes comptes|gérer mes papiers et mon argent",
        "budget.autonomie budget.gestion:0.8",
        1.0,
    ),
    (
        "tutelle|curatelle|sauvegarde de justice|mesure de protection|mandataire judiciaire|MASP|"
        "mesure d'accompagnement social personnalisé|protection juridique des majeurs|habilitation familiale|"
        "tuteur|curateur|mandataire",
        "budget.protection admin.mesure:0.7",
        1.0,
    ),
    (
        "plus d'argent|pas d'argent|sans argent|sans ressources|aucune ressource|aucun revenu|pas de revenus|"
        "plus de revenus|fin de droits|perte de revenus|baisse de revenus|difficultés financières|"
        "problèmes d'argent|besoin d'argent|aide financière|secours|secours d'urgence|aide d'urgence|"
        "aide ponctuelle|argent|précarité|pauvreté|fonds d'aide|revenu de solidarité jeunes|RSJ|"
        "aide financière d'urgence|fauché|fauchée",
        "budget.prevenir admin.droits:0.6",
        1.0,
    ),
    # ---- Difficultés administratives ou juridiques
    (
        "papiers|mes papiers|faire mes papiers|démarches|démarches administratives|dossier|remplir un dossier|"
        "formulaire|formulaires|courrier|courriers|lettre administrative|comprendre un courrier|administration|"
        "administratif|administrative|paperasse|France Services|maison France Services|MSAP|écrivain public|"
        "carte d'identité|passeport|acte de naissance|ANTS|impôts|déclaration d'impôts|déclaration de revenus|"
        "avis d'imposition|URSSAF|déclaration trimestrielle|retraite|dossier retraite|CARSAT|MSA|CPAM|"
        "sécurité sociale|caisse d'allocations familiales|allocations familiales|CAF|Pôle emploi dossier",
        "admin.demarches admin.droits:0.8",
        1.0,
    ),
    (
        "domiciliation|adresse postale|boîte aux lettres|pas d'adresse|sans adresse|élection de domicile|"
        "recevoir mon courrier|attestation de domiciliation",
        "admin.demarches admin.droits:0.8 log.heberg:0.4",
        1.0,
    ),
    (
        "droits|mes droits|accès aux droits|connaître mes droits|ouvrir mes droits|aides sociales|"
        "à quoi j'ai droit|quelles aides|RSA|revenu de solidarité active|AAH|allocation adulte handicapé|"
        "prime d'activité|allocation|allocations|prestations|prestations sociales|CSS|complémentaire santé solidaire|"
        "CMU|ASPA|minimum vieillesse|ASS|allocation de solidarité spécifique|tarif social|bourse|bourses|"
        "non-recours|simulation des droits|simulateur|assistante sociale|assistant social|travailleur social|"
        "travailleuse sociale|CCAS|maison de la métropole|MDM|maison du département|MDS|permanence sociale|"
        "accompagnement social|suivi social|aides sociales",
        "admin.droits admin.demarches:0.7",
        1.0,
    ),
    (
        "naturalisation|nationalité française|nationalité|citoyenneté|titre de séjour|carte de séjour|récépissé|"
        "visa|préfecture|rendez-vous préfecture|régularisation|régulariser|sans papiers|sans-papiers|pas de papiers|OQTF|"
        "demande d'asile|demandeur d'asile|demandeuse d'asile|asile|réfugié|réfugiée|réfugiés|protection subsidiaire|"
        "OFPRA|CNDA|OFII|contrat d'intégration républicaine|CIR|regroupement familial|droit de vote|"
        "listes électorales|inscription électorale|carte électorale|apatride|primo-arrivant|primo-arrivante|"
        "étranger|étrangère|droit des étrangers|migrant|migrante|exilé|exilée",
        "admin.citoyennete admin.droits:0.6",
        1.0,
    ),
    (
        "arriver en France|arrivé en France|arrivée en France|viens d'arriver|nouvel arrivant|nouvelle arrivante",
        "admin.citoyennete admin.droits:0.8 lec.francais:0.6",
        1.0,
    ),
    ("papiers d'identité|mes papiers d'identité|papiers en règle", "admin.citoyennete admin.demarches", 1.0),
    (
        "accompagnement adapté|mesure d'accompagnement|accompagnement renforcé|accompagnement global|"
        "référent RSA|référent unique|contrat d'engagement réciproque|CER|accompagnement socioprofessionnel|"
        "parcours d'insertion|insertion|ASLL|AVDL|contrat d'engagement jeune|CEJ|garantie jeunes",
        "admin.mesure emploi.offres:0.5",
        1.0,
    ),
    (
        "discrimination|discriminations|discriminé|discriminée|racisme|raciste|homophobie|homophobe|"
        "transphobie|sexisme|handiphobie|refus de location|refusé à cause de|inégalité de traitement|"
        "Défenseur des droits|harcèlement|harcèlement au travail|harcelé|harcelée|délit de faciès",
        "admin.discrimination admin.justice:0.6",
        1.0,
    ),
    (
        "justice|tribunal|juge|procès|avocat|avocate|aide juridictionnelle|aide juridique|conseil juridique|"
        "accès au droit|point justice|maison de justice|CDAD|porter plainte|déposer plainte|plainte|"
        "casier judiciaire|prison|sortie de prison|sortant de prison|sortir de prison|détenu|détenue|détention|"
        "SPIP|contrôle judiciaire|travaux d'intérêt général|TIG|bracelet électronique|litige|contentieux|"
        "prud'hommes|juriste|conciliateur|conciliatrice|convocation au tribunal|amende|amendes|avocat gratuit",
        "admin.justice",
        1.0,
    ),
    # ---- Famille
    (
        "garde d'enfants|faire garder mon enfant|faire garder mes enfants|faire garder|garder mes enfants|"
        "crèche|crèches|halte-garderie|garderie|nounou|assistante maternelle|assistant maternel|baby-sitting|"
        "mode de garde|relais petite enfance|RPE|RAM|périscolaire|centre de loisirs|accueil de loisirs|"
        "garde du bébé|place en crèche",
        "famille.garde",
        1.0,
    ),
    (
        "personne âgée|personnes âgées|dépendance|dépendant|dépendante|perte d'autonomie|APA|"
        "allocation personnalisée d'autonomie|EHPAD|maison de retraite|maintien à domicile|téléassistance|"
        "parent âgé|mes parents âgés|grand âge|Alzheimer|résidence autonomie|CLIC|maison de l'autonomie|"
        "grabataire|mère âgée|père âgé",
        "famille.dependance famille.aidants:0.6",
        1.0,
    ),
    (
        "parentalité|être parent|soutien parental|éducation|éduquer|ado|ados|adolescent|"
        "adolescente|adolescents|enfant difficile|crise d'adolescence|conflit avec mon ado|décrochage scolaire|"
        "école|scolarité|devoirs|aide aux devoirs|accompagnement scolaire|soutien scolaire|PMI|"
        "protection maternelle et infantile|bébé|naissance|nourrisson|allaitement|lieu d'accueil enfants parents|"
        "LAEP|café des parents|école des parents|parent solo|parent isolé|parent seul|mère seule|père seul|"
        "maman solo|papa solo|famille monoparentale|monoparentale|aide sociale à l'enfance|ASE|placement|"
        "éducateur|éducatrice|puéricultrice|jeune parent",
        "famille.parentalite",
        1.0,
    ),
    ("mon enfant|mes enfants|mon fils|ma fille", "famille.parentalite", 0.5),
    ("enceinte|grossesse|suivi de grossesse|future maman|maternité", "famille.parentalite sante.soins:0.8", 1.0),
    (
        "aidant|aidants|aidant familial|proche aidant|proche aidante|je m'occupe de ma mère|je m'occupe de mon père|"
        "m'occuper d'un proche|s'occuper d'un proche|répit|droit au répit|plateforme de répit|épuisement|"
        "congé de proche aidant|aidante",
        "famille.aidants famille.dependance:0.7",
        1.0,
    ),
    (
        "violence|violences|violences conjugales|violence conjugale|violences familiales|violences intrafamiliales|"
        "violences faites aux femmes|battue|battu|frappée|frappé|me frappe|conjoint violent|mari violent|"
        "compagnon violent|emprise|harcèlement conjugal|peur de mon conjoint|peur de mon mari|menaces|menacée|"
        "femme battue|3919|téléphone grave danger|ordonnance de protection|fuir mon conjoint|fuir mon mari|"
        "quitter mon conjoint violent|mariage forcé|excision|mutilations sexuelles|crime d'honneur|"
        "me bat|il me bat|elle me bat|me battre|nous bat|bat mes enfants|"
        "me frappe|il me frappe|elle me frappe|mon copain me frappe|ma copine me frappe|frappe mes enfants|"
        "en danger|me sens en danger|je suis en danger|danger|peur pour ma vie|peur pour mes enfants|"
        "peur de rentrer chez moi|il me menace|elle me menace|me menace|menace de me tuer",
        "famille.violence admin.justice:0.6 log.heberg:0.5",
        1.0,
        VIOLENCE,
    ),
    (
        "viol|violée|agression|agressée|agression sexuelle|violences sexuelles|inceste|attouchements|"
        "victime|victimes|victime de violences|aide aux victimes|France Victimes",
        "famille.violence admin.justice:0.8 sante.mentale:0.5",
        1.0,
        VIOLENCE,
    ),
    (
        "séparation|séparer|me séparer|séparé|séparée|divorce|divorcer|rupture|garde alternée|pension alimentaire|"
        "droit de visite|conflit familial|conflits familiaux|disputes|médiation familiale|CIDFF|"
        "résidence des enfants|ARIPA|quitter mon conjoint|quitter mon mari",
        "famille.violence famille.parentalite:0.6 admin.justice:0.5",
        1.0,
    ),
    # ---- Lecture, écriture, calcul
    (
        "apprendre le français|parler français|parler le français|cours de français|français|FLE|"
        "français langue étrangère|alphabétisation|alpha|illettrisme|illettré|illettrée|analphabète|"
        "savoir lire|apprendre à lire|lire et écrire|lire|écrire|écriture|lecture|orthographe|ASL|"
        "atelier sociolinguistique|ateliers de français|parle pas français|comprends pas le français|"
        "langue française|DELF|TCF|test de français|apprendre la langue",
        "lec.francais",
        1.0,
    ),
    (
        "calcul|calculer|savoir compter|maths|mathématiques|savoirs de base|savoirs fondamentaux|remise à niveau|CléA|"
        "calculs|chiffres|opérations",
        "lec.calcul lec.francais:0.5",
        1.0,
    ),
    # ---- Mobilité
    (
        "permis|permis de conduire|permis B|code de la route|passer le code|passer mon code|auto-école|auto école|passer le permis|"
        "examen du code|auto-école sociale|permis AM|BSR|permis moto|heures de conduite|leçons de conduite|"
        "conduire|apprendre à conduire",
        "mob.permis mob.financer:0.5",
        1.0,
    ),
    (
        "voiture|véhicule|acheter une voiture|location de voiture|louer une voiture|scooter|location de scooter|"
        "prêt de véhicule|voiture pas chère|deux-roues|mobylette|moto|voiture d'occasion",
        "mob.vehicule mob.financer:0.5",
        1.0,
    ),
    (
        "réparer ma voiture|réparation voiture|réparation|panne|voiture en panne|garage|garage solidaire|"
        "contrôle technique|entretien voiture|vidange|pneus|réparer mon vélo|atelier vélo|réparer mon scooter",
        "mob.reparer mob.vehicule:0.5",
        1.0,
    ),
    (
        "financer mon permis|aide au permis|aide mobilité|aide à la mobilité|aide carburant|essence|carburant|"
        "payer l'essence|abonnement transport|abonnement de bus|tarif solidaire|tarification solidaire|"
        "TCL solidaire|pass transport|ticket de bus|tickets de bus|titre de transport|payer le bus|"
        "frais de transport|frais de déplacement|chèque carburant|gratuité transports",
        "mob.financer",
        1.0,
    ),
    (
        "mobilité|me déplacer|se déplacer|déplacement|déplacements|plateforme mobilité|conseiller mobilité|"
        "bilan mobilité|apprendre à prendre le bus|sortir de mon quartier|aller au travail|me rendre au travail|"
        "pas de moyen de transport|pas de voiture|sans voiture|transport|transports|venir en bus",
        "mob.parcours mob.douce:0.6 mob.financer:0.5",
        1.0,
    ),
    (
        "vélo|vélos|bicyclette|vélo électrique|covoiturage|autopartage|transport à la demande|TAD|"
        "transports en commun|bus|tram|tramway|métro|navette|apprendre le vélo|vélo-école|vélo solidaire|trottinette",
        "mob.douce mob.parcours:0.5",
        1.0,
    ),
    # ---- Numérique
    (
        "démarches en ligne|faire mes démarches sur internet|démarches sur internet|site internet|en ligne|"
        "créer un compte|compte en ligne|mot de passe|identifiant|identifiants|FranceConnect|espace personnel|"
        "compte ameli|compte CAF|dématérialisation|dématérialisé|conseiller numérique|conseillère numérique|"
        "aidant numérique|Aidants Connect|email|e-mail|mail|adresse mail|boîte mail|imprimer|impression|"
        "scanner|scanner un document|photocopie|photocopies|télédéclaration|prendre rendez-vous en ligne",
        "num.services num.bases:0.6 admin.demarches:0.5",
        1.0,
    ),
    (
        "internet|connexion|wifi|wi-fi|accès internet|pas internet|pas d'internet|box internet|forfait|"
        "forfait téléphone|données mobiles|ordinateur en libre accès|accès libre|espace public numérique|EPN|"
        "cybercentre|cyberbase|tiers-lieu|recharger mon téléphone|charger mon téléphone",
        "num.connexion num.services:0.5",
        1.0,
    ),
    (
        "ordinateur|ordi|PC|ordinateur portable|téléphone portable|smartphone|tablette|acheter un ordinateur|"
        "ordinateur pas cher|ordinateur reconditionné|reconditionné|téléphone solidaire|équipement numérique|"
        "imprimante|clé 4G|carte SIM|téléphone cassé",
        "num.equipement num.bases:0.4",
        1.0,
    ),
    (
        "numérique|informatique|apprendre l'informatique|cours d'informatique|utiliser un ordinateur|"
        "me servir d'un ordinateur|utiliser internet|atelier numérique|initiation informatique|"
        "initiation numérique|utiliser mon téléphone|utiliser mon smartphone|illectronisme|Pix|bureautique|"
        "Word|Excel|traitement de texte|visio|visioconférence|WhatsApp|débutant en informatique",
        "num.bases num.services:0.6",
        1.0,
    ),
    # ---- Emploi et candidature
    (
        "travail|trouver du travail|trouver un travail|chercher du travail|cherche du travail|emploi|"
        "trouver un emploi|chercher un emploi|recherche d'emploi|job|boulot|petit boulot|petits boulots|"
        "offres d'emploi|offre d'emploi|postuler|candidater|intérim|intérimaire|CDI|CDD|embauche|recrutement|"
        "travailler|France Travail|Pôle emploi|chômage|chômeur|chômeuse|au chômage|sans emploi|sans travail|"
        "mission locale|insertion professionnelle|IAE|chantier d'insertion|entreprise d'insertion|ETTI|"
        "association intermédiaire|contrat aidé|PEC|parcours emploi compétences|job dating|forum emploi|"
        "emploi saisonnier|saisonnier|saisonnière|job d'été|travail le week-end",
        "emploi.offres cand.organiser:0.7",
        1.0,
    ),
    (
        "candidature spontanée|candidatures spontanées|démarcher les entreprises|démarcher des employeurs|"
        "prospecter|prospection|déposer mon CV",
        "emploi.spontanees cand.cv:0.6",
        1.0,
    ),
    (
        "relancer|relance|suivre mes candidatures|suivi des candidatures|relancer un employeur|"
        "pas de réponse des employeurs|aucune réponse",
        "emploi.suivre",
        1.0,
    ),
    (
        "entretien d'embauche|entretien|préparer un entretien|simulation d'entretien|recruteur|recruteurs|"
        "me présenter|tenue pour un entretien|tenue entretien|coaching emploi|savoir me vendre",
        "emploi.entretien",
        1.0,
    ),
    (
        "garder mon travail|garder mon emploi|maintien dans l'emploi|risque de licenciement|licenciement|"
        "licencié|licenciée|inaptitude|arrêt maladie|reprise du travail|aménagement de poste|poste adapté|"
        "conflit au travail|problème au travail|rupture conventionnelle|Cap emploi",
        "emploi.maintien",
        1.0,
    ),
    (
        "CV|curriculum|curriculum vitae|faire mon CV|refaire mon CV|lettre de motivation|lettres de motivation|"
        "lettre de candidature|rédiger un CV|modèle de CV|CV en ligne",
        "cand.cv",
        1.0,
    ),
    (
        "organiser ma recherche|méthode de recherche d'emploi|accompagnement emploi|accompagnement vers l'emploi|"
        "conseiller emploi|conseillère emploi|coach emploi|techniques de recherche d'emploi|TRE|club emploi|"
        "atelier emploi|retour à l'emploi|reprendre un travail|reprendre le travail",
        "cand.organiser emploi.offres:0.7",
        1.0,
    ),
    (
        "réseau professionnel|LinkedIn|parrainage|parrain|marraine|mentor|mentorat|rencontrer des employeurs|"
        "réseautage|networking|club entreprises|carnet d'adresses",
        "cand.reseau",
        1.0,
    ),
    (
        "valoriser mes compétences|compétences|mes expériences|expérience|VAE|validation des acquis|savoir-faire|"
        "portefeuille de compétences|soft skills|mettre en valeur mon parcours|diplôme étranger|"
        "reconnaissance de diplôme|équivalence de diplôme",
        "cand.competences metier.competences:0.6",
        1.0,
    ),
    # ---- Choisir un métier
    (
        "découvrir un métier|découvrir des métiers|quel métier|métier|métiers|secteur d'activité|orientation|"
        "orientation professionnelle|me réorienter|réorientation|idée de métier|visite d'entreprise|"
        "stage de découverte|forum des métiers|CIO|conseiller d'orientation|conseillère d'orientation",
        "metier.decouvrir metier.competences:0.6",
        1.0,
    ),
    (
        "confirmer mon projet|valider mon projet|projet professionnel|tester un métier|essayer un métier|PMSMP|"
        "période de mise en situation|immersion|immersion professionnelle|stage|stages",
        "metier.confirmer metier.decouvrir:0.6",
        1.0,
    ),
    (
        "métiers qui recrutent|secteurs qui recrutent|marché du travail|débouchés|opportunités d'emploi|"
        "métiers en tension|qui recrute",
        "metier.opportunites emploi.offres:0.6",
        1.0,
    ),
    (
        "bilan de compétences|points forts|mes qualités|ce que je sais faire|identifier mes compétences|"
        "savoir ce que je veux faire|sais pas quoi faire|test d'orientation|CEP|conseil en évolution professionnelle|"
        "reconversion|reconversion professionnelle|changer de métier|changer de travail|nouveau départ",
        "metier.competences metier.decouvrir:0.6",
        1.0,
    ),
    # ---- Créer une entreprise
    (
        "créer mon entreprise|créer une entreprise|création d'entreprise|créer mon activité|monter mon entreprise|"
        "monter ma boîte|idée d'entreprise|entrepreneur|entrepreneuse|entreprendre|auto-entrepreneur|"
        "autoentrepreneur|micro-entreprise|micro-entrepreneur|me mettre à mon compte|travailler à mon compte|m'installer à mon compte|indépendant|"
        "indépendante|freelance|ACRE|couveuse|coopérative d'activité|CAE|BGE|ADIE|créateur d'entreprise|"
        "créatrice d'entreprise|créer mon emploi",
        "entreprise.definir entreprise.structurer:0.7",
        1.0,
    ),
    (
        "business plan|plan de financement|étude de marché|statut juridique|financement de création|prêt d'honneur|"
        "immatriculation|business model|prévisionnel|financer mon projet d'entreprise|statut d'entreprise",
        "entreprise.structurer entreprise.definir:0.6",
        1.0,
    ),
    (
        "développer mon entreprise|développer mon activité|trouver des clients|chiffre d'affaires|"
        "embaucher mon premier salarié|comptabilité|ma petite entreprise|commerçant|commerçante|artisan|artisane",
        "entreprise.developper",
        1.0,
    ),
    # ---- Se former
    (
        "formation|formations|me former|se former|trouver une formation|formation professionnelle|"
        "formation qualifiante|diplôme|diplômante|certification|CAP|BTS|BAC|bac pro|titre professionnel|"
        "école de la deuxième chance|E2C|EPIDE|apprendre un métier|reprendre mes études|reprendre les études|"
        "études|université|fac|GRETA|AFPA|CNAM|stage de formation|alternance|apprentissage|"
        "contrat d'apprentissage|contrat de professionnalisation|cours du soir|formation à distance|"
        "prépa apprentissage|décrocheur|décrocheuse|sans diplôme",
        "form.trouver form.dossier:0.6",
        1.0,
    ),
    (
        "financer ma formation|financement formation|financement de formation|dossier de formation|"
        "inscription en formation|AIF|aide individuelle à la formation|Transitions Pro|"
        "projet de transition professionnelle|rémunération formation|payer ma formation|CPF|"
        "compte personnel de formation|Mon compte formation|devis formation|prise en charge formation",
        "form.dossier form.trouver:0.6",
        1.0,
    ),
    # ---- S'ouvrir à l'international
    (
        "travailler à l'étranger|emploi à l'étranger|partir à l'étranger|expatriation|job à l'étranger|"
        "volontariat international|PVT|travailler au Canada|travailler en Allemagne|travailler en Suisse|"
        "frontalier|frontalière|travailler au Luxembourg|Luxembourg|Eures",
        "inter.emploi inter.aides:0.6",
        1.0,
    ),
    (
        "aides pour partir à l'étranger|financer un séjour à l'étranger|bourse de mobilité|mobilité internationale|"
        "mobilité européenne|Erasmus|corps européen de solidarité|séjour à l'étranger",
        "inter.aides inter.emploi:0.6",
        1.0,
    ),
    (
        "retour en France|rentrer en France|revenir en France|de retour de l'étranger|retour d'expatriation|"
        "français de l'étranger|réinstallation en France|rentré de l'étranger|rentrée de l'étranger",
        "inter.retour admin.droits:0.5",
        1.0,
    ),
    # ---- Remobilisation
    (
        "isolé|isolée|isolement|solitude|me sentir seul|me sens seul|me sens seule|personne à qui parler|"
        "lien social|rencontrer du monde|rencontrer des gens|sortir de chez moi|voisins|café social|"
        "centre social|maison de quartier|MJC|club senior|club des seniors|amitié|discuter|convivialité|"
        "repas partagé|jardin partagé|jardins partagés|faire des rencontres|me faire des amis|ennui|je m'ennuie",
        "remob.lien remob.sport:0.5",
        1.0,
    ),
    ("accueil de jour|halte de jour|boutique solidarité", "remob.lien log.heberg:0.6 equip.menage:0.5", 1.0),
    (
        "sport|sports|faire du sport|activité physique|culture|culturel|culturelle|cinéma|musée|théâtre|concert|"
        "sortie culturelle|sorties|loisirs|vacances|partir en vacances|séjour|colonie|colo|bibliothèque|"
        "médiathèque|Pass culture|Pass'Sport|piscine|club de foot|danse|musique|atelier créatif|art|activités",
        "remob.sport remob.lien:0.5",
        1.0,
    ),
    (
        "bénévolat|bénévole|devenir bénévole|être utile|aider les autres|engagement|m'engager|s'engager|"
        "association|volontariat|service civique|action citoyenne|conseil citoyen|participation citoyenne|"
        "participer à la vie du quartier",
        "remob.benevolat remob.lien:0.5",
        1.0,
    ),
    (
        "confiance en soi|confiance|estime de soi|reprendre confiance|me sentir mieux|bien-être|bien être|"
        "motivation|remotivation|retrouver la motivation|image de soi|socio-esthétique|relooking|se remobiliser|"
        "remobilisation|redynamisation|reprendre pied|sortir de l'isolement|perdu confiance",
        "remob.confiance remob.lien:0.6",
        1.0,
    ),
    # ---- Santé
    (
        "médecin|docteur|généraliste|médecin traitant|trouver un médecin|pas de médecin|soins|se soigner|"
        "me soigner|soigner|malade|maladie|santé|hôpital|dentiste|dents|mal aux dents|lunettes|"
        "ophtalmo|ophtalmologue|vaccin|vaccination|consultation|consultation gratuite|PASS santé|service des urgences|aller aux urgences|"
        "permanence d'accès aux soins|centre de santé|mutuelle|complémentaire santé|carte vitale|PUMa|AME|"
        "aide médicale d'état|médicaments|pharmacie|infirmier|infirmière|kiné|bilan de santé|examen de santé|"
        "dépistage|gynécologue|Médecins du Monde|soins gratuits|soins dentaires|audition|appareil auditif|"
        "prévention santé|blessure|blessé|douleur|mal au ventre|fièvre",
        "sante.soins admin.droits:0.5",
        1.0,
    ),
    (
        "santé mentale|psychologue|psy|psychiatre|psychiatrie|CMP|centre médico-psychologique|déprime|"
        "dépression|déprimé|déprimée|angoisse|angoisses|anxiété|stress|stressé|burn-out|burnout|"
        "souffrance psychique|mal-être|mal être|traumatisme|trauma|psychotrauma|écoute|besoin de parler à quelqu'un|envie de parler|parler de mes problèmes|"
        "parler à quelqu'un|soutien psychologique|GEM|groupe d'entraide mutuelle|troubles psychiques|bipolaire|"
        "schizophrénie|maison des adolescents|MDA|insomnie|dors plus|phobie",
        "sante.mentale remob.confiance:0.5",
        1.0,
    ),
    (
        "suicide|suicidaire|envie de mourir|veux mourir|me suicider|idées noires|me tuer|envie d'en finir|"
        "en finir|veux en finir|plus envie de vivre|plus la force de vivre|me foutre en l'air|3114",
        "sante.mentale",
        1.0,
        SUICIDE,
    ),
    (
        "addiction|addictions|addict|alcool|alcoolique|alcoolisme|boire|je bois|drogue|drogues|cannabis|shit|"
        "cocaïne|héroïne|crack|tabac|arrêter de fumer|fumer|cigarette|sevrage|jeux d'argent|jeu pathologique|"
        "paris sportifs|dépendance à l'alcool|dépendant à l'alcool|dépendance aux drogues|CSAPA|CAARUD|"
        "réduction des risques|substitution|méthadone|écrans|accro",
        "sante.addictions sante.mentale:0.5",
        1.0,
    ),
    (
        "MDPH|handicap|handicapé|handicapée|reconnaissance du handicap|RQTH|dossier MDPH|carte mobilité inclusion|"
        "CMI|carte d'invalidité|invalidité|pension d'invalidité|PCH|prestation de compensation|"
        "taux d'incapacité|orientation ESAT|ESAT|maison départementale des personnes handicapées|MDMPH|"
        "dossier AAH|demande d'AAH|fauteuil roulant|handicap de mon enfant|AEEH",
        "sante.mdph admin.droits:0.6",
        1.0,
    ),
    (
        "santé sexuelle|contraception|pilule|préservatif|préservatifs|IVG|avortement|interruption de grossesse|"
        "test de grossesse|dépistage VIH|VIH|sida|IST|MST|CeGIDD|planning familial|CPEF|centre de planification|"
        "PrEP|sexualité|vie affective|hépatite|pilule du lendemain",
        "sante.sexuelle sante.soins:0.5",
        1.0,
    ),
]

# Frequent French words that are not needs: never "corrected" into a lexicon word, never reported unknown.
COMMON_WORDS = """
abord absolument accord acheter actuellement adresse afin ailleurs aime aimer ainsi aller alors ami amie amis
ans an annee annees apres apres-midi argent assez attendre aucun aucune aujourd aujourdhui aupres aussi autre
autres avant avec avoir bas beaucoup bien bientot bon bonjour bonne bonsoir car cas ceci cela celle celui cependant
certain certaine certains chaque chez chose choses ci comme comment compte contre cote coup dame date debut deja
demain demande demander depuis dernier derniere derriere dessus deux devant devoir dire dit dois doit donc donne
donner dont du durant encore enfin ensemble ensuite entre envie environ est etait ete etre eux fais faire fait
faites faut femme fille fils fin fois font fois gens grand grande gros heure heures hier homme ici jamais jour
jours jusqu juste la la-bas laisser lendemain lequel leur lui madame mais maintenant mal mari meme merci mieux
mille mois moins moment monde monsieur mot mots nom non normal nouveau nouvelle nuit oui pareil parce parfois
part partir pas passe passer pendant personne personnes petit petite peu peur peut peut-etre peux plus plusieurs
plutot pouvoir premier premiere prendre pres presque probleme problemes quand quel quelle quelles quels quelque
quelques quelqu rien sais savoir semaine semaines sept seulement si sinon soir soit sont souvent suite suis sur
surtout tard temps tot toujours tous tout toute toutes tres trop truc trucs urgent urgence vais vie viens vient
vite voila voir vont voudrais vouloir vrai vraiment veux veut ville quartier rue bonjour svp stp plait
aide aides aider aidez cherche chercher recherche rechercher trouver trouve recu recue arrive
copain copine compagnon compagne conjointe copains copines pote potes frere freres soeur soeurs pere mere parents
papa maman oncle tante cousin cousine neveu niece grand-mere grand-pere voisin voisine collegue patron patronne
chef monsieur madame mademoiselle garcon gars mec meuf bebe enfant enfants gamin gamins petit-fils petite-fille
epouse epoux belle-mere beau-pere beau-frere belle-soeur famille proche proches amie copain
fait font faisait ferai dit disent dire parle parler parlait appelle appeler appele rappeler ecrire ecrit lire
mange mangent bois boire dormi dort dormait vit vivent vivait habite reste rester restee reste partie parti
sortir sorti sortie rentrer rentre revenir revenu venir venu venue aller allee alle va vas allons allez
donne donnent prendre pris prise mettre mis mise tenir tient garder garde perdre perdu perdue gagner gagne
payer paye paie pouvoir pourrais pourrait pourriez voulais voulait voudrait devrais devrait faudrait
sais savais connais connait comprends comprendre croire crois pense penser sens sentir semble sembler
attends attend arrive arriver arrivee passe passer passee commence commencer finir fini finie continuer
tombe tomber ouvrir ouvert ouverte fermer ferme fermee changer change montrer explique expliquer
heureux heureuse triste content contente fatigue fatiguee seul seule seuls seules malheureux perdu
beau belle bel vieux vieille jeune jeunes nouveau nouvelle gros grosse mauvais mauvaise meilleur meilleure
premier deuxieme troisieme dernier autre autres meme memes tel telle tels telles chacun chacune
matin midi apres-midi soiree nuit semaine weekend week-end mois annee lundi mardi mercredi jeudi vendredi
samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
hier demain aujourd aujourdhui hui maintenant bientot deja encore toujours jamais souvent parfois longtemps
ici la-bas dedans dehors loin pres partout nulle part cote face milieu centre
oui non si peut-etre merci pardon bonjour bonsoir salut svp stp
chose choses truc trucs machin endroit lieu lieux place moment fois facon maniere raison cause sorte genre
tout tous toute toutes rien personne quelqu quelque quelques plusieurs beaucoup peu trop assez tres plus moins
euro euros argent centimes prix
""".split()

# Fixed expressions read as one word before anything else, so that their function words count:
# « je veux en finir » is not « finir », « je suis à la rue » is not « rue ».
FIXED_EXPRESSIONS = (
    "en finir",
    "veux mourir",
    "a la rue",
    "ce soir",
    "cette nuit",
    "aujourd hui",
    "tout de suite",
    "des que possible",
)

# When the person says when they need it: words -> "tonight", "today" or "now" (engine: opening ranked
# on that window). Written as normalised words (expressions above are joined: "ce soir" -> "cesoir").
TIME_HINTS = {
    "cesoir": "tonight",
    "cettenuit": "tonight",
    "soir": "tonight",
    "nuit": "tonight",
    "aujourdhui": "today",
    "aujourd": "today",
    "toutdesuite": "now",
    "maintenant": "now",
    "desquepossible": "now",
    "immediatement": "now",
}

# Function words dropped before matching ("je dois quitter mon logement" -> "dois quitter logement").
STOPWORDS = """
a à au aux avec ce ces cet cette d de des du elle elles en et il ils j je l la le les leur leurs lui m ma me
mes moi mon n ne nos notre nous on ou où par pour qu que qui s sa se ses son sur t ta te tes toi ton tu un une
vos votre vous y besoin veux voudrais souhaite ai ont est
habite habites habitons habitez habitent habiter
avoir dois doit faut peux peut très tres chez dans sous vers depuis pendant
""".split()
