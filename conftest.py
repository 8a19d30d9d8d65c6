"""Test-wide settings: invalid template variables fail, no network, a small world of fixtures."""

import socket

import pytest

from tests.catalogues import ensure_compiled

pytest_plugins = ["tests.browser.fixtures", "tests.sms_gateway"]


def pytest_configure(config):
    """A fresh clone has no compiled translations (.mo): compile them once, in the main process only (before
    pytest-xdist starts its workers), or stop with the command to run."""
    if hasattr(config, "workerinput"):
        return
    problem = ensure_compiled()
    if problem:
        raise pytest.UsageError(problem)


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise AssertionError(f"Invalid template variable: {other!r}")

    def __bool__(self):
        return False


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    for engine in settings.TEMPLATES:
        engine["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (checked in accounts tests); tests use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Tests never reach the network: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise AssertionError(f"Test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to /en/… or to the API in English switches the
    thread's language, and would otherwise leave English active for the next test."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_search_index():
    """Each test starts like a new process: the search index and the covered territory (read once a minute
    per process) come from that test's database, never from an earlier test's."""
    from relais.matching import runtime
    from relais.territories import coverage

    runtime.reset()
    coverage.reset()
    yield
    runtime.reset()
    coverage.reset()
