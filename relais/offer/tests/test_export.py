"""Export in the data·inclusion v1 formats: import(file) -> export gives the same records back."""

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest

from relais.offer import exporter
from relais.offer.datainclusion import FIELDS, KINDS, SERVICES, STRUCTURES, row_validator, to_cell
from relais.offer.importer import import_offer
from relais.offer.models import Moderation, Service, Structure
from relais.offer.offerfiles import sources_from_paths
from relais.offer.tests.datainclusion_samples import (
    FULL_SERVICE,
    FULL_STRUCTURE,
    make_communes,
    sample,
    write_csv,
    write_json,
    write_xlsx,
)
from tests.factories import make_service, make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def communes():
    make_communes()


def canonical(kind: str, record: dict) -> dict:
    """What a record means: every schema field, absent/empty as None, sets sorted, dates as text."""
    out = {}
    for name in FIELDS[kind]:
        value = record.get(name)
        if value in ("", [], None):
            value = None
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif name in ("thematiques", "publics", "modes_accueil", "modes_mobilisation", "mobilisable_par"):
            value = sorted(value)
        elif name == "reseaux_porteurs":
            value = sorted(value)
        out[name] = value
    return out


def exported_json(**options) -> dict:
    stream = io.StringIO()
    exporter.export_json(stream, **options)
    return json.loads(stream.getvalue())


def import_path(path, **options):
    report = import_offer(sources_from_paths([path]), **options)
    assert report.ok, [str(e) for e in report.errors]
    return report


def by_id(records):
    return {r["id"]: r for r in records}


def test_json_round_trip_gives_back_the_same_records(tmp_path):
    data = sample()
    import_path(write_json(tmp_path / "offre.json", data))

    exported = exported_json()

    for kind in KINDS:
        assert by_id(exported[kind]) == {r["id"]: canonical(kind, r) for r in data[kind]}


def test_the_export_is_exactly_the_schema_with_every_field_in_order(tmp_path):
    import_path(write_json(tmp_path / "offre.json", sample()))

    exported = exported_json()

    assert list(exported) == ["structures", "services"]
    for kind in KINDS:
        for record in exported[kind]:
            assert list(record) == list(FIELDS[kind])
            assert row_validator(kind)(record)[1] == []  # each exported record is valid again


def test_none_and_empty_values_come_back_as_null_and_sets_sorted(tmp_path):
    data = sample()
    data["structures"][1].update(commune="", adresse=None, reseaux_porteurs=[])
    data["services"][1].update(thematiques=[], publics=None, modes_accueil=["en-presentiel", "a-distance"])
    import_path(write_json(tmp_path / "offre.json", data))

    exported = by_id(exported_json()["structures"])["partenaire--association-2"]
    service = by_id(exported_json()["services"])["partenaire--service-2"]

    assert (exported["commune"], exported["adresse"], exported["reseaux_porteurs"]) == (None, None, None)
    assert (service["thematiques"], service["publics"]) == (None, None)
    assert service["modes_accueil"] == ["a-distance", "en-presentiel"]


def test_floats_dates_and_texts_survive_unchanged(tmp_path):
    data = sample()
    data["services"][0].update(latitude=45.123456789012, longitude=-0.1, volume_horaire_hebdomadaire=0.3)
    data["structures"][0]["site_web"] = "https://Exemple.org"  # pydantic would write https://exemple.org/
    data["structures"][0]["courriel"] = "Accueil@Centre-Social.example.org"
    import_path(write_json(tmp_path / "offre.json", data))

    exported = exported_json()
    service = by_id(exported["services"])[FULL_SERVICE["id"]]
    structure = by_id(exported["structures"])[FULL_STRUCTURE["id"]]

    assert (service["latitude"], service["longitude"], service["volume_horaire_hebdomadaire"]) == (
        45.123456789012,
        -0.1,
        0.3,
    )
    assert service["date_maj"] == "2025-06-02"
    assert structure["site_web"] == "https://Exemple.org"
    assert structure["courriel"] == "Accueil@Centre-Social.example.org"


def test_csv_round_trip_through_files_is_lossless(tmp_path):
    data = sample()
    import_path(write_csv(tmp_path / "in", data))
    first = exported_json()

    paths = exporter.export_csv(tmp_path / "out")
    Structure.objects.all().delete()
    import_path(tmp_path / "out")

    assert [p.name for p in paths] == ["structures.csv", "services.csv"]
    assert exported_json() == first
    for kind in KINDS:
        assert by_id(first[kind]) == {r["id"]: canonical(kind, r) for r in data[kind]}


