"""E-mail confirmation: a signed, expiring, single-use link; an unconfirmed account can neither ask to join
a structure nor propose one; accounts vouched for otherwise (admin, superuser, demo, OIDC) are confirmed."""

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from relais.accounts import security
from relais.accounts.models import Membership, User
from relais.offer.models import Structure
from tests.factories import make_structure, make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/comptes/inscription/"
RESEND = "/comptes/confirmer/renvoyer/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW = {
    "email": "awa@example.org",
    "first_name": "Awa",
    "last_name": "Diallo",
    "password1": "une-phrase-de-passe-longue",
    "password2": "une-phrase-de-passe-longue",
}


def link_in(message) -> str:
    [link] = re.findall(r"http://127\.0\.0\.1:8000(/comptes/confirmer/\S+/)", message.body)
    return link


def sign_up(client, mailoutbox) -> str:
    client.post(SIGNUP, NEW)
    return link_in(mailoutbox[-1])


def awa() -> User:
    return User.objects.get(email="awa@example.org")


def test_the_link_confirms_the_address_on_the_buttons_post_not_on_opening_it(client, mailoutbox):
    link = sign_up(client, mailoutbox)

    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon adresse" in page.content.decode()
    assert not security.email_confirmed(awa())  # a mail scanner opening the link confirms nothing

    response = client.post(link)
    assert response["Location"] == reverse("accounts:login")
    assert security.email_confirmed(awa())


def test_the_link_works_once_only(client, mailoutbox):
    link = sign_up(client, mailoutbox)
    client.post(link)
    first = awa().email_confirmed_at

    again = client.post(link)

    assert again.status_code == 400
    assert "Ce lien n’est pas valable" in again.content.decode()
    assert awa().email_confirmed_at == first


def test_the_link_expires_after_the_configured_hours(client, mailoutbox, settings):
    settings.RELAIS_EMAIL_CONFIRMATION_HOURS = 72
    with time_machine.travel(START, tick=False):
        link = sign_up(client, mailoutbox)
    with time_machine.travel(START + dt.timedelta(hours=73), tick=False):
        response = client.post(link)

    assert response.status_code == 400
    assert not security.email_confirmed(awa())


def uid_and_token(link: str) -> tuple[str, str]:
    uid, token = link.rstrip("/").rsplit("/", 2)[1:]
    return uid, token


@pytest.mark.parametrize(
    "mangle",
    [
        lambda uid, token: f"/comptes/confirmer/{uid}/{token[:-2]}xx/",  # the signature
        lambda uid, token: f"/comptes/confirmer/{uid}/sanstiret/",
        lambda uid, token: f"/comptes/confirmer/{uid}/zzzzzzzzzzzzzzzzzz-{token.split('-')[1]}/",  # the date
        lambda uid, token: f"/comptes/confirmer/!!!/{token}/",  # not base 64
        lambda uid, token: f"/comptes/confirmer/OTk5OTk5/{token}/",  # an account that does not exist
    ],
)
def test_a_tampered_link_confirms_nothing_and_never_crashes(client, mailoutbox, mangle):
    link = sign_up(client, mailoutbox)

    response = client.post(mangle(*uid_and_token(link)))

    assert response.status_code == 400
    assert not security.email_confirmed(awa())


def test_a_link_of_another_purpose_does_not_confirm(client, mailoutbox):
    sign_up(client, mailoutbox)
    client.post("/comptes/mot-de-passe-oublie/", {"email": "awa@example.org"})
    reset_link = re.search(r"/comptes/nouveau-mot-de-passe/(\S+)/(\S+)/", mailoutbox[-1].body)

    response = client.post(f"/comptes/confirmer/{reset_link[1]}/{reset_link[2]}/")

    assert response.status_code == 400
    assert not security.email_confirmed(awa())


def test_an_unconfirmed_account_can_neither_ask_to_join_nor_propose_a_structure(client):
    user = make_user(email_confirmed_at=None)
    structure = make_structure()
    client.force_login(user)

    join = client.post(reverse("offer:partner_join_structure", args=[structure.pk]))
    propose_page = client.get(reverse("offer:partner_propose"))
    propose = client.post(reverse("offer:partner_propose"), {"nom": "Ma structure"})

    assert join["Location"] == propose_page["Location"] == propose["Location"] == RESEND
    assert not Membership.objects.filter(user=user).exists()
    assert Structure.objects.count() == 1
    assert "Confirmez d’abord votre adresse" in client.get(RESEND).content.decode()


def test_once_confirmed_the_same_account_may_ask_to_join(client, mailoutbox):
    structure = make_structure()
    link = sign_up(client, mailoutbox)
    client.post(link)
    client.force_login(awa())

    response = client.post(reverse("offer:partner_join_structure", args=[structure.pk]))

    assert response["Location"] != RESEND
    assert Membership.objects.filter(user=awa(), structure=structure).exists()


def test_the_resend_page_sends_a_new_link_to_an_unconfirmed_account_and_answers_the_same_otherwise(client, mailoutbox):
    make_user(email="awa@example.org", email_confirmed_at=None)
    make_user(email="deja@example.org")

    answers = [client.post(RESEND, {"email": email}) for email in ("AWA@example.org", "deja@example.org", "x@ex.org")]

    assert {a["Location"] for a in answers} == {reverse("accounts:email_sent")}
    [message] = mailoutbox
    assert message.to == ["awa@example.org"]
    client.post(link_in(message))
    assert security.email_confirmed(awa())


def test_the_resend_page_is_throttled_per_address(client, mailoutbox):
    make_user(email="awa@example.org", email_confirmed_at=None)

    answers = [client.post(RESEND, {"email": "awa@example.org"}, REMOTE_ADDR=f"203.0.113.{n}") for n in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 200]
    assert "Trop de demandes" in answers[-1].content.decode()
    assert len(mailoutbox) == 3


def test_a_logged_in_confirmed_account_is_told_its_address_is_confirmed(client):
    client.force_login(make_user())

    assert "déjà confirmée" in client.get(RESEND).content.decode()


def test_an_account_made_by_createsuperuser_is_confirmed():
    # The admin's accounts: test_admin.py; load_demo's: tests/test_demo_accounts.py; OIDC's: test_oidc_login.py.
    superuser = User.objects.create_superuser(email="root@example.org", password="un-mot-de-passe-solide")

    assert security.email_confirmed(superuser)


def test_a_user_created_in_code_is_unconfirmed_until_proven():
    assert not security.email_confirmed(User.objects.create_user(email="code@example.org", password=None))


def test_the_migration_confirms_staff_superusers_and_demo_accounts_only():
    staff = make_user(is_staff=True, email_confirmed_at=None)
    demo = make_user(email="partenaire@demo.relais", email_confirmed_at=None)
    signed_up = make_user(email_confirmed_at=None)
    migration = importlib.import_module("relais.accounts.migrations.0004_login_attempts_and_email_confirmation")

    migration.confirm_vouched_accounts(apps, None)

    assert [security.email_confirmed(User.objects.get(pk=u.pk)) for u in (staff, demo, signed_up)] == [
        True,
        True,
        False,
    ]
