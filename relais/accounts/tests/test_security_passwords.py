"""Passwords: Argon2 in production, length and common-password rules, older hashes upgraded at login."""

import pytest
from django.contrib.auth.hashers import make_password

from relais import settings as project_settings
from relais.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/comptes/inscription/"
LOGIN = "/comptes/connexion/"


def test_the_production_hasher_is_argon2_whatever_the_tests_use():
    # conftest.py hashes with MD5 for speed; the settings module itself is what production runs.
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "MD5" not in " ".join(project_settings.PASSWORD_HASHERS)


def test_the_production_validators_ask_for_twelve_characters_and_refuse_common_and_numeric_passwords():
    validators = {v["NAME"].rsplit(".", 1)[1]: v.get("OPTIONS", {}) for v in project_settings.AUTH_PASSWORD_VALIDATORS}

    assert validators["MinimumLengthValidator"] == {"min_length": 12}
    assert {"CommonPasswordValidator", "NumericPasswordValidator", "UserAttributeSimilarityValidator"} <= set(
        validators
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [("court-11car", "au minimum 12 caractères"), ("password1234", "trop courant"), ("qwertyuiop123", "trop courant")],
)
def test_a_short_or_common_password_is_refused_in_french(client, password, message):
    response = client.post(
        SIGNUP,
        {
            "email": "awa@example.org",
            "first_name": "Awa",
            "last_name": "Diallo",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.exists()


def test_logging_in_rehashes_an_older_pbkdf2_password_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user(email="ancien@example.org")
    User.objects.filter(pk=user.pk).update(password=make_password("un-mot-de-passe-solide", hasher="pbkdf2_sha256"))

    response = client.post(LOGIN, {"username": "ancien@example.org", "password": "un-mot-de-passe-solide"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
