"""Setting up the authenticator app: QR code and secret, confirmed by a code, backup codes shown once."""

import datetime as dt
import re
from base64 import b32encode

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.testing import log_in_verified
from tests.factories import make_member, make_structure, make_user

pytestmark = pytest.mark.django_db

SETUP = "/comptes/double-authentification/"
NOW = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)


def code_for(device, at=NOW, offset_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp() + offset_steps * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def member(client):
    member = make_member(make_structure())
    client.force_login(member)
    return member


def test_the_setup_urls_are_the_ones_promised():
    assert reverse("accounts:second_factor_setup") == SETUP
    assert reverse("accounts:second_factor_verify") == SETUP + "verifier/"


def test_the_setup_page_shows_a_qr_code_and_the_secret_for_manual_entry(client, member):
    response = client.get(SETUP)

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert response.status_code == 200
    assert re.search(r'<svg class="qr-code"[^>]* role="img" aria-labelledby="qr-code-title"', html)
    assert '<title id="qr-code-title">QR code à scanner avec votre application d’authentification</title>' in html
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in html
    assert '<label for="id_code">' in html
    assert "données personnelles" in html  # says why this account needs it
    assert "<script>" not in html and " style=" not in html  # the CSP allows neither


def test_the_secret_stays_the_same_until_it_is_confirmed(client, member):
    first = client.get(SETUP).context["secret"]
    second = client.get(SETUP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_a_wrong_code_is_refused_and_nothing_is_activated(client, member):
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "Code incorrect" in " ".join(response.context["form"].errors["code"])
    assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()


def test_a_right_code_activates_the_app_verifies_the_session_and_shows_ten_backup_codes_once(client, member):
    with time_machine.travel(NOW, tick=False):
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=member)
        response = client.post(SETUP, {"code": code_for(device), "next": "/orientations/recues/"})

        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(f"<code>{code}</code>" in response.content.decode() for code in codes)
        assert 'href="/orientations/recues/"' in response.content.decode()
        device.refresh_from_db()
        assert device.confirmed
        assert set(StaticToken.objects.filter(device__user=member).values_list("token", flat=True)) == set(codes)
        assert client.get(reverse("referrals:inbox")).status_code == 200

        manage = client.get(SETUP)
    assert "Il vous reste 10 codes de secours." in manage.content.decode()
    assert not any(code in manage.content.decode() for code in codes)


def test_a_code_with_spaces_is_accepted(client, member):
    with time_machine.travel(NOW, tick=False):
        client.get(SETUP)
        code = code_for(TOTPDevice.objects.get(user=member))
        response = client.post(SETUP, {"code": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 200 and "codes" in response.context


def test_a_password_alone_cannot_replace_an_existing_app(client):
    member = make_member(make_structure())
    TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    client.force_login(member)

    response = client.get(SETUP + "?next=/orientations/recues/")

    assert response.status_code == 302
    assert response["Location"] == SETUP + "verifier/?next=%2Forientations%2Frecues%2F"
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_an_unsafe_next_address_is_ignored(client, member):
    with time_machine.travel(NOW, tick=False):
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=member)
        response = client.post(SETUP, {"code": code_for(device), "next": "https://phishing.example/"})

    assert response.context["next"] == ""
    assert "phishing" not in response.content.decode()


def test_new_backup_codes_replace_the_old_ones(client):
    member = make_member(make_structure())
    log_in_verified(client, member)

    first = client.post(reverse("accounts:second_factor_backup_codes")).context["codes"]
    second = client.post(reverse("accounts:second_factor_backup_codes")).context["codes"]

    assert set(StaticToken.objects.filter(device__user=member).values_list("token", flat=True)) == set(second)
    assert not set(first) & set(second)


def test_backup_codes_and_reset_need_a_verified_session(client):
    member = make_member(make_structure())
    TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    client.force_login(member)

    for name in ("accounts:second_factor_backup_codes", "accounts:second_factor_reset"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(SETUP + "verifier/")
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()


def test_forgetting_the_app_ends_the_verification_and_offers_a_new_secret(client):
    member = make_member(make_structure())
    old = log_in_verified(client, member)

    response = client.post(reverse("accounts:second_factor_reset"), follow=True)

    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert response.context["secret"] != b32encode(old.bin_key).decode()
    assert client.get(reverse("referrals:inbox"))["Location"].startswith(SETUP)


def test_a_resident_may_set_up_the_app_of_their_own_accord(client):
    client.force_login(make_user())

    response = client.get(SETUP)

    assert response.status_code == 200 and response.context["required"] is False


def test_the_setup_page_needs_a_login(client):
    assert client.get(SETUP)["Location"].startswith("/comptes/connexion/?next=")
