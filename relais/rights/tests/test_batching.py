"""The micro-batcher: simultaneous requests share one simulation, each answered in its own language."""

import threading
import time

from django.utils import translation

from relais.rights.batching import Batcher
from relais.rights.tests.conftest import MONTH, PLACES, aid

YOUNG = {"commune": "69383", "mois": MONTH, "personnes": [{"id": "a", "role": "demandeur", "age": 22}]}


def test_requests_waiting_together_share_a_batch_and_each_gets_its_own_language(law, monkeypatch):
    from relais.rights import batching

    calls = []
    real = batching.simulate_households

    def counted(households, **kwargs):
        calls.append((translation.get_language(), len(households)))
        return real(households, places=PLACES, **kwargs)  # the test places: no database needed

    monkeypatch.setattr(batching, "simulate_households", counted)
    batcher = Batcher()
    answers = {}

    def ask(name, language):
        with translation.override(language):
            answers[name] = batcher.simulate(dict(YOUNG))

    threads = [threading.Thread(target=ask, args=args) for args in (("en1", "en"), ("fr", "fr"), ("en2", "en"))]
    with batcher.held():  # the engine is busy: the three requests queue up together
        for thread in threads:
            thread.start()
        while batcher.waiting() < 3:
            time.sleep(0.01)
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(calls) == [("en", 2), ("fr", 1)]  # one simulation per language, not one per request
    names = {key: aid(outcome.result, "lyon-revenu-solidarite-jeunes")["nom"] for key, outcome in answers.items()}
    assert names["en1"].startswith("Youth solidarity income") and names["en2"] == names["en1"]
    assert names["fr"] == "Revenu solidarité jeunes (RSJ)"


def test_a_failure_wakes_every_waiting_request_with_the_error(monkeypatch):
    from relais.rights import batching

    def broken(households, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(batching, "simulate_households", broken)
    batcher = Batcher()
    errors = []

    def ask():
        try:
            batcher.simulate(dict(YOUNG))
        except RuntimeError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == ["engine down"] * 3
