"""A small, hand-written offer around Lyon and Metz, as plain records (no database).

Commune codes and centres are close to the real ones (COG); the services and structures are invented
for the tests. "Now" in the tests is Wednesday 4 March 2026, 10:00 in Paris, unless a test says otherwise.
"""

import datetime as dt
import functools
import json
from pathlib import Path

from relais.matching.index import OfferIndex
from relais.matching.places import CommuneTable
from relais.matching.types import ClosureRecord, CommuneInfo, ServiceRecord
from relais.offer.hours import PARIS

NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=PARIS)  # a Wednesday
LYON_EPCI = "200046977"
METZ_EPCI = "200039865"
MIRIBEL_EPCI = "240100883"
THIONVILLE_EPCI = "245701206"
VILLEFRANCHE_EPCI = "200040590"

_LYON = ("69", "Rhône", LYON_EPCI, "Métropole de Lyon")
_METZ = ("57", "Moselle", METZ_EPCI, "Metz Métropole")

# code, name, lat, lon, (dep, dep name, epci, epci name), parent, postal codes
COMMUNES = [
    ("69123", "Lyon", 45.7578, 4.8320, _LYON, None, ()),
    ("69381", "Lyon 1er Arrondissement", 45.7699, 4.8292, _LYON, "69123", ("69001",)),
    ("69382", "Lyon 2e Arrondissement", 45.7485, 4.8264, _LYON, "69123", ("69002",)),
    ("69383", "Lyon 3e Arrondissement", 45.7597, 4.8422, _LYON, "69123", ("69003",)),
    ("69384", "Lyon 4e Arrondissement", 45.7786, 4.8247, _LYON, "69123", ("69004",)),
    ("69385", "Lyon 5e Arrondissement", 45.7559, 4.8026, _LYON, "69123", ("69005",)),
    ("69386", "Lyon 6e Arrondissement", 45.7729, 4.8522, _LYON, "69123", ("69006",)),
    ("69387", "Lyon 7e Arrondissement", 45.7460, 4.8422, _LYON, "69123", ("69007",)),
    ("69388", "Lyon 8e Arrondissement", 45.7342, 4.8697, _LYON, "69123", ("69008",)),
    ("69389", "Lyon 9e Arrondissement", 45.7745, 4.8058, _LYON, "69123", ("69009",)),
    ("69266", "Villeurbanne", 45.7667, 4.8803, _LYON, None, ("69100",)),
    ("69259", "Vénissieux", 45.6975, 4.8867, _LYON, None, ("69200",)),
    ("69290", "Saint-Priest", 45.6964, 4.9439, _LYON, None, ("69800",)),
    ("69256", "Vaulx-en-Velin", 45.7786, 4.9203, _LYON, None, ("69120",)),
    ("69029", "Bron", 45.7386, 4.9131, _LYON, None, ("69500",)),
    ("69034", "Caluire-et-Cuire", 45.7950, 4.8469, _LYON, None, ("69300",)),
    (
        "69264",
        "Villefranche-sur-Saône",
        45.9899,
        4.7196,
        ("69", "Rhône", VILLEFRANCHE_EPCI, "CA Villefranche"),
        None,
        ("69400",),
    ),
    ("01249", "Miribel", 45.8256, 4.9539, ("01", "Ain", MIRIBEL_EPCI, "CC de Miribel et du Plateau"), None, ("01700",)),
    ("57463", "Metz", 49.1193, 6.1757, _METZ, None, ("57000", "57050", "57070")),
    ("57751", "Woippy", 49.1511, 6.1514, _METZ, None, ("57140",)),
    ("57480", "Montigny-lès-Metz", 49.1003, 6.1539, _METZ, None, ("57950",)),
    ("57447", "Marly", 49.0650, 6.1528, _METZ, None, ("57155",)),
    (
        "57672",
        "Thionville",
        49.3579,
        6.1683,
        ("57", "Moselle", THIONVILLE_EPCI, "CA Portes de France-Thionville"),
        None,
        ("57100",),
    ),
    # two homonyms, to test ambiguity
    ("01006", "Ambérieux", 45.9400, 4.7300, ("01", "Ain", "", ""), None, ("01330",)),
    ("69005", "Ambérieux", 45.9200, 4.7400, ("69", "Rhône", VILLEFRANCHE_EPCI, "CA Villefranche"), None, ("69480",)),
]


