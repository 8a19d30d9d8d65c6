"""Bad input to the import: every problem is named by file, row and field, and nothing is written."""

import json

import pytest

from relais.offer import exporter
from relais.offer.importer import import_offer
from relais.offer.models import Service, Structure
from relais.offer.offerfiles import sources_from_paths
from relais.offer.tests.datainclusion_samples import (
    FULL_SERVICE,
    MINIMAL_STRUCTURE,
    make_communes,
    sample,
    write_csv,
    write_json,
    write_xlsx,
)
from tests.factories import make_commune, make_departement, make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def communes():
    make_communes()


def errors_of(path, **options):
    report = import_offer(sources_from_paths([path]), **options)
    assert not report.ok
    assert Structure.objects.count() == 0 and Service.objects.count() == 0
    return [str(e) for e in report.errors]


def test_a_bad_e_mail_in_a_csv_names_the_spreadsheet_row_and_the_field(tmp_path):
    data = sample()
    data["services"][1]["courriel"] = "accueil-at-example.org"

    errors = errors_of(write_csv(tmp_path / "csv", data))

    # header is row 1, the first service row 2: the second service is on row 3
    assert errors == [
        "services.csv, services, ligne 3, courriel : n’est pas une adresse électronique : « accueil-at-example.org »"
    ]


def test_a_bad_e_mail_in_xlsx_names_the_sheet_row(tmp_path):
    data = sample()
    data["structures"][0]["courriel"] = "pas une adresse"

    errors = errors_of(write_xlsx(tmp_path / "offre.xlsx", data))

    assert errors == [
        "offre.xlsx, structures, ligne 2, courriel : n’est pas une adresse électronique : « pas une adresse »"
    ]


def test_json_errors_name_the_element_of_the_list(tmp_path):
    data = sample()
    data["services"][2]["courriel"] = "x@"

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert errors[0].startswith("offre.json, services, élément 3, courriel : n’est pas une adresse électronique")


def test_an_unknown_thematique_is_refused_with_a_suggestion(tmp_path):
    data = sample()
    data["services"][0]["thematiques"] = ["famille--garde-denfant", "sante--addictions"]

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert errors == [
        "offre.json, services, élément 1, thematiques : valeur inconnue : « famille--garde-denfant » ; "
        "vouliez-vous dire « famille--garde-denfants » ?"
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("type", "conseil", "valeur inconnue : « conseil »"),
        ("frais", "gratuite", "valeur inconnue : « gratuite » ; vouliez-vous dire « gratuit » ?"),
        ("publics", ["tous-publics", "jeunes"], "« tous-publics » ne peut pas être utilisé avec d’autres valeurs"),
        ("modes_accueil", ["sur-place"], "valeur inconnue : « sur-place »"),
        ("zone_eligibilite", ["lyon"], "code « lyon » invalide"),
        ("code_postal", "6900", "n’est pas un code postal (5 chiffres) : « 6900 »"),
        ("lien_source", "www.example.org", "n’est pas une adresse web"),
        ("date_maj", "15/13/2025", "n’est pas une date (AAAA-MM-JJ)"),
        ("date_maj", "2099-01-01", "La date de dernière modification ne peut pas être dans le futur."),
        ("nombre_semaines", 0, "doit être supérieur ou égal à 1"),
        ("nom", "Ab", "trop court : au moins 3 caractères"),
        ("latitude", 123.0, "doit être compris entre -90 et 90"),
        ("adresse", "x" * 300, "trop long : au plus 255 caractères"),
        ("description", "Une description avec un \x00 nul", "contient un caractère de contrôle (U+0000)"),
    ],
)
def test_each_bad_value_gets_a_french_message_naming_its_field(tmp_path, field, value, message):
    data = sample()
    data["services"][0][field] = value

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert len(errors) == 1
    assert errors[0].startswith(f"offre.json, services, élément 1, {field} : ")
    assert message in errors[0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nom", 123, "doit être du texte, pas « 123 »"),
        ("thematiques", "sante--addictions", "doit être une liste de valeurs"),
        ("latitude", "quarante-cinq", "doit être un nombre, pas « quarante-cinq »"),
        ("nombre_semaines", 2.5, "doit être un nombre entier"),
        ("date_maj", 20250101, "n’est pas une date"),
        ("publics", {"a": 1}, "doit être une liste de valeurs"),
    ],
)
def test_wrong_types_are_named(tmp_path, field, value, message):
    data = sample()
    data["services"][0][field] = value

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert errors[0].startswith(f"offre.json, services, élément 1, {field} : ")
    assert message in errors[0]


