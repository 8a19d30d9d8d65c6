"""A resident sends their results to themselves by e-mail: nothing written on the server, one recipient,
fixed text, throttled per IP."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.rights import questionnaire as q
from tests.factories import make_commune

URL = "/droits/resultats/envoyer/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def posted(db):
    make_commune("69383")
    return {"reponses": q.encode(q.example("famille")), "mode": "resident", "email": "moi@example.org"}


def test_the_results_arrive_by_e_mail_to_the_one_address_and_nothing_is_written(client, posted, law):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, posted)
    assert response.status_code == 200 and "C’est envoyé" in response.content.decode()
    writes = [x["sql"] for x in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", x["sql"], re.I)]
    assert not writes, writes
    [message] = mail.outbox
    assert message.to == ["moi@example.org"] and not message.cc and not message.bcc
    assert "Ceci est une estimation" in message.body and "€" in message.body


def test_only_the_address_is_taken_from_the_form_never_a_text_to_relay(client, posted, law):
    client.post(URL, {**posted, "message": "Gagnez un iPhone", "email": "a@example.org, b@example.org"})
    assert mail.outbox == []
    client.post(URL, {**posted, "message": "Gagnez un iPhone"})
    assert "iPhone" not in mail.outbox[0].body and mail.outbox[0].to == ["moi@example.org"]


def test_a_bad_address_is_named_and_nothing_is_sent(client, posted):
    response = client.post(URL, {**posted, "email": "pas-une-adresse"})
    assert response.status_code == 400 and "Votre adresse e-mail" in response.content.decode()
    assert mail.outbox == []


def test_one_ip_may_send_a_few_messages_an_hour_and_is_then_refused(client, posted, settings, law):
    settings.RELAIS_RIGHTS_EMAIL_PER_HOUR = 2
    statuses = [client.post(URL, posted).status_code for _ in range(3)]
    assert statuses == [200, 200, 429] and len(mail.outbox) == 2
    other = client.post(URL, posted, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
