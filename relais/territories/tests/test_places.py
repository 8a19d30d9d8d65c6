"""The one place resolver: five digits are a postal code first, the other reading is kept, never hidden."""

import pytest

from relais.territories.places import DatabaseCommunes, PlaceRow, read_place, read_postal_and_name
from tests.factories import make_commune


@pytest.fixture
def lyon(db):
    make_commune("69383")  # Lyon 3e, postal code 69003
    make_commune("69123", "Lyon", postal_codes=["69001", "69003", "69008"])
    make_commune("69388", "Lyon 8e Arrondissement", postal_codes=["69008"])
    make_commune("69003", "Albigny-sur-Saône", postal_codes=["69250"])
    make_commune("69008", "Ancy", postal_codes=["69490"])
    make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    make_commune("69100", "Irigny", postal_codes=["69540"])
    make_commune("69033", "Curis-au-Mont-d'Or", postal_codes=["69250"])
    return DatabaseCommunes()


@pytest.mark.parametrize(
    ("typed", "code", "other"),
    [("69003", "69383", "69003"), ("69008", "69388", "69008"), ("69100", "69266", "69100")],
)
def test_five_digits_typed_by_a_person_are_a_postal_code_and_the_insee_reading_is_kept_aside(lyon, typed, code, other):
    reading = read_place(typed, lyon)
    assert (reading.how, reading.found.code) == ("postal", code)
    assert [row.code for row in reading.others] == [other]


def test_a_machine_s_insee_code_is_read_as_insee_with_the_postal_reading_aside(lyon):
    reading = read_place("69003", lyon, insee_first=True)
    assert (reading.how, reading.found) == ("code", PlaceRow("69003", "Albigny-sur-Saône", None))
    assert [row.code for row in reading.others] == ["69383"]


def test_a_postal_code_of_several_communes_returns_them_all_by_name(lyon):
    reading = read_place("69250", lyon)
    assert reading.found is None
    assert [row.name for row in reading.matches] == ["Albigny-sur-Saône", "Curis-au-Mont-d'Or"]


def test_our_own_way_of_writing_a_choice_is_the_insee_code(lyon):
    assert read_place("Albigny-sur-Saône (69003)", lyon).found.code == "69003"


def test_names_and_short_arrondissements_resolve(lyon):
    assert read_place("villeurbanne", lyon).found.code == "69266"
    assert read_place("Lyon 8eme", lyon).found.code == "69388"
    assert read_place("Atlantide", lyon).matches == ()


def test_a_partner_address_postal_code_and_name_give_the_arrondissement_or_the_insee_commune(lyon):
    assert read_postal_and_name("69003", "Lyon", lyon).found.code == "69383"
    assert read_postal_and_name("69003", "Albigny-sur-Saône", lyon).found.code == "69003"  # an Insee code typed
    assert read_postal_and_name("69250", "Curis au Mont d'Or", lyon).found.code == "69033"
