"""Distances, point-in-polygon and place-name helpers."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from relais.territories import geo
from relais.territories.models import Commune

# A square with a square hole, as GeoJSON ([lon, lat]).
SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}
TWO_ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]],
    ],
}


@pytest.fixture
def referential(db):
    call_command("load_territories", "--lyon-metz-only", "--no-territories", stdout=io.StringIO())


def test_haversine_distance_lyon_metz_is_about_387_km():
    # Hôtel de ville de Lyon -> hôtel de ville de Metz, as the crow flies.
    assert geo.haversine_km(45.7675, 4.8357, 49.1197, 6.1757) == pytest.approx(387, abs=3)
    assert geo.haversine_km(45.0, 4.0, 45.0, 4.0) == 0
    # one degree of latitude is about 111.2 km
    assert geo.haversine_km(45.0, 4.0, 46.0, 4.0) == pytest.approx(111.2, abs=0.1)


def test_point_in_polygon_respects_holes_and_multipolygons():
    assert geo.point_in_geometry(2, 2, SQUARE_WITH_HOLE)  # lat, lon
    assert not geo.point_in_geometry(5, 5, SQUARE_WITH_HOLE)  # in the hole
    assert not geo.point_in_geometry(11, 5, SQUARE_WITH_HOLE)
    assert geo.point_in_geometry(5.5, 5.5, TWO_ISLANDS)
    assert not geo.point_in_geometry(3, 3, TWO_ISLANDS)
    assert not geo.point_in_geometry(1, 1, None)
    with pytest.raises(ValueError):
        geo.point_in_geometry(1, 1, {"type": "Point", "coordinates": [1, 1]})


def test_bounding_box_of_a_multipolygon():
    assert geo.geometry_bbox(TWO_ISLANDS) == (0, 0, 6, 6)
    assert geo.geometry_bbox(None) is None


def test_locate_prefers_the_arrondissement_to_its_commune():
    commune = SimpleNamespace(code="1", kind="COM", contour=SQUARE_WITH_HOLE)
    arrondissement = SimpleNamespace(code="2", kind="ARM", contour=TWO_ISLANDS)
    assert geo.locate(0.5, 0.5, [commune, arrondissement]) is arrondissement
    assert geo.locate(2, 2, [commune, arrondissement]) is commune
    assert geo.locate(50, 50, [commune, arrondissement]) is None


def test_rank_names_tolerates_accents_typos_and_partial_names():
    names = [("a", "villeurbanne", 160_000), ("b", "villefranche sur saone", 36_000), ("c", "venissieux", 65_000)]
    assert geo.rank_names("Villeurbane", names)[0] == "a"
    assert geo.rank_names("VÉNISSIEUX", names) == ["c"]
    assert geo.rank_names("villef", names)[0] == "b"
    assert geo.rank_names("Billeurbanne", names)[0] == "a"  # wrong first letter
    assert geo.rank_names("illeurbanne", names)[0] == "a"  # missing first letter
    assert geo.rank_names("zzz", names) == []
    assert geo.rank_names("", names) == []


def test_rank_names_prefers_names_with_the_same_first_letter():
    names = [("65342", "osmets", 120), ("57463", "metz", 122_000)]
    assert geo.rank_names("Mets", names)[0] == "57463"


def test_rank_names_breaks_ties_by_population():
    names = [("07288", "saint priest", 1_300), ("69290", "saint priest", 49_000)]
    assert geo.rank_names("Saint-Priest", names) == ["69290", "07288"]


def test_a_point_in_lyon_3e_resolves_to_the_arrondissement(referential):
    # Gare de la Part-Dieu
    assert geo.commune_at(45.7606, 4.8595).code == "69383"
    # Place Bellecour, Lyon 2e
    assert geo.commune_at(45.7578, 4.8320).code == "69382"
    # Place d'Armes, Metz
    assert geo.commune_at(49.1197, 6.1757).code == "57463"
    # Paris: no contour loaded there
    assert geo.commune_at(48.8566, 2.3522) is None


def test_every_loaded_centroid_resolves_to_its_own_commune(referential):
    for commune in Commune.objects.exclude(code="69123"):
        assert geo.commune_at(commune.latitude, commune.longitude).code == commune.code


def test_suggestions_for_a_misspelt_name_include_the_commune(referential):
    assert "Villeurbanne" in [c.name for c in geo.suggest_communes("Villeurbane")]
    assert geo.suggest_communes("ecully", n=1)[0].code == "69081"
    assert [c.code for c in geo.suggest_communes("Lyon 3", n=1)] == ["69383"]
    assert len(geo.suggest_communes("Saint", n=3)) == 3
    assert geo.suggest_communes("qwxz") == []


def test_resolve_place_by_insee_code_postal_code_or_name(referential):
    assert geo.resolve_place("69383").name == "Lyon 3e Arrondissement"
    assert geo.resolve_place("69003").code == "69003"  # an INSEE code (Albigny-sur-Saône) wins
    assert geo.resolve_place("69009").code == "69389"  # a postal code gives the arrondissement
    assert geo.resolve_place("57000").code == "57463"
    assert geo.resolve_place("  villeurbanne ").code == "69266"
    assert geo.resolve_place("Lyon").code == "69123"
    assert geo.resolve_place("lyon 3e").code == "69383"
    assert geo.resolve_place("Saint") is None  # ambiguous
    assert geo.resolve_place("nulle part") is None
    assert geo.resolve_place("") is None
