"""The interactive map in a real browser (docs/adr/0018-interactive-map.md): with script, the vendored Leaflet
replaces the SVG on screen, clusters close places, links each place to its entry in the list and back;
keyboard only works; axe passes; no tile is asked for unless a tile server is set; without script the SVG
stays and the « Voir sur la carte » buttons stay hidden."""

import re

import pytest
from playwright.sync_api import expect

from relais.matching import runtime
from relais.matching.tests.pages import offer, wednesday  # noqa: F401 -- the small offer of the page tests
from tests.factories import make_service, make_structure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "/recherche/?lieu=69383&besoins=manger"
RESIDENT = "/trouver-de-l-aide/?besoin=manger&lieu=69383"


@pytest.fixture
def fresh_index(offer):  # noqa: F811 -- the fixture imported above
    runtime.reset()  # the index is built from this test's database
    yield offer
    runtime.reset()


@pytest.fixture
def asked(page):
    """Every address the page asked for."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_with_script_the_interactive_map_replaces_the_drawing_and_clusters_the_places_of_one_building(
    page, fresh_index, asked, live_server, assert_accessible
):
    page.goto(SEARCH)
    region = page.get_by_role("region", name="Carte des résultats autour de Lyon 3e Arrondissement (carte interactive)")
    expect(region).to_be_visible()
    expect(page.locator("#carte svg.results-map")).to_be_hidden()  # on screen; it stays in the page for print
    # the seven services of the Centre social share its address: one cluster that says how many
    cluster = page.get_by_role("button", name="7 lieux ici : appuyer pour zoomer")
    expect(cluster).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Lieu \d+ : Repas du midi$"))).to_be_visible()
    assert page.locator(".leaflet-tile").count() == 0  # no tile server set: no tile, no request outside
    assert all(url.startswith(live_server.url) for url in asked), [u for u in asked if live_server.url not in u]
    assert not page.csp_errors
    assert_accessible(page)


def test_clicking_a_places_link_in_its_popup_moves_the_focus_to_its_entry_in_the_list(page, fresh_index):
    page.goto(SEARCH)
    page.get_by_role("button", name=re.compile(r"^Lieu \d+ : Repas du midi$")).click()
    link = page.get_by_role("link", name="Voir dans la liste : Repas du midi")
    expect(link).to_be_visible()
    anchor = link.get_attribute("href")
    link.click()
    entry = page.locator("li.result", has=page.get_by_role("link", name="Repas du midi", exact=True))
    expect(entry).to_be_focused()
    assert page.url.endswith(anchor) and entry.get_attribute("id") == anchor[1:]


def test_voir_sur_la_carte_opens_the_places_popup_even_out_of_a_cluster(page, fresh_index, assert_accessible):
    page.goto(SEARCH)
    page.get_by_role("button", name="Voir sur la carte : Épicerie solidaire des Tilleuls").click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Épicerie solidaire des Tilleuls")
    expect(popup.locator(".map-popup-name")).to_be_focused()
    expect(popup.get_by_role("button", name="Fermer la bulle")).to_be_visible()  # Leaflet's own label, translated
    expect(popup).to_have_css("opacity", "1")  # axe measures contrast: not during Leaflet's fade-in
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Lieu \d+ : Épicerie solidaire des Tilleuls$"))).to_be_focused()


def test_the_map_works_with_the_keyboard_alone(page, fresh_index):
    page.goto(SEARCH)
    cluster = page.get_by_role("button", name="7 lieux ici : appuyer pour zoomer")
    cluster.focus()
    page.keyboard.press("Enter")  # the cluster opens; the focus goes to the first of its places
    first = page.get_by_role("button", name="Lieu 1 : ", exact=False).first
    expect(first).to_be_focused()
    page.keyboard.press("Enter")  # its popup opens, with the focus in it
    expect(page.locator(".leaflet-popup .map-popup-name")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".leaflet-popup .map-popup-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#resultat-1")).to_be_focused()


def test_the_residents_map_is_built_when_opened_and_voir_sur_la_carte_opens_it(page, fresh_index, assert_accessible):
    page.goto(RESIDENT)
    assert page.locator(".map-interactive").count() == 0  # folded away: nothing built yet
    page.get_by_role("button", name="Voir sur la carte : Repas du midi").click()
    expect(page.locator("details.resident-map")).to_have_attribute("open", "")
    expect(page.locator(".leaflet-popup")).to_contain_text("Repas du midi")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # not during the fade-in
    assert_accessible(page)


def test_with_a_tile_server_tiles_are_asked_for_from_it(page, fresh_index, settings, live_server, asked):
    settings.RELAIS_TILE_URL = live_server.url + "/static/web/favicon.svg?z={z}&x={x}&y={y}"
    settings.RELAIS_TILE_ATTRIBUTION = "© Tuiles d’essai <b>"
    page.goto(SEARCH)
    expect(page.locator(".leaflet-tile").first).to_be_attached()
    assert any("/static/web/favicon.svg?z=" in url for url in asked)
    expect(page.locator(".leaflet-control-attribution")).to_have_text("© Tuiles d’essai <b>")  # text, not markup
    assert not page.csp_errors


def test_the_service_fiche_shows_its_place_and_a_route_link(page, db, assert_accessible):
    service = make_service(
        make_structure(nom="Centre social"), nom="Épicerie solidaire", latitude=45.75, longitude=4.85
    )
    page.goto(f"/offre/services/{service.pk}/")
    marker = page.get_by_role("button", name="Lieu d’accueil : Épicerie solidaire")
    expect(marker).to_be_visible()
    marker.click()
    expect(page.locator(".leaflet-popup")).to_contain_text("1 rue de la Paix")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # axe measures contrast after the fade-in
    route = page.get_by_role("link", name="Itinéraire vers Épicerie solidaire")
    assert "45.750000%2C4.850000" in route.get_attribute("href")
    assert not page.csp_errors
    assert_accessible(page)


def test_without_script_the_drawing_stays_and_the_map_buttons_stay_hidden(browser, live_server, fresh_index):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(SEARCH)
        expect(page.locator("#carte svg.results-map")).to_be_visible()
        assert page.locator(".map-interactive").count() == 0
        expect(page.locator("button.map-show").first).to_be_hidden()
        assert page.locator("button.map-show").count() == 9
    finally:
        context.close()
