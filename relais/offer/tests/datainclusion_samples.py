"""Small data·inclusion v1 files for the import and export tests: valid records and writers.

Every field of the schema appears at least once; the communes are those of tests/factories.py
(Lyon 3e 69383, Metz 57463), which the tests create so that the referential is "loaded".
"""

import copy
import csv
import datetime as dt
import json
from pathlib import Path

from relais.offer.datainclusion import FIELDS, KINDS, Layout, to_cell
from tests.factories import make_commune

FULL_STRUCTURE = {
    "source": "partenaire",
    "id": "partenaire--centre-social-1",
    "nom": "Centre social de la Guillotière",
    "date_maj": "2025-06-01",
    "description": "Accueil, accès aux droits et ateliers pour les habitants du quartier.",
    "lien_source": "https://partenaire.example.org/structures/1",
    "siret": "13003013300016",
    "commune": "Lyon 3e Arrondissement",
    "code_postal": "69003",
    "code_insee": "69383",
    "adresse": "12 rue de la Paix",
    "complement_adresse": "Bâtiment B, 2e étage",
    "longitude": 4.842213,
    "latitude": 45.759701,
    "telephone": "+33478000000",
    "courriel": "accueil@centre-social.example.org",
    "site_web": "https://centre-social.example.org",
    "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:30; PH off",
    "accessibilite_lieu": "https://acceslibre.beta.gouv.fr/app/69-lyon/a/centre-social/erp/centre-1/",
    "reseaux_porteurs": ["france-travail", "caf"],
}

MINIMAL_STRUCTURE = {
    "source": "partenaire",
    "id": "partenaire--association-2",
    "nom": "Association Entraide Metz",
    "date_maj": "2024-11-30",
    "code_insee": "57463",
}

FULL_SERVICE = {
    "source": "partenaire",
    "structure_id": "partenaire--centre-social-1",
    "id": "partenaire--service-1",
    "nom": "Permanence d’accès aux droits",
    "description": "Aide pour les démarches administratives en ligne et sur papier, sans rendez-vous.",
    "lien_source": "https://partenaire.example.org/services/1",
    "date_maj": "2025-06-02",
    "type": "accompagnement",
    "thematiques": [
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "numerique--acceder-a-des-services-en-ligne",
    ],
    "frais": "gratuit",
    "frais_precisions": "Sans frais.",
    "publics": ["familles", "seniors"],
    "publics_precisions": "Habitants du 3e arrondissement en priorité.",
    "conditions_acces": "Venir avec ses papiers d’identité.",
    "commune": "Lyon 3e Arrondissement",
    "code_postal": "69003",
    "code_insee": "69383",
    "adresse": "12 rue de la Paix",
    "complement_adresse": "Salle 4",
    "longitude": 4.842213,
    "latitude": 45.759701,
    "telephone": "04 78 00 00 01",
    "courriel": "droits@centre-social.example.org",
    "modes_accueil": ["a-distance", "en-presentiel"],
    "zone_eligibilite": ["69383", "200046977"],
    "contact_nom_prenom": "Camille Martin",
    "lien_mobilisation": "https://partenaire.example.org/rdv",
    "modes_mobilisation": ["se-presenter", "telephoner"],
    "mobilisable_par": ["professionnels", "usagers"],
    "mobilisation_precisions": "Sans rendez-vous le mardi matin.",
    "volume_horaire_hebdomadaire": 2.5,
    "nombre_semaines": 12,
    "horaires_accueil": "Tu 09:00-12:00",
}

MINIMAL_SERVICE = {
    "source": "partenaire",
    "structure_id": "partenaire--association-2",
    "id": "partenaire--service-2",
    "nom": "Épicerie solidaire",
    "description": "Produits alimentaires à petit prix.",
    "date_maj": "2024-12-01",
}

SECOND_SERVICE = {
    **MINIMAL_SERVICE,
    "id": "partenaire--service-3",
    "nom": "Aide alimentaire d’urgence",
    "thematiques": ["equipement-et-alimentation--alimentation"],
    "publics": ["tous-publics"],
    "zone_eligibilite": ["57"],
}


def make_communes():
    make_commune("69383")
    make_commune("57463", "Metz")


def sample() -> dict:
    """A fresh copy of the sample file: {"structures": [...], "services": [...]}."""
    return copy.deepcopy(
        {
            "structures": [FULL_STRUCTURE, MINIMAL_STRUCTURE],
            "services": [FULL_SERVICE, MINIMAL_SERVICE, SECOND_SERVICE],
        }
    )


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _cell(layout, name, value, lists):
    value = to_cell(layout.kind_of(name), value, lists=lists) if layout.kind_of(name) else value
    return value


def write_csv(directory: Path, data: dict, *, extra_columns=(), delimiter=",", encoding="utf-8") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        layout = Layout(kind, True)
        names = list(FIELDS[kind]) + [c for c in extra_columns if c not in FIELDS[kind]]
        names += sorted({k for r in data.get(kind, []) for k in r} - set(names))
        with (directory / f"{kind}.csv").open("w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow(names)
            for record in data.get(kind, []):
                row = []
                for name in names:
                    value = _cell(layout, name, record.get(name), "python")
                    row.append("" if value is None else str(value))
                writer.writerow(row)
    return directory


def write_xlsx(path: Path, data: dict) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for kind in KINDS:
        layout = Layout(kind, True)
        sheet = workbook.create_sheet(kind)
        names = list(FIELDS[kind])
        names += sorted({k for r in data.get(kind, []) for k in r} - set(names))
        sheet.append(names)
        for record in data.get(kind, []):
            row = []
            for name in names:
                value = _cell(layout, name, record.get(name), "comma")
                if name == "date_maj" and isinstance(value, str):
                    value = dt.date.fromisoformat(value)
                row.append(value)
            sheet.append(row)
    workbook.save(path)
    return path
