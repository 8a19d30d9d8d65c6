"""Codes that are one commune's Insee code and another's postal code, on the real rows of the shipped
referential (relais/territories/data/communes-lyon-metz.json)."""

import pytest
from django.utils import translation

from relais.matching.places import resolve_place
from relais.matching.tests.world import referential_table
from relais.matching.types import Place, Severity


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.fixture(scope="module")
def table():
    return referential_table()


@pytest.mark.parametrize(
    ("code", "postal_commune", "insee_commune"),
    [
        ("69003", "69383", "Albigny-sur-Saône (69003)"),
        ("69100", "69266", "Irigny (69100)"),
    ],
)
def test_on_the_pages_five_digits_are_a_postal_code_first_and_the_insee_reading_is_offered_not_an_error(
    table, code, postal_commune, insee_commune
):
    place, problems = resolve_place(Place(commune=code), table)
    assert place.commune.code == postal_commune
    assert [(p.code, p.severity) for p in problems] == [("postal_code_also_insee", Severity.WARNING)]
    assert problems[0].suggestions == (insee_commune,)


def test_a_postal_code_shared_by_several_communes_asks_which_in_plain_words_and_offers_the_insee_reading(table):
    place, problems = resolve_place(Place(commune="57140"), table)
    assert place is None
    problem = problems[0]
    assert (problem.code, problem.severity) == ("ambiguous_postal_code", Severity.ERROR)
    assert problem.message == "Plusieurs communes ont le code postal « 57140 » : laquelle est la vôtre ?"
    assert problem.suggestions == ("La Maxe (57452)", "Saulny (57634)", "Woippy (57751)", "Chesny (57140)")


@pytest.mark.parametrize(
    ("code", "insee_name", "postal_commune"),
    [("69003", "Albigny-sur-Saône", "Lyon 3e Arrondissement (69383)"), ("69100", "Irigny", "Villeurbanne (69266)")],
)
def test_with_insee_semantics_the_insee_commune_is_kept_with_a_warning_naming_the_other(
    table, code, insee_name, postal_commune
):
    place, problems = resolve_place(Place(commune=code, code_is_insee=True), table)
    assert place.commune.name == insee_name
    assert [(p.code, p.severity) for p in problems] == [("insee_and_postal_code", Severity.WARNING)]
    assert postal_commune in problems[0].message
    assert problems[0].suggestions == (postal_commune,)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Albigny-sur-Saône (69003)", "69003"), ("Lyon 3e Arrondissement (69383)", "69383"), ("Irigny (69100)", "69100")],
)
def test_a_suggestion_as_written_name_and_code_resolves_to_that_commune_without_question(table, typed, code):
    place, problems = resolve_place(Place(commune=typed), table)
    assert place.commune.code == code
    assert problems == []


def test_an_insee_code_that_is_no_postal_code_and_a_postal_code_that_is_no_insee_code_stay_plain(table):
    place, problems = resolve_place(Place(commune="69383"), table)
    assert place.commune.code == "69383" and problems == []
    place, problems = resolve_place(Place(commune="57865"), table)  # Amanvillers's postal code, no Insee code
    assert place.commune.code == "57017" and problems == []
    place, problems = resolve_place(Place(commune="57865", code_is_insee=True), table)  # the API wants Insee
    assert place.commune.code == "57017"
    assert [p.code for p in problems] == ["postal_code"]


@pytest.mark.parametrize(("typed", "code"), [("Lyon 3", "69383"), ("lyon 8eme", "69388"), ("Lyon 1er", "69381")])
def test_an_arrondissement_typed_the_short_way_resolves(table, typed, code):
    place, problems = resolve_place(Place(commune=typed), table)
    assert place.commune.code == code and problems == []
