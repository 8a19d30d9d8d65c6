"""Fuzzing the offer API from its own OpenAPI document with schemathesis, in-process (WSGI, no network).

Every operation gets valid and invalid inputs (wrong types, out-of-range numbers, unknown enum
values, NUL characters…); each response must be documented (status code, content type, schema)
and no input may produce a 500. Examples are derandomized so the test is deterministic.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from relais.offer.models import Closure
from relais.wsgi import application
from tests.factories import make_commune, make_service, make_structure

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "checks": {
            # A well-formed commune code absent from the referential is refused with a 422.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]},
        },
    }
)


@pytest.fixture
def world(db):
    # Like Django's test client: requests must not close the test's database connection (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    service = make_service(thematiques=["sante--addictions"], publics=["jeunes"], languages=["fr"])
    make_service(structure=make_structure(commune_obj=make_commune("57463", "Metz")), frais="payant")
    Closure.objects.create(structure=service.structure, starts_on="2026-01-01", ends_on="2099-01-01")
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded at collection: building the OpenAPI document touches no database. The offer's operations
# only; other routers of the same API fuzz their own.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG).include(
    tag=["offre", "référentiels"]
)


@schema.parametrize()
@settings(max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_as_documented_and_never_with_a_server_error(case, world):
    case.call_and_validate()