def commune_table() -> CommuneTable:
    rows = []
    for code, name, lat, lon, (dep, dep_name, epci, epci_name), parent, postal in COMMUNES:
        rows.append(
            CommuneInfo(
                code=code,
                name=name,
                latitude=lat,
                longitude=lon,
                departement=dep,
                epci=epci or None,
                parent=parent,
                postal_codes=postal,
                population=50000,
                departement_name=dep_name,
                epci_name=epci_name,
            )
        )
    return CommuneTable(rows)


_CENTRES = {c[0]: (c[2], c[3], c[1]) for c in COMMUNES}
HOURS = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"
FRESH = dt.date(2026, 1, 15)

T = {
    "alim": "equipement-et-alimentation--alimentation",
    "habits": "equipement-et-alimentation--habillement",
    "electro": "equipement-et-alimentation--electromenager",
    "menage": "equipement-et-alimentation--aide-menagere",
    "heberg": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "maintien": "logement-hebergement--se-maintenir-dans-le-logement",
    "impayes": "logement-hebergement--reduire-les-impayes-de-loyer",
    "louer": "logement-hebergement--louer-un-logement",
    "loginfo": "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
    "droits": "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "demarches": "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "citoyennete": "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
    "justice": "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    "dettes": "difficultes-financieres--situation-dendettement-surendettement",
    "budget": "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "prevenir": "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
    "violence": "famille--surmonter-conflits-separation-violence",
    "garde": "famille--garde-denfants",
    "parentalite": "famille--soutien-a-la-parentalite-et-a-leducation",
    "aidants": "famille--soutien-aidants",
    "francais": "lecture-ecriture-calcul--maitriser-le-francais",
    "permis": "mobilite--preparer-un-permis",
    "reparer": "mobilite--entretenir-reparer-son-vehicule",
    "numservices": "numerique--acceder-a-des-services-en-ligne",
    "numbases": "numerique--maitriser-les-fondamentaux-du-numerique",
    "cv": "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    "offres": "trouver-un-emploi--repondre-a-des-offres-demploi",
    "entretien": "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
    "formation": "se-former--trouver-sa-formation",
    "lien": "remobilisation--lien-social",
    "benevolat": "remobilisation--benevolat-action-citoyenne",
    "soins": "sante--acces-aux-soins",
    "mentale": "sante--sante-mentale",
    "addictions": "sante--addictions",
    "sexuelle": "sante--sante-sexuelle",
    "mdph": "sante--constituer-un-dossier-mdph-invalidite",
    "creation": "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
    "etranger": "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
}

_offsets = {}


def svc(id, code, name, thematiques, structure=None, **kw) -> ServiceRecord:
    """A service at its commune's centre (shifted a little so two services never share a point)."""
    lat, lon, commune_name = _CENTRES[code]
    n = _offsets.setdefault(code, [0])
    n[0] += 1
    shift = 0.0009 * n[0]
    defaults = dict(
        id=id,
        structure_id=structure or f"st-{id}",
        structure_name=kw.pop("structure_name", name),
        name=name,
        thematiques=tuple(T[t] for t in thematiques),
        publics=("tous-publics",),
        zone_eligibilite=(LYON_EPCI,) if code.startswith(("69", "01")) else (METZ_EPCI,),
        modes_accueil=("en-presentiel",),
        frais="gratuit",
        latitude=lat + shift,
        longitude=lon - shift,
        code_insee=code,
        commune=commune_name,
        adresse=f"{n[0]} rue de l’Exemple",
        telephone="04 00 00 00 00" if code.startswith("69") else "03 00 00 00 00",
        horaires=HOURS,
        last_verified_on=FRESH,
        modes_mobilisation=("se-presenter", "telephoner"),
        mobilisable_par=("usagers", "professionnels"),
    )
    defaults.update(kw)
    return ServiceRecord(**defaults)