def test_a_missing_required_field_is_named(tmp_path):
    data = sample()
    del data["structures"][1]["date_maj"]

    assert errors_of(write_json(tmp_path / "offre.json", data)) == [
        "offre.json, structures, élément 2, date_maj : champ obligatoire manquant"
    ]


def test_a_commune_code_unknown_to_the_referential_is_refused(tmp_path):
    data = sample()
    data["structures"][1]["code_insee"] = "57999"

    assert errors_of(write_json(tmp_path / "offre.json", data)) == [
        "offre.json, structures, élément 2, code_insee : code commune « 57999 » inconnu du référentiel des communes"
        " ; le référentiel chargé ne compte que 3 communes : chargez toutes les communes de France avec"
        " ./manage.py load_territories"
    ]


def test_a_postal_code_given_for_an_insee_code_is_explained(tmp_path):
    data = sample()
    data["services"][0]["code_insee"] = "69003"  # Lyon 3e's postal code; its Insee code is 69383

    [error] = errors_of(write_json(tmp_path / "offre.json", data))

    assert error.startswith("offre.json, services, élément 1, code_insee : code commune « 69003 » inconnu")
    assert "c’est un code postal, pas un code Insee : Lyon 3e Arrondissement = 69383" in error


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (["99999"], "code commune « 99999 » inconnu du référentiel des communes"),
        (["999"], "code département « 999 » inconnu : attendu 01 à 95, 2A, 2B ou 971 à 976"),
        (["200000000"], "code EPCI (SIREN) « 200000000 » inconnu du référentiel"),
        (["69383", "57999"], "code commune « 57999 » inconnu du référentiel des communes"),
    ],
)
def test_every_code_of_an_eligibility_zone_is_checked_against_the_referential(tmp_path, zone, expected):
    data = sample()
    data["services"][1]["zone_eligibilite"] = zone

    [error] = errors_of(write_json(tmp_path / "offre.json", data))

    assert error.startswith(f"offre.json, services, élément 2, zone_eligibilite : {expected}"), error


def test_a_dry_run_refuses_bad_zone_codes_too(tmp_path):
    data = sample()
    data["services"][0]["zone_eligibilite"] = ["99999", "999", "200000000"]

    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]), dry_run=True)

    assert not report.ok
    assert [e.field for e in report.errors] == ["zone_eligibilite"] * 3
    assert all(e.row == 1 and e.kind == "services" for e in report.errors)


def test_every_kind_of_valid_zone_code_passes(tmp_path):
    make_commune("2A004", "Ajaccio", departement=make_departement("2A", "Corse-du-Sud"), epci=None)
    data = sample()
    data["services"][1]["zone_eligibilite"] = ["69383", "57463", "200046977", "69", "2A", "2A004", "99100", "99134"]
    data["services"][2]["zone_eligibilite"] = ["france"]

    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))

    assert report.ok, [str(e) for e in report.errors]


def test_without_a_referential_codes_are_only_checked_for_their_form(tmp_path):
    from relais.territories.models import Commune, Departement, Epci

    Commune.objects.all().delete()
    Epci.objects.all().delete()
    Departement.objects.all().delete()
    data = sample()
    data["services"][1]["zone_eligibilite"] = ["99999", "999", "200000000"]
    data["structures"][1]["code_insee"] = "57999"

    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))

    assert report.ok, [str(e) for e in report.errors]


def test_impossible_opening_hours_are_refused(tmp_path):
    data = sample()
    data["services"][0]["horaires_accueil"] = "Mo-Fr 09:75-12:00"
    data["structures"][0]["horaires_accueil"] = "lundi 9h-12h"

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert len(errors) == 2
    assert errors[0].startswith("offre.json, structures, élément 1, horaires_accueil : ")
    assert errors[1].startswith("offre.json, services, élément 1, horaires_accueil : ")
    assert "09:75" in errors[1]


def test_duplicate_ids_name_both_rows(tmp_path):
    data = sample()
    data["services"].append({**data["services"][0], "nom": "Copie"})

    errors = errors_of(write_csv(tmp_path / "csv", data))

    assert errors == [
        "services.csv, services, ligne 5, id : identifiant « partenaire--service-1 » en double : déjà utilisé ligne 2"
    ]


def test_a_duplicate_of_an_invalid_row_is_still_reported(tmp_path):
    data = sample()
    data["services"][0]["courriel"] = "faux"
    data["services"].append({**FULL_SERVICE})

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert len(errors) == 2
    assert "en double" in errors[1]


