"""The accounts admin: people by e-mail, with their memberships and the territories they moderate."""

import pytest
from django.contrib.auth import get_user_model

from relais.accounts.models import Membership
from relais.accounts.testing import log_in_verified
from tests.factories import make_member, make_moderator, make_structure, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def admin_client(client):
    log_in_verified(client, make_user(is_staff=True, is_superuser=True))
    return client


def test_the_admin_asks_for_the_second_factor_first(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/double-authentification/?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_the_admin_logs_in_through_the_throttled_login_page(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/connexion/?next=/admin/accounts/user/"


def test_admin_lists_and_searches_people_by_email(admin_client):
    make_user(email="moderatrice@example.org")

    response = admin_client.get("/admin/accounts/user/", {"q": "moderatrice"})

    assert response.status_code == 200
    assert "moderatrice@example.org" in response.content.decode()


def test_admin_creates_a_person_by_email_with_a_confirmed_address(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "nouvelle@example.org",
            "usable_password": "true",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "moderations-TOTAL_FORMS": "0",
            "moderations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(email="nouvelle@example.org")
    assert created.username == "nouvelle@example.org"
    assert created.email_confirmed_at is not None  # the administrator vouches for the address


def test_admin_shows_a_person_with_memberships_and_moderations(admin_client):
    structure = make_structure(nom="Centre social des Pentes")
    person = make_member(structure, role=Membership.Role.ADMIN)
    make_moderator(user=person)

    response = admin_client.get(f"/admin/accounts/user/{person.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert structure.pk in html and "Lyon Centre" in html


def test_admin_lists_memberships_and_moderators(admin_client):
    make_member(make_structure())
    make_moderator()

    assert admin_client.get("/admin/accounts/membership/").status_code == 200
    assert admin_client.get("/admin/accounts/territorymoderator/").status_code == 200


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"])
def test_the_admin_runs_without_inline_scripts_and_its_csp_allows_none(admin_client, url):
    import re

    response = admin_client.get(url)
    assert response.status_code == 200
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert " src=" in tag, f"{url}: inline script {tag}"
