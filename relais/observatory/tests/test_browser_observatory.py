"""In a real browser, with the real referential and the shipped Insee data: the poverty-rate map of the
Métropole de Lyon (secret communes hatched), a comparison, a portrait; axe WCAG 2.1 AA, 320 px, keyboard,
in French and in English."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URLS = [
    ("observatory:indicator", ["taux_pauvrete"], "?territoire=epci:200046977"),
    ("observatory:indicator", ["population"], "?territoire=commune:69259"),
    ("observatory:portrait", ["epci", "200046977"], ""),
    ("observatory:portrait", ["commune", "69259"], ""),
]


@pytest.fixture
def real_data():
    call_command("load_territories", stdout=io.StringIO())
    call_command("load_observatory", stdout=io.StringIO())


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "args", "query"), URLS)
def test_observatory_pages_with_real_data_pass_axe_and_fit_320_px(
    page, assert_accessible, real_data, name, args, query, language
):
    with translation.override(language):
        url = reverse(name, args=args) + query
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_the_poverty_map_hatches_the_secret_communes(page, real_data):
    page.goto(reverse("observatory:indicator", args=["taux_pauvrete"]) + "?territoire=epci:200046977")
    assert page.locator('svg.choropleth g[fill="url(#hatch-secret)"] path').count() == 14  # the source note's count
    assert page.get_by_role("img", name="Taux de pauvreté : carte de Métropole de Lyon").count() == 1
