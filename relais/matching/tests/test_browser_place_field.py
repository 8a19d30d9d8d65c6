"""The place field in a real browser: "near me" asks only on a press and sends rounded coordinates; commune
names are suggested while typing; both are absent from the page's behaviour without permission or script."""

import re

import pytest
from playwright.sync_api import expect

from relais.matching import runtime

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_index(offer):
    runtime.reset()  # the index is built from this test's database
    yield offer
    runtime.reset()


def test_near_me_sends_coordinates_rounded_to_about_100_m_and_the_results_follow(context, page, fresh_index):
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 45.760312, "longitude": 4.859187})
    page.goto("/trouver-de-l-aide/?besoin=manger")
    button = page.get_by_role("button", name="Autour de moi")
    assert button.is_visible()
    button.click()
    page.wait_for_url(re.compile(r"lieu=45\.760%2C\+4\.859"))
    assert "Lyon 3e Arrondissement" in page.locator("h1").inner_text()


def test_without_permission_near_me_says_so_and_the_field_stays_empty(context, page, fresh_index):
    context.clear_permissions()
    page.goto("/recherche/")
    page.locator("details.coordinates summary").click()  # on the professional form, with the GPS coordinates
    page.get_by_role("button", name="Autour de moi").click()
    status = page.locator("#id_lieu-status")
    status.filter(has_text="Position non disponible").wait_for()
    assert page.locator("#id_lieu").input_value() == ""


def test_typing_a_commune_puts_the_servers_suggestions_first_and_keeps_the_covered_communes(page, fresh_index):
    page.goto("/recherche/")
    options = page.locator("#id_lieu-communes option")
    served = options.count()
    assert served > 100  # written by the server: there without any typing, and without JavaScript
    page.locator("#id_lieu").press_sequentially("villeurb", delay=20)
    expect(options.first).to_have_attribute("value", "Villeurbanne (69266)", timeout=5000)
    values = options.evaluate_all("(os) => os.map((o) => o.value)")
    assert len(values) == len(set(values)) >= served  # the covered communes stay, once each


def test_without_javascript_the_datalist_lists_the_covered_communes(browser, live_server, fresh_index):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/trouver-de-l-aide/?besoin=manger")
        assert page.locator("#id_lieu").get_attribute("list") == "id_lieu-communes"
        assert page.locator('#id_lieu-communes option[value="Villeurbanne (69266)"]').count() == 1
    finally:
        context.close()