def test_csv_export_writes_lists_as_data_inclusion_does(tmp_path):
    import_path(write_json(tmp_path / "offre.json", sample()))
    exporter.export_csv(tmp_path / "out")

    with (tmp_path / "out" / "services.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["id"]: row for row in csv.DictReader(stream)}

    assert list(rows[FULL_SERVICE["id"]])[:3] == ["source", "structure_id", "id"]
    assert rows[FULL_SERVICE["id"]]["modes_accueil"] == "['a-distance', 'en-presentiel']"
    assert rows[FULL_SERVICE["id"]]["zone_eligibilite"] == "['69383', '200046977']"
    assert rows["partenaire--service-2"]["thematiques"] == ""


def test_xlsx_round_trip_is_lossless(tmp_path):
    data = sample()
    import_path(write_xlsx(tmp_path / "in.xlsx", data))
    first = exported_json()
    with (tmp_path / "out.xlsx").open("wb") as stream:
        exporter.export_xlsx(stream)
    Structure.objects.all().delete()

    import_path(tmp_path / "out.xlsx")

    assert exported_json() == first
    for kind in KINDS:
        assert by_id(first[kind]) == {r["id"]: canonical(kind, r) for r in data[kind]}


TRICKY_TEXTS = {
    "description": "ligne 1\r\nligne 2\n",
    "complement_adresse": "'=déjà une apostrophe, ''deux",  # the CSV export's apostrophe must come off exactly
    "adresse": " espaces autour ",
}
TRICKY_SERVICE_TEXTS = {
    "description": "Un texte avec _x000D_ écrit en toutes lettres et _x005F_x000D_ aussi.\r\nFin.",
    "frais_precisions": "=SOMME(A1:A2)",
    "publics_precisions": "+33 4 78 00 00 00",
    "conditions_acces": "- venir avec ses papiers\r\n- prendre rendez-vous",
    "mobilisation_precisions": "@accueil le matin",
    "contact_nom_prenom": "''=x",
}


def tricky_sample():
    data = sample()
    data["structures"][0].update(TRICKY_TEXTS)
    data["services"][0].update(TRICKY_SERVICE_TEXTS)
    return data


def export_xlsx_file(path, **options):
    with path.open("wb") as stream:
        exporter.export_xlsx(stream, **options)
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_carriage_returns_tabs_spaces_and_ooxml_look_alikes_survive_a_round_trip(tmp_path, fmt):
    import_path(write_json(tmp_path / "offre.json", tricky_sample()))
    first = exported_json()
    if fmt == "json":
        path = tmp_path / "export.json"
        path.write_text(json.dumps(first), encoding="utf-8")
    elif fmt == "csv":
        path = tmp_path / "csv"
        exporter.export_csv(path)
    else:
        path = export_xlsx_file(tmp_path / "export.xlsx")
    Structure.objects.all().delete()

    import_path(path)

    assert exported_json() == first
    structure = by_id(first[STRUCTURES])[FULL_STRUCTURE["id"]]
    service = by_id(first[SERVICES])[FULL_SERVICE["id"]]
    assert {name: structure[name] for name in TRICKY_TEXTS} == TRICKY_TEXTS
    assert {name: service[name] for name in TRICKY_SERVICE_TEXTS} == TRICKY_SERVICE_TEXTS


def test_the_xlsx_export_encodes_carriage_returns_as_excel_does(tmp_path):
    import_path(write_json(tmp_path / "offre.json", tricky_sample()))
    path = export_xlsx_file(tmp_path / "out.xlsx")

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()

    assert "ligne 1_x000D_\nligne 2" in xml
    assert "\r" not in xml
    assert exporter.ooxml_escape("_x000D_") == "_x005F_x000D_"


def test_xlsx_text_cells_are_always_text_never_formulas(tmp_path):
    data = tricky_sample()
    data["structures"][0]["description"] = '=HYPERLINK("http://exemple.org")'
    data["structures"][0]["telephone"] = "0478000000"
    import_path(write_json(tmp_path / "offre.json", data))
    path = export_xlsx_file(tmp_path / "out.xlsx")

    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2)]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)
    workbook = openpyxl.load_workbook(path)
    for kind in KINDS:
        sheet = workbook[kind]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (kind, header[cell.column - 1], cell.value)
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, (kind, header[cell.column - 1], cell.value)
    structures = workbook[STRUCTURES]
    header = [c.value for c in structures[1]]
    row = next(
        r for r in structures.iter_rows(min_row=2, values_only=True) if r[header.index("id")] == FULL_STRUCTURE["id"]
    )
    assert row[header.index("description")] == '=HYPERLINK("http://exemple.org")'
    assert row[header.index("telephone")] == "0478000000"
    assert row[header.index("date_maj")] == dt.datetime(2025, 6, 1)


