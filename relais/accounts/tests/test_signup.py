"""Sign-up and login: an account by e-mail, Django's password validators, Argon2, logged in at once."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from relais import settings as project_settings
from tests.factories import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP = "/comptes/inscription/"
GOOD = {
    "email": "awa.diallo@example.org",
    "first_name": "Awa",
    "last_name": "Diallo",
    "password1": "une-phrase-de-passe-longue",
    "password2": "une-phrase-de-passe-longue",
}


def test_signup_url_is_the_one_promised():
    assert reverse("accounts:signup") == SIGNUP


def test_signup_page_has_a_labelled_field_for_every_input(client):
    html = client.get(SIGNUP).content.decode()

    for name in ("email", "first_name", "last_name", "password1", "password2"):
        assert f'<label for="id_{name}"' in html, name


def test_signing_up_creates_the_account_hashed_with_argon2_and_logs_in(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # tests otherwise hash fast (conftest)
    response = client.post(SIGNUP, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("offer:partner_dashboard")
    user = User.objects.get(email="awa.diallo@example.org")
    assert user.get_full_name() == "Awa Diallo"
    assert user.password.startswith("argon2")
    assert client.get(reverse("offer:partner_dashboard")).wsgi_request.user == user


def test_signing_up_goes_back_to_a_safe_next_page_only(client):
    response = client.post(
        SIGNUP + "?next=/offre/partenaire/rejoindre/", {**GOOD, "next": "/offre/partenaire/rejoindre/"}
    )
    assert response["Location"] == "/offre/partenaire/rejoindre/"

    client.logout()
    other = {**GOOD, "email": "autre@example.org", "next": "https://phishing.example/"}
    assert client.post(SIGNUP, other)["Location"] == reverse("offer:partner_dashboard")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password1": "court", "password2": "court"}, "password1"),
        ({"password1": "123456789012345", "password2": "123456789012345"}, "password1"),
        ({"password2": "une-autre-phrase-de-passe"}, "password2"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"email": "x" * 140 + "@example.org"}, "email"),
    ],
)
def test_invalid_sign_up_names_the_field(client, changes, field):
    response = client.post(SIGNUP, {**GOOD, **changes})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_an_address_already_used_in_another_case_is_refused(client):
    make_user(email="Awa.Diallo@example.org")

    response = client.post(SIGNUP, GOOD)

    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_logged_in_people_skip_the_signup_page(client):
    client.force_login(make_user())

    assert client.get(SIGNUP).status_code == 302


def test_login_ignores_the_case_of_the_address(client):
    user = make_user(email="awa@example.org", password="une-phrase-de-passe-longue")

    response = client.post(
        reverse("accounts:login"), {"username": "AWA@Example.org", "password": "une-phrase-de-passe-longue"}
    )

    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_wrong_password_shows_an_error_not_a_crash(client):
    make_user(email="awa@example.org")

    response = client.post(reverse("accounts:login"), {"username": "awa@example.org", "password": "faux"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()


def test_login_page_links_to_signup(client):
    assert SIGNUP in client.get(reverse("accounts:login")).content.decode()