def _services() -> list[ServiceRecord]:
    _offsets.clear()
    remote = dict(modes_accueil=("a-distance",), latitude=None, longitude=None, code_insee="", commune="", adresse="")
    return [
        # ---------------- Lyon: food
        svc(
            "lyon-epicerie-passerelle",
            "69388",
            "Épicerie solidaire La Passerelle",
            ["alim"],
            conditions_acces="Sur orientation d’un travailleur social, selon le quotient familial.",
        ),
        svc(
            "lyon-restaurant-bon-repas",
            "69387",
            "Restaurant social Le Bon Repas",
            ["alim"],
            publics=("personnes-en-situation-durgence",),
            zone_eligibilite=("69123",),
            horaires="Mo-Su 11:30-13:30",
        ),
        svc(
            "villeurbanne-banque-alimentaire",
            "69266",
            "Colis de la banque alimentaire",
            ["alim"],
            zone_eligibilite=("69266",),
        ),
        svc(
            "lyon-epicerie-etudiante",
            "69387",
            "Épicerie solidaire étudiante",
            ["alim"],
            publics=("etudiants",),
            zone_eligibilite=("69123",),
        ),
        svc(
            "lyon-epicerie-croix-rousse", "69384", "Épicerie du plateau", ["alim"], last_verified_on=dt.date(2023, 5, 2)
        ),
        svc(
            "lyon-epicerie-fermee",
            "69383",
            "Épicerie Part-Dieu",
            ["alim"],
            closures=(ClosureRecord(dt.date(2026, 3, 1), dt.date(2026, 3, 20), "Fermée pour travaux"),),
        ),
        svc("lyon-frigo-sans-zone", "69381", "Frigo solidaire des Pentes", ["alim"], zone_eligibilite=None),
        svc(
            "lyon-repas-du-soir",
            "69387",
            "Distribution de repas du soir",
            ["alim"],
            zone_eligibilite=("69123",),
            horaires="Mo-Su 19:00-21:00",
        ),
        svc("miribel-epicerie", "01249", "Épicerie de la Côtière", ["alim"], zone_eligibilite=(MIRIBEL_EPCI,)),
        svc(
            "venissieux-ccas",
            "69259",
            "CCAS de Vénissieux",
            ["droits", "demarches", "prevenir", "alim"],
            zone_eligibilite=("69259",),
        ),
        # ---------------- Lyon: shelter and housing
        svc(
            "lyon-accueil-jour-refuge",
            "69382",
            "Accueil de jour Le Refuge",
            ["heberg", "lien", "menage"],
            publics=("personnes-en-situation-durgence",),
            zone_eligibilite=("france",),
            horaires="Mo-Su 08:00-18:00",
        ),
        svc(
            "rhone-115",
            "69383",
            "Le 115 du Rhône (hébergement d’urgence)",
            ["heberg"],
            zone_eligibilite=("69",),
            horaires="24/7",
            modes_mobilisation=("telephoner",),
            telephone="115",
            **remote,
        ),
        svc(
            "rhone-adil",
            "69383",
            "ADIL du Rhône : conseils logement",
            ["loginfo", "maintien", "louer"],
            zone_eligibilite=("69",),
            modes_accueil=("en-presentiel", "a-distance"),
        ),
        svc(
            "lyon-prevention-expulsions",
            "69381",
            "Prévention des expulsions",
            ["maintien", "impayes"],
            mobilisable_par=("professionnels",),
        ),
        svc(
            "lyon-fjt-jeunes",
            "69387",
            "Foyer de jeunes travailleurs Le Tremplin",
            ["heberg", "louer"],
            publics=("jeunes",),
            age_min=18,
            age_max=30,
            capacity="waiting_list",
        ),
        # ---------------- Lyon: violence, justice, rights
        svc(
            "rhone-cidff",
            "69382",
            "CIDFF du Rhône",
            ["violence", "justice"],
            publics=("femmes",),
            zone_eligibilite=("69",),
        ),
        svc(
            "national-violences-ecoute",
            "69383",
            "Écoute violences femmes (3919)",
            ["violence"],
            publics=("femmes",),
            zone_eligibilite=("france",),
            horaires="24/7",
            telephone="3919",
            modes_mobilisation=("telephoner",),
            **remote,
        ),
        svc("lyon-point-justice", "69383", "Point justice de Lyon", ["justice"], zone_eligibilite=("69",)),
        svc(
            "lyon-mediation-familiale",
            "69383",
            "Médiation familiale",
            ["violence", "parentalite"],
            structure_name="Association de médiation du Rhône",
            publics=("familles",),
            zone_eligibilite=("69",),
            frais="payant",
            frais_precisions="Selon les revenus.",
        ),
        svc(
            "lyon-cimade",
            "69387",
            "Permanence droit des étrangers",
            ["citoyennete", "droits"],
            publics=("personnes-exilees",),
            zone_eligibilite=("69",),
            languages=("fr", "en", "ar", "es"),
        ),
        svc(
            "lyon3-mdm",
            "69383",
            "Maison de la Métropole Lyon 3e",
            ["droits", "demarches", "prevenir"],
            zone_eligibilite=("69383",),
        ),
        svc("vaulx-france-services", "69256", "France Services Vaulx-en-Velin", ["demarches", "numservices", "droits"]),
        # ---------------- Lyon: money
        svc("lyon-point-conseil-budget", "69383", "Point conseil budget", ["budget", "dettes"]),
        svc(
            "rhone-surendettement",
            "69383",
            "Aide au dossier de surendettement",
            ["dettes"],
            zone_eligibilite=("69",),
            **remote,
        ),
        # ---------------- Lyon: jobs, training, mobility
        svc(
            "lyon-mission-locale",
            "69387",
            "Mission locale de Lyon",
            ["offres", "cv", "formation", "entretien"],
            publics=("jeunes",),
            age_min=16,
            age_max=25,
            zone_eligibilite=("69123",),
        ),
        svc(
            "lyon-coach-emploi-distance",
            "69383",
            "Coaching emploi en visio",
            ["cv", "entretien"],
            zone_eligibilite=("france",),
            **remote,
        ),
        svc(
            "vaulx-auto-ecole-sociale",
            "69256",
            "Auto-école sociale Mobil’Emploi",
            ["permis"],
            publics=("demandeurs-emploi", "beneficiaires-des-minimas-sociaux"),
            frais="payant",
            frais_precisions="Participation de 50 €.",
        ),
        svc("venissieux-garage-solidaire", "69259", "Garage solidaire", ["reparer"], frais="payant"),
        svc(
            "national-creation-entreprise",
            "69383",
            "Créer son activité avec un microcrédit",
            ["creation"],
            zone_eligibilite=("france",),
            **remote,
        ),
        # ---------------- Lyon: French, digital
        svc(
            "lyon-asl-croix-rousse",
            "69384",
            "Ateliers sociolinguistiques de la Croix-Rousse",
            ["francais"],
            publics=("personnes-exilees",),
            zone_eligibilite=("69123",),
            languages=("fr", "ar", "en"),
        ),
        svc("villeurbanne-asl", "69266", "Cours de français pour adultes", ["francais"], zone_eligibilite=("69266",)),
        svc(
            "lyon9-conseiller-numerique",
            "69389",
            "Conseiller numérique de la médiathèque",
            ["numbases", "numservices"],
            zone_eligibilite=("69123",),
            step_free_access=True,
        ),
        svc(
            "lyon8-atelier-numerique",
            "69388",
            "Atelier numérique du centre social",
            ["numbases"],
            step_free_access=False,
        ),
        # ---------------- Lyon: health
        svc(
            "lyon-pass-hopital",
            "69383",
            "Permanence d’accès aux soins de santé (PASS)",
            ["soins"],
            zone_eligibilite=("france",),
            horaires="Mo-Fr 08:30-16:30",
        ),
        svc(
            "lyon-cmp-nord",
            "69386",
            "Centre médico-psychologique Lyon Nord",
            ["mentale"],
            zone_eligibilite=("69381", "69384", "69386"),
        ),
        svc(
            "lyon-cmp-sud",
            "69387",
            "Centre médico-psychologique Lyon Sud",
            ["mentale"],
            zone_eligibilite=("69382", "69383", "69387", "69388"),
        ),
        svc(
            "lyon-maison-ados",
            "69382",
            "Maison des adolescents",
            ["mentale", "parentalite"],
            publics=("jeunes",),
            age_min=11,
            age_max=21,
            zone_eligibilite=("69",),
        ),
        svc("lyon-csapa", "69387", "CSAPA : addictions", ["addictions"], zone_eligibilite=("69",)),
        svc("rhone-planning-familial", "69381", "Planning familial du Rhône", ["sexuelle"], zone_eligibilite=("69",)),
        svc(
            "rhone-mdmph",
            "69383",
            "Maison départementale-métropolitaine des personnes handicapées",
            ["mdph"],
            zone_eligibilite=("69",),
        ),
        # ---------------- Lyon: family, social ties, clothes
        svc("lyon8-halte-garderie", "69388", "Halte-garderie solidaire", ["garde"], publics=("familles",)),
        svc("lyon-aidants", "69383", "Plateforme de répit des aidants", ["aidants"]),
        svc(
            "lyon3-club-seniors",
            "69383",
            "Club des seniors",
            ["lien"],
            publics=("seniors",),
            zone_eligibilite=("69123",),
        ),
        svc(
            "venissieux-centre-social",
            "69259",
            "Centre social Parilly",
            ["lien", "parentalite", "numbases"],
            publics=("tous-publics",),
            zone_eligibilite=("69259",),
        ),
        svc(
            "lyon8-vestiaire",
            "69388",
            "Vestiaire solidaire",
            ["habits"],
            capacity="full",
            full_until=dt.date(2026, 4, 30),
        ),
        svc("lyon7-vestiaire", "69387", "Boutique solidaire de vêtements", ["habits"]),
        svc(
            "villefranche-epicerie",
            "69264",
            "Épicerie solidaire du Beaujolais",
            ["alim"],
            zone_eligibilite=(VILLEFRANCHE_EPCI,),
        ),
        # ---------------- Metz
        svc("metz-epicerie-borny", "57463", "Épicerie sociale de Borny", ["alim"], zone_eligibilite=("57463",)),
        svc(
            "moselle-restos",
            "57463",
            "Distribution alimentaire de Moselle",
            ["alim"],
            zone_eligibilite=("57",),
            horaires="Tu,Th 14:00-17:00",
        ),
        svc("metz-ccas", "57463", "CCAS de Metz", ["droits", "demarches", "prevenir"], zone_eligibilite=("57463",)),
        svc(
            "metz-accueil-jour",
            "57463",
            "Accueil de jour de Metz",
            ["heberg", "lien"],
            publics=("personnes-en-situation-durgence",),
        ),
        svc(
            "moselle-115",
            "57463",
            "Le 115 de Moselle",
            ["heberg"],
            zone_eligibilite=("57",),
            horaires="24/7",
            telephone="115",
            modes_mobilisation=("telephoner",),
            **remote,
        ),
        svc(
            "moselle-cidff",
            "57463",
            "CIDFF de Moselle",
            ["violence", "justice"],
            publics=("femmes",),
            zone_eligibilite=("57",),
        ),
        svc(
            "metz-mission-locale",
            "57463",
            "Mission locale du Pays messin",
            ["offres", "cv", "formation"],
            publics=("jeunes",),
            age_min=16,
            age_max=25,
        ),
        svc("metz-maison-emploi", "57463", "Maison de l’emploi de Metz", ["offres", "cv", "entretien"]),
        svc(
            "moselle-frontaliers",
            "57463",
            "Travailler au Luxembourg : info frontaliers",
            ["etranger"],
            zone_eligibilite=("57",),
            modes_accueil=("en-presentiel", "a-distance"),
        ),
        svc("woippy-asl", "57751", "Ateliers de français de Woippy", ["francais"], zone_eligibilite=("57751",)),
        svc("metz-asl", "57463", "Apprendre le français à Metz", ["francais"], languages=("fr", "ar", "tr")),
        svc("metz-budget", "57480", "Point conseil budget de Montigny", ["budget", "dettes"]),
        svc(
            "metz-auto-ecole-sociale",
            "57447",
            "Auto-école solidaire de Marly",
            ["permis"],
            publics=("demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux"),
        ),
        svc("metz-cmp", "57463", "Centre médico-psychologique de Metz", ["mentale"]),
        svc(
            "thionville-epicerie",
            "57672",
            "Épicerie solidaire de Thionville",
            ["alim"],
            zone_eligibilite=(THIONVILLE_EPCI,),
        ),
        svc("metz-vestiaire", "57751", "Vestiaire de Woippy", ["habits"], horaires="Sa 09:00-12:00"),
    ]


