"""docs/data-traces.md says what a trace keeps: it must follow the model and the settings."""

import re
from pathlib import Path

from django.conf import settings

from relais.observatory.management.commands.rollup_search_traces import AGGREGATE_YEARS
from relais.observatory.models import MIN_CELL, SearchTrace
from relais.observatory.traces import AGE_BANDS

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-traces.md"


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_field_a_trace_holds_is_listed_in_the_doc():
    listed = set(re.findall(r"`([a-z_]+)`", text()))
    fields = {f.name for f in SearchTrace._meta.fields} - {"id"}
    assert fields <= listed, f"document in docs/data-traces.md: {sorted(fields - listed)}"


def test_the_doc_gives_the_threshold_the_durations_and_the_switch_that_the_code_uses():
    doc = text()
    assert f"`MIN_CELL` = {MIN_CELL}" in doc
    assert "`RELAIS_SEARCH_TRACE_DAYS`" in doc and f"default {settings.RELAIS_SEARCH_TRACE_DAYS}" in doc
    assert {5: "five years"}[AGGREGATE_YEARS] in doc
    assert "`RELAIS_TRACE_SEARCHES=0`" in doc
    for _low, _high, band in AGE_BANDS:
        assert f"`{band}`" in doc
