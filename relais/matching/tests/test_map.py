"""The results map: commune outlines from the shipped contours, numbered places, tiles only when set."""

import json
import re

import pytest
from django.utils import translation

from relais.matching import runtime
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


# --- the interactive map's data, read by web/map.js from the page ----------------------------------------


def map_data(html: str) -> dict:
    found = re.search(r'<script id="carte-donnees" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page carries the interactive map's data"
    return json.loads(found.group(1))


def test_the_search_page_carries_the_results_positions_and_links_to_their_entries(client, offer, settings):
    settings.RELAIS_TILE_URL = ""
    response = search_page(client)
    html = response.content.decode()
    data = map_data(html)
    on_map = [s for s in response.context["results"] if s.on_map]
    assert [m["pin"] for m in data["markers"]] == [str(s.number) for s in on_map]
    for marker, s in zip(data["markers"], on_map, strict=True):
        assert (marker["lat"], marker["lon"]) == (s.service.latitude, s.service.longitude)
        assert marker["name"] == s.service.name
        assert marker["href"] == f"#resultat-{s.number}" and f'id="resultat-{s.number}"' in html
        assert marker["label"] == f"Lieu {s.number} : {s.service.name}"
        assert marker["check"] is (not s.eligible)
    place = response.context["response"].place
    assert data["home"] == {"lat": place.latitude, "lon": place.longitude, "name": place.commune.name}
    assert data["tiles"] is None  # none by default: no request leaves for a tile server
    assert data["areas"] and sum(a["home"] for a in data["areas"]) == 1  # the outlines the SVG draws
    assert '<figure class="results-map-figure" id="carte" data-map="carte-donnees">' in html
    assert "<svg" in html  # the drawing stays, for print and without script


def test_each_result_with_a_place_has_a_hidden_voir_sur_la_carte_button_that_names_it(client, offer):
    response = search_page(client, besoins="manger violences")
    html = response.content.decode()
    buttons = re.findall(
        r'<button type="button" class="link-button map-show" [^>]*data-map-marker="(\d+)" hidden>', html
    )
    results = response.context["results"]
    assert sorted(map(int, buttons)) == sorted(s.number for s in results if s.on_map)
    assert any(not s.on_map for s in results)  # the helpline, by phone only, has no button
    assert 'Voir sur la carte<span class="visually-hidden"> : Repas du midi</span>' in html


def test_a_result_at_its_structure_or_at_its_communes_centre_says_so_in_its_popup(client, offer):
    offer.restaurant.latitude = offer.restaurant.longitude = None
    offer.restaurant.adresse = ""
    offer.restaurant.save()
    offer.villeurbanne.latitude = offer.villeurbanne.longitude = None
    offer.villeurbanne.adresse = "12 rue Ailleurs"
    offer.villeurbanne.save()
    runtime.reset()
    try:
        data = map_data(search_page(client).content.decode())
    finally:
        runtime.reset()
    notes = {m["name"]: m["note"] for m in data["markers"]}
    assert notes["Repas du midi"] == "position de la structure"
    assert notes["Colis alimentaires"] == "position approximative : le centre de la commune"
    assert notes["Épicerie solidaire des Tilleuls"] == "1 rue de la Paix, Lyon 3e Arrondissement"


def test_with_a_tile_server_the_data_names_it_and_the_page_loads_the_vendored_library(client, offer, settings):
    settings.RELAIS_TILE_URL = TILES
    settings.RELAIS_TILE_ATTRIBUTION = "© Contributeurs de l’exemple"
    html = search_page(client).content.decode()
    assert map_data(html)["tiles"] == {"url": TILES, "attribution": "© Contributeurs de l’exemple"}
    for asset in (
        '<script src="/static/vendor/leaflet/leaflet.js" defer></script>',
        '<script src="/static/vendor/leaflet.markercluster/leaflet.markercluster.js" defer></script>',
        '<script src="/static/web/map.js" defer></script>',
        '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">',
    ):
        assert asset in html


def test_a_name_with_markup_stays_data_in_the_json(client, offer):
    offer.grocery.nom = "</script><script>alert(1)</script>"
    offer.grocery.save()
    runtime.reset()
    try:
        html = search_page(client).content.decode()
    finally:
        runtime.reset()
    assert "<script>alert(1)" not in html
    assert "</script><script>alert(1)</script>" in [m["name"] for m in map_data(html)["markers"]]


def test_the_resident_page_carries_the_same_data_in_english_too(client, offer):
    with translation.override("en"):
        response = client.get("/en/trouver-de-l-aide/", {"besoin": "manger", "lieu": "69383"})
    html = response.content.decode()
    data = map_data(html)
    assert data["markers"] and all(m["href"].startswith("#resultat-") for m in data["markers"])
    assert data["text"]["see_in_list"] == "Show in the list"
    first = data["markers"][0]
    assert first["label"] == f"Place {first['pin']}: {first['name']}"
    assert 'data-map-for="carte"' in html


def test_no_map_no_data_and_no_library(client, offer):
    html = client.get("/recherche/").content.decode()
    assert "carte-donnees" not in html and "leaflet" not in html
