"""Browser fixtures, shared by every browser test wherever it lives (registered in the root conftest.py).

Headless Debian Chromium driven by Playwright against pytest-django's live server. Playwright's own
browser builds are never downloaded: we launch /usr/bin/chromium (RELAIS_CHROMIUM overrides the path).
One Playwright instance serves the whole session: a second sync instance cannot start beside it.
"""

import os
from importlib import import_module

import pytest

from tests.browser import accessibility

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run where an
# event loop runs unless told it is safe, which it is here (one thread, no concurrent coroutine).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("RELAIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: apt-get install chromium (browser tests never download one)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that records Content-Security-Policy violations in `page.csp_errors`."""
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda message: (
            page.csp_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    page.close()


@pytest.fixture
def log_in(context, live_server):
    """log_in(user): the browser context is then logged in as `user`, second factor verified (a confirmed
    TOTP device), as after the log-in and TOTP pages (which tests/browser/test_login.py drives)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    def _log_in(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )
        return user

    return _log_in


@pytest.fixture
def assert_accessible():
    """assert_accessible(page): fails with the list of axe-core WCAG 2.1 A/AA violations."""
    return accessibility.assert_accessible
