"""Fuzzing the rights and search API from its own OpenAPI document with schemathesis, in-process (WSGI, no network).

Generated households (valid and invalid: wrong types, out-of-range numbers and months, unknown codes, NUL
characters…) and search parameters reach the real code; each response must be documented (status, content type,
schema) and none may be a server error. Examples are derandomized and bounded so the test stays under a minute;
the number of cases per operation is in docs/security.md ("Input hardening").
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.factories import make_commune

MAX_EXAMPLES = 20  # per operation: docs/security.md counts them

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "checks": {
            # A valid household may name a commune the referential does not hold, or be inconsistent across
            # fields (two demandeurs, a birth after the month): 422.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "422"]},
        },
    }
)

# Django's own WSGI handler, not relais.wsgi (which warms the law up at import, during collection): the `law`
# fixture loads it once for the session.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG).include(
    tag_regex="^(droits|recherche)$"
)


@pytest.fixture
def world(db, law):
    # Like Django's test client: requests must not close the test's database connection (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    make_commune("69383")
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_rights_and_search_api_answer_every_generated_request_as_documented_and_never_with_a_server_error(
    case, world
):
    response = case.call_and_validate()
    assert response.status_code < 500
