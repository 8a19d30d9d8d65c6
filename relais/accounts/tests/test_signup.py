"""Sign-up and login: an account by e-mail, Django's password validators, Argon2, an address confirmed by a link;
the answer never tells whether an address already has an account."""

import re

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


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_signup_url_is_the_one_promised():
    assert reverse("accounts:signup") == SIGNUP


def test_signup_page_has_a_labelled_field_for_every_input(client):
    html = client.get(SIGNUP).content.decode()

    for name in ("email", "first_name", "last_name", "password1", "password2"):
        assert f'<label for="id_{name}"' in html, name


def test_signing_up_creates_an_unconfirmed_account_hashed_with_argon2_and_sends_a_confirmation_link(
    client, settings, mailoutbox
):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # tests otherwise hash fast (conftest)
    response = client.post(SIGNUP, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:email_sent")
    user = User.objects.get(email="awa.diallo@example.org")
    assert user.get_full_name() == "Awa Diallo"
    assert user.password.startswith("argon2")
    assert user.email_confirmed_at is None
    assert "_auth_user_id" not in client.session  # the address is proven first, then the password logs in
    [message] = mailoutbox
    assert message.to == ["awa.diallo@example.org"]
    assert "http://127.0.0.1:8000/comptes/confirmer/" in message.body


def test_signing_up_with_an_existing_address_answers_exactly_as_for_a_new_one_and_tells_the_owner(client, mailoutbox):
    make_user(email="Awa.Diallo@example.org")
    for_existing = client.post(SIGNUP, GOOD)
    page_for_existing = client.get(for_existing["Location"]).content.decode()
    notice = mailoutbox.pop()

    for_new = client.post(SIGNUP, {**GOOD, "email": "nouvelle@example.org"})
    page_for_new = client.get(for_new["Location"]).content.decode()

    assert (for_existing.status_code, for_existing["Location"]) == (for_new.status_code, for_new["Location"])
    assert without_csrf(page_for_existing) == without_csrf(page_for_new)
    assert "existe" not in page_for_existing
    assert User.objects.filter(email__iexact="awa.diallo@example.org").count() == 1
    assert notice.to == ["Awa.Diallo@example.org"]
    assert "tentative d’inscription" in notice.subject
    assert "http://127.0.0.1:8000/comptes/connexion/" in notice.body
    assert "http://127.0.0.1:8000/comptes/mot-de-passe-oublie/" in notice.body
    assert GOOD["password1"] not in notice.body


def test_signing_up_sends_three_e_mails_per_address_at_most_in_the_window_known_or_not(client, mailoutbox):
    make_user(email="awa.diallo@example.org")
    answers = [client.post(SIGNUP, GOOD, REMOTE_ADDR=f"203.0.113.{n}") for n in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 200]
    assert "Trop de demandes" in " ".join(answers[-1].context["form"].non_field_errors())
    assert len(mailoutbox) == 3
    unknown = [client.post(SIGNUP, {**GOOD, "email": "x@example.org"}, REMOTE_ADDR="198.51.100.1") for _ in range(4)]
    assert [a.status_code for a in unknown] == [302, 302, 302, 200]


def test_the_signup_page_says_a_confirmation_link_will_be_sent(client):
    assert "Un lien de confirmation est envoyé" in client.get(SIGNUP).content.decode()


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