SERVICES = _services()


@functools.cache
def world_index() -> OfferIndex:
    return OfferIndex(SERVICES, commune_table())


def by_id(service_id: str) -> ServiceRecord:
    return next(s for s in SERVICES if s.id == service_id)


REFERENTIAL = Path(__file__).resolve().parents[2] / "territories" / "data" / "communes-lyon-metz.json"


@functools.cache
def referential_table() -> CommuneTable:
    """The real communes of the shipped referential (Métropole de Lyon and Metz Métropole, COG rows)."""
    data = json.loads(REFERENTIAL.read_text(encoding="utf-8"))
    departements = {d["code"]: d["name"] for d in data["departements"]}
    epcis = {e["code"]: e["name"] for e in data["epci"]}
    rows = {c["code"]: c for c in data["communes"]}
    communes = []
    for c in data["communes"]:
        epci = c["epci"] or (rows.get(c["parent"]) or {}).get("epci") or None
        communes.append(
            CommuneInfo(
                code=c["code"],
                name=c["name"],
                latitude=c["latitude"],
                longitude=c["longitude"],
                departement=c["departement"],
                epci=epci,
                parent=c["parent"] or None,
                postal_codes=tuple(c["postal_codes"]),
                population=c["population"],
                departement_name=departements.get(c["departement"], ""),
                epci_name=epcis.get(epci, ""),
            )
        )
    return CommuneTable(communes)