def test_a_service_whose_structure_is_nowhere_is_refused(tmp_path):
    data = sample()
    data["services"][1]["structure_id"] = "partenaire--inconnue"

    assert errors_of(write_json(tmp_path / "offre.json", data)) == [
        "offre.json, services, élément 2, structure_id : structure « partenaire--inconnue » introuvable, "
        "ni dans le fichier ni dans Relais"
    ]


def test_an_empty_id_is_refused(tmp_path):
    data = sample()
    data["structures"][1]["id"] = "  "

    errors = errors_of(write_json(tmp_path / "offre.json", data))

    assert "offre.json, structures, élément 2, id : ne peut pas être vide" in errors


def test_all_errors_are_reported_at_once(tmp_path):
    data = sample()
    data["structures"][0]["courriel"] = "faux"
    data["services"][0]["frais"] = "cher"
    data["services"][2]["date_maj"] = "hier"

    assert len(errors_of(write_json(tmp_path / "offre.json", data))) == 3


def test_an_existing_offer_is_left_untouched_by_a_bad_file(tmp_path):
    structure = make_structure(id=MINIMAL_STRUCTURE["id"], nom="Nom d’origine")
    data = sample()
    data["services"][0]["thematiques"] = ["inconnue"]

    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))

    assert not report.ok
    structure.refresh_from_db()
    assert structure.nom == "Nom d’origine"
    assert Structure.objects.count() == 1 and Service.objects.count() == 0


