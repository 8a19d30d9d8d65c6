"""simulate_rights and screen_rights: one bad household (a month the law does not cover, or one the engine fails
on) is reported with its row or position, and every other household of the same file gets its results."""

import csv
import json

import pytest
from django.core.management import call_command

from relais.rights import engine
from tests.factories import make_commune

GOOD = {"mois": "2026-11", "commune": "69383", "logement": {"statut": "heberge"},
        "personnes": [{"id": "a", "role": "demandeur", "age": 40}]}  # fmt: skip


@pytest.fixture
def poisoned_engine(monkeypatch):
    """The engine fails on any batch holding a household with 666 € of savings (a stand-in for a bug)."""
    real = engine.compute_batch

    def poisoned(households, places, month, **kwargs):
        if any(h.epargne == 666 for h in households):
            raise RuntimeError("poisoned household")
        return real(households, places, month, **kwargs)

    monkeypatch.setattr(engine, "compute_batch", poisoned)


@pytest.mark.django_db
def test_simulate_rights_prints_the_good_households_and_reports_a_month_out_of_the_law(tmp_path, capsys, law):
    make_commune("69383")
    path = tmp_path / "menages.json"
    path.write_text(json.dumps([GOOD, dict(GOOD, mois="2021-06"), dict(GOOD, mois="2150-01"), GOOD]))
    call_command("simulate_rights", str(path))
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert "ménage n° 2 ignoré" in captured.err and "ménage n° 3 ignoré" in captured.err
    assert "2021-06" in captured.err and "mois" in captured.err


@pytest.mark.django_db
def test_simulate_rights_reports_a_household_the_engine_fails_on_and_prints_the_others(
    tmp_path, capsys, law, poisoned_engine
):
    make_commune("69383")
    path = tmp_path / "menages.json"
    path.write_text(json.dumps([GOOD, dict(GOOD, epargne=666), dict(GOOD, epargne=10)]))
    call_command("simulate_rights", str(path))
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert "ménage n° 2 ignoré" in captured.err and "échoué" in captured.err


@pytest.mark.django_db
def test_screen_rights_skips_only_the_household_the_engine_fails_on_with_its_row_in_the_report(
    tmp_path, law, poisoned_engine
):
    make_commune("69383")
    source = tmp_path / "menages.csv"
    source.write_text(
        "menage,mois,commune,logement,personne,role,age,epargne\n"
        "m1,2026-11,69383,heberge,a,demandeur,40,0\n"
        "m2,2026-11,69383,heberge,b,demandeur,40,666\n"
        "m3,2021-06,69383,heberge,c,demandeur,40,0\n"
        "m4,2026-11,69383,heberge,d,demandeur,30,0\n",
        encoding="utf-8",
    )
    out, report = tmp_path / "out.csv", tmp_path / "rapport.txt"
    call_command("screen_rights", str(source), "--out", str(out), "--report", str(report))
    with out.open(encoding="utf-8") as handle:
        rows = {row["menage"]: row for row in csv.DictReader(handle)}
    assert {key for key, row in rows.items() if row["statut"] == "ok"} == {"m1", "m4"}
    text = report.read_text(encoding="utf-8")
    assert "2 ménage(s) simulé(s), 2 ignoré(s)" in text
    assert "ménage m2 ignoré : ligne 3" in text and "ménage m3 ignoré : ligne 4" in text and "2021-06" in text


@pytest.mark.django_db
def test_screen_rights_results_do_not_let_a_spreadsheet_run_a_household_name_as_a_formula(tmp_path, law):
    make_commune("69383")
    source = tmp_path / "menages.csv"
    source.write_text(
        'menage,mois,commune,logement,personne,role,age\n"=HYPERLINK(""http://x"")",2026-11,69383,heberge,a,demandeur,40\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    call_command("screen_rights", str(source), "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["menage"] == '\'=HYPERLINK("http://x")' and row["statut"] == "ok"
