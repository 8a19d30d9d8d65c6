"""The issue's « done when », in a real browser: a partner account edits its service, the change is
public at once, and a moderator of the territory sees it (field, old and new value, who) and approves it.

Every page on the way passes axe-core (WCAG 2.1 A/AA) and raises no Content-Security-Policy error.
"""

import re

import pytest

from relais.accounts.models import Membership
from relais.offer.models import Change
from tests.factories import make_commune, make_member, make_moderator, make_service, make_structure, make_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, assert_accessible):
    assert_accessible(page)
    assert page.csp_errors == []


def test_a_partner_edits_its_service_and_a_moderator_sees_and_approves_the_change(page, log_in, assert_accessible):
    lyon3 = make_commune("69383")
    structure = make_structure(nom="Centre social Les Tilleuls", commune_obj=lyon3)
    service = make_service(structure, nom="Aide aux démarches", telephone="04 78 00 00 01", capacity="accepting")
    partner = make_member(structure, role=Membership.Role.ADMIN)
    moderator = make_moderator(make_territory("Lyon Centre", communes=[lyon3]))

    # 1. The partner opens its dashboard, its structure, then the service's form, and changes the phone and the places.
    log_in(partner)
    page.goto("/offre/partenaire/")
    page.get_by_role("link", name="Centre social Les Tilleuls").click()
    check(page, assert_accessible)
    page.get_by_role("link", name="Modifier Aide aux démarches").click()
    check(page, assert_accessible)
    page.get_by_label(re.compile(r"^Téléphone")).fill("04 78 99 99 99")
    page.get_by_label("liste d’attente").check()  # the « places » radio buttons
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    assert page.get_by_text("Modifications enregistrées et publiées").is_visible()
    check(page, assert_accessible)

    # 2. The public fiche shows the new values at once (post-moderation).
    page.goto(f"/offre/services/{service.pk}/")
    assert page.get_by_text("04 78 99 99 99").first.is_visible()
    assert page.get_by_text(re.compile("Places : liste d’attente")).is_visible()

    # 3. The territory's moderator sees the change: the service, each field with its old and new value, who.
    log_in(moderator)
    page.goto("/offre/moderation/")
    check(page, assert_accessible)
    item = page.locator("article.moderation-item").filter(has_text="Aide aux démarches")
    assert item.count() == 1
    rows = item.locator("table.diff-table tbody tr").all_inner_texts()
    assert any(re.search(r"Téléphone\s+04 78 00 00 01\s+04 78 99 99 99", row) for row in rows), rows
    assert any(re.search(r"Places\s+accueille de nouvelles personnes\s+liste d’attente", row) for row in rows), rows
    assert str(partner) in item.inner_text()

    # 4. The moderator approves it: it leaves the queue and the history says who reviewed it.
    item.get_by_role("button", name=re.compile("^Valider")).click()
    assert page.get_by_text("Modification validée.").is_visible()
    assert page.locator("article.moderation-item").filter(has_text="Aide aux démarches").count() == 0
    check(page, assert_accessible)
    change = Change.objects.get(service=service, actor=partner)
    assert (change.review, change.reviewed_by) == (Change.Review.APPROVED, moderator)
    assert change.diff["telephone"] == ["04 78 00 00 01", "04 78 99 99 99"]

    page.goto(f"/offre/historique/services/{service.pk}/")
    assert page.get_by_text(re.compile(r"Relecture : validé")).first.is_visible()
    check(page, assert_accessible)


def test_a_partner_types_hours_in_french_at_320_px_and_the_moderator_reads_them_in_words(
    page, log_in, assert_accessible
):
    lyon3 = make_commune("69383")
    structure = make_structure(nom="Épicerie des Pentes", commune_obj=lyon3)
    service = make_service(structure, nom="Colis alimentaires", horaires_accueil="Mo-Fr 09:00-12:00")
    partner = make_member(structure, role=Membership.Role.ADMIN)
    moderator = make_moderator(make_territory("Lyon Centre", communes=[lyon3]))

    log_in(partner)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/offre/partenaire/services/{service.pk}/modifier/")
    check(page, assert_accessible)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # the grid fits a phone
    page.get_by_label("Horaires en toutes lettres").fill("lundi et mardi 9h-12h ; fermé les jours fériés")
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    assert page.get_by_text("Modifications enregistrées et publiées").is_visible()
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo,Tu 09:00-12:00; PH off"

    log_in(moderator)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/offre/moderation/")
    item = page.locator("article.moderation-item").filter(has_text="Colis alimentaires")
    text = item.inner_text()
    assert "Du lundi au vendredi : 9 h – 12 h" in text
    assert "Lundi et mardi : 9 h – 12 h ; fermé les jours fériés" in text
    check(page, assert_accessible)
