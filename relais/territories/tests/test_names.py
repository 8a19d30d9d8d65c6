"""The index of commune names: typos found, and a bounded cost per look-up over all of France."""

import time

import pytest

from relais.territories.loaders import read_france
from relais.territories.names import MAX_CANDIDATES, NameIndex, trigrams
from relais.territories.text import normalize

CPU_BUDGET_SECONDS = 0.1


@pytest.fixture(scope="module")
def france(django_db_blocker):
    with django_db_blocker.unblock():  # the reader checks links against an (empty) database
        rows = read_france().communes.values()
    return NameIndex((c["code"], normalize(c["name"]), c["population"]) for c in rows)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Villeurbane", "69266"),
        ("Venisieux", "69259"),
        ("lyon 8", "69388"),
        ("illeurbanne", "69266"),
        ("SAINT-ÉTIENNE", "42218"),
        ("Marseile", "13055"),
    ],
)
def test_typos_and_partial_names_find_the_commune_among_all_of_france(france, typed, code):
    assert code in france.closest(typed, n=3)


@pytest.mark.parametrize(
    "text",
    ["x" * 50, "Saint " * 100, "é" * 1000, "a b c d e f g h i j " * 50, "saint-" * 500, "ab" * 100_000],
)
def test_a_look_up_costs_less_than_the_cpu_budget_whatever_the_text(france, text):
    started = time.process_time()
    france.closest(text)
    assert time.process_time() - started < CPU_BUDGET_SECONDS


def test_at_most_a_bounded_number_of_names_are_compared_in_full(france):
    assert len(france.candidates(normalize("Saint " * 100))) <= MAX_CANDIDATES
    assert len(trigrams(normalize("a b c d e f g h i j " * 50)[:60])) <= 61
