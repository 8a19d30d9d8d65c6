"""Entering the code once per session: app codes, single-use backup codes, throttling, the demo accounts."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais import demo
from relais.accounts import second_factor
from relais.accounts.models import User
from relais.demo.load import DEMO_TOTP_SECRET
from tests.factories import make_member, make_structure

from .test_totp_setup import NOW, code_for

pytestmark = pytest.mark.django_db

VERIFY = "/comptes/double-authentification/verifier/"
INBOX = "/orientations/recues/"
README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.fixture
def member(client):
    member = make_member(make_structure())
    TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    client.force_login(member)
    return member


def device_of(user):
    return TOTPDevice.objects.get(user=user)


def errors(response) -> str:
    return " ".join(response.context["form"].errors["code"])


def test_the_right_code_opens_the_personal_data_for_the_session(client, member):
    with time_machine.travel(NOW, tick=False):
        response = client.post(VERIFY, {"code": code_for(device_of(member)), "next": INBOX})

        assert response.status_code == 302 and response["Location"] == INBOX
        assert client.session[DEVICE_ID_SESSION_KEY] == device_of(member).persistent_id
        assert client.get(INBOX).status_code == 200


def test_verifying_gives_the_session_a_new_key(client, member):
    before = client.session.session_key
    with time_machine.travel(NOW, tick=False):
        client.post(VERIFY, {"code": code_for(device_of(member))})

    assert client.session.session_key != before


def test_a_code_from_the_previous_step_is_still_accepted_for_clock_drift(client, member):
    with time_machine.travel(NOW, tick=False):
        response = client.post(VERIFY, {"code": code_for(device_of(member), offset_steps=-1)})

    assert response.status_code == 302


def test_a_code_cannot_be_used_twice(client, member):
    with time_machine.travel(NOW, tick=False):
        code = code_for(device_of(member))
        client.post(VERIFY, {"code": code})
        client.logout()
        client.force_login(member)
        response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé" in errors(response)


def test_a_wrong_code_is_refused_then_quick_retries_are_throttled(client, member):
    with time_machine.travel(NOW, tick=False):
        first = client.post(VERIFY, {"code": "123456" if code_for(device_of(member)) != "123456" else "654321"})
        second = client.post(VERIFY, {"code": code_for(device_of(member))})

    assert "Code incorrect" in errors(first)
    assert "Trop de codes erronés : patientez" in errors(second)
    assert DEVICE_ID_SESSION_KEY not in client.session

    with time_machine.travel(NOW + dt.timedelta(seconds=2), tick=False):
        assert (
            client.post(VERIFY, {"code": code_for(device_of(member), at=NOW + dt.timedelta(seconds=2))}).status_code
            == 302
        )


def test_a_backup_code_works_once_and_says_how_many_are_left(client, member):
    codes = second_factor.new_backup_codes(member)

    response = client.post(VERIFY, {"code": codes[0].upper(), "next": INBOX}, follow=True)

    assert response.redirect_chain[-1][0] == INBOX
    assert "Code de secours utilisé : il ne servira plus. Il vous en reste 9." in response.content.decode()
    client.logout()
    client.force_login(member)
    assert "Code incorrect" in errors(client.post(VERIFY, {"code": codes[0]}))


def test_someone_without_an_app_is_sent_to_set_it_up(client):
    client.force_login(make_member(make_structure()))

    response = client.get(VERIFY + "?next=/orientations/recues/")

    assert response["Location"] == "/comptes/double-authentification/?next=%2Forientations%2Frecues%2F"


def test_an_already_verified_session_goes_straight_on(client, member):
    with time_machine.travel(NOW, tick=False):
        client.post(VERIFY, {"code": code_for(device_of(member))})

        assert client.get(VERIFY + "?next=/orientations/recues/")["Location"] == INBOX


def test_the_verify_page_labels_its_field_and_shows_no_code_for_real_accounts(client, member):
    html = client.get(VERIFY).content.decode()

    assert '<label for="id_code">Code de vérification</label>' in html
    assert 'autocomplete="one-time-code"' in html
    assert "Démonstration" not in html


def test_demo_accounts_get_the_documented_secret_and_see_their_code_in_demo_mode(client, settings):
    settings.RELAIS_DEMO = True
    demo.load()  # no commune loaded: just the demo accounts

    partner = User.objects.get(email=f"partenaire@{demo.DEMO_EMAIL_DOMAIN}")
    device = device_of(partner)
    assert second_factor.secret_text(device).replace(" ", "") == DEMO_TOTP_SECRET
    assert DEMO_TOTP_SECRET in README.read_text(encoding="utf-8")

    client.force_login(partner)
    with time_machine.travel(NOW, tick=False):
        response = client.get(VERIFY)
        assert response.context["demo_code"] == code_for(device)
        assert f"<code>{code_for(device)}</code>" in response.content.decode()
        assert client.post(VERIFY, {"code": response.context["demo_code"]}).status_code == 302

    settings.RELAIS_DEMO = False
    client.logout()
    client.force_login(partner)
    response = client.get(VERIFY)  # demo off: demo accounts are closed, the code is never shown
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")
    assert "demo_code" not in (response.context or {})
    from relais.accounts.views.second_factor import _demo_code

    assert _demo_code(partner) == ""
