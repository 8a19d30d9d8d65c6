"""Login throttling: failures counted in the database per address and per IP, a lock with a French message."""

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from relais.accounts import throttling
from relais.accounts.models import LoginAttempt
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"
GOOD = "un-mot-de-passe-solide"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


@pytest.fixture
def paula():
    return make_user(email="paula@example.org", password=GOOD)


def test_five_wrong_passwords_lock_the_address_even_against_the_right_one(client, paula):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert "incorrect" in errors(attempt(client, "paula@example.org", "mauvais-mot-de-passe"))
        fifth = attempt(client, "paula@example.org", "mauvais-mot-de-passe")
        assert "bloquée jusqu’à 10:15 (15 minutes)" in errors(fifth)  # Paris time

        response = attempt(client, "paula@example.org", GOOD)

    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in errors(response)
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lockout_delay_and_a_success_forgets_the_failures(client, paula):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(client, "paula@example.org", "mauvais-mot-de-passe")
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert "Trop de tentatives" in errors(attempt(client, "paula@example.org", GOOD))
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = attempt(client, "paula@example.org", GOOD)

    assert response.status_code == 302
    assert not LoginAttempt.objects.filter(email="paula@example.org").exists()


def test_attempts_during_a_lock_are_not_counted_so_the_lock_does_not_grow(client, paula):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(client, "paula@example.org", "mauvais-mot-de-passe")
        for _ in range(3):
            attempt(client, "paula@example.org", "mauvais-mot-de-passe")

    assert LoginAttempt.objects.filter(email="paula@example.org").count() == 5


def test_failures_count_whatever_the_case_of_the_address(client, paula):
    with time_machine.travel(START, tick=False):
        for email in ["Paula@Example.org", "PAULA@example.org", "paula@EXAMPLE.org", "paula@example.org"]:
            attempt(client, email, "mauvais-mot-de-passe")
        response = attempt(client, "pAuLa@example.org", "mauvais-mot-de-passe")

    assert "Trop de tentatives" in errors(response)


def test_an_unknown_address_is_locked_the_same_way_so_the_answer_reveals_nothing(client):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            response = attempt(client, "personne@example.org", "mauvais-mot-de-passe")

    assert "Trop de tentatives" in errors(response)


def test_failures_from_one_ip_lock_that_ip_for_every_address_but_not_other_ips(client, settings, paula):
    settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP = 3
    with time_machine.travel(START, tick=False):
        for n in range(3):
            attempt(client, f"essai{n}@example.org", "mauvais-mot-de-passe", ip="198.51.100.9")

        from_same_ip = attempt(client, "paula@example.org", GOOD, ip="198.51.100.9")
        from_elsewhere = attempt(client, "paula@example.org", GOOD, ip="203.0.113.7")

    assert "Trop de tentatives" in errors(from_same_ip)
    assert from_elsewhere.status_code == 302


def test_old_failures_are_deleted_when_new_ones_are_recorded(client, paula):
    with time_machine.travel(START, tick=False):
        attempt(client, "paula@example.org", "mauvais-mot-de-passe")
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        attempt(client, "autre@example.org", "mauvais-mot-de-passe")

    assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["autre@example.org"]


def test_the_client_ip_is_the_connections_unless_a_proxy_header_is_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert throttling.client_ip(request) == "10.0.0.2"

    settings.RELAIS_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert throttling.client_ip(request) == "198.51.100.20"  # the address our proxy saw, not the client's claim
    assert throttling.client_ip(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="pas-une-adresse")) is None
