"""Importing a plan from its spreadsheet: all or nothing, every fault named by row and column."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from relais.accounts.testing import log_in_verified
from relais.steering import planfiles
from relais.steering.importer import import_plan
from relais.steering.models import Action, ActionTerritory, Axis, BudgetLine, Change, IndicatorValue, Plan
from relais.steering.tests.world import build_plan_world
from tests.factories import make_structure, make_territory, make_user

pytestmark = pytest.mark.django_db

ACTION_HEADER = [
    "code",
    "axe",
    "intitule",
    "pilote_compte",
    "pilote_nom",
    "pilote_fonction",
    "partenaires",
    "territoires",
    "statut",
    "debut",
    "fin",
    "publics",
    "etiquettes",
]


@pytest.fixture
def places():
    return make_territory("Nord", slug="nord"), make_territory("Sud", slug="sud")


@pytest.fixture
def sheets(places):
    pilot = make_user(email="pilote@example.org")
    partner = make_structure(id="test--partenaire")
    return {
        "plan": [["cle", "valeur"], ["identifiant", "pms"], ["nom", "Plan métropolitain"], ["territoires", "nord;sud"]],
        "axes": [
            ["code", "intitule", "parent"],
            ["1", "Hospitalité", ""],
            ["1.1", "Logement", "1"],
            ["2", "Prendre-soin", ""],
        ],
        "actions": [
            ACTION_HEADER,
            [
                "A1",
                "1.1",
                "Héberger",
                pilot.email,
                "",
                "",
                partner.id,
                "nord;sud",
                "en cours",
                "01/01/2024",
                "31/12/2027",
                "familles",
                "Logement d’abord",
            ],
            ["A2", "2", "Soigner", "", "Claire Martin", "cheffe de projet", "", "sud", "à venir", "", "", "", ""],
        ],
        "budgets": [
            ["action", "annee", "prevu", "depense"],
            ["A1", 2024, 12000, "3 500,50"],
            ["A1", 2025, "15000 €", ""],
        ],
        "indicateurs": [
            ["code", "nom", "unite", "periodicite", "actions"],
            ["I1", "Ménages hébergés", "ménages", "annuelle", "A1"],
        ],
        "valeurs": [
            ["indicateur", "territoire", "type", "date", "valeur"],
            ["I1", "", "initiale", "01/01/2024", 100],
            ["I1", "", "cible", "31/12/2027", 300],
            ["I1", "nord", "actuelle", "30/06/2026", 80],
        ],
    }


def workbook(sheets: dict) -> planfiles.Source:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return planfiles.Source("plan.xlsx", lambda: io.BytesIO(data))


def run(sheets, **options):
    return import_plan([workbook(sheets)], dry_run=options.pop("dry_run", False), **options)


def test_a_whole_plan_is_imported_with_axes_actions_pilots_partners_territories_budgets_and_values(sheets):
    report = run(sheets)
    assert report.ok, [str(e) for e in report.errors]
    plan = Plan.objects.get(slug="pms")
    assert Axis.objects.get(plan=plan, code="1.1").parent.code == "1"
    a1 = Action.objects.get(plan=plan, code="A1")
    assert a1.pilot_user.email == "pilote@example.org" and a1.status == "in_progress"
    assert [s.id for s in a1.partners.all()] == ["test--partenaire"]
    assert set(a1.declinations.values_list("territory__slug", flat=True)) == {"nord", "sud"}
    assert a1.tags.get().name == "Logement d’abord"
    assert BudgetLine.objects.get(action=a1, year=2024).spent == pytest.approx(3500.50)
    assert BudgetLine.objects.get(action=a1, year=2025).planned == 15000
    assert Action.objects.get(plan=plan, code="A2").pilot_name == "Claire Martin"
    assert IndicatorValue.objects.filter(indicator__plan=plan).count() == 3
    assert Change.objects.filter(plan=plan, target="action").count() == 2


def test_a_dry_run_checks_and_counts_but_writes_nothing(sheets):
    report = run(sheets, dry_run=True)
    assert report.ok and not report.written
    assert report.counts["actions"]["created"] == 2
    assert not Plan.objects.exists()


def test_importing_the_same_file_twice_updates_without_duplicating(sheets):
    run(sheets)
    sheets["actions"][2][8] = "réalisée"
    report = run(sheets)
    assert report.ok
    assert Action.objects.count() == 2 and ActionTerritory.objects.count() == 3 and IndicatorValue.objects.count() == 3
    assert report.counts["actions"] == {"updated": 1, "unchanged": 1}
    assert Action.objects.get(code="A2").status == "done"


def test_a_faulty_file_is_refused_whole_with_every_fault_named_by_row_and_column(sheets, places):
    build_plan_world(slug="autre")  # its territories exist, but belong to another plan
    actions = sheets["actions"]
    actions.append(["A3", "9", "Axe inconnu", "", "Nom", "", "", "", "", "", "", "", ""])
    actions.append(["A4", "1", "Sans pilote", "", "", "", "", "", "", "", "", "", ""])
    actions.append(["A5", "1", "Statut hors liste", "", "Nom", "", "", "", "fini", "", "", "", ""])
    actions.append(["A6", "1", "Date impossible", "", "Nom", "", "", "", "", "31/02/2026", "", "", ""])
    actions.append(["A7", "1", "Territoire d’un autre plan", "", "Nom", "", "", "autre-nord", "", "", "", "", ""])
    actions.append(["A1", "1", "En double", "", "Nom", "", "", "", "", "", "", "", ""])
    sheets["budgets"].append(["A2", 2024, "12 k€", ""])
    report = run(sheets)
    assert not report.ok
    faults = {(e.sheet, e.row, e.column) for e in report.errors}
    assert ("actions", 4, "axe") in faults
    assert ("actions", 5, "pilote_nom") in faults
    assert ("actions", 6, "statut") in faults
    assert ("actions", 7, "debut") in faults
    assert ("actions", 8, "territoires") in faults
    assert ("actions", 9, "code") in faults
    assert ("budgets", 4, "prevu") in faults
    messages = "\n".join(str(e) for e in report.errors)
    assert "12 k€" in messages and "31/02/2026" in messages and "n’est pas un territoire de ce plan" in messages
    assert "ligne 9" in messages and "colonne code" in messages
    assert not Plan.objects.filter(slug="pms").exists() and not Action.objects.filter(code="A3").exists()


def test_a_pilot_account_that_does_not_exist_is_named(sheets):
    sheets["actions"][1][3] = "inconnu@example.org"
    report = run(sheets)
    assert [(e.row, e.column) for e in report.errors] == [(2, "pilote_compte")]


def test_an_unknown_partner_structure_and_an_unknown_public_are_named(sheets):
    sheets["actions"][1][6] = "test--absente"
    sheets["actions"][1][11] = "extraterrestres"
    report = run(sheets)
    assert {(e.row, e.column) for e in report.errors} == {(2, "partenaires"), (2, "publics")}


def test_csv_files_named_by_sheet_are_imported_too(sheets, tmp_path):
    paths = []
    for name, rows in sheets.items():
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
        paths.append(path)
    report = import_plan(planfiles.from_paths(paths), dry_run=False)
    assert report.ok, [str(e) for e in report.errors]
    assert Action.objects.count() == 2


def test_the_command_refuses_a_faulty_file_and_lists_the_faults(sheets, tmp_path, capsys):
    sheets["actions"][1][8] = "fini"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook(sheets).open().read())
    with pytest.raises(CommandError, match="rien n’a été enregistré"):
        call_command("import_plan", str(path))
    assert "colonne statut" in capsys.readouterr().err
    assert not Plan.objects.exists()


def test_the_command_imports_and_an_export_imports_again_unchanged(sheets, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook(sheets).open().read())
    call_command("import_plan", str(path))
    Action.objects.update(pilot_published=True)
    exported = tmp_path / "export.xlsx"
    call_command("export_plan", "pms", str(exported))
    report = import_plan(planfiles.from_paths([exported]), dry_run=True)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["axes"]["unchanged"] == 3
    assert report.counts["valeurs"]["unchanged"] == 3


def test_the_upload_page_shows_the_report_and_only_administrators_may_import(sheets, client):
    world = build_plan_world(slug="pms-existant")
    source = workbook(
        {k: v for k, v in sheets.items() if k != "plan"}
        | {"plan": [["cle", "valeur"], ["territoires", "pms-existant-nord"]]}
    )
    upload = io.BytesIO(source.open().read())
    upload.name = "plan.xlsx"
    log_in_verified(client, world.reader)
    assert client.post(reverse("steering:import", args=[world.plan.slug]), {"files": upload}).status_code == 403
    log_in_verified(client, world.admin)
    upload.seek(0)
    response = client.post(reverse("steering:import", args=[world.plan.slug]), {"files": upload, "dry_run": "on"})
    assert response.status_code == 400  # the file's territories nord/sud are not this plan's
    assert (
        "n’est pas un territoire de ce plan" in response.content.decode()
        or "territoire inconnu" in response.content.decode()
    )
