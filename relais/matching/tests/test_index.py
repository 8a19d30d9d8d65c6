from relais.matching.index import FINE_CELL_DEGREES, OfferIndex, cell_of
from relais.matching.tests.world import LYON_EPCI, T, commune_table
from relais.matching.types import ServiceRecord


def service(id, **kw):
    base = dict(
        id=id,
        structure_id="st",
        structure_name="S",
        name=id,
        thematiques=(T["alim"],),
        zone_eligibilite=(LYON_EPCI,),
        modes_accueil=("en-presentiel",),
        latitude=45.76,
        longitude=4.84,
        code_insee="69383",
    )
    base.update(kw)
    return ServiceRecord(**base)


def build(*services):
    return OfferIndex(services, commune_table())


def positions(index, ids):
    return {index.services[p].id for p in ids}


def test_an_on_site_service_is_filed_in_its_grid_cell_by_thematique():
    index = build(service("a"))
    assert index.grid[cell_of(45.76, 4.84)][T["alim"]] == [0]
    assert index.zone_candidates({LYON_EPCI}, [T["alim"]]) == set()


def test_a_remote_service_is_filed_by_zone_and_thematique():
    index = build(service("r", modes_accueil=("a-distance",), zone_eligibilite=("69", "57")))
    assert positions(index, index.zone_candidates({"69"}, [T["alim"]])) == {"r"}
    assert positions(index, index.zone_candidates({"57"}, [T["alim"]])) == {"r"}
    assert index.zone_candidates({"69"}, [T["habits"]]) == set()
    assert index.grid == {}


def test_a_service_on_site_and_remote_is_filed_both_ways():
    index = build(service("b", modes_accueil=("en-presentiel", "a-distance")))
    assert positions(index, index.zone_candidates({LYON_EPCI}, [T["alim"]])) == {"b"}
    assert index.cell_candidates(cell_of(45.76, 4.84), [T["alim"]]) == {0}


def test_a_service_without_coordinates_takes_its_commune_centre_flagged_approximate():
    index = build(service("c", latitude=None, longitude=None, code_insee="69266"))
    placed = index.services[0]
    assert (placed.latitude, placed.longitude) == (45.7667, 4.8803)
    assert placed.approximate_location


def test_a_remote_service_without_zone_is_filed_under_its_departement():
    index = build(service("d", modes_accueil=("a-distance",), zone_eligibilite=None, code_insee="57463"))
    assert positions(index, index.zone_candidates({"57"}, [T["alim"]])) == {"d"}


def test_a_service_with_no_zone_no_place_and_no_commune_is_listed_as_unplaced():
    index = build(
        service(
            "lost", modes_accueil=("a-distance",), zone_eligibilite=None, code_insee="", latitude=None, longitude=None
        )
    )
    assert index.unplaced == ["lost"]


def test_cells_around_cover_the_radius_in_the_fine_grid_then_the_coarse_one():
    index = build(service("near", latitude=45.76, longitude=4.84), service("far", latitude=45.99, longitude=4.72))
    near_cells = index.cells_around(45.76, 4.84, 5)
    assert near_cells == [cell_of(45.76, 4.84, FINE_CELL_DEGREES)]
    assert cell_of(45.99, 4.72, FINE_CELL_DEGREES) not in index.cells_around(45.76, 4.84, 10)
    assert cell_of(45.99, 4.72) in index.cells_around(45.76, 4.84, 40)
    assert index.cell_candidates(cell_of(45.99, 4.72), [T["alim"]], radius_km=40) == {1}


def test_static_scores_are_cached_per_day():
    import datetime as dt

    index = build(service("a", last_verified_on=dt.date(2026, 1, 1)))
    first = index.static_scores(dt.date(2026, 3, 4))
    assert index.static_scores(dt.date(2026, 3, 4)) is first
    assert index.static_scores(dt.date(2027, 3, 4))[0] < first[0]
