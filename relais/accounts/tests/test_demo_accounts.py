"""Demo mode: off by default in production; demo accounts (public password and TOTP secret) only work while it is on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from relais.referrals.tests.conftest import log_in
from tests.factories import make_member, make_structure, make_user

ROOT = Path(__file__).resolve().parents[3]


def demo_setting(**env) -> str:
    """RELAIS_DEMO as relais/settings.py reads it from this environment (a fresh interpreter)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")}
    result = subprocess.run(
        [sys.executable, "-c", "import relais.settings as s; print(s.RELAIS_DEMO)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_demo_mode_is_on_by_default_for_development_and_off_by_default_in_production():
    assert demo_setting() == "True"
    assert (
        demo_setting(RELAIS_PRODUCTION="1", RELAIS_SECRET_KEY="cle-de-test-assez-longue-et-variee-" + "0123456789" * 2)
        == "False"
    )


def test_production_can_still_turn_the_demo_on_explicitly():
    assert (
        demo_setting(
            RELAIS_PRODUCTION="1",
            RELAIS_SECRET_KEY="cle-de-test-assez-longue-et-variee-" + "0123456789" * 2,
            RELAIS_DEMO="1",
        )
        == "True"
    )


@pytest.fixture
def demo_user(db):
    return make_user(email="partenaire@demo.relais", password="demo-relais-2026")


def login(client, email):
    return client.post(reverse("accounts:login"), {"username": email, "password": "demo-relais-2026"})


def test_a_demo_account_logs_in_while_the_demo_is_on(client, settings, demo_user):
    settings.RELAIS_DEMO = True
    assert login(client, demo_user.email).status_code == 302
    assert client.session["_auth_user_id"] == str(demo_user.pk)


def test_a_demo_account_cannot_log_in_once_the_demo_is_off(client, settings, demo_user):
    settings.RELAIS_DEMO = False
    response = login(client, "Partenaire@demo.relais")
    assert response.status_code == 200
    assert "Les comptes de démonstration sont désactivés" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_real_account_is_not_affected(client, settings, db):
    settings.RELAIS_DEMO = False
    user = make_user(email="vraie@example.org", password="demo-relais-2026")
    assert login(client, user.email).status_code == 302


def test_a_demo_session_opened_while_the_demo_was_on_ends_when_it_is_turned_off(client, settings, demo_user):
    settings.RELAIS_DEMO = True
    log_in(client, make_member(make_structure(), user=demo_user))
    assert client.get(reverse("referrals:inbox")).status_code == 200
    settings.RELAIS_DEMO = False
    response = client.get(reverse("referrals:inbox"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert "_auth_user_id" not in client.session
