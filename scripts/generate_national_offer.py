#!/usr/bin/env python
"""Generate a synthetic, national-scale offer file in the data·inclusion v1 format (for benchmarks).

    .venv/bin/python scripts/generate_national_offer.py            # var/bench/national-offer.json
    .venv/bin/python scripts/generate_national_offer.py --format csv --structures 1000 --services 1400

Deterministic (seeded): the same arguments give the same bytes. Every record is invented (ids
prefixed `synthetique--`, e-mails and web sites under example.org) and valid against the schema.
Structures go to the communes of the referential relais/territories/data/france-communes.csv.gz: one
to each commune in code order (all of them at national scale), the rest spread by population; each
structure has one service, and a share of them a second one. Every code (commune, EPCI, département
in `zone_eligibilite`) is one of the referential, so the file imports once `load_territories` has
run. Output goes to var/bench/ (not committed).
"""

import argparse
import bisect
import csv
import datetime as dt
import gzip
import itertools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMUNES_FILE = ROOT / "relais" / "territories" / "data" / "france-communes.csv.gz"
OUT = ROOT / "var" / "bench"
SEED = 20260101
SOURCE = "synthetique"

STRUCTURE_KINDS = [
    ("Centre social", ["fcsf"]),
    ("CCAS", ["ccas-cias"]),
    ("Mission locale", ["mission-locale"]),
    ("Espace France Services", ["france-service"]),
    ("Association d’entraide", []),
    ("Épicerie solidaire", ["banques-alimentaires"]),
    ("Point conseil budget", ["points-conseil-budget"]),
    ("Maison des solidarités", ["maisons-des-solidarites"]),
    ("Agence France Travail", ["france-travail"]),
    ("Restos du cœur", ["restos-du-coeur"]),
    ("Secours populaire", ["secours-populaire"]),
    ("Centre médico-social", ["cms"]),
]
SERVICE_KINDS = [
    (
        "Accompagnement aux démarches administratives",
        "accompagnement",
        ["difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"],
    ),
    ("Aide alimentaire", "aide-materielle", ["equipement-et-alimentation--alimentation"]),
    (
        "Atelier numérique",
        "atelier",
        ["numerique--maitriser-les-fondamentaux-du-numerique", "numerique--acceder-a-des-services-en-ligne"],
    ),
    (
        "Permanence logement",
        "accompagnement",
        ["logement-hebergement--se-maintenir-dans-le-logement", "logement-hebergement--louer-un-logement"],
    ),
    ("Aide au budget", "accompagnement", ["difficultes-financieres--ameliorer-sa-gestion-budgetaire"]),
    (
        "Accompagnement vers l’emploi",
        "accompagnement",
        [
            "trouver-un-emploi--repondre-a-des-offres-demploi",
            "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
        ],
    ),
    ("Cours de français", "formation", ["lecture-ecriture-calcul--maitriser-le-francais"]),
    ("Garde d’enfants", "accompagnement", ["famille--garde-denfants"]),
    ("Aide à la mobilité", "aide-financiere", ["mobilite--financer-ma-mobilite"]),
    ("Accès aux soins", "information", ["sante--acces-aux-soins"]),
    ("Vestiaire solidaire", "aide-materielle", ["equipement-et-alimentation--habillement"]),
    ("Soutien à la parentalité", "atelier", ["famille--soutien-a-la-parentalite-et-a-leducation"]),
]
PUBLICS = [
    "familles",
    "femmes",
    "jeunes",
    "seniors",
    "demandeurs-emploi",
    "beneficiaires-des-minimas-sociaux",
    "personnes-en-situation-de-handicap",
    "personnes-exilees",
    "residents-qpv-frr",
    "etudiants",
]
HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 08:30-12:30; PH off",
    "Mo,We,Fr 09:00-12:00",
    "Tu-Sa 10:00-18:00; PH off",
    "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00",
    "We 14:00-17:00",
    "Mo-Fr 09:00-17:00; Sa 09:00-12:00; PH off",
    'Tu,Th 09:00-12:00 "sur rendez-vous"',
    None,
]
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "place de la Mairie",
    "rue Victor Hugo",
    "rue des Écoles",
    "boulevard Pasteur",
    "rue du Général de Gaulle",
    "chemin des Vignes",
    "rue de la Gare",
    "allée des Tilleuls",
]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Morgan", "Yannick", "Maël", "Noa", "Lou"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
DATE_FROM, DATE_DAYS = dt.date(2023, 1, 1), 1000  # up to September 2025: never in the future


