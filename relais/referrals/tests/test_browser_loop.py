"""The full loop in a real browser: send from a service fiche, answer by the e-mailed link, record the outcome.

Every page on the way passes axe-core (WCAG 2.1 A/AA) and raises no Content-Security-Policy error.
"""

import re

import pytest
from django.core import mail
from django.db import connection

from relais.referrals import dbguard
from relais.referrals.models import Referral, Status
from tests.factories import make_member, make_service, make_structure, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erase_access_log(live_server):
    """The access log refuses deletes, including the test runner's flush on SQLite: empty it first."""
    yield
    dbguard.erase_for_tests(connection)


@pytest.fixture
def loop_world(settings, live_server, tmp_path, erase_access_log):
    settings.RELAIS_SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path
    sending = make_structure(nom="Maison de la Métropole test")
    receiving = make_structure(nom="Accueil Solidaire test", courriel="accueil@recoit.example.org")
    service = make_service(receiving, nom="Accompagnement budget test")
    professional = make_member(sending, user=make_user(email="pro@example.org"))
    receiver = make_member(receiving, user=make_user(email="membre@recoit.example.org"))
    return service, professional, receiver


def check(page, assert_accessible):
    assert_accessible(page)
    assert page.csp_errors == []


def test_a_referral_goes_round_the_loop_in_the_browser(page, context, browser, log_in, assert_accessible, loop_world):
    service, professional, receiver = loop_world
    log_in(professional)

    # 1. From the service fiche to the form, filled with the keyboard and the mouse.
    page.goto(f"/offre/services/{service.pk}/")
    page.get_by_role("link", name="Orienter une personne vers ce service").click()
    check(page, assert_accessible)
    page.get_by_label("Prénom").fill("Amandine")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Zéphyrin")
    page.get_by_label("par courriel").check()
    page.get_by_label("Courriel de la personne").fill("amandine@example.org")
    page.get_by_label("Disponibilités").fill("le matin")
    page.get_by_label("Situation").select_option("housing")
    page.get_by_label("Motif de l’orientation").fill("Cherche un accompagnement budgétaire.")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Continuer : accord de la personne").click()

    # 2. The consent step.
    page.get_by_role("heading", name="Accord de la personne").wait_for()
    check(page, assert_accessible)
    page.get_by_label("La personne est informée et d’accord.").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer l’orientation").click()
    page.get_by_text("L’orientation est envoyée").wait_for()
    check(page, assert_accessible)
    referral = Referral.objects.get()
    assert referral.status == Status.SENT

    # 3. The structure answers from the link in its e-mail, without an account.
    message = next(m for m in mail.outbox if m.to == ["accueil@recoit.example.org"])
    link = re.search(r"(http://\S+/orientations/lien/\S+/)", message.body).group(1)
    anonymous = browser.new_context(base_url=context.pages[0].url.split("/orientations")[0])
    visitor = anonymous.new_page()
    visitor.csp_errors = []
    visitor.goto(link)
    visitor.get_by_text("Amandine").first.wait_for()
    check(visitor, assert_accessible)
    visitor.get_by_label("Accepter l’orientation").check()
    visitor.get_by_role("button", name="Envoyer la réponse").click()
    visitor.get_by_role("heading", name="Réponse enregistrée").wait_for()
    check(visitor, assert_accessible)
    visitor.goto(link)
    assert "déjà servi" in visitor.content()
    anonymous.close()

    # 4. The professional sees the answer and records the outcome.
    page.reload()
    assert "acceptée" in page.content()
    page.get_by_label("Issue de l’orientation").select_option("got_help")
    page.get_by_role("button", name="Enregistrer l’issue").click()
    page.get_by_text("L’issue est enregistrée.").wait_for()
    check(page, assert_accessible)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, "got_help")

    # 5. The receiving member's inbox and the professional's list are accessible too.
    page.goto("/orientations/envoyees/")
    check(page, assert_accessible)
    log_in(receiver)
    page.goto("/orientations/recues/")
    assert "Zéphyrin" in page.content()
    check(page, assert_accessible)
