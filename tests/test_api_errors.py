"""Every answer of the JSON API is JSON, errors included: unknown addresses, wrong methods, bodies that are
not JSON, too big or too deep, a crash in a view, and a database that cannot be reached (503)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.test import Client

from relais.api import api  # noqa: F401  (loads the routers in order: relais.offer.api needs it first)
from relais.api_guard import MAX_JSON_DEPTH
from relais.offer import api as offer_api

pytestmark = pytest.mark.django_db

JSON_BODY_ENDPOINTS = ["/api/v1/rights/simulate", "/api/v1/referrals"]


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    [detail] = response.json()["detail"]
    assert detail["msg"]
    return detail


def test_an_unknown_api_address_answers_a_json_404(client):
    assert problem(client.get("/api/v1/nothing-here"), 404)["type"] == "http_404"


def test_a_method_the_endpoint_does_not_take_answers_a_json_405_with_allow(client):
    response = client.delete("/api/v1/services")
    assert problem(response, 405)["type"] == "http_405" and "GET" in response["Allow"]


@pytest.mark.parametrize("url", JSON_BODY_ENDPOINTS)
def test_a_json_body_nesting_too_deep_is_refused_on_every_endpoint_with_a_body(client, url):
    body = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert problem(client.post(url, body, content_type="application/json"), 400)["type"] == "json_too_deep"


@pytest.mark.parametrize("url", JSON_BODY_ENDPOINTS)
def test_a_body_that_is_not_json_gets_a_415_on_every_endpoint_with_a_body(client, url):
    response = client.post(url, "a=1", content_type="application/x-www-form-urlencoded")
    assert problem(response, 415)["type"] == "unsupported_media_type"


def test_a_refused_body_is_explained_in_the_language_of_the_request(client):
    response = client.post(
        "/api/v1/rights/simulate", "a=1", content_type="text/plain", headers={"accept-language": "en"}
    )
    assert problem(response, 415)["msg"].startswith("The request body must be JSON")


@pytest.mark.parametrize("url", ["/api/v1/services?thematiques=a%00b", "/api/v1/search/services?code_commune=69%00383"])
def test_a_nul_character_in_a_query_parameter_gets_a_422_naming_it(client, url):
    detail = problem(client.get(url), 422)
    assert detail["type"] == "nul_character" and detail["param"] in url


def test_a_json_media_type_with_a_charset_or_a_suffix_is_accepted(client):
    for content_type in ("application/json; charset=utf-8", "application/vnd.relais+json"):
        response = client.post("/api/v1/rights/simulate", "{}", content_type=content_type)
        assert response.status_code == 422  # the household is empty: a validation error, not a 415


def test_a_crash_in_a_view_answers_a_json_500_and_is_logged(client, monkeypatch, caplog):
    def broken():
        raise RuntimeError("bug in the view")

    monkeypatch.setattr(offer_api, "published_services", broken)
    assert problem(client.get("/api/v1/services"), 500)["type"] == "server_error"
    assert "bug in the view" in caplog.text


def test_a_permission_refused_in_a_view_answers_a_json_403(client, monkeypatch):
    def refused():
        raise PermissionDenied

    monkeypatch.setattr(offer_api, "published_services", refused)
    assert problem(client.get("/api/v1/services"), 403)["type"] == "permission_denied"


def test_a_crash_outside_the_api_views_still_answers_json_under_api(monkeypatch):
    """An exception in a middleware goes through Django's handler500: under /api/ it answers JSON too."""
    from django.contrib.sessions.middleware import SessionMiddleware

    def broken(self, request):
        raise RuntimeError("session store down")

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    response = Client(raise_request_exception=False).get("/api/v1/services")
    assert problem(response, 500)["type"] == "server_error"


@pytest.fixture
def unreachable_database(monkeypatch):
    """New connections (those of another thread) go to a database that cannot be reached: a closed port on
    PostgreSQL, a file in a missing directory on SQLite. The test's own connection is left as it is."""
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        monkeypatch.setitem(settings_dict, "NAME", "/nonexistent-directory/relais.sqlite3")
    else:
        monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(settings_dict, "PORT", "1")  # nothing listens on port 1
    monkeypatch.setitem(settings_dict, "CONN_HEALTH_CHECKS", False)


def _in_a_thread(call):
    answers = []

    def run():
        try:
            answers.append(call())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return answers[0]


@pytest.mark.parametrize(
    "url", ["/api/v1/services", "/api/v1/structures", "/api/v1/search/services?code_commune=69383&q=manger"]
)
def test_an_unreachable_database_answers_a_json_503_with_a_message(unreachable_database, url):
    response = _in_a_thread(lambda: Client(raise_request_exception=False).get(url))
    detail = problem(response, 503)
    assert detail["type"] == "service_unavailable" and "base de données" in detail["msg"]
    assert response["Retry-After"]


def test_the_rights_simulation_keeps_answering_without_the_database_and_says_what_it_lacks(unreachable_database):
    """The law needs no database: without the territory referential, the commune comes from OpenFisca's list and
    the answer warns that local aids tied to an EPCI could not be judged."""
    household = {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30}]}
    response = _in_a_thread(
        lambda: Client(raise_request_exception=False).post(
            "/api/v1/rights/simulate", household, content_type="application/json"
        )
    )
    assert response.status_code == 200
    assert response.json()["commune"]["epci"] is None and response.json()["avertissements"]
