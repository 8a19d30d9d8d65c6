"""POST /api/v1/rights/simulate under hostile input: every answer is a JSON 4xx naming the problem, never a 500,
and one bad household never spoils the requests simulated in the same micro-batch."""

import datetime as dt
import threading
import time

import pytest
from django.db import connections
from django.test import Client

from relais.api_guard import MAX_JSON_DEPTH
from relais.rights import batching, engine
from relais.rights.household import FIRST_MONTH, month_window
from tests.factories import make_commune

URL = "/api/v1/rights/simulate"
HOUSEHOLD = {
    "mois": "2026-11",
    "commune": "69383",
    "logement": {"statut": "locataire", "loyer": 450},
    "personnes": [{"id": "lea", "role": "demandeur", "date_naissance": "2004-02", "situation": "chomeur"}],
}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 200_000])
def test_a_deeply_nested_body_gets_a_json_400_naming_the_nesting(client, depth):
    body = '{"commune": "69383", "personnes": ' + nested(depth) + "}"
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    [problem] = response.json()["detail"]
    assert problem["type"] == "json_too_deep" and str(MAX_JSON_DEPTH) in problem["msg"]


@pytest.mark.parametrize("month", ["2021-06", "0001-01", "2150-01"])
def test_a_month_the_law_does_not_cover_gets_a_422_naming_mois_and_the_accepted_range(client, db, month):
    make_commune("69383")
    response = client.post(URL, dict(HOUSEHOLD, mois=month), content_type="application/json")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    first, last = month_window()
    assert problem["param"] == "mois" and first in problem["msg"] and last in problem["msg"]


def test_the_window_runs_from_the_first_month_with_every_parameter_to_december_of_next_year():
    assert month_window(dt.date(2026, 12, 7)) == (FIRST_MONTH, "2027-12")


def test_a_body_over_the_upload_limit_gets_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(URL, '{"commune": "' + "x" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"][0]["type"] == "request_too_large"


def test_an_eleven_megabyte_body_gets_a_json_413(client):
    response = client.post(URL, b'{"commune": "' + b"x" * (11 * 1024 * 1024) + b'"}', content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_declared_json_gets_a_415(client, content_type):
    response = client.post(URL, '{"commune": "69383"}', content_type=content_type)
    assert response.status_code == 415
    assert response.json()["detail"][0]["type"] == "unsupported_media_type"


@pytest.mark.django_db
def test_nan_is_not_json_and_gets_a_422(client):
    make_commune("69383")
    response = client.post(URL, '{"commune": "69383", "epargne": NaN}', content_type="application/json")
    assert response.status_code == 422


@pytest.mark.django_db(transaction=True)
def test_a_household_the_engine_fails_on_gets_a_json_500_alone_and_its_batch_neighbours_get_their_rights(
    law, monkeypatch
):
    """One poisoned household (here: one whose simulation raises inside the engine) among good ones sent at
    the same moment: the good ones get 200, the poisoned one a JSON 500, not the whole batch."""
    make_commune("69383")
    real = engine.compute_batch

    def poisoned(households, places, month, **kwargs):
        if any(h.epargne == 666 for h in households):
            raise RuntimeError("poisoned household")
        return real(households, places, month, **kwargs)

    monkeypatch.setattr(engine, "compute_batch", poisoned)
    answers = {}

    def ask(name, household):
        try:
            answers[name] = Client().post(URL, household, content_type="application/json")
        finally:
            connections.close_all()  # this thread's connection (PostgreSQL: else closed by the GC, a warning)

    households = {f"good{i}": dict(HOUSEHOLD, epargne=i) for i in range(3)} | {"bad": dict(HOUSEHOLD, epargne=666)}
    threads = [threading.Thread(target=ask, args=item) for item in households.items()]
    with batching.batcher.held():  # the four requests queue up and are simulated as one batch
        for thread in threads:
            thread.start()
        while batching.batcher.waiting() < len(threads):
            time.sleep(0.01)
    for thread in threads:
        thread.join(timeout=120)
    assert {name: response.status_code for name, response in answers.items()} == {
        "good0": 200,
        "good1": 200,
        "good2": 200,
        "bad": 500,
    }
    assert answers["bad"].json()["detail"][0]["type"] == "server_error"


@pytest.mark.django_db(transaction=True)
def test_a_household_with_a_month_out_of_the_law_does_not_spoil_its_batch(law):
    make_commune("69383")
    answers = {}

    def ask(name, household):
        try:
            answers[name] = Client().post(URL, household, content_type="application/json")
        finally:
            connections.close_all()  # this thread's connection (PostgreSQL: else closed by the GC, a warning)

    households = {"good": HOUSEHOLD, "old": dict(HOUSEHOLD, mois="2021-06"), "far": dict(HOUSEHOLD, mois="2150-01")}
    threads = [threading.Thread(target=ask, args=item) for item in households.items()]
    with batching.batcher.held():
        for thread in threads:
            thread.start()
        while batching.batcher.waiting() < len(threads):
            time.sleep(0.01)
    for thread in threads:
        thread.join(timeout=120)
    assert {name: response.status_code for name, response in answers.items()} == {"good": 200, "old": 422, "far": 422}


def test_every_golden_household_is_simulated_at_the_first_month_of_the_window(law):
    from relais.rights.simulate import simulate_households
    from relais.rights.tests.conftest import PLACES
    from relais.rights.tests.test_golden_households import HOUSEHOLDS

    outcomes = simulate_households([dict(h, mois=FIRST_MONTH) for h in HOUSEHOLDS.values()], places=PLACES)
    assert not [o.problems for o in outcomes if o.failed]
    assert sum(o.result is not None for o in outcomes) >= len(HOUSEHOLDS) - 3  # born after 2022: refused, not failed
