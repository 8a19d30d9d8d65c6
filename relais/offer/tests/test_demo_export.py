"""The whole demo offer exports as valid data·inclusion (JSON, CSV, XLSX) and re-imports unchanged."""

import csv
import datetime as dt
import json

import openpyxl
import pytest
from data_inclusion.schema import v1

from relais import demo
from relais.offer import exporter
from relais.offer.datainclusion import FIELDS, SERVICES, STRUCTURES, from_cell, schema_publics
from relais.offer.importer import import_offer
from relais.offer.models import Service
from relais.offer.offerfiles import sources_from_paths
from relais.territories import loaders
from tests.factories import make_service

SCHEMA = {STRUCTURES: v1.Structure, SERVICES: v1.Service}


@pytest.fixture
def demo_offer(db):
    loaders.load_referential(loaders.read_lyon_metz())
    demo.load()
    assert Service.objects.count() > 500


def assert_valid(kind: str, records: list[dict]) -> None:
    problems = []
    for record in records:
        try:
            SCHEMA[kind].model_validate(record)
        except Exception as exc:  # noqa: BLE001 - every failure is collected and shown
            problems.append(f"{record.get('id')}: {exc}")
    assert not problems, "\n".join(problems[:5]) + f"\n({len(problems)} invalid {kind})"


def cells_to_record(kind: str, row: dict) -> dict:
    return {name: from_cell(FIELDS[kind].get(name), name, value) for name, value in row.items()}


def assert_reimports_unchanged(paths) -> None:
    report = import_offer(sources_from_paths(paths), dry_run=True)
    assert report.ok, [str(e) for e in report.errors[:5]]
    for kind in (STRUCTURES, SERVICES):
        assert report.counts[kind]["created"] == 0
        assert report.counts[kind]["updated"] == 0
        assert report.counts[kind]["unchanged"] > 0


def test_the_whole_demo_exports_as_valid_data_inclusion_json_and_reimports_unchanged(demo_offer, tmp_path):
    path = tmp_path / "offre.json"
    with open(path, "w", encoding="utf-8") as stream:
        exporter.export_json(stream)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data[SERVICES]) == exporter.queryset(SERVICES).count()
    for kind in (STRUCTURES, SERVICES):
        assert_valid(kind, data[kind])
    assert_reimports_unchanged([path])


def test_the_whole_demo_exports_as_valid_data_inclusion_csv_and_reimports_unchanged(demo_offer, tmp_path):
    paths = exporter.export_csv(tmp_path)
    for path in paths:
        kind = SERVICES if "services" in path.name else STRUCTURES
        with open(path, encoding="utf-8", newline="") as stream:
            assert_valid(kind, [cells_to_record(kind, row) for row in csv.DictReader(stream)])
    assert_reimports_unchanged(paths)


def test_the_whole_demo_exports_as_valid_data_inclusion_xlsx_and_reimports_unchanged(demo_offer, tmp_path):
    path = tmp_path / "offre.xlsx"
    with open(path, "wb") as stream:
        exporter.export_xlsx(stream)
    workbook = openpyxl.load_workbook(path, read_only=True)
    for kind in (STRUCTURES, SERVICES):
        rows = workbook[kind].iter_rows(values_only=True)
        header = next(rows)
        records = [cells_to_record(kind, dict(zip(header, row, strict=False))) for row in rows]
        assert_valid(kind, records)
    workbook.close()
    assert_reimports_unchanged([path])


def test_the_demo_generator_never_combines_tous_publics_with_other_publics():
    places = [
        demo.Place(
            code="69381",
            name="Lyon 1er (démo)",
            postal_codes=("69001",),
            population=30000,
            latitude=45.77,
            longitude=4.83,
        )
    ]
    offer = demo.generate(places, demo.LYON, dt.date(2026, 12, 7))
    combined = [s["id"] for s in offer.services if "tous-publics" in s["publics"] and len(s["publics"]) > 1]
    assert combined == []


@pytest.mark.django_db
def test_a_stored_combination_of_tous_publics_and_other_publics_exports_as_tous_publics_alone():
    make_service(id="combine", publics=["familles", "tous-publics", "jeunes"])
    records = list(exporter.records(SERVICES))
    (record,) = [r for r in records if r["id"] == "combine"]
    assert record["publics"] == ["tous-publics"]
    v1.Service.model_validate(record)


def test_schema_publics_leaves_other_lists_alone():
    assert schema_publics(["familles", "jeunes"]) == ["familles", "jeunes"]
    assert schema_publics(["tous-publics"]) == ["tous-publics"]
    assert schema_publics(None) is None