def test_the_csv_export_protects_formula_like_text_with_an_apostrophe_that_the_import_takes_off(tmp_path):
    """A spreadsheet opening the CSV must not run =, +, -, @ text as a formula (CSV injection): the export adds an
    apostrophe (and one more before an apostrophe that would be taken off); the round trip test above shows the
    import gives back the same text."""
    import_path(write_json(tmp_path / "offre.json", tricky_sample()))
    exporter.export_csv(tmp_path / "out")

    with (tmp_path / "out" / "services.csv").open(encoding="utf-8", newline="") as stream:
        service = {row["id"]: row for row in csv.DictReader(stream)}[FULL_SERVICE["id"]]
    with (tmp_path / "out" / "structures.csv").open(encoding="utf-8", newline="") as stream:
        structure = {row["id"]: row for row in csv.DictReader(stream)}[FULL_STRUCTURE["id"]]

    assert service["frais_precisions"] == "'=SOMME(A1:A2)"
    assert service["publics_precisions"] == "'+33 4 78 00 00 00"
    assert service["conditions_acces"] == "'" + TRICKY_SERVICE_TEXTS["conditions_acces"]
    assert service["mobilisation_precisions"] == "'@accueil le matin"
    assert service["contact_nom_prenom"] == "'''=x"
    assert structure["complement_adresse"] == "''=déjà une apostrophe, ''deux"
    assert structure["description"] == TRICKY_TEXTS["description"]  # nothing to protect: as it is
    assert not service["longitude"].startswith("'")  # numbers are never prefixed


def test_the_csv_zip_holds_both_files(tmp_path):
    import_path(write_json(tmp_path / "offre.json", sample()))
    buffer = io.BytesIO()

    exporter.export_csv_zip(buffer)

    with zipfile.ZipFile(buffer) as archive:
        assert archive.namelist() == ["structures.csv", "services.csv"]
        assert archive.read("services.csv").decode().count("\n") == 4


def test_only_published_listings_of_published_structures_are_exported():
    published = make_structure(id="a--publiee")
    pending = make_structure(id="a--en-attente", moderation=Moderation.PENDING)
    make_service(structure=published, id="a--service-ok")
    make_service(structure=published, id="a--service-refuse", moderation=Moderation.REJECTED)
    make_service(structure=pending, id="a--service-structure-en-attente")

    exported = exported_json()

    assert [r["id"] for r in exported["structures"]] == ["a--publiee"]
    assert [r["id"] for r in exported["services"]] == ["a--service-ok"]


def test_a_source_can_be_exported_alone(tmp_path):
    import_path(write_json(tmp_path / "offre.json", sample()))
    make_service(structure=make_structure(id="autre--1", source="autre"), id="autre--s1", source="autre")

    assert {r["source"] for r in exported_json(source="autre")["services"]} == {"autre"}
    assert len(exported_json()["services"]) == 4


def test_relais_fields_round_trip_with_the_extensions_option(tmp_path):
    service = make_service(
        languages=["fr", "uk"],
        capacity="waiting_list",
        full_until=dt.date(2026, 2, 1),
        accepts_referrals=False,
        age_min=18,
        step_free_access=True,
        accessibility_details="Rampe à l’entrée.",
        last_verified_on=dt.date(2026, 1, 10),
        is_demo=True,
    )
    with (tmp_path / "out.xlsx").open("wb") as stream:
        exporter.export_xlsx(stream, extensions=True)
    first = exported_json(extensions=True)
    record = by_id(first[SERVICES])[service.id]
    assert record["relais_languages"] == ["fr", "uk"]
    assert record["relais_full_until"] == "2026-02-01"
    assert record["relais_is_demo"] is True
    Structure.objects.all().delete()

    import_path(tmp_path / "out.xlsx", extensions=True)

    assert exported_json(extensions=True) == first
    assert Service.objects.get(id=service.id).accessibility_details == "Rampe à l’entrée."


def test_without_the_option_the_export_has_no_relais_fields():
    make_service(languages=["fr"])

    exported = exported_json()

    assert not any(key.startswith("relais_") for kind in KINDS for r in exported[kind] for key in r)


