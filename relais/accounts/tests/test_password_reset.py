"""Password reset: the same answer for every address, a single-use link that expires, throttled requests;
a new password ends the other sessions, forgets the login lock and confirms the address."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from relais.accounts import security
from relais.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RESET = "/comptes/mot-de-passe-oublie/"
LOGIN = "/comptes/connexion/"
OLD = "un-mot-de-passe-solide"
NEW = "une-toute-nouvelle-phrase"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def paula():
    return make_user(email="paula@example.org", password=OLD)


def link_in(message) -> str:
    [link] = re.findall(r"http://127\.0\.0\.1:8000(/comptes/nouveau-mot-de-passe/\S+/)", message.body)
    return link


def choose(client, link, password=NEW):
    """Follow the link as a browser does (Django moves the token to the session), then post the new password."""
    form_page = client.get(link, follow=True)
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_urls_are_the_ones_promised_and_the_login_page_links_to_the_reset(client):
    assert reverse("accounts:password_reset") == RESET
    assert RESET in client.get(LOGIN).content.decode()


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_one_an_e_mail(client, paula, mailoutbox):
    known = client.post(RESET, {"email": "Paula@Example.org"})
    unknown = client.post(RESET, {"email": "personne@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    [message] = mailoutbox
    assert message.to == ["paula@example.org"]
    assert "60 minutes" in message.body and link_in(message)


def test_the_link_sets_a_new_password_once_only(client, paula, mailoutbox):
    client.post(RESET, {"email": "paula@example.org"})
    link = link_in(mailoutbox[0])

    done = choose(client, link)
    assert done["Location"] == reverse("accounts:password_reset_complete")
    paula.refresh_from_db()
    assert paula.check_password(NEW)

    again = client.get(link, follow=True)
    assert "Ce lien n’est pas valable" in again.content.decode()
    assert not again.context["validlink"]


def test_the_link_expires_after_the_configured_minutes(client, paula, mailoutbox, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == settings.RELAIS_PASSWORD_RESET_MINUTES * 60 == 3600
    with time_machine.travel(START, tick=False):
        client.post(RESET, {"email": "paula@example.org"})
    with time_machine.travel(START + dt.timedelta(minutes=61), tick=False):
        response = client.get(link_in(mailoutbox[0]), follow=True)

    assert not response.context["validlink"]


def test_a_new_password_ends_the_accounts_other_sessions(client, paula, mailoutbox):
    elsewhere = Client()
    elsewhere.force_login(paula)
    assert elsewhere.get("/").wsgi_request.user == paula

    client.post(RESET, {"email": "paula@example.org"})
    choose(client, link_in(mailoutbox[0]))

    assert not elsewhere.get("/").wsgi_request.user.is_authenticated


def test_a_new_password_forgets_the_login_lock(client, paula, mailoutbox):
    for _ in range(5):
        client.post(LOGIN, {"username": "paula@example.org", "password": "mauvais-mot-de-passe"})
    assert (
        "Trop de tentatives" in client.post(LOGIN, {"username": "paula@example.org", "password": OLD}).content.decode()
    )

    client.post(RESET, {"email": "paula@example.org"})
    choose(client, link_in(mailoutbox[0]))
    response = client.post(LOGIN, {"username": "paula@example.org", "password": NEW})

    assert response.status_code == 302


def test_a_new_password_confirms_the_address_the_link_reached(client, mailoutbox):
    make_user(email="paula@example.org", email_confirmed_at=None)
    client.post(RESET, {"email": "paula@example.org"})

    choose(client, link_in(mailoutbox[0]))

    assert security.email_confirmed(User.objects.get(email="paula@example.org"))


def test_a_weak_new_password_is_refused_in_french_and_the_link_still_works(client, paula, mailoutbox):
    client.post(RESET, {"email": "paula@example.org"})
    link = link_in(mailoutbox[0])

    response = choose(client, link, password="court")

    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    assert choose(client, link)["Location"] == reverse("accounts:password_reset_complete")


def test_requests_are_throttled_per_address_known_or_not(client, paula, mailoutbox):
    for email in ("paula@example.org", "personne@example.org"):
        answers = [client.post(RESET, {"email": email}, REMOTE_ADDR=f"203.0.113.{n}") for n in range(4)]
        assert [a.status_code for a in answers] == [302, 302, 302, 200]
        assert "Trop de demandes" in answers[-1].content.decode()
    assert len(mailoutbox) == 3


def test_requests_are_throttled_per_ip(client, settings, mailoutbox):
    settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP = 2
    answers = [client.post(RESET, {"email": f"p{n}@example.org"}, REMOTE_ADDR="198.51.100.9") for n in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 200]


def test_an_invalid_address_is_named_in_the_error(client):
    response = client.post(RESET, {"email": "pas-une-adresse"})

    assert response.status_code == 200
    assert 'href="#id_email"' in response.content.decode()
