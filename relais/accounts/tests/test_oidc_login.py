"""OIDC login (ProConnect-compatible), tested against a fake provider served on 127.0.0.1."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from relais.accounts import security
from relais.accounts.models import User
from tests.factories import make_member, make_structure, make_user

from .fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"
START = "/comptes/oidc/connexion/"
CALLBACK = "/comptes/oidc/retour/"
PAULA = {
    "sub": "proconnect-sub-1",
    "email": "paula.partenaire@example.org",
    "given_name": "Paula",
    "usual_name": "Martin",
    "email_verified": True,
}


@pytest.fixture
def provider(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    cache.clear()
    fake = FakeProvider()
    settings.RELAIS_OIDC_ISSUER = fake.issuer
    settings.RELAIS_OIDC_CLIENT_ID = CLIENT_ID
    settings.RELAIS_OIDC_CLIENT_SECRET = CLIENT_SECRET
    yield fake
    fake.close()
    cache.clear()


def start(client, next_url="/offre/partenaire/") -> dict:
    response = client.get(START, {"next": next_url})
    assert response.status_code == 302, response
    location = urlparse(response["Location"])
    return {"location": location, **{k: v[0] for k, v in parse_qs(location.query).items()}}


def finish(client, provider, request, claims=PAULA, **overrides):
    code = provider.issue_code(nonce=request["nonce"], redirect_uri=request["redirect_uri"], claims=claims, **overrides)
    return client.get(CALLBACK, {"code": code, "state": request["state"]})


def messages_of(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_the_oidc_urls_are_the_ones_promised():
    assert reverse("accounts:oidc_login") == START
    assert reverse("accounts:oidc_callback") == CALLBACK


def test_without_settings_there_is_no_button_and_no_oidc_page(client):
    assert "ProConnect" not in client.get(LOGIN).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_with_settings_the_login_page_offers_the_provider(client, provider):
    html = client.get(LOGIN + "?next=/offre/partenaire/").content.decode()

    assert '<a class="button secondary" href="/comptes/oidc/connexion/?next=/offre/partenaire/">' in html
    assert "Se connecter avec ProConnect" in html


def test_the_authorization_request_has_exactly_proconnects_parameters(client, provider):
    request = start(client)

    assert request["location"].geturl().startswith(provider.issuer + "/authorize?")
    assert set(request) - {"location"} == {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce"}
    assert request["response_type"] == "code" and request["client_id"] == CLIENT_ID
    assert request["redirect_uri"] == "http://testserver/comptes/oidc/retour/"
    assert request["scope"] == "openid email given_name usual_name"
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32


def test_the_redirect_uri_has_no_language_prefix_in_english(client, provider):
    with translation.override("en"):
        response = client.get("/en" + START)

    assert parse_qs(urlparse(response["Location"]).query)["redirect_uri"] == ["http://testserver/comptes/oidc/retour/"]


def test_an_existing_account_is_found_by_email_in_any_case_and_logged_in(client, provider):
    paula = make_user(email="Paula.Partenaire@example.org", first_name="", last_name="")

    response = finish(client, provider, start(client))

    assert response.status_code == 302 and response["Location"] == "/offre/partenaire/"
    assert client.session["_auth_user_id"] == str(paula.pk)
    assert provider.token_requests[0]["client_secret"] == CLIENT_SECRET
    paula.refresh_from_db()
    assert (paula.first_name, paula.last_name) == ("Paula", "Martin")
    assert User.objects.count() == 1


def test_an_unknown_address_gets_a_new_account_without_a_password(client, provider):
    response = finish(client, provider, start(client))

    created = User.objects.get(email="paula.partenaire@example.org")
    assert response.status_code == 302
    assert created.get_full_name() == "Paula Martin" and not created.has_usable_password()
    assert client.session["_auth_user_id"] == str(created.pk)


def test_an_account_created_or_found_by_a_provider_that_verified_the_address_is_confirmed(client, provider):
    unconfirmed = make_user(email="paula.partenaire@example.org", email_confirmed_at=None)
    assert not security.email_confirmed(unconfirmed)

    finish(client, provider, start(client))

    unconfirmed.refresh_from_db()
    assert security.email_confirmed(unconfirmed)
    client.logout()
    unconfirmed.delete()
    finish(client, provider, start(client))
    assert security.email_confirmed(User.objects.get(email="paula.partenaire@example.org"))


def test_unknown_addresses_can_be_refused_by_setting(client, provider, settings):
    settings.RELAIS_OIDC_CREATE_USERS = False

    response = finish(client, provider, start(client))

    assert response["Location"] == LOGIN
    assert "La connexion avec ProConnect n’a pas abouti" in messages_of(client, response)
    assert not User.objects.exists()


@pytest.mark.parametrize("verified", [None, False, "false"])
def test_an_address_the_provider_does_not_say_is_verified_is_never_linked_to_an_account(client, provider, verified):
    paula = make_user(email="paula.partenaire@example.org")
    claims = {k: v for k, v in PAULA.items() if k != "email_verified"}
    if verified is not None:
        claims["email_verified"] = verified

    response = finish(client, provider, start(client), claims=claims)

    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert "ne confirme pas que votre adresse électronique est vérifiée" in messages_of(client, response)
    assert list(User.objects.values_list("pk", flat=True)) == [paula.pk]


def test_a_provider_trusted_by_setting_for_its_addresses_needs_no_email_verified_claim(client, provider, settings):
    settings.RELAIS_OIDC_TRUST_PROVIDER_EMAILS = True
    paula = make_user(email="paula.partenaire@example.org")
    claims = {k: v for k, v in PAULA.items() if k != "email_verified"}

    finish(client, provider, start(client), claims=claims)

    assert client.session["_auth_user_id"] == str(paula.pk)


def test_a_member_logged_in_through_oidc_still_needs_the_second_factor(client, provider):
    make_member(make_structure(), user=make_user(email=PAULA["email"]))
    finish(client, provider, start(client))

    response = client.get(reverse("referrals:inbox"))

    assert response.status_code == 302 and response["Location"].startswith("/comptes/double-authentification/")


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"id_token_overrides": {"nonce": "un-autre-nonce-" + "x" * 20}}, id="another nonce"),
        pytest.param({"id_token_overrides": {"iss": "https://pirate.example/api/v2"}}, id="another issuer"),
        pytest.param({"id_token_overrides": {"aud": "un-autre-client"}}, id="another audience"),
        pytest.param({"id_token_overrides": {"exp": 1_000_000_000}}, id="expired"),
        pytest.param({"userinfo_overrides": {"sub": "quelqu-un-d-autre"}}, id="userinfo about someone else"),
        pytest.param({"userinfo_overrides": {"aud": "un-autre-client"}}, id="userinfo for another client"),
        pytest.param({"userinfo_overrides": {"email": "pas-une-adresse"}}, id="no valid e-mail"),
    ],
)
def test_a_token_that_fails_a_check_logs_nobody_in(client, provider, overrides):
    make_user(email=PAULA["email"])

    response = finish(client, provider, start(client), **overrides)

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert "La connexion avec ProConnect n’a pas abouti" in messages_of(client, response)


def test_an_unknown_state_is_refused_without_error(client, provider):
    request = start(client)
    request["state"] = "un-etat-inconnu-" + "y" * 20

    response = finish(client, provider, request)

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_code_is_exchanged_once_only(client, provider):
    make_user(email=PAULA["email"])
    request = start(client)
    code = provider.issue_code(nonce=request["nonce"], redirect_uri=request["redirect_uri"], claims=PAULA)
    assert client.get(CALLBACK, {"code": code, "state": request["state"]})["Location"] == "/offre/partenaire/"
    client.logout()

    replay = client.get(CALLBACK, {"code": code, "state": request["state"]})

    assert replay["Location"] == LOGIN and "_auth_user_id" not in client.session


def test_an_inactive_account_is_not_logged_in(client, provider):
    make_user(email=PAULA["email"], is_active=False)

    response = finish(client, provider, start(client))

    assert response["Location"] == LOGIN and "_auth_user_id" not in client.session


def test_a_provider_error_at_the_token_endpoint_is_a_message_not_a_crash(client, provider):
    provider.token_status = 500

    response = finish(client, provider, start(client))

    assert response["Location"] == LOGIN and "_auth_user_id" not in client.session


def test_an_unreachable_provider_is_a_message_not_a_crash(client, provider, settings):
    provider.close()
    cache.clear()

    response = client.get(START)

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "La connexion avec ProConnect n’a pas abouti" in messages_of(client, response)


def test_a_discovery_document_naming_another_issuer_is_refused(client, provider):
    provider.discovery_issuer = "https://pirate.example/api/v2"

    response = client.get(START)

    assert response["Location"] == LOGIN


def test_logging_out_also_ends_the_session_at_the_provider(client, provider):
    make_user(email=PAULA["email"])
    finish(client, provider, start(client))
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("accounts:logout"))

    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert location.geturl().startswith(provider.issuer + "/session/end?")
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert len(query["state"][0]) >= 32
    assert "_auth_user_id" not in client.session


def test_a_password_login_logs_out_locally_only(client, provider):
    client.force_login(make_user())

    assert client.post(reverse("accounts:logout"))["Location"] == "/"
