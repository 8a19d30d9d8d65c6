"""The commune step of the questionnaire: long or strange texts are refused or answered in bounded time."""

import time

import pytest

from relais.rights.tests.test_pages_questionnaire import Flow, error_summary
from relais.rights.views.communes import MAX_COMMUNE_CHARS, find
from relais.territories import names
from tests.factories import make_commune

CPU_BUDGET_SECONDS = 0.1


@pytest.fixture
def communes(db):
    names.reset()
    make_commune("69383")
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    make_commune("69259", "Vénissieux", postal_codes=["69200"])
    for n in range(300):  # many names sharing trigrams, so that a look-up has work to do
        make_commune(f"01{n:03d}", f"Saint-Martin-du-Mont {n}", postal_codes=[f"01{n:03d}"])


@pytest.mark.parametrize(
    "text",
    ["x" * MAX_COMMUNE_CHARS, "saint " * 16, "é" * MAX_COMMUNE_CHARS, "a b c d e " * 10, "x" * 10_000],
)
def test_an_unknown_name_of_any_length_is_answered_within_the_cpu_budget(communes, text):
    find("Villeurbane")  # the index of names is built once per process, not per request
    started = time.process_time()
    found = find(text)
    assert time.process_time() - started < CPU_BUDGET_SECONDS
    assert not found.matches


def test_typos_still_get_suggestions(communes):
    assert find("Villeurbane").suggestions[0] == "Villeurbanne"
    assert find("Venisieux").suggestions[0] == "Vénissieux"


def test_a_commune_added_to_the_referential_is_suggested_without_restarting(communes):
    assert "Caluire-et-Cuire" not in find("Caluire et Cuir").suggestions
    make_commune("69034", "Caluire-et-Cuire", postal_codes=["69300"])
    assert find("Caluire et Cuir").suggestions == ["Caluire-et-Cuire"]


def test_a_text_longer_than_the_field_allows_gets_the_field_s_message(client, communes):
    flow = Flow(client)
    flow.post("commune", commune="Villeurbanne" * 10)
    assert flow.step == "commune"
    [error] = error_summary(flow.response)
    assert "Votre commune" in error and str(MAX_COMMUNE_CHARS) in error
