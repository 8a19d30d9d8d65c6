"""Fuzzing the referral API from its own OpenAPI document with schemathesis, in-process (WSGI, no network).

The requests carry the session of an account whose second factor is verified (cookie) and the CSRF
header, as a browser would: the account is a member of a sending and a receiving structure and
belongs to the steering group, so that every operation reaches its real code with generated valid
and invalid inputs (wrong types, unknown values, NUL characters, out-of-range dates, strange
Idempotency-Key headers…). Each response must be documented (status, content type, schema), and no
input may give a 500. Schemathesis also checks that the declared authentication is enforced: it
replays successful requests without the session cookie and with a forged one, expecting 401.
Examples are derandomized so the test is deterministic.
"""

from importlib import import_module

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, settings

from relais.referrals.models import Status
from relais.referrals.tests.conftest import make_referral
from relais.wsgi import application
from tests.factories import make_member, make_territory

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "checks": {
            # Valid-looking input may still name no service or referral we have (404), one the state machine
            # refuses now (409), a territory that does not exist or a reused Idempotency-Key (422); a case that
            # replaces the session cookie by a generated value is refused (401).
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
        },
    }
)


CREDENTIALS: dict = {}  # the current test's session, filled by the `credentials` fixture


@pytest.fixture
def credentials(db, world):
    """Cookies and CSRF header of a logged-in session whose second factor is verified."""
    # Like Django's test client: requests must not close the test's database connection (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    user = world.professional
    make_member(world.receiving, user=user)
    user.groups.add(Group.objects.get(name="pilotage"))
    make_territory("Lyon Centre", slug="lyon-centre")
    for status in (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.REFUSED):
        make_referral(world, status)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
        }
    )
    session.save()
    csrf = _get_new_csrf_string()
    CREDENTIALS.update(
        cookies={django_settings.SESSION_COOKIE_NAME: session.session_key, django_settings.CSRF_COOKIE_NAME: csrf},
        headers={"X-CSRFToken": csrf},
    )
    yield CREDENTIALS
    CREDENTIALS.clear()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded at collection: building the OpenAPI document touches no database. The referral operations only.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG).include(tag="orientations")


@schema.auth(refresh_interval=None)
class VerifiedSession:
    """The session cookie (the declared security scheme) and the CSRF header, as explicit credentials: schemathesis
    then also replays successful requests without them and with forged ones, and expects 401."""

    def get(self, case, context):
        return dict(CREDENTIALS) or None  # None while collecting, before any test's session exists

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


@schema.parametrize()
@settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_referral_api_answers_every_generated_request_as_documented_and_never_with_a_server_error(
    case, credentials
):
    case.call_and_validate()
