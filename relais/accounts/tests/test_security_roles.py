"""Who must use a second factor, and the gate in front of personal data (relais/accounts/security.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import security
from relais.accounts.decorators import personal_data_access
from relais.accounts.models import Membership
from relais.accounts.testing import log_in_verified
from tests.factories import make_member, make_moderator, make_structure, make_user

pytestmark = pytest.mark.django_db


def request_as(user, session=None):
    request = RequestFactory().get("/orientations/recues/?page=2")
    request.user = user
    request.session = session or SessionStore()
    return request


@personal_data_access
def personal_page(request):
    return HttpResponse("données personnelles")


def test_a_resident_without_any_role_cannot_see_personal_data():
    assert security.can_see_personal_data(make_user()) is False


def test_a_pending_or_rejected_membership_is_not_a_role():
    structure = make_structure()
    assert not security.can_see_personal_data(make_member(structure, status=Membership.Status.PENDING))
    assert not security.can_see_personal_data(make_member(structure, status=Membership.Status.REJECTED))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: make_member(make_structure()), id="active member"),
        pytest.param(lambda: make_member(make_structure(), role=Membership.Role.ADMIN), id="structure admin"),
        pytest.param(lambda: make_moderator(), id="territory moderator"),
        pytest.param(lambda: make_user(is_staff=True), id="staff"),
        pytest.param(lambda: make_user(is_superuser=True), id="superuser"),
    ],
)
def test_every_role_beyond_a_residents_can_see_personal_data(make):
    assert security.can_see_personal_data(make()) is True


def test_steering_staff_and_agents_with_a_permission_can_see_personal_data():
    steering = make_user()
    steering.groups.add(Group.objects.get_or_create(name="pilotage")[0])
    agent = make_user()
    agent.user_permissions.add(Permission.objects.get(codename="view_user"))

    assert security.can_see_personal_data(steering) and security.can_see_personal_data(agent)


def test_an_inactive_account_has_no_role():
    assert security.can_see_personal_data(make_user(is_staff=True, is_active=False)) is False


def test_a_member_without_a_device_is_sent_to_set_one_up_then_back():
    response = personal_page(request_as(make_member(make_structure())))

    assert response.status_code == 302
    assert response["Location"] == "/comptes/double-authentification/?next=%2Forientations%2Frecues%2F%3Fpage%3D2"


def test_a_member_with_a_device_is_asked_for_a_code_once_per_session():
    member = make_member(make_structure())
    TOTPDevice.objects.create(user=member, name="application", confirmed=True)

    response = personal_page(request_as(member))

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/double-authentification/verifier/?next=")


def test_an_unconfirmed_device_does_not_count():
    member = make_member(make_structure())
    device = TOTPDevice.objects.create(user=member, name="application", confirmed=False)
    session = SessionStore()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    response = personal_page(request_as(member, session))

    assert response["Location"].startswith("/comptes/double-authentification/?next=")
    assert DEVICE_ID_SESSION_KEY not in session


def test_a_verified_session_sees_the_personal_data():
    member = make_member(make_structure())
    device = TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    session = SessionStore()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    response = personal_page(request_as(member, session))

    assert response.status_code == 200 and response.content == "données personnelles".encode()


def test_a_session_verified_with_another_persons_device_is_not_verified():
    member = make_member(make_structure())
    TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    stranger_device = TOTPDevice.objects.create(user=make_user(), name="application", confirmed=True)
    session = SessionStore()
    session[DEVICE_ID_SESSION_KEY] = stranger_device.persistent_id

    response = personal_page(request_as(member, session))

    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in session


def test_a_device_removed_by_an_administrator_ends_the_verification():
    member = make_member(make_structure())
    device = TOTPDevice.objects.create(user=member, name="application", confirmed=True)
    session = SessionStore()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    device.delete()

    response = personal_page(request_as(member, session))

    assert response["Location"].startswith("/comptes/double-authentification/?next=")


def test_a_resident_without_a_role_passes_the_gate_the_page_decides():
    assert security.require_verified_second_factor(request_as(make_user())) is None


def test_a_resident_who_chose_a_device_is_held_to_it():
    resident = make_user()
    TOTPDevice.objects.create(user=resident, name="application", confirmed=True)

    assert security.require_verified_second_factor(request_as(resident)) is not None


def test_the_referral_inbox_asks_for_the_second_factor_and_opens_once_verified(client):
    member = make_member(make_structure())
    client.force_login(member)

    response = client.get(reverse("referrals:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))

    log_in_verified(client, member)
    assert client.get(reverse("referrals:inbox")).status_code == 200


def test_the_referrals_api_refuses_a_session_without_second_factor(client):
    member = make_member(make_structure())
    client.force_login(member)
    assert client.get("/api/v1/referrals").status_code == 401

    log_in_verified(client, member)
    assert client.get("/api/v1/referrals").status_code == 200


def test_the_partner_space_asks_a_member_for_the_second_factor_but_not_a_pending_requester(client):
    member = make_member(make_structure())
    client.force_login(member)

    response = client.get(reverse("offer:partner_dashboard"))  # it lists pending requests: names and e-mails

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor_setup"))
    requester = make_user()
    make_member(make_structure(), status="pending", user=requester)
    client.force_login(requester)
    assert client.get(reverse("offer:partner_dashboard")).status_code == 200
