"""The development server warms the rights engine in the background and says so instead of hanging."""

import re

import pytest

from relais.rights import questionnaire as q
from relais.rights import warmup


@pytest.fixture
def cold(monkeypatch):
    """A fresh warm-up state; the law's build replaced by a quick function (its cost is not under test)."""
    monkeypatch.setattr(warmup, "_state", {"status": "cold", "started": 0.0, "seconds": None})
    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda months=None: calls.append(months) or 0.01)
    return calls


def test_only_the_development_server_process_warms_up_in_the_background(cold, settings):
    settings.RELAIS_RIGHTS_WARMUP = False
    assert warmup.warm_up_dev_server_in_background(["manage.py", "migrate"]) is None
    assert warmup.warm_up_dev_server_in_background(["pytest", "relais"]) is None
    thread = warmup.warm_up_dev_server_in_background(["manage.py", "runserver", "8000"])
    thread.join(5)
    assert cold == [None] and not warmup.is_warming() and warmup._state["status"] == "ready"
    assert warmup.warm_up_dev_server_in_background(["manage.py", "runserver"]) is None  # once per process


def test_a_server_that_warms_up_before_serving_does_not_start_a_second_warm_up(cold, settings):
    settings.RELAIS_RIGHTS_WARMUP = True
    assert warmup.warm_up_dev_server_in_background(["manage.py", "runserver"]) is None


def test_a_results_request_during_the_warm_up_gets_a_page_that_reloads_itself(client, db, monkeypatch):
    monkeypatch.setattr(warmup, "_state", {"status": "warming", "started": 0.0, "seconds": None})
    response = client.get("/droits/resultats/?exemple=famille")
    assert response.status_code == 503 and response["Retry-After"]
    text = response.content.decode()
    assert "Le calcul se prépare" in text and re.search(
        r"<noscript><meta http-equiv=\"refresh\" content=\"\d+\"></noscript>", text
    )


def test_posted_answers_are_kept_on_the_warm_up_page_with_a_button(client, db, monkeypatch):
    monkeypatch.setattr(warmup, "_state", {"status": "warming", "started": 0.0, "seconds": None})
    answers = q.example("famille")
    response = client.post("/droits/resultats/", {"reponses": q.encode(answers), "mode": "resident"})
    assert response.status_code == 503
    text = response.content.decode()
    assert 'http-equiv="refresh"' not in text and "Voir les résultats" in text
    assert "69383" in text  # the answers travel in the hidden field


def test_the_same_answers_are_simulated_once_for_the_results_the_summary_and_the_pdf(db, monkeypatch):
    from relais.rights.batching import batcher
    from relais.rights.views import resident

    monkeypatch.setattr(resident, "_results", type(resident._results)())
    calls = []
    real = batcher.simulate

    def counting(household):
        calls.append(household)
        return real(household)

    monkeypatch.setattr(batcher, "simulate", counting)
    answers = q.example("famille")
    first, _ = resident.simulate_answers(answers)
    again, _ = resident.simulate_answers(q.example("famille"))
    assert len(calls) == 1 and again == first
    answers["menage"]["logement"]["loyer"] = 700.0  # another household: computed
    resident.simulate_answers(answers)
    assert len(calls) == 2
