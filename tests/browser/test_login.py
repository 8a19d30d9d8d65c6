"""Logging in with the keyboard only, through the real form."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories import make_member, make_structure, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_with_keyboard(page, email, password):
    page.goto(reverse("accounts:login"))
    page.get_by_label("Adresse électronique").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_partner_logs_in_with_the_keyboard_and_is_asked_the_second_factor_before_the_dashboard(
    page, assert_accessible
):
    structure = make_structure(nom="Épicerie solidaire La Ruche")
    make_member(structure, user=make_user("paula@example.org", password="un-mot-de-passe-solide"))
    fill_with_keyboard(page, "paula@example.org", "un-mot-de-passe-solide")
    # The partner space names members and requests: personal data wait for the second factor (ADR 0006).
    path, _, query = page.url.partition("?")
    assert path.endswith(reverse("accounts:second_factor_setup"))
    assert "next=" + quote(reverse("offer:partner_dashboard"), safe="") in query
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert_accessible(page)


def test_a_wrong_password_is_announced_and_the_page_stays_accessible(page, assert_accessible):
    make_user("paula@example.org", password="un-mot-de-passe-solide")
    fill_with_keyboard(page, "paula@example.org", "pas-le-bon-mot-de-passe")
    assert page.url.endswith(reverse("accounts:login"))
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)
