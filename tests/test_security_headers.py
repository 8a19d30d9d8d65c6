"""Security headers on every response: a CSP without inline scripts, frame denial, nosniff, referrer policy;
HSTS and secure cookies in production (checked by loading the settings with RELAIS_PRODUCTION=1)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from relais.accounts.testing import log_in_verified
from tests.factories import make_member, make_structure

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ANONYMOUS_PAGES = ["/", "/offre/", "/comptes/connexion/", "/comptes/inscription/", "/page-qui-n-existe-pas/", "/en/"]
OTHER_RESPONSES = ["/api/v1/openapi.json", "/comptes/session/etat/", "/static/web/session.js"]
MEMBER_PAGES = ["/offre/partenaire/", "/comptes/double-authentification/", "/orientations/recues/"]


def csp_directives(response) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
    }


def assert_security_headers(response, url):
    csp = csp_directives(response)
    assert csp["script-src"] == "'self'", url
    assert csp["style-src"] == "'self'", url
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'", url
    assert csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'self'", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "Strict-Transport-Security" not in response, f"{url}: HSTS only in production, over HTTPS"


def assert_no_inline_script_or_style(html, url):
    for tag in re.findall(r"<script\b[^>]*>", html):
        # a JSON data block (json_script: the interactive map's data) is read by a script, never run
        assert " src=" in tag or ' type="application/json"' in tag, f"{url}: inline script {tag}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"{url}: inline event handler"
    assert not re.search(r"<[^>]+\sstyle\s*=", html), f"{url}: inline style attribute"
    assert "<style" not in html, f"{url}: inline style element"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES + OTHER_RESPONSES)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    if response.streaming:  # static files are streamed: read them so that the file is closed
        b"".join(response.streaming_content)
    assert response.status_code in (200, 404), url
    assert_security_headers(response, url)
    if response["Content-Type"].startswith("text/html"):
        assert_no_inline_script_or_style(response.content.decode(), url)


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_logged_in_pages_carry_them_too_with_no_inline_script(client, url):
    log_in_verified(client, make_member(make_structure()))

    response = client.get(url)

    assert response.status_code == 200, url
    assert_security_headers(response, url)
    assert_no_inline_script_or_style(response.content.decode(), url)


def test_the_session_cookie_is_http_only_and_same_site(client):
    member = make_member(make_structure(), user=None)
    member.set_password("un-mot-de-passe-solide")
    member.save()

    response = client.post(reverse("accounts:login"), {"username": member.email, "password": "un-mot-de-passe-solide"})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 12 * 3600


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/api/v1/openapi.json", secure=True)
plain = client.get("/api/v1/openapi.json")
language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
cookie = language.cookies[settings.LANGUAGE_COOKIE_NAME]
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "hsts_plain": plain.headers.get("Strict-Transport-Security"),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "language_cookie_secure": bool(cookie["secure"]),
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "hasher": settings.PASSWORD_HASHERS[0],
}))
"""


def run_with_settings(extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relais.settings",
        "RELAIS_SECRET_KEY": "une-cle-secrete-de-test-" + "x" * 40,
        **extra_env,
    }
    env.pop("RELAIS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_sends_hsts_over_https_and_marks_cookies_secure():
    result = run_with_settings({"RELAIS_PRODUCTION": "1"})

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["hsts"] == "max-age=31536000; includeSubDomains"
    assert found["hsts_plain"] is None  # browsers only honour it over HTTPS; Django sends it only there
    assert found["session_secure"] and found["csrf_secure"] and found["language_cookie_secure"]
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_development_sends_no_hsts_and_plain_cookies():
    result = run_with_settings({"RELAIS_PRODUCTION": "0"})

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["hsts"] is None
    assert not (found["session_secure"] or found["csrf_secure"] or found["language_cookie_secure"])


def test_production_refuses_an_oidc_issuer_without_https():
    result = run_with_settings({"RELAIS_PRODUCTION": "1", "RELAIS_OIDC_ISSUER": "http://idp.example/api/v2"})

    assert result.returncode != 0
    assert "RELAIS_OIDC_ISSUER: must be an https:// address" in result.stderr
