"""simulate_rights and screen_rights: files in, results out; bad rows skipped and reported."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_commune


@pytest.mark.django_db
def test_simulate_rights_prints_the_results_of_a_household_file(tmp_path, capsys, law):
    make_commune("69383")
    path = tmp_path / "menage.json"
    path.write_text(json.dumps({"mois": "2026-11", "commune": "69383", "logement": {"statut": "heberge"},
                                "personnes": [{"id": "a", "role": "demandeur", "age": 40, "taux_incapacite": 80}]}))  # fmt: skip
    call_command("simulate_rights", str(path))
    result = json.loads(capsys.readouterr().out)
    amounts = {p["code"]: p["montant"] for p in result["prestations"]}
    assert amounts["aah"] == pytest.approx(1041.59, abs=0.02) and amounts["rsa"] == 0


@pytest.mark.django_db
def test_simulate_rights_stops_on_invalid_answers_with_the_person_named(tmp_path):
    path = tmp_path / "menage.json"
    path.write_text(json.dumps({"commune": "69383", "personnes": [{"id": "zoe", "role": "enfant", "age": 4}]}))
    with pytest.raises(CommandError, match="zoe"):
        call_command("simulate_rights", str(path))


@pytest.mark.django_db
def test_screen_rights_skips_broken_rows_and_runs_the_rest(tmp_path, capsys, law):
    make_commune("69383")
    make_commune("57463", "Metz")
    source = tmp_path / "menages.csv"
    source.write_text(
        "menage;mois;commune;logement;loyer;personne;role;age;situation;taux_incapacite;salaire_net\n"
        "m1;2026-11;69383;heberge;;a;demandeur;40;;80;\n"
        "m2;2026-11;57463;locataire;400;b;demandeur;abc;;;\n"
        "m3;2026-11;99999;heberge;;c;demandeur;30;;;\n"
        "m4;2026-11;69383;heberge;;d;enfant;3;;;\n"
        "m5;2026-11;57463;heberge;;e;demandeur;35;salarie;;1000\n",
        encoding="utf-8",
    )
    out = tmp_path / "resultats.csv"
    report = tmp_path / "rapport.txt"
    call_command("screen_rights", str(source), "--out", str(out), "--report", str(report))
    with out.open(encoding="utf-8") as handle:
        rows = {row["menage"]: row for row in csv.DictReader(handle)}
    assert rows["m1"]["statut"] == "ok" and float(rows["m1"]["aah"]) == pytest.approx(1041.59, abs=0.02)
    assert rows["m5"]["statut"] == "ok" and float(rows["m5"]["prime_activite"]) > 0
    assert {k for k, r in rows.items() if r["statut"] == "ignore"} == {"m2", "m3", "m4"}
    text = report.read_text(encoding="utf-8")
    assert "2 ménage(s) simulé(s), 3 ignoré(s)" in text
    assert "ligne 3, colonne age" in text and "99999" in text and "sans parent" in text


def test_screen_rights_refuses_a_file_without_the_required_columns(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonnes obligatoires absentes"):
        call_command("screen_rights", str(source), "--out", str(tmp_path / "o.csv"))


@pytest.mark.django_db
def test_screening_reports_progress_per_chunk(law):
    from relais.rights.screening import screen
    from relais.rights.tests.conftest import PLACES

    rows = "".join(f"m{i};2026-11;69383;heberge;a;demandeur;{30 + i}\n" for i in range(5))
    calls = []
    _rows, report = screen(
        "menage;mois;commune;logement;personne;role;age\n" + rows,
        chunk=2,
        places=PLACES,
        on_progress=lambda done, total: calls.append((done, total)),
    )
    assert report.simulated == 5 and calls == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.django_db
def test_screen_rights_names_row_person_and_field_of_each_bad_household_and_runs_the_rest(tmp_path, law):
    make_commune("69383")
    source = tmp_path / "menages.csv"
    source.write_text(
        "menage,mois,commune,logement,couple,personne,role,age,salaire_net\n"
        "ok,2026-11,69383,heberge,,a,demandeur,40,\n"
        "vieux,2026-11,69383,heberge,,b,demandeur,150,\n"
        "negatif,2026-11,69383,heberge,,c,demandeur,30,-200\n"
        "seul,2026-11,69383,heberge,marie,d,demandeur,30,\n"
        "casse,2026-11,69383,heberge,,e,demandeur,30,,en trop\n",
        encoding="utf-8",
    )
    out, report = tmp_path / "out.csv", tmp_path / "rapport.txt"
    call_command("screen_rights", str(source), "--out", str(out), "--report", str(report))
    text = report.read_text(encoding="utf-8")
    assert "1 ménage(s) simulé(s), 4 ignoré(s)" in text
    assert (
        "ménage vieux ignoré : ligne 3 : personne « b » (n° 1), champ age : doit être inférieur ou égal à 120" in text
    )
    assert "ligne 4 : personne « c » (n° 1), champ revenus.salaire_net : doit être supérieur ou égal à 0" in text
    assert "ménage seul ignoré : ligne 5 : Champ couple" in text
    assert "ménage casse ignoré : ligne 6 : plus de cellules que de colonnes" in text
    with out.open(encoding="utf-8") as handle:
        rows = {row["menage"]: row for row in csv.DictReader(handle)}
    assert rows["ok"]["statut"] == "ok" and float(rows["ok"]["rsa"]) > 0


@pytest.mark.django_db
def test_a_screening_file_reads_five_digits_as_a_postal_code_and_notes_the_insee_reading(law):
    from relais.rights.places import Place
    from relais.rights.screening import screen
    from relais.rights.tests.conftest import PLACES

    places = {**PLACES, "69003": Place("69003", "Albigny-sur-Saône", "69003", "69", "200046977", True)}
    make_commune("69383")  # Lyon 3e, postal code 69003
    make_commune("69003", "Albigny-sur-Saône", postal_codes=["69250"])
    make_commune("69033", "Curis-au-Mont-d'Or", postal_codes=["69250"])
    text = (
        "menage;mois;commune;logement;personne;role;age\n"
        "m1;2026-11;69003;heberge;a;demandeur;30\n"
        "m2;2026-11;Albigny-sur-Saône (69003);heberge;a;demandeur;30\n"
        "m3;2026-11;69250;heberge;a;demandeur;30\n"
        "m4;2026-11;Atlantide;heberge;a;demandeur;30\n"
    )
    rows, report = screen(text, places=places)
    statuses = {row["menage"]: row["statut"] for row in rows}
    assert statuses == {"m1": "ok", "m2": "ok", "m3": "ignore", "m4": "ignore"}
    lines = report.lines()
    assert any(
        "ménage m1, ligne 2, colonne commune : « 69003 » lu comme le code postal de Lyon 3e Arrondissement" in line
        and "écrivez « Albigny-sur-Saône (69003) »" in line
        for line in lines
    )
    assert any("ligne 4, colonne commune" in line and "Curis-au-Mont-d'Or (69033)" in line for line in lines)
    assert any("ligne 5, colonne commune : commune « Atlantide » inconnue" in line for line in lines)
