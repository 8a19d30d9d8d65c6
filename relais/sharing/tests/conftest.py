import pytest
from django.core.cache import cache

from relais import sms
from relais.matching import runtime
from relais.matching.tests.pages import offer, wednesday  # noqa: F401 -- fixtures of the page tests


@pytest.fixture(autouse=True)
def fresh_quotas():
    """The quotas live in the cache: every test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox(settings):
    """SMS on, kept in memory (relais.sms.LocmemBackend)."""
    settings.RELAIS_SMS_BACKEND = "relais.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def fresh_index():
    """The search index is built from this test's database."""
    runtime.reset()
    yield
    runtime.reset()
