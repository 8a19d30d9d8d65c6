"""« Signaler une erreur » in a real browser: from the fiche's link to the confirmation, then a member marks the
report fixed from the partner space. Every page passes axe-core (WCAG 2.1 A/AA), raises no Content-Security-Policy
error, works with the keyboard and at 320 px; the trap field is neither seen nor reached with the Tab key."""

import re

import pytest
from django.core.cache import cache

from relais.accounts.models import Membership
from relais.offer.models import ErrorReport
from tests.factories import make_commune, make_member, make_moderator, make_service, make_structure, make_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def check(page, assert_accessible):
    assert_accessible(page)
    assert page.csp_errors == []


def test_a_visitor_reports_an_error_from_the_fiche_and_a_member_marks_it_fixed(page, log_in, assert_accessible):
    lyon3 = make_commune("69383")
    structure = make_structure(nom="Centre social Les Tilleuls", commune_obj=lyon3)
    service = make_service(structure, nom="Aide aux démarches", telephone="04 78 00 00 01")
    member = make_member(structure, role=Membership.Role.ADMIN)
    make_moderator(make_territory("Lyon Centre", communes=[lyon3]))

    # 1. The fiche links to the form; the form passes axe, with and without errors.
    page.goto(f"/offre/services/{service.pk}/")
    check(page, assert_accessible)
    page.get_by_role("link", name="Signaler une erreur sur cette fiche").click()
    assert page.get_by_role("heading", name="Signaler une erreur sur « Aide aux démarches »").is_visible()
    check(page, assert_accessible)
    assert not page.get_by_label("Ne remplissez pas ce champ").is_visible()

    page.get_by_role("button", name="Envoyer le signalement").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Qu’est-ce qui est faux ? : Choisissez ce qui est faux." in summary.inner_text()
    check(page, assert_accessible)
    summary.get_by_role("link", name=re.compile("Qu’est-ce qui est faux")).click()
    assert page.evaluate("document.activeElement.id") == "id_kind_0"  # the summary leads to the field

    # 2. With the keyboard only: choose, type, send. The trap field is never reached.
    page.keyboard.press("ArrowDown")  # the radio group: from the first choice to « Horaires erronés »
    assert page.get_by_label("Horaires erronés").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_message"
    page.keyboard.type("Fermé le mercredi après-midi.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.keyboard.type("lea@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Envoyer le signalement"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/signaler/merci/$"))
    assert page.get_by_role("heading", name="Merci, votre signalement est envoyé").is_visible()
    check(page, assert_accessible)
    report = ErrorReport.objects.get()
    assert (report.kind, report.message, report.reporter_email) == (
        "hours",
        "Fermé le mercredi après-midi.",
        "lea@example.org",
    )

    # 3. A member of the structure reads it in the partner space and marks it fixed, with a note.
    log_in(member)
    page.goto(f"/offre/partenaire/structures/{structure.pk}/")
    item = page.locator("article.error-report")
    assert "Fermé le mercredi après-midi." in item.inner_text()
    check(page, assert_accessible)
    item.get_by_label("Réponse (facultatif)").fill("Horaires corrigés.")
    item.get_by_role("button", name=re.compile("^Marquer corrigé")).click()
    assert page.get_by_text("Signalement sur « Aide aux démarches » marqué corrigé.").is_visible()
    assert page.locator("article.error-report").count() == 0
    check(page, assert_accessible)
    report.refresh_from_db()
    assert (report.status, report.handled_by, report.reporter_email) == ("fixed", member, "")

    page.goto("/offre/signalements/?etat=traites")
    assert "Horaires corrigés." in page.locator("article.error-report").inner_text()
    check(page, assert_accessible)


def test_the_report_form_works_at_320_px_from_a_structure_fiche(page, assert_accessible):
    structure = make_structure(nom="Épicerie des Pentes")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/offre/structures/{structure.pk}/")
    page.get_by_role("link", name="Signaler une erreur sur cette fiche").click()
    check(page, assert_accessible)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Autre erreur").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert "Précisions : Dites ce qui est faux" in page.locator(".error-summary").inner_text()
    check(page, assert_accessible)
    page.get_by_label("Précisions").fill("Le lieu a déménagé.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.get_by_role("heading", name="Merci, votre signalement est envoyé").is_visible()
    assert ErrorReport.objects.get().structure == structure