def _column(row: dict, *names, default=""):
    for name in names:
        if name in row and row[name] not in (None, ""):
            return row[name]
    return default


def load_communes() -> list[dict]:
    """The referential's communes and arrondissements (code, name, postal code, coordinates, population, zone codes)."""
    if not COMMUNES_FILE.exists():
        sys.exit(f"{COMMUNES_FILE} is missing: it is committed, restore it (scripts/build_territories.py makes it)")
    communes = []
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            code = _column(row, "code", "code_insee", "insee")
            if not code:
                continue
            postal = _column(row, "postal_codes", "codes_postaux", "code_postal")
            postal = postal.replace("[", "").replace("]", "").replace('"', "").replace(" ", "")
            postal = next((p for p in postal.replace(";", ",").replace("|", ",").split(",") if len(p) == 5), "")
            lat, lon = _column(row, "latitude", "lat"), _column(row, "longitude", "lon", "lng")
            communes.append(
                {
                    "code": code,
                    "name": _column(row, "name", "nom", default=code),
                    "postal": postal,
                    "latitude": float(lat) if lat else None,
                    "longitude": float(lon) if lon else None,
                    "population": int(float(_column(row, "population", default="0") or 0)),
                    "departement": _column(row, "departement", "departement_code", "dep", default=code[:2]),
                    "epci": _column(row, "epci", "epci_code", "siren_epci"),
                }
            )
    communes.sort(key=lambda c: c["code"])
    return communes


def _date(rng) -> str:
    return (DATE_FROM + dt.timedelta(days=rng.randrange(DATE_DAYS))).isoformat()


def _place(rng, commune) -> dict:
    lat, lon = commune["latitude"], commune["longitude"]
    return {
        "commune": commune["name"],
        "code_postal": commune["postal"] or None,
        "code_insee": commune["code"],
        "adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "latitude": round(lat + rng.uniform(-0.01, 0.01), 6) if lat is not None else None,
        "longitude": round(lon + rng.uniform(-0.01, 0.01), 6) if lon is not None else None,
    }


def structure(rng, number: int, commune: dict) -> dict:
    label, networks = rng.choice(STRUCTURE_KINDS)
    slug = f"structure-{number:06d}"
    return {
        "source": SOURCE,
        "id": f"{SOURCE}--{slug}",
        "nom": f"{label} de {commune['name']}"[:140] + (f" {number}" if number % 7 == 0 else ""),
        "date_maj": _date(rng),
        "description": f"{label} : accueil, information et accompagnement des habitants de {commune['name']}.",
        "lien_source": f"https://offre.example.org/structures/{slug}",
        "siret": f"{rng.randrange(10**13, 10**14)}",
        **_place(rng, commune),
        "complement_adresse": rng.choice([None, None, "Rez-de-chaussée", "Bâtiment A"]),
        "telephone": f"+33{rng.choice('12345')}{rng.randrange(10**7, 10**8)}",
        "courriel": f"contact@{slug}.example.org",
        "site_web": f"https://{slug}.example.org",
        "horaires_accueil": rng.choice(HOURS),
        "accessibilite_lieu": None,
        "reseaux_porteurs": networks or None,
    }


