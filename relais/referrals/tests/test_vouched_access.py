"""Vouched access (docs/adr/0007-referrals.md, 2026-12-07): claiming or proposing a structure opens no referral.

The attack of issue 8: sign up, ask to join a structure that has no member, set up a second factor, read
its inbox. Now the request waits for a moderator of the structure's territory, and even then the new
admin sees only the referrals sent from the moment of the approval.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Membership
from relais.offer import actions as offer_actions
from relais.offer.models import Moderation, Service, Structure
from relais.referrals import roles
from relais.referrals.actions import ReferralError
from relais.referrals.models import Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_commune, make_moderator, make_service, make_structure, make_territory, make_user

OLD_NAME, NEW_NAME = "Ancienne-Orientation", "Nouvelle-Orientation"


def inbox_texts(client, referral):
    """What the claimant can read of `referral` on every path to the inbox."""
    return {
        "page inbox": client.get(reverse("referrals:inbox")).content.decode(),
        "api list": client.get("/api/v1/referrals?box=received").content.decode(),
        "page detail": client.get(reverse("referrals:detail", args=[referral.pk])).status_code,
        "api detail": client.get(f"/api/v1/referrals/{referral.pk}").status_code,
        "attachment": client.get(reverse("referrals:attachment", args=[referral.pk])).status_code,
        "answer": client.post(reverse("referrals:answer", args=[referral.pk]), {"decision": "accept"}).status_code,
    }


def assert_hidden(texts, name):
    assert name not in texts["page inbox"] and name not in texts["api list"]
    assert texts["page detail"] == texts["api detail"] == texts["attachment"] == texts["answer"] == 404


@pytest.fixture
def orphan(world):
    """A published structure with no member left, which received a referral before."""
    commune = make_commune()
    structure = make_structure(nom="Structure sans membre test", code_insee=commune.code, courriel="contact@orphan.fr")
    service = make_service(structure)
    old = make_referral(world, Status.SENT, service=service, last_name=OLD_NAME)
    moderator = make_moderator(make_territory(communes=[commune]), user=make_user(email="moderatrice@example.org"))
    return structure, service, old, moderator


def test_claiming_a_structure_with_no_member_opens_no_referral_until_a_moderator_approves(client, world, orphan):
    structure, service, old, moderator = orphan
    attacker = make_user(email="premier@orphan.fr")
    log_in(client, attacker)  # even with a second factor of their own

    client.post(reverse("offer:partner_join_structure", args=[structure.pk]))

    claim = Membership.objects.get(user=attacker, structure=structure)
    assert claim.status == Membership.Status.PENDING and claim.role == Membership.Role.ADMIN
    assert roles.access(attacker) == {}
    assert_hidden(inbox_texts(client, old), OLD_NAME)


def test_an_approved_first_admin_sees_only_the_referrals_sent_after_the_approval(client, world, orphan):
    structure, service, old, moderator = orphan
    claimant = make_user(email="directrice@orphan.fr")
    claim = offer_actions.request_membership(claimant, structure)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        offer_actions.decide_claim(moderator, claim, approve=True)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        new = make_referral(world, Status.SENT, service=service, last_name=NEW_NAME)
        log_in(client, claimant)

        texts = inbox_texts(client, old)

        assert_hidden(texts, OLD_NAME)
        assert NEW_NAME in texts["page inbox"] and NEW_NAME in texts["api list"]
        assert client.get(reverse("referrals:detail", args=[new.pk])).status_code == 200
        assert client.get(f"/api/v1/referrals/{new.pk}").status_code == 200


def test_a_proposed_structure_opens_no_referral_before_moderation_validates_it(client, world):
    commune = make_commune()
    moderator = make_moderator(make_territory(communes=[commune]))
    proposer = make_user(email="fondatrice@nouvelle.example.org")
    structure = offer_actions.propose_structure(
        proposer, {"nom": "Nouvelle structure test", "code_insee": commune.code, "commune": commune.name}
    )
    service = make_service(structure)
    with pytest.raises(ReferralError):  # nothing can be sent to a structure moderation has not validated
        make_referral(world, Status.SENT, service=service, last_name="Jamais-envoyée")
    # A referral that reached the structure all the same (data from before this rule): published for a moment.
    service_moderation = service.moderation
    Structure.objects.filter(pk=structure.pk).update(moderation=Moderation.PUBLISHED)
    Service.objects.filter(pk=service.pk).update(moderation=Moderation.PUBLISHED)
    before = make_referral(world, Status.SENT, service=Service.objects.get(pk=service.pk), last_name=OLD_NAME)
    Structure.objects.filter(pk=structure.pk).update(moderation=Moderation.PENDING)
    Service.objects.filter(pk=service.pk).update(moderation=service_moderation)
    log_in(client, proposer)

    assert roles.structure_ids(proposer) == []  # neither receives nor sends as this organisation yet
    assert_hidden(inbox_texts(client, before), OLD_NAME)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        offer_actions.decide_structure(moderator, structure, approve=True)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        after = make_referral(world, Status.SENT, service=Service.objects.get(pk=service.pk), last_name=NEW_NAME)
        del proposer._referral_access
        log_in(client, proposer)

        texts = inbox_texts(client, before)

        assert_hidden(texts, OLD_NAME)  # received while nobody had been vouched for: stays unread
        assert NEW_NAME in texts["page inbox"]
        assert client.get(f"/api/v1/referrals/{after.pk}").status_code == 200
        assert Membership.objects.get(user=proposer).decided_by == moderator


def test_an_older_referral_stays_with_the_members_who_had_access(client, world, referral_in):
    referral_in(Status.SENT, last_name=OLD_NAME)
    log_in(client, world.receiver)

    assert OLD_NAME in client.get("/api/v1/referrals?box=received").content.decode()
