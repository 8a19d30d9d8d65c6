"""At 320 × 640 (a small phone), what matters is in the first screen, right below a compact header: the
need and the place fields, and the first result or the emergency numbers (issue 10, "Phones")."""

import pytest

from relais.matching import runtime
from tests.factories import make_commune, make_service, make_structure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = 640


@pytest.fixture
def lyon(settings):
    settings.RELAIS_DEMO = True  # the demo banner is the worst case for the header's height
    lyon3 = make_commune("69383")
    make_service(
        make_structure(nom="Épicerie solidaire (test)", commune_obj=lyon3),
        thematiques=["equipement-et-alimentation--alimentation"],
    )
    runtime.reset()


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 320, "height": SCREEN})
    return page


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box["y"] + box["height"]


def test_the_header_is_compact_at_320_px(phone, lyon):
    phone.goto("/trouver-de-l-aide/")
    assert bottom(phone, "header.site-header") < 200  # was 425 with the demo banner
    assert phone.locator("main h1").bounding_box()["y"] < 240  # the title starts in the top third (was 480)


def test_the_need_field_and_the_emergency_numbers_title_are_in_the_first_screen(phone, lyon):
    phone.goto("/trouver-de-l-aide/")
    assert bottom(phone, "#id_mots") < SCREEN
    assert bottom(phone, "#urgent-title") < SCREEN * 2  # one swipe, not four: the buttons come first


def test_the_place_field_and_its_button_are_in_the_first_screen(phone, lyon):
    phone.goto("/trouver-de-l-aide/?besoin=manger")
    assert bottom(phone, "#id_lieu") < SCREEN
    assert bottom(phone, "main form button[type=submit]") < SCREEN


def test_the_first_result_starts_in_the_first_screen(phone, lyon):
    phone.goto("/trouver-de-l-aide/?besoin=manger&lieu=69383")
    box = phone.locator("ol.results > li").first.bounding_box()
    assert box is not None and box["y"] < SCREEN


def test_the_emergency_numbers_of_an_urgent_need_are_in_the_first_screen(phone, lyon):
    phone.goto("/trouver-de-l-aide/?mots=je+dors+dans+la+rue&lieu=69383")
    assert bottom(phone, "a[href='tel:115']") < SCREEN


def test_the_professional_form_shows_need_and_place_first_and_its_button_soon(phone, lyon):
    phone.goto("/recherche/")
    assert bottom(phone, "#id_lieu") < SCREEN
    assert bottom(phone, "#id_besoins") < SCREEN * 1.5
    button = phone.locator("form button[type=submit]", has_text="Rechercher").first.bounding_box()
    assert button is not None and button["y"] < SCREEN * 2.5
