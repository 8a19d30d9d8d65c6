"""Importing indicators: Insee formats, plain files, every fault named, nothing written on a bad file."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from relais.observatory import importers
from relais.observatory.models import IndicatorValue
from relais.observatory.tests.conftest import load

INSEE = "CODGEO;P22_POP;TP6021;MED21;NAIS1621\n69259;67000;34,0;17000;900\n69199;19000;s;s;300\n69123;520774;16,0;;1\n"


def faults(plan):
    return [(f.row, f.column, f.reason) for f in plan.faults]


def test_an_insee_file_keeps_secret_not_available_and_values_apart(lyon_world):
    plan = load("base.csv", INSEE)
    cells = {(v.indicator, v.code): (v.status, v.value) for v in IndicatorValue.objects.all()}
    assert cells[("taux_pauvrete", "69259")] == ("value", 34.0)
    assert cells[("taux_pauvrete", "69199")] == ("secret", None)
    assert cells[("revenu_median", "69123")] == ("na", None)
    assert plan.ignored_columns == ["NAIS1621"]


def test_importing_the_same_file_twice_changes_nothing(lyon_world):
    load("base.csv", INSEE)
    second = load("base.csv", INSEE)
    assert second.written["created"] == 0 and second.written["updated"] == 0
    assert second.written["unchanged"] == IndicatorValue.objects.count()


def test_a_bad_plain_file_is_refused_whole_with_row_column_and_reason(lyon_world):
    load("base.csv", INSEE)
    before = list(IndicatorValue.objects.values_list("indicator", "code", "value"))
    text = (
        "code,indicator,vintage,value\n"
        "69259,foyers_rsa,2024,1200\n"
        "69999,foyers_rsa,2024,10\n"
        "69152,foyers_rsa,2024,10\n"
        "69199,inconnu,2024,10\n"
        '69199,foyers_rsa,2024,"12,5%"\n'
        "69123,foyers_rsa,2999,10\n"
        "69259,foyers_rsa,2024,1300\n"
        "69259,taux_chomage,2024,10\n"
    )
    plan = importers.parse_file("rsa.csv", text.encode())
    found = faults(plan)
    assert [(row, column) for row, column, _r in found] == [
        (3, "code"),
        (4, "code"),
        (5, "indicator"),
        (6, "value"),
        (7, "vintage"),
        (8, "value"),
        (9, "indicator"),
    ]
    reasons = " | ".join(r for _row, _c, r in found)
    assert "69149" in reasons and "fusionnée" in reasons
    assert "sans le signe %" in reasons
    assert "futur" in reasons
    assert "déjà donnée ligne 2" in reasons
    with pytest.raises(ValueError):
        importers.apply(plan)
    assert list(IndicatorValue.objects.values_list("indicator", "code", "value")) == before


def test_an_insee_file_with_a_bad_cell_or_a_code_twice_names_the_row_and_column(lyon_world):
    plan = importers.parse_file("base.csv", b"CODGEO;P22_POP\n69259;abc\n69259;1\n")
    assert [f[:2] for f in faults(plan)] == [(2, "P22_POP"), (3, "P22_POP")]
    assert "déjà donnée ligne 2" in faults(plan)[1][2]


def test_a_spreadsheet_in_the_plain_format_is_read(lyon_world):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "indicator", "vintage", "value"])
    sheet.append(["69259", "foyers_rsa", 2023, 1100])
    sheet.append(["69259", "foyers_rsa", 2024, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = importers.parse_file("rsa.xlsx", buffer.getvalue())
    importers.apply(plan)
    values = dict(IndicatorValue.objects.filter(indicator="foyers_rsa").values_list("vintage", "value"))
    assert values == {2023: 1100.0, 2024: 0.0}  # zero is a value, not "not available"


def test_the_command_writes_nothing_on_a_dry_run_or_a_bad_file(lyon_world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("code,indicator,vintage,value\n69259,foyers_rsa,2024,1200\n")
    call_command("import_indicators", str(good), "--dry-run", stdout=io.StringIO())
    assert not IndicatorValue.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,indicator,vintage,value\n69259,foyers_rsa,2024,x\n")
    with pytest.raises(CommandError):
        call_command("import_indicators", str(good), str(bad), stdout=io.StringIO())
    assert not IndicatorValue.objects.exists()
    call_command("import_indicators", str(good), stdout=io.StringIO())
    assert IndicatorValue.objects.get().value == 1200


def test_values_are_parsed_with_comma_or_point_and_s_and_empty_stay_distinct():
    assert importers.parse_value("12,5")[:2] == ("value", 12.5)
    assert importers.parse_value("61524.59")[:2] == ("value", 61524.59)
    assert importers.parse_value("0")[:2] == ("value", 0.0)
    assert importers.parse_value("s")[:2] == ("secret", None)
    assert importers.parse_value("")[:2] == ("na", None)
    assert importers.parse_value("-3")[2]
    assert importers.parse_value(dt.date.today())[2]
