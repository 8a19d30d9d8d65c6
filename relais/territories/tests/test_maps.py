"""The map helpers on plain data: the route link, the tile origin for the CSP, the interactive map's data."""

import json

import pytest
from django.utils import translation

from relais.territories.maps import (
    WIDTH,
    Frame,
    MapArea,
    Marker,
    frame_at,
    interactive_data,
    render,
    route_url,
    tile_origin,
    world_xy,
)

OSM = "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"
SQUARE = {"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.8], [4.8, 45.7]]]}
TWO_ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[4.0, 45.0], [4.1, 45.0], [4.1, 45.1], [4.0, 45.0]]],
        [[[5.0, 46.0], [5.1, 46.0], [5.1, 46.1], [5.0, 46.0]]],
    ],
}


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def chart(areas=()):
    return render(
        (45.75, 4.85), "Lyon", [], list(areas), title="Carte d’essai", description="d", frame=frame_at(45.75, 4.85)
    )


# --- the route link -------------------------------------------------------------------------------------


def test_the_route_link_puts_the_coordinates_in_the_template_with_six_decimals():
    assert route_url(OSM, 45.7532501, 4.8694712) == (
        "https://www.openstreetmap.org/directions?route=%3B45.753250%2C4.869471"
    )
    assert route_url("geo:{lat},{lon}", -21.1151, 55.5364) == "geo:-21.115100,55.536400"


def test_the_route_link_never_writes_a_locale_comma_or_an_exponent():
    with translation.override("fr"):
        assert route_url("geo:{lat},{lon}", 1e-7, 4.5) == "geo:0.000000,4.500000"


def test_no_route_link_without_a_template_or_without_a_valid_position():
    assert route_url("", 45.75, 4.85) == ""
    assert route_url(OSM, None, 4.85) == ""
    assert route_url(OSM, 45.75, None) == ""
    assert route_url(OSM, 0, 0) == ""  # coordinates left empty, as often
    assert route_url(OSM, 95.0, 4.85) == ""
    assert route_url(OSM, float("nan"), 4.85) == ""


def test_the_route_link_replaces_every_placeholder_and_only_those():
    template = "https://routes.example.org/?to={lat},{lon}&centre={lat}/{lon}&q={name}"
    assert route_url(template, 45.5, 4.25) == (
        "https://routes.example.org/?to=45.500000,4.250000&centre=45.500000/4.250000&q={name}"
    )


# --- the tile origin for the Content-Security-Policy ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("", ""),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?key=abc", "https://tiles.example.org:8443"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tile-{s}.example.org/{z}/{x}/{y}.png", ""),  # a placeholder inside the host name: no tiles
        ("https://t.example;script-src *;x/{z}/{x}/{y}.png", ""),  # a policy in the host: never copied
        ("https://a.example, https://b.example/{z}/{x}/{y}.png", ""),
        ("https://user@t.example/{z}/{x}/{y}.png", ""),
        ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
    ],
)
def test_the_csp_allows_the_tile_servers_origin_only(url, origin):
    assert tile_origin(url) == origin


# --- the interactive map's data -----------------------------------------------------------------------------


def test_without_a_tile_server_the_data_has_no_tile_layer():
    data = interactive_data(chart(), [])
    assert data["tiles"] is None
    assert data["label"] == "Carte d’essai (carte interactive)"


def test_with_a_tile_server_the_data_carries_its_url_and_its_credit():
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    data = interactive_data(chart(), [], tile_url=url, tile_attribution="© Exemple")
    assert data["tiles"] == {"url": url, "attribution": "© Exemple"}


def test_markers_keep_their_position_name_link_and_note():
    marker = Marker("3", "Épicerie <solidaire>", 45.75, 4.85, "Lieu 3 : Épicerie", "#resultat-3", "1 rue", True)
    data = interactive_data(chart(), [marker], home=(45.76, 4.84), home_name="Lyon 3e")
    assert data["markers"] == [
        {
            "pin": "3",
            "name": "Épicerie <solidaire>",
            "lat": 45.75,
            "lon": 4.85,
            "label": "Lieu 3 : Épicerie",
            "href": "#resultat-3",
            "note": "1 rue",
            "check": True,
        }
    ]
    assert data["home"] == {"lat": 45.76, "lon": 4.84, "name": "Lyon 3e"}
    assert data["cluster"] is True
    json.dumps(data)  # plain data, for json_script


def test_outlines_are_given_as_latitude_longitude_rings_rounded_to_about_a_metre():
    areas = [
        MapArea("69383", "Lyon 3e", {"type": "Polygon", "coordinates": [[[4.8512345678, 45.7612345678]] * 4]}, True),
        MapArea("69266", "Villeurbanne", TWO_ISLANDS),
        MapArea("00000", "Sans contour", {"type": "Point", "coordinates": [4.8, 45.7]}),
    ]
    data = interactive_data(chart(areas), [])
    home, islands = data["areas"]
    assert home == {"name": "Lyon 3e", "home": True, "rings": [[[45.76123, 4.85123]] * 4]}
    assert [ring[0] for ring in islands["rings"]] == [[45.0, 4.0], [46.0, 5.0]]  # one ring per island
    assert len(data["areas"]) == 2  # a point has no outline


def test_every_text_the_map_shows_is_translated():
    with translation.override("en"):
        data = interactive_data(chart(), [])
    assert data["text"]["see_in_list"] == "Show in the list"
    assert data["text"]["cluster"] == "%(count)s places here: press to zoom in"
    assert "%(count)s" in data["text"]["cluster_face"]
    assert all(value for value in data["text"].values())


def test_the_map_of_one_place_is_centred_on_it():
    frame = frame_at(45.75, 4.85)
    x, y = world_xy(45.75, 4.85, frame.zoom)
    assert (x - frame.left, y - frame.top) == pytest.approx((WIDTH / 2, frame.height / 2))
    assert isinstance(frame, Frame)
