"""The results map: commune outlines from the shipped contours, numbered places, tiles only when set."""

import re

import pytest
from django.utils import translation

from relais.matching.map import results_map
from relais.matching.tests.pages import load_communes
from relais.matching.views.common import shown
from relais.territories.maps import Frame, MapPoint, communes_in, frame_for, render

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def search_page(client, **params):
    response = client.get("/recherche/", {"lieu": "69383", "besoins": "manger", **params})
    assert response.status_code == 200
    return response


def test_the_map_draws_the_outlines_of_the_communes_around_from_the_shipped_contours(client, offer):
    response = search_page(client)
    svg = str(response.context["map"].svg)
    outlines = re.findall(r'<path class="map-commune( map-commune-home)?" d="M', svg)
    assert len(outlines) >= 5  # Lyon's arrondissements and the communes next to them
    assert outlines.count(" map-commune-home") == 1  # the person's commune, drawn on top
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    numbers = re.findall(r'text-anchor="middle">(\d+)</text>', svg)
    on_map = [s.number for s in response.context["results"] if s.on_map]
    assert sorted(map(int, numbers)) == sorted(on_map)


def test_without_a_tile_url_the_map_has_no_image_and_needs_no_network(client, offer, settings):
    settings.RELAIS_TILE_URL = ""
    response = search_page(client)
    assert "<image" not in str(response.context["map"].svg)
    assert "Fond de carte" not in response.content.decode()


def test_with_a_tile_url_the_tiles_line_up_under_the_drawing_and_the_attribution_shows(client, offer, settings):
    settings.RELAIS_TILE_URL = TILES
    settings.RELAIS_TILE_ATTRIBUTION = "© Contributeurs de l’exemple"
    response = search_page(client)
    chart = response.context["map"]
    hrefs = re.findall(r'<image href="([^"]+)"', str(chart.svg))
    assert hrefs and chart.tiles == len(hrefs)
    assert all(re.fullmatch(rf"https://tiles\.example\.org/{chart.zoom}/\d+/\d+\.png", h) for h in hrefs)
    assert "Fond de carte : © Contributeurs de l’exemple" in response.content.decode()


def test_tiles_cover_exactly_the_window():
    frame = Frame(zoom=13, left=256 * 10 + 100, top=256 * 20 + 50)  # 640 × 420 from inside a tile
    chart = render((45.76, 4.84), "Lyon", [], [], title="t", description="d", tile_url=TILES, frame=frame)
    columns = {int(h.split("/")[-2]) for h in re.findall(r'href="([^"]+)"', str(chart.svg))}
    rows = {int(h.split("/")[-1].split(".")[0]) for h in re.findall(r'href="([^"]+)"', str(chart.svg))}
    assert columns == {10, 11, 12} and rows == {20, 21}  # x 2660-3300, y 5170-5590 px


def test_the_outlines_query_reads_only_the_window_and_prefers_arrondissements(db, django_assert_num_queries):
    load_communes()
    frame = frame_for((45.7597, 4.8422), [(45.77, 4.88)])
    with django_assert_num_queries(1):
        areas = communes_in(frame, "69383")
    codes = {a.code for a in areas}
    assert "69383" in codes and "69123" not in codes  # Lyon itself gives way to its arrondissements
    assert not codes & {"57463", "57751"}  # Metz is far outside the window
    assert [a.code for a in areas if a.home] == ["69383"]


def test_results_without_a_place_are_left_off_the_map_and_the_description_says_so(client, offer):
    response = search_page(client, besoins="violences")
    remote = [s for s in response.context["results"] if not s.on_map]
    assert remote  # the helpline works by phone
    assert "sans lieu d’accueil sur la carte" in response.context["map"].description
    assert results_map(None, shown(())) is None
    assert MapPoint(1, "x", 45.0, 4.0).to_check is False
