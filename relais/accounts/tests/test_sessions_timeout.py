"""Sessions end after 30 minutes idle and 12 hours in all; a warning lets the person stay logged in."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from relais import settings as project_settings
from relais.accounts import sessions
from relais.accounts.testing import log_in_verified
from tests.factories import make_member, make_structure, make_user

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
DASHBOARD = "/offre/partenaire/"
STATUS = "/comptes/session/etat/"
EXTEND = "/comptes/session/prolonger/"


def at(minutes: float):
    return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def member(client):
    member = make_member(make_structure())
    with at(0):
        log_in_verified(client, member)  # the partner space asks for the second factor (ADR 0002, 2026-12-07)
    return member


def test_the_urls_and_defaults_are_the_ones_promised():
    assert reverse("offer:partner_dashboard") == DASHBOARD
    assert reverse("accounts:session_status") == STATUS
    assert reverse("accounts:session_extend") == EXTEND
    assert (project_settings.RELAIS_SESSION_IDLE_MINUTES, project_settings.RELAIS_SESSION_MAX_HOURS) == (30, 12)
    assert project_settings.SESSION_COOKIE_AGE == 12 * 3600


def test_thirty_idle_minutes_end_the_session_and_the_login_page_says_why(client, member):
    with at(29):
        assert client.get(DASHBOARD).status_code == 200
    with at(29 + 29):
        assert client.get(DASHBOARD).status_code == 200  # each request starts the idle delay again
    with at(29 + 29 + 31):
        response = client.get(DASHBOARD + "?onglet=services")

        assert response.status_code == 302
        assert response["Location"] == "/comptes/connexion/?next=/offre/partenaire/%3Fonglet%3Dservices"
        login_page = client.get(response["Location"])
    assert "_auth_user_id" not in client.session
    assert "Votre session a expiré après 30 minutes sans activité" in login_page.content.decode()


def test_twelve_hours_end_the_session_however_active(client, member):
    for minutes in range(20, 12 * 60, 20):
        with at(minutes):
            assert client.get(DASHBOARD).status_code == 200, minutes
    with at(12 * 60 + 1):
        response = client.get(DASHBOARD, follow=True)

    assert response.redirect_chain[0][0].startswith("/comptes/connexion/")
    assert "Votre session a atteint sa durée maximale de 12 heures" in response.content.decode()


def test_asking_how_long_is_left_does_not_count_as_activity(client, member):
    with at(20):
        state = client.get(STATUS).json()
    with at(31):
        response = client.get(DASHBOARD)

    assert state == {
        "authenticated": True,
        "idle_remaining": 600,
        "absolute_remaining": 12 * 3600 - 1200,
        "warning_seconds": 120,
    }
    assert response.status_code == 302


def test_stay_logged_in_starts_the_idle_delay_again(client, member):
    with at(28.5):
        state = client.post(EXTEND, HTTP_ACCEPT="application/json").json()
    with at(28.5 + 29):
        response = client.get(DASHBOARD)

    assert state["idle_remaining"] == 1800
    assert response.status_code == 200


def test_stay_logged_in_without_javascript_goes_back_to_a_safe_page(client, member):
    with at(1):
        assert client.post(EXTEND, {"next": DASHBOARD})["Location"] == DASHBOARD
        assert client.post(EXTEND, {"next": "https://phishing.example/"})["Location"] == "/"


def test_activity_is_written_at_most_once_a_minute(client, member):
    with at(0.5):
        client.get(DASHBOARD)
        assert client.session[sessions.SEEN_AT] == int(T0.timestamp())
    with at(1.5):
        client.get(DASHBOARD)
        assert client.session[sessions.SEEN_AT] == int(T0.timestamp()) + 90


def test_after_expiry_the_api_answers_as_to_anyone_logged_out(client, member):
    with at(45):
        response = client.get("/api/v1/referrals")

    assert response.status_code == 401


def test_a_form_sent_after_expiry_changes_nothing_and_leads_to_the_login_page(client, member):
    with at(45):
        response = client.post(reverse("offer:partner_join"), {"structure": "x"})

    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/?next=")


def test_the_idle_delay_follows_its_setting(client, member, settings):
    settings.RELAIS_SESSION_IDLE_MINUTES = 10
    with at(11):
        assert client.get(DASHBOARD).status_code == 302


def test_a_session_opened_without_the_clock_gets_one_at_its_first_request(client):
    with at(0):
        client.force_login(make_user())
        session = client.session
        del session[sessions.LOGIN_AT], session[sessions.SEEN_AT]
        session.save()

        client.get("/")
        assert client.session[sessions.LOGIN_AT] == int(T0.timestamp())


def test_logged_in_pages_carry_the_hidden_warning_and_its_script(client, member):
    with at(1):
        html = client.get(DASHBOARD).content.decode()

    assert '<div class="session-warning" id="session-warning" role="alert" hidden' in html
    assert 'data-idle-remaining="1800"' in html and 'data-absolute-remaining="43140"' in html
    assert '<script src="/static/web/session.js" defer></script>' in html
    assert f'action="{EXTEND}"' in html and "Rester connecté" in html


def test_anonymous_pages_have_no_warning(client):
    html = client.get("/").content.decode()

    assert "session-warning" not in html and "session.js" not in html


def test_the_status_says_so_when_nobody_is_logged_in(client):
    assert client.get(STATUS).json() == {"authenticated": False, "idle_remaining": 0, "absolute_remaining": 0}
    assert client.post(EXTEND, HTTP_ACCEPT="application/json").status_code == 401