def test_the_template_has_the_two_sheets_headers_and_a_notice_of_vocabularies(tmp_path):
    with (tmp_path / "modele.xlsx").open("wb") as stream:
        exporter.export_template(stream)

    workbook = openpyxl.load_workbook(tmp_path / "modele.xlsx")

    assert workbook.sheetnames == ["structures", "services", "notice", "listes"]
    assert workbook["listes"].sheet_state == "hidden"
    assert [c.value for c in workbook["services"][1]] == list(FIELDS[SERVICES])
    assert workbook["structures"].max_row == 1
    notice = [row[0] for row in workbook["notice"].iter_rows(values_only=True) if row and row[0]]
    assert "Valeurs possibles de thematiques" in notice
    assert "famille--garde-denfants" in notice
    assert "tous-publics" in notice


def test_the_empty_template_imports_as_nothing(tmp_path):
    with (tmp_path / "modele.xlsx").open("wb") as stream:
        exporter.export_template(stream, extensions=True)

    report = import_path(tmp_path / "modele.xlsx", extensions=True)

    assert report.table()[0]["created"] == 0
    assert [str(w) for w in report.warnings] == ["le fichier ne contient aucune structure ni aucun service"]


def test_a_listing_with_a_control_character_still_exports_to_xlsx(tmp_path):
    make_structure(id="x--1", description="Ligne\x0bverticale")

    with (tmp_path / "out.xlsx").open("wb") as stream:
        exporter.export_xlsx(stream)

    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")[STRUCTURES]
    assert sheet.max_row == 2


def validations_by_column(sheet) -> dict:
    header = [c.value for c in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[header[cell_range.min_col - 1]] = (validation, cell_range)
    return found


def listed_values(workbook, formula: str) -> list:
    sheet_name, cells = formula.split("!")
    sheet_name = sheet_name.strip("'")
    first, last = cells.replace("$", "").split(":")
    return [row[0].value for row in workbook[sheet_name][f"{first}:{last}"]]


@pytest.mark.parametrize("template", [True, False])
def test_vocabulary_columns_of_the_workbook_offer_drop_down_lists(tmp_path, template):
    from data_inclusion.schema import v1

    path = tmp_path / "modele.xlsx"
    with path.open("wb") as stream:
        exporter.export_xlsx(stream, template=template)

    workbook = openpyxl.load_workbook(path)
    services = validations_by_column(workbook[SERVICES])
    structures = validations_by_column(workbook[STRUCTURES])

    assert set(services) == {
        "type",
        "thematiques",
        "frais",
        "publics",
        "modes_accueil",
        "modes_mobilisation",
        "mobilisable_par",
    }
    assert set(structures) == {"reseaux_porteurs"}
    validation, cells = services["thematiques"]
    assert validation.type == "list"
    assert listed_values(workbook, validation.formula1) == [t.value for t in v1.Thematique]
    assert (cells.min_row, cells.max_row) == (2, 1048576)
    assert not validation.showErrorMessage  # several values, comma-separated: the import checks them
    frais, _cells = services["frais"]
    assert listed_values(workbook, frais.formula1) == [f.value for f in v1.Frais]
    assert frais.showErrorMessage and frais.errorStyle == "stop"
    assert "Choisissez une valeur de la liste" in frais.error
    assert listed_values(workbook, structures["reseaux_porteurs"][0].formula1) == [r.value for r in v1.ReseauPorteur]


def test_the_capacity_column_has_its_list_with_the_extensions(tmp_path):
    path = tmp_path / "modele.xlsx"
    with path.open("wb") as stream:
        exporter.export_template(stream, extensions=True)

    workbook = openpyxl.load_workbook(path)
    validation, _cells = validations_by_column(workbook[SERVICES])["relais_capacity"]

    assert listed_values(workbook, validation.formula1) == ["accepting", "waiting_list", "full"]


def test_a_filled_template_with_its_drop_downs_imports(tmp_path):
    """A partner fills the template (openpyxl stands for the spreadsheet): the lists sheet is ignored."""
    path = tmp_path / "modele.xlsx"
    with path.open("wb") as stream:
        exporter.export_template(stream)
    workbook = openpyxl.load_workbook(path)
    for kind in KINDS:
        sheet = workbook[kind]
        header = [c.value for c in sheet[1]]
        for record in sample()[kind]:
            sheet.append([to_cell(FIELDS[kind][name], record.get(name), lists="comma") for name in header])
    workbook.save(path)

    report = import_path(path)

    assert report.table()[1]["created"] == 3
    assert not [str(w) for w in report.warnings]