def service(rng, number: int, parent: dict, commune: dict) -> dict:
    label, kind, thematiques = rng.choice(SERVICE_KINDS)
    publics = ["tous-publics"] if rng.random() < 0.4 else sorted(rng.sample(PUBLICS, rng.randint(1, 3)))
    zone = rng.choice([[commune["code"]], [commune["departement"]]] + ([[commune["epci"]]] if commune["epci"] else []))
    slug = f"service-{number:06d}"
    return {
        "source": SOURCE,
        "structure_id": parent["id"],
        "id": f"{SOURCE}--{slug}",
        "nom": label,
        "description": f"{label} proposé par {parent['nom']}. Sur place ou à distance, gratuit ou presque.",
        "lien_source": f"https://offre.example.org/services/{slug}",
        "date_maj": _date(rng),
        "type": kind,
        "thematiques": thematiques,
        "frais": rng.choice(["gratuit", "gratuit", "payant"]),
        "frais_precisions": None,
        "publics": publics,
        "publics_precisions": None,
        "conditions_acces": rng.choice([None, "Sur rendez-vous.", "Venir avec une pièce d’identité."]),
        **{key: parent[key] for key in ("commune", "code_postal", "code_insee", "adresse", "latitude", "longitude")},
        "complement_adresse": None,
        "telephone": parent["telephone"],
        "courriel": f"{slug}@{parent['id'].split('--')[1]}.example.org",
        "modes_accueil": sorted(rng.sample(["en-presentiel", "a-distance"], rng.randint(1, 2))),
        "zone_eligibilite": zone,
        "contact_nom_prenom": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "lien_mobilisation": None,
        "modes_mobilisation": sorted(rng.sample(["se-presenter", "telephoner", "envoyer-un-courriel"], 2)),
        "mobilisable_par": sorted(rng.sample(["usagers", "professionnels"], rng.randint(1, 2))),
        "mobilisation_precisions": None,
        "volume_horaire_hebdomadaire": rng.choice([None, 1.5, 2.0, 3.5]),
        "nombre_semaines": rng.choice([None, 4, 12]),
        "horaires_accueil": rng.choice(HOURS),
    }


def generate(structures: int, services: int, seed: int = SEED):
    """Yield ("structures", record)… then ("services", record)…, deterministically."""
    communes = load_communes()
    rng = random.Random(seed)
    weights = list(itertools.accumulate(max(c["population"], 1) for c in communes))
    places = [communes[i % len(communes)] for i in range(min(structures, len(communes)))]
    while len(places) < structures:
        places.append(communes[bisect.bisect_left(weights, rng.uniform(0, weights[-1]))])
    parents = []
    for number, commune in enumerate(places, start=1):
        record = structure(rng, number, commune)
        parents.append((record, commune))
        yield "structures", record
    extra = rng.sample(range(len(parents)), services - len(parents)) if services > len(parents) else []
    owners = list(range(min(services, len(parents)))) + sorted(extra)
    for number, index in enumerate(owners, start=1):
        parent, commune = parents[index]
        yield "services", service(rng, number, parent, commune)


def write_json(path: Path, records) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"structures": [')
        current, first = "structures", True
        for kind, record in records:
            if kind != current:
                stream.write('\n],\n"services": [')
                current, first = kind, True
            stream.write(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
            first = False
        if current == "structures":
            stream.write('\n],\n"services": [')
        stream.write("\n]}\n")


def write_csv(directory: Path, records) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    files, writers = {}, {}
    try:
        for kind, record in records:
            if kind not in writers:
                files[kind] = (directory / f"{kind}.csv").open("w", encoding="utf-8", newline="")
                writers[kind] = csv.writer(files[kind])
                writers[kind].writerow(list(record))
            writers[kind].writerow(
                [
                    "" if v is None else ("[" + ", ".join(f"'{x}'" for x in v) + "]" if isinstance(v, list) else v)
                    for v in record.values()
                ]
            )
    finally:
        for stream in files.values():
            stream.close()


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--structures", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=140_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--output", type=Path, help="default: var/bench/national-offer.json (or -csv/ for CSV)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    output = args.output or OUT / ("national-offer.json" if args.format == "json" else "national-offer-csv")
    records = generate(args.structures, args.services, args.seed)
    (write_json if args.format == "json" else write_csv)(output, records)
    print(f"{args.structures} structures, {args.services} services -> {output}")
    return output


if __name__ == "__main__":
    main()
