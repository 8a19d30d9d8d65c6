"""The demo accounts and demo referrals of load_demo (README.md): a reviewer sees every role from a fresh clone.

Their names say « démo », their people are invented; the referrals go through the real state machine
and no e-mail is sent for them.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from relais import demo
from relais.accounts import security
from relais.accounts.models import User
from relais.accounts.testing import log_in_verified
from relais.referrals import roles
from relais.referrals.models import AccessLog, Referral, ReferralTransition, Status
from tests.test_demo import small_lyon

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    small_lyon()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = demo.load()
    return report, callbacks


def account(key):
    return User.objects.get(email=f"{key}@{demo.DEMO_EMAIL_DOMAIN}")


def test_every_demo_account_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Demo accounts", 1)[1].split("\n\n", 3)[2]
    listed = set(re.findall(r"`([a-z-]+@demo\.relais)`", table))
    small_lyon()
    assert set(demo.load().accounts) == listed


def test_a_prescriber_of_another_organisation_sends_to_the_partners_structure(loaded):
    report, _callbacks = loaded
    prescriber, member, partner = account("prescripteur"), account("membre"), account("partenaire")
    organisation = roles.structure_ids(prescriber)
    assert len(organisation) == 1 and organisation != roles.structure_ids(member)
    assert report.prescriber_organisation.endswith("(démo)")
    referrals = Referral.objects.filter(sender=prescriber)
    assert referrals.count() == report.referrals == 7
    assert {r.status for r in referrals} == {
        Status.DRAFT,
        Status.SENT,
        Status.ACCEPTED,
        Status.REFUSED,
        Status.CLOSED,
        Status.EXPIRED,
    }
    assert all(r.last_name.endswith("(démo)") for r in referrals)
    assert all(r.structure_id in roles.structure_ids(partner) for r in referrals)
    assert Referral.objects.received_by(roles.access(member)).count() == 6  # the draft stays the prescriber's


def test_the_demo_referrals_have_a_real_history_and_send_no_email(loaded):
    _report, callbacks = loaded
    closed = Referral.objects.get(status=Status.CLOSED)
    steps = list(ReferralTransition.objects.filter(referral=closed).order_by("at").values_list("to_status", flat=True))
    assert steps == [Status.SENT, Status.ACCEPTED, Status.CLOSED]
    assert closed.sent_at < closed.answered_at < closed.ended_at < closed.personal_data_purge_after
    assert AccessLog.objects.filter(referral=closed, action="change").count() == 4
    assert mail.outbox == [] and callbacks == []


def test_the_steering_and_right_of_access_accounts_have_their_roles_only(loaded, client):
    steering, agent = account("pilotage"), account("droit-acces")
    assert roles.is_steering(steering) and not roles.can_export(steering)
    assert roles.can_export(agent) and not roles.is_steering(agent)
    assert not roles.can_export(account("admin"))  # a superuser needs the explicit grant too
    log_in_verified(client, steering)
    page = client.get(reverse("observatory:signals")).content.decode()
    assert "plus de place pour le moment : 1" in page
    log_in_verified(client, agent)
    assert client.get(reverse("referrals:right_of_access")).status_code == 200


def test_the_inbox_and_the_sent_list_of_the_demo_accounts_are_not_empty(loaded, client):
    log_in_verified(client, account("membre"))
    assert "Bernard (démo)" in client.get(reverse("referrals:inbox")).content.decode()
    log_in_verified(client, account("prescripteur"))
    sent = client.get(reverse("referrals:sent")).content.decode()
    assert "Chevalier (démo)" in sent and "Bernard (démo)" in sent


def test_every_demo_account_has_a_confirmed_address(loaded):
    demo = User.objects.filter(email__endswith="@demo.relais")
    assert demo.count() == 7 and all(security.email_confirmed(user) for user in demo)


def test_loading_again_replaces_the_demo_referrals(loaded):
    first = set(Referral.objects.values_list("pk", flat=True))
    call_command("load_demo")
    again = set(Referral.objects.values_list("pk", flat=True))
    assert len(again) == 7 and not first & again


def test_the_demo_prescriber_may_screen_a_file_of_households_and_the_member_may_not(loaded, client):
    url = reverse("rights:screening")
    log_in_verified(client, account("prescripteur"))
    assert client.get(url).status_code == 200
    client.logout()
    log_in_verified(client, account("membre"))
    assert client.get(url).status_code in (403, 404)
