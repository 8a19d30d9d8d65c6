"""In a real browser: the second factor from the password to the personal data, and the session warning.

1. A structure member logs in with their password, is sent to set up an authenticator, reads the
   secret on the page, types the code it gives, keeps the backup codes and reaches the inbox.
2. With a short idle time, the warning appears before the session ends, takes the focus, and its
   « Rester connecté » button starts the idle delay again.
Every page on the way passes axe-core and raises no Content-Security-Policy error.
"""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_member, make_structure, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-solide"


def check(page, assert_accessible):
    assert_accessible(page)
    assert page.csp_errors == []


def code_for(secret_text: str) -> str:
    """What an authenticator app shows for the secret as the page prints it (groups of four, base32)."""
    secret = secret_text.replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_a_member_sets_up_the_authenticator_then_reaches_the_personal_data(page, assert_accessible):
    member = make_member(make_structure(nom="Accueil Solidaire"), user=make_user("marc@example.org", password=PASSWORD))

    page.goto(reverse("accounts:login") + "?next=" + reverse("referrals:inbox"))
    page.get_by_label("Adresse électronique").fill("marc@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # The inbox shows personal data: first the enrolment, with the QR code and the secret as text.
    page.get_by_role("heading", name="Activer la double authentification").wait_for()
    assert "next=" in page.url
    check(page, assert_accessible)
    assert page.get_by_role("img", name="QR code à scanner avec votre application d’authentification").is_visible()
    wrong = "000000" if code_for(page.locator("#secret-key").inner_text()) != "000000" else "111111"
    page.get_by_label("Code à 6 chiffres affiché par l’application").fill(wrong)
    page.get_by_role("button", name="Activer").click()
    assert page.get_by_role("alert").inner_text().count("Code incorrect") == 1
    check(page, assert_accessible)
    page.wait_for_timeout(1500)  # django-otp makes the device wait 1 s after a wrong code
    page.get_by_label("Code à 6 chiffres affiché par l’application").fill(
        code_for(page.locator("#secret-key").inner_text())
    )
    page.get_by_role("button", name="Activer").click()

    # The backup codes, shown once, then the page that was asked for.
    page.get_by_role("heading", name="Vos codes de secours").wait_for()
    check(page, assert_accessible)
    shown = page.locator(".backup-codes code").all_inner_texts()
    assert len(shown) == 10 and set(shown) == set(StaticToken.objects.values_list("token", flat=True))
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("link", name="J’ai noté mes codes, continuer").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Orientations reçues").wait_for()
    assert page.url.endswith(reverse("referrals:inbox"))
    assert TOTPDevice.objects.get(user=member).confirmed


def test_a_member_with_an_authenticator_enters_its_code_once_per_session(page, assert_accessible):
    from relais.accounts.second_factor import install_device

    member = make_member(make_structure(), user=make_user("lea@example.org", password=PASSWORD))
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    install_device(member, secret)
    page.goto(reverse("accounts:login") + "?next=" + reverse("referrals:sent"))
    page.get_by_label("Adresse électronique").fill("lea@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Code de vérification").wait_for()
    check(page, assert_accessible)
    page.get_by_label("Code de vérification").fill(code_for(secret))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Orientations envoyées").wait_for()
    page.goto(reverse("referrals:inbox"))  # verified for the session: no second code
    page.get_by_role("heading", name="Orientations reçues").wait_for()


def session_state(page) -> dict:
    return page.evaluate("fetch('/comptes/session/etat/', {headers: {Accept: 'application/json'}}).then(r => r.json())")


def test_the_session_warning_appears_before_the_end_and_stay_logged_in_extends_it(
    page, log_in, settings, assert_accessible
):
    settings.RELAIS_SESSION_IDLE_MINUTES = 2.1  # 126 s: the warning (120 s before the end) shows after 6 s
    log_in(make_member(make_structure()))
    page.goto(reverse("referrals:inbox"))
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    warning.wait_for(state="visible", timeout=20000)
    assert warning.get_attribute("role") == "alert"
    assert "Sans activité, votre session va se fermer dans" in warning.inner_text()
    assert page.get_by_role("button", name="Rester connecté").is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Rester connecté"  # focus on the button
    check(page, assert_accessible)
    before = session_state(page)["idle_remaining"]
    assert before <= 120
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
    after = session_state(page)
    assert after["authenticated"] and after["idle_remaining"] >= 124 > before
    assert page.url.endswith(reverse("referrals:inbox"))  # stayed on the page, nothing lost
