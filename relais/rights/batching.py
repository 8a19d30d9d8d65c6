"""Simultaneous requests in one process share one vectorised simulation (micro-batching).

OpenFisca's cost is per formula, not per household: a simulation of 20 households costs about
what one costs. When requests arrive together (threaded workers), the first one to get the
engine takes every household waiting at that moment and simulates them together; the others
wait for their result instead of queueing for a simulation each. Texts are written in each
request's own language: the batch is simulated once per language present in it.

Each household succeeds or fails alone: invalid answers are refused before the simulation, and a
household on which the engine fails is set apart by `simulate_households` (the others of its batch
get their results).
"""

import threading
from contextlib import contextmanager
from itertools import groupby

from django.utils import translation

from relais.rights.simulate import Outcome, simulate_households

MAX_BATCH = 64


class Batcher:
    def __init__(self):
        self._engine = threading.Lock()
        self._pending: list[list] = []
        self._pending_lock = threading.Lock()

    @contextmanager
    def held(self):
        """Keep the engine busy while the block runs: requests made meanwhile queue up and are simulated
        together when it ends (tests and benches build a batch this way)."""
        with self._engine:
            yield

    def waiting(self) -> int:
        """How many requests wait for the engine."""
        with self._pending_lock:
            return len(self._pending)

    def simulate(self, household) -> Outcome:
        item = [household, None, threading.Event(), translation.get_language() or "fr"]
        with self._pending_lock:
            self._pending.append(item)
        while not item[2].is_set():
            if self._engine.acquire(timeout=0.01):
                try:
                    with self._pending_lock:
                        batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                    for language, group in groupby(sorted(batch, key=lambda e: e[3]), key=lambda e: e[3]):
                        self._run(list(group), language)
                finally:
                    self._engine.release()
        if isinstance(item[1], BaseException):
            raise item[1]
        return item[1]

    @staticmethod
    def _run(batch: list[list], language: str) -> None:
        try:
            with translation.override(language):
                outcomes = simulate_households([entry[0] for entry in batch])
        except BaseException as exc:  # wake everyone, each re-raises
            outcomes = [exc] * len(batch)
        for entry, outcome in zip(batch, outcomes, strict=True):
            entry[1] = outcome
            entry[2].set()


batcher = Batcher()