# --- malformed files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offre.json", b'{"structures": [{"id": "a"},,]}', "JSON mal formé à la ligne 1"),
        ("offre.json", b'{"structures": [\n{"id": "a"}\n', "JSON mal formé à la ligne 3"),
        ("offre.json", b'{"structures": {"id": "a"}}', "« structures » doit être une liste"),
        ("offre.json", b'"bonjour"', "attendu une liste ou un objet"),
        ("offre.json", b"", "fichier vide"),
        ("offre.json", b"[1, 2] [3]", "contenu inattendu"),
        ("offre.json", b"\xff\xfe\x00[", "caractères illisibles"),
        ("offre.xlsx", b"ceci n'est pas un classeur", "classeur XLSX illisible"),
        ("offre.csv", b"", "fichier vide"),
        ("offre.zip", b"PK pas une archive", "archive ZIP illisible"),
        ("offre.txt", b"id,nom", "format non reconnu"),
    ],
)
def test_a_malformed_file_is_reported_and_nothing_is_written(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    errors = errors_of(path)

    assert any(message in e for e in errors), errors
    assert errors[0].startswith(name)


def test_a_json_element_that_is_not_an_object_is_named(tmp_path):
    path = tmp_path / "structures.json"
    path.write_text(json.dumps([MINIMAL_STRUCTURE, 42]))

    assert errors_of(path) == [
        "structures.json, structures, élément 2 : la ligne n’est pas un objet (attendu des paires champ : valeur)"
    ]


def test_a_csv_row_with_more_values_than_columns_is_named(tmp_path):
    directory = write_csv(tmp_path / "csv", sample())
    with (directory / "structures.csv").open("a", encoding="utf-8") as stream:
        stream.write("partenaire,partenaire--x,Nom,2025-01-01" + ",x" * 40 + "\n")

    errors = errors_of(directory)

    assert errors == ["structures.csv, structures, ligne 4 : plus de valeurs que de colonnes"]


def test_a_workbook_without_the_two_sheets_is_refused(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Feuille1"
    workbook.save(tmp_path / "offre.xlsx")

    assert errors_of(tmp_path / "offre.xlsx") == [
        "offre.xlsx : onglets « structures » et « services » introuvables dans le classeur"
    ]


def test_a_duplicated_column_is_refused(tmp_path):
    path = tmp_path / "structures.csv"
    path.write_text("id,source,nom,nom,date_maj\nx--1,x,Nom,Nom,2025-01-01\n", encoding="utf-8")

    assert errors_of(path) == ["structures.csv : colonne « nom » en double dans les structures"]


def test_a_missing_path_is_reported(tmp_path):
    assert errors_of(tmp_path / "absent.json") == ["absent.json : fichier introuvable"]


# --- spreadsheets as partners save them -----------------------------------------------------------


def test_an_excel_csv_with_semicolons_and_windows_encoding_is_read(tmp_path):
    data = sample()
    data["structures"][1]["nom"] = "Association Entraide Metz – Borny"

    report = import_offer(sources_from_paths([write_csv(tmp_path / "csv", data, delimiter=";", encoding="cp1252")]))

    assert report.ok, [str(e) for e in report.errors]
    assert Structure.objects.get(id=MINIMAL_STRUCTURE["id"]).nom == "Association Entraide Metz – Borny"


def test_spreadsheet_habits_are_understood(tmp_path):
    """French dates, decimal commas, postal codes typed as numbers, comma-separated lists."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "structures"
    sheet.append(["id", "source", "nom", "date_maj", "code_postal", "code_insee", "latitude", "reseaux_porteurs"])
    sheet.append(["x--1", "x", "Maison du Rhône", "05/03/2025", 1000, "69383", "45,75", "caf, mission-locale"])
    sheet.append([None, None, None, None, None, None, None, None])  # a blank row is skipped
    workbook.create_sheet("services").append(["id", "structure_id", "source", "nom", "description", "date_maj"])
    workbook.save(tmp_path / "offre.xlsx")

    report = import_offer(sources_from_paths([tmp_path / "offre.xlsx"]))

    assert report.ok, [str(e) for e in report.errors]
    structure = Structure.objects.get(id="x--1")
    assert (str(structure.date_maj), structure.code_postal, structure.latitude) == ("2025-03-05", "01000", 45.75)
    assert structure.reseaux_porteurs == ["caf", "mission-locale"]


def test_a_row_with_a_bad_field_and_a_duplicate_id_gets_both_errors_at_once(tmp_path):
    data = sample()
    data["services"].append({**data["services"][0], "nom": "Copie", "courriel": "pas-une-adresse"})

    errors = errors_of(write_csv(tmp_path / "csv", data))

    assert errors == [
        "services.csv, services, ligne 5, courriel : n’est pas une adresse électronique : « pas-une-adresse »",
        "services.csv, services, ligne 5, id : identifiant « partenaire--service-1 » en double : déjà utilisé ligne 2",
    ]


def _with_formula(path, sheet: str, field: str, formula: str, cached: str | None = None):
    """Put `formula` in the first data row of `field`; `cached`: the value a spreadsheet would have stored."""
    import zipfile

    import openpyxl

    workbook = openpyxl.load_workbook(path)
    header = [c.value for c in workbook[sheet][1]]
    column = header.index(field) + 1
    workbook[sheet].cell(row=2, column=column, value=formula)
    workbook.save(path)
    reference = f"{openpyxl.utils.get_column_letter(column)}2"
    if cached is not None:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        index = workbook.sheetnames.index(sheet) + 1
        member = f"xl/worksheets/sheet{index}.xml"
        xml = members[member].decode()
        start = xml.index(f'<c r="{reference}"')
        end = xml.index("</c>", start)
        cell = xml[start:end].replace("<v />", f"<v>{cached}</v>").replace("<c ", '<c t="str" ', 1)
        members[member] = (xml[:start] + cell + xml[end:]).encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)
    return reference


def test_an_xlsx_formula_cell_without_a_computed_value_is_imported_empty_with_a_warning(tmp_path):
    path = write_xlsx(tmp_path / "offre.xlsx", sample())
    reference = _with_formula(path, "services", "frais_precisions", '=CONCAT("a","b")')

    report = import_offer(sources_from_paths([path]), dry_run=True)

    warnings = [str(w) for w in report.warnings if "formule" in w.message]
    assert warnings == [
        f'offre.xlsx, services, ligne 2, frais_precisions : cellule {reference} : formule « =CONCAT("a","b") » '
        "importée vide (le classeur n’a pas de valeur calculée) ; écrivez la valeur elle-même"
    ]


def test_an_xlsx_formula_cell_is_imported_as_its_cached_value_with_a_warning(tmp_path):
    path = write_xlsx(tmp_path / "offre.xlsx", sample())
    reference = _with_formula(path, "services", "frais_precisions", '=CONCAT("Adhésion ","5 €")', "Adhésion 5 €")

    report = import_offer(sources_from_paths([path]))

    assert report.ok, [str(e) for e in report.errors]
    assert Service.objects.get(id=sample()["services"][0]["id"]).frais_precisions == "Adhésion 5 €"
    (warning,) = [w for w in report.warnings if "formule" in w.message]
    assert warning.row == 2 and warning.field == "frais_precisions" and reference in warning.message
    assert "importée comme sa valeur calculée « Adhésion 5 € »" in warning.message


def test_formula_like_text_cells_written_by_relais_raise_no_formula_warning(tmp_path):
    assert import_offer(sources_from_paths([write_json(tmp_path / "offre.json", sample())])).ok
    Service.objects.update(frais_precisions="=1+1 n’est pas une formule ici")
    path = tmp_path / "export.xlsx"
    with open(path, "wb") as stream:
        exporter.export_xlsx(stream)

    report = import_offer(sources_from_paths([path]), dry_run=True)

    assert report.ok
    assert not [w for w in report.warnings if "formule" in w.message]
