"""A referral goes only to a service people may see: published, of a published structure."""

import pytest

from relais.offer.models import Moderation, Service
from relais.referrals import actions, consent
from relais.referrals.models import Status
from relais.referrals.tests.conftest import make_referral
from tests.factories import make_service


@pytest.mark.parametrize("moderation", [Moderation.REJECTED, Moderation.PENDING])
def test_a_draft_is_not_sent_once_the_structure_of_its_service_is_no_longer_published(world, moderation):
    referral = make_referral(world, Status.DRAFT)
    world.receiving.moderation = moderation
    world.receiving.save()
    referral.refresh_from_db()
    with pytest.raises(actions.ReferralError, match="n’accepte plus"):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT


def test_visible_services_are_the_published_services_of_published_structures(world):
    world.other.moderation = Moderation.REJECTED
    world.other.save()
    hidden_by_structure = make_service(world.other)
    hidden_itself = make_service(world.receiving, moderation=Moderation.PENDING)
    visible = Service.objects.visible()
    assert world.service in visible
    assert hidden_by_structure not in visible
    assert hidden_itself not in visible
    assert world.service.is_visible and not hidden_by_structure.is_visible and not hidden_itself.is_visible
