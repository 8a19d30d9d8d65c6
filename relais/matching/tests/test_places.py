import pytest
from django.utils import translation

from relais.matching.places import resolve_place
from relais.matching.tests.world import LYON_EPCI, commune_table
from relais.matching.types import Place, Severity
from relais.territories.geo import LocalDistance, haversine_km, valid_coordinates


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.fixture(scope="module")
def table():
    return commune_table()


def test_a_commune_code_resolves_with_its_zone_codes(table):
    place, problems = resolve_place(Place(commune="69383"), table)
    assert problems == []
    assert place.commune.name == "Lyon 3e Arrondissement"
    assert place.zone_codes == {"69383", "69123", LYON_EPCI, "69", "france", "99100"}
    assert place.precision == "commune"
    assert not place.arrondissement_unknown


def test_lyon_as_a_whole_leaves_the_arrondissement_unknown(table):
    place, _ = resolve_place(Place(commune="69123"), table)
    assert place.arrondissement_unknown


def test_a_postal_code_given_as_commune_code_to_the_api_is_understood_with_a_warning(table):
    place, problems = resolve_place(Place(commune="69003", code_is_insee=True), table)
    assert place.commune.code == "69383"
    assert [p.code for p in problems] == ["postal_code"]
    assert problems[0].severity == Severity.WARNING
    assert "69003" in problems[0].message


def test_a_commune_name_resolves(table):
    place, problems = resolve_place(Place(commune="villeurbanne"), table)
    assert place.commune.code == "69266" and problems == []


def test_homonyms_are_an_error_listing_each_commune(table):
    place, problems = resolve_place(Place(commune="Ambérieux"), table)
    assert place is None
    assert problems[0].field == "place.commune"
    assert problems[0].code == "ambiguous_commune"
    assert set(problems[0].suggestions) == {"Ambérieux (01006)", "Ambérieux (69005)"}


def test_an_unknown_commune_name_suggests_the_closest_names(table):
    place, problems = resolve_place(Place(commune="Villeurbane"), table)
    assert place is None
    assert problems[0].code == "unknown_commune"
    assert "Villeurbane" in problems[0].message
    assert problems[0].suggestions[0] == "Villeurbanne (69266)"


def test_an_unknown_code_is_an_error_naming_it(table):
    place, problems = resolve_place(Place(commune="99999"), table)
    assert place is None
    assert problems[0].field == "place.commune"
    assert "99999" in problems[0].message


def test_coordinates_resolve_to_the_nearest_commune_and_keep_the_exact_point(table):
    place, problems = resolve_place(Place(latitude=45.7605, longitude=4.8590), table)
    assert problems == []
    assert place.commune.code == "69383"
    assert place.precision == "coordinates"
    assert place.latitude == 45.7605


def test_a_locate_function_takes_precedence_over_the_nearest_centre(table):
    place, _ = resolve_place(Place(latitude=45.7605, longitude=4.8590), table, locate=lambda lat, lon: "69266")
    assert place.commune.code == "69266"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(200, 4.8), (45.7, -500), (float("nan"), 4.8), ("abc", 4.8), (45.7, None)],
)
def test_absurd_coordinates_are_an_error_naming_them(table, lat, lon):
    place, problems = resolve_place(Place(latitude=lat, longitude=lon), table)
    assert place is None
    assert problems[0].field == "place.coordinates"
    assert problems[0].code == "invalid_coordinates"


def test_zero_zero_is_said_to_be_far_from_any_commune_not_out_of_range(table):
    place, problems = resolve_place(Place(latitude=0, longitude=0), table)
    assert place is None
    assert problems[0].code == "outside_territory"
    assert "loin de toute commune" in problems[0].message
    assert "-90" not in problems[0].message


def test_coordinates_far_from_every_known_commune_are_an_error(table):
    place, problems = resolve_place(Place(latitude=47.0, longitude=-30.0), table)  # mid-Atlantic
    assert place is None
    assert problems[0].code == "outside_territory"


def test_an_address_with_a_postal_code_resolves_to_its_commune(table):
    place, problems = resolve_place(Place(address="12 rue Garibaldi, 69003 Lyon"), table)
    assert place.commune.code == "69383"
    assert place.precision == "commune"


def test_an_address_with_only_a_commune_name_resolves(table):
    place, _ = resolve_place(Place(address="3 place de la République à Vénissieux"), table)
    assert place.commune.code == "69259"


def test_an_address_in_no_known_commune_is_an_error(table):
    place, problems = resolve_place(Place(address="1 rue inconnue, Nulle-Part"), table)
    assert place is None
    assert problems[0].field == "place.address"


def test_no_place_at_all_is_an_error(table):
    place, problems = resolve_place(Place(), table)
    assert place is None
    assert problems[0].code == "missing_place"


def test_zone_labels_name_epci_and_departements(table):
    assert table.zone_label(LYON_EPCI) == "Métropole de Lyon"
    assert table.zone_label("57") == "Moselle"
    assert table.zone_label("france") == "toute la France"


def test_distances():
    assert haversine_km(45.7578, 4.8320, 49.1193, 6.1757) == pytest.approx(389, abs=3)  # Lyon-Metz
    local = LocalDistance(45.7578, 4.8320)
    assert local(45.7667, 4.8803) == pytest.approx(haversine_km(45.7578, 4.8320, 45.7667, 4.8803), rel=0.01)
    assert valid_coordinates(45.0, 4.0)
    assert not valid_coordinates(0, 0)
