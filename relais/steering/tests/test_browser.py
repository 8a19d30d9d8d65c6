"""The steering pages in a real browser, in French and English: axe-core WCAG 2.1 A/AA, 320 px wide, skip link.

.venv/bin/python -m pytest relais/steering/tests/test_browser.py -m browser -p no:xdist
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation

from relais.steering.models import Campaign
from relais.steering.tests.world import build_plan_world
from tests.browser.test_pages import widest_elements
from tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Page:
    name: str
    url: object
    as_user: str | None = None

    def __str__(self):
        return self.name


def _plan(name, *args):
    return lambda w: reverse(f"steering:{name}", args=[w.plan.slug, *args])


PAGES = [
    Page("plans-publics", lambda w: reverse("steering:public_plans")),
    Page("plan-public", _plan("public_plan")),
    Page("plan-public-filtre", lambda w: reverse("steering:public_plan", args=[w.plan.slug]) + "?axe=1&statut=none"),
    Page("action-publique", _plan("public_action", "A1")),
    Page("service-actions", lambda w: reverse("steering:service_actions", args=[w.service.id])),
    Page("tableau-de-bord", _plan("dashboard"), "admin"),
    Page("action", _plan("action", "A1"), "pilot"),
    Page("territoire", lambda w: reverse("steering:territory", args=[w.plan.slug, w.north.slug]), "editor_north"),
    Page(
        "declinaison",
        lambda w: reverse("steering:declination", args=[w.plan.slug, "A2", w.north.slug]),
        "editor_north",
    ),
    Page("historique", _plan("history"), "admin"),
    Page("indicateurs", _plan("indicators"), "reader"),
    Page("campagnes", _plan("campaigns"), "admin"),
    Page("campagne", lambda w: reverse("steering:campaign", args=[w.plan.slug, w.campaign.pk]), "admin"),
    Page("fichiers", _plan("files"), "admin"),
    Page("mes-actions", lambda w: reverse("steering:my_actions"), "pilot"),
]


@pytest.fixture
def world():
    world = build_plan_world()
    world.service = make_service(nom="Permanence logement")
    world.a1.services.add(world.service)
    world.campaign = Campaign.objects.create(plan=world.plan, title="Point d’étape", due_on="2099-03-15")
    world.campaign.requests.create(action=world.a1)
    square = {"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.8], [4.8, 45.7]]]}
    world.north.communes.update(contour=square)
    return world


@pytest.fixture
def visit(page, world, log_in):
    def _visit(target: Page, language: str):
        if target.as_user:
            log_in(getattr(world, target.as_user))
        with translation.override(language):
            url = target.url(world)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        assert page.locator("html").get_attribute("lang") == language
        assert not page.csp_errors, f"{url}: Content-Security-Policy violations: {page.csp_errors}"
        return page

    return _visit


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("target", PAGES, ids=str)
def test_steering_page_passes_axe_at_320_px(visit, page, assert_accessible, target, language):
    page.set_viewport_size({"width": 320, "height": 640})
    visit(target, language)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"{page.url} is {scroll_width} px wide at 320 px: {widest_elements(page)}"
    assert_accessible(page)


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_first_tab_reaches_the_skip_link_on_steering_pages(visit, page, target):
    visit(target, "fr")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"], f"first Tab focused {focused} on {page.url}"


def test_a_pilot_updates_an_action_with_the_keyboard_only(visit, page, world):
    visit(Page("action", _plan("action", "A1"), "pilot"), "fr")
    page.focus("#id_status")
    page.select_option("#id_status", "done")
    page.fill("#id_note", "Livré (clavier).")
    page.focus("#id_note")
    page.keyboard.press("Tab")  # the "publish" box
    page.keyboard.press("Tab")  # the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text("Action mise à jour.").is_visible()
    world.a1.refresh_from_db()
    assert world.a1.status == "done"
