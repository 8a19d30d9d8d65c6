"""Shared rights fixtures: one law per test session, golden households simulated together once."""

import pytest

from relais.rights.places import Place
from relais.rights.simulate import simulate_households

MONTH = "2026-11"
# Places as the territory referential knows them (Lyon 3e in the Métropole de Lyon, Metz in
# Metz Métropole), so that pure tests need no database.
PLACES = {
    "69383": Place("69383", "Lyon 3e Arrondissement", "69123", "69", "200046977", True),
    "69266": Place("69266", "Villeurbanne", "69266", "69", "200046977", True),
    "57463": Place("57463", "Metz", "57463", "57", "200039865", True),
}


def simulate(households: list[dict], **kwargs):
    """Simulate with the test places; returns results, raising on any validation problem."""
    outcomes = simulate_households([dict(h, mois=h.get("mois", MONTH)) for h in households], places=PLACES, **kwargs)
    problems = [o.problems for o in outcomes if o.problems]
    assert not problems, problems
    return [o.result for o in outcomes]


@pytest.fixture(scope="session")
def law():
    from relais.rights.system import tax_benefit_system

    return tax_benefit_system()


def amount(result: dict, code: str) -> float:
    return next(p for p in result["prestations"] if p["code"] == code)["montant"]


def benefit(result: dict, code: str) -> dict:
    return next(p for p in result["prestations"] if p["code"] == code)


def aid(result: dict, aid_id: str) -> dict | None:
    return next((a for a in result["aides_locales"] if a["id"] == aid_id), None)
