"""The map and the route link of a service fiche: the service's place, its structure's when it has none
(and the fiche says so), or the address alone; the route planner's link only when a template is set."""

import json
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from relais.offer.fiche_map import fiche_map
from relais.offer.position import Position, position_of, takes_structure_position
from tests.factories import make_service, make_structure

pytestmark = pytest.mark.django_db

OSM = "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"


@pytest.fixture(autouse=True)
def _french_and_default_route(settings):
    settings.RELAIS_ROUTE_URL = OSM
    settings.RELAIS_TILE_URL = ""
    with translation.override("fr"):
        yield


def fiche(client, service) -> str:
    response = client.get(reverse("offer:service", args=[service.pk]))
    assert response.status_code == 200
    return response.content.decode()


def fiche_data(html: str) -> dict:
    found = re.search(r'<script id="carte-lieu-donnees" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the fiche carries the interactive map's data"
    return json.loads(found.group(1))


def route_link(html: str) -> str:
    found = re.search(r'<a class="button secondary" href="([^"]*)" rel="noopener noreferrer">Itinéraire', html)
    return unescape(found.group(1)) if found else ""


# --- the one rule: the service's own position, or its structure's ----------------------------------------


def place(lat=None, lon=None, adresse=""):
    return SimpleNamespace(latitude=lat, longitude=lon, adresse=adresse)


def test_a_service_with_coordinates_is_where_they_say():
    assert position_of(place(45.1, 4.1), place(45.9, 4.9)) == Position(45.1, 4.1)


def test_a_service_without_a_place_of_its_own_is_at_its_structure():
    assert position_of(place(), place(45.9, 4.9, "1 rue")) == Position(45.9, 4.9, of_structure=True)
    assert position_of(place(adresse=" 1 rue "), place(45.9, 4.9, "1 rue")).of_structure  # the same address


def test_a_service_with_an_address_of_its_own_but_no_coordinates_has_no_known_position():
    assert position_of(place(adresse="12 rue Ailleurs"), place(45.9, 4.9, "1 rue")) is None
    assert not takes_structure_position(None, None, "12 rue Ailleurs", 45.9, 4.9, "1 rue")


def test_without_coordinates_anywhere_there_is_no_position():
    assert position_of(place(), place()) is None
    assert position_of(place(45.1, None), place(None, 4.9)) is None


# --- the fiche ----------------------------------------------------------------------------------------------


def test_the_fiche_shows_the_services_place_on_a_map_with_a_route_link(client):
    service = make_service(make_structure(), latitude=45.7532501, longitude=4.8694712, nom="Épicerie solidaire")
    html = fiche(client, service)
    assert '<figure class="results-map-figure" id="carte-lieu" data-map="carte-lieu-donnees">' in html
    assert 'role="img"' in html and "Carte du lieu d’accueil : Épicerie solidaire" in html  # the SVG, no script
    assert "Position du lieu d’accueil." in html
    data = fiche_data(html)
    assert data["markers"] == [
        {
            "pin": "",
            "name": "Épicerie solidaire",
            "lat": 45.7532501,
            "lon": 4.8694712,
            "label": "Lieu d’accueil : Épicerie solidaire",
            "href": "",
            "note": "1 rue de la Paix, 69003 Lyon 3e Arrondissement",
            "check": False,
        }
    ]
    assert data["cluster"] is False and data["tiles"] is None
    assert route_link(html) == "https://www.openstreetmap.org/directions?route=%3B45.753250%2C4.869471"
    assert '<script src="/static/web/map.js" defer></script>' in html


def test_a_service_without_its_own_position_shows_its_structures_and_says_so(client):
    structure = make_structure(nom="Centre social", latitude=45.76, longitude=4.85)
    service = make_service(structure, latitude=None, longitude=None, adresse="")
    html = fiche(client, service)
    assert "Position de la structure : le service n’indique pas la sienne." in html
    marker = fiche_data(html)["markers"][0]
    assert (marker["lat"], marker["lon"], marker["note"]) == (45.76, 4.85, "position de la structure")
    assert route_link(html) == "https://www.openstreetmap.org/directions?route=%3B45.760000%2C4.850000"


def test_without_any_position_the_fiche_gives_the_address_alone_with_no_map_and_no_link(client):
    structure = make_structure(latitude=None, longitude=None)
    service = make_service(structure, latitude=None, longitude=None, adresse="12 rue Ailleurs")
    html = fiche(client, service)
    assert "Pas de position connue pour ce lieu : seule l’adresse est indiquée, sans carte ni itinéraire." in html
    assert "12 rue Ailleurs" in html
    assert "carte-lieu" not in html and "Itinéraire" not in html and "leaflet" not in html


def test_the_route_link_follows_the_setting_and_disappears_when_it_is_empty(client, settings):
    service = make_service(make_structure(), latitude=45.75, longitude=4.85)
    settings.RELAIS_ROUTE_URL = "geo:{lat},{lon}"
    assert route_link(fiche(client, service)) == "geo:45.750000,4.850000"
    settings.RELAIS_ROUTE_URL = "https://itineraires.example.org/?from=&to={lat},{lon}&mode=tc"
    html = fiche(client, service)
    assert 'href="https://itineraires.example.org/?from=&amp;to=45.750000,4.850000&amp;mode=tc"' in html  # escaped
    settings.RELAIS_ROUTE_URL = ""
    html = fiche(client, service)
    assert "Itinéraire" not in html and "carte-lieu" in html  # the map stays


def test_with_a_tile_server_the_fiches_map_names_it_and_credits_it(client, settings):
    settings.RELAIS_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.RELAIS_TILE_ATTRIBUTION = "© Exemple"
    html = fiche(client, make_service(make_structure(), latitude=45.75, longitude=4.85))
    assert fiche_data(html)["tiles"] == {"url": settings.RELAIS_TILE_URL, "attribution": "© Exemple"}
    assert "Fond de carte : © Exemple" in html
    assert '<image href="https://tiles.example.org/14/' in html  # the SVG's tiles line up under the drawing


def test_the_fiche_map_is_built_without_a_request(db):
    service = make_service(make_structure(), latitude=45.75, longitude=4.85)
    result = fiche_map(service, route_template="geo:{lat},{lon}")
    assert result is not None and result.route == "geo:45.750000,4.850000"
    assert result.position == Position(45.75, 4.85)
    assert result.chart.title == f"Carte du lieu d’accueil : {service.nom}"


def test_the_fiche_map_is_left_out_of_the_printed_page(client):
    html = fiche(client, make_service(make_structure(), latitude=45.75, longitude=4.85))
    assert '<div class="place-map no-print">' in html
