"""The declared state machine: legal steps move and log, anything else is rejected and changes nothing."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.utils import timezone

from relais.referrals import actions, audit, consent, machine, retention
from relais.referrals.models import AccessLog, Outcome, Party, Referral, ReferralTransition, RefusalReason, Status
from relais.referrals.tests.conftest import make_referral
from tests.factories import make_service, make_structure

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
ARGS = {
    Status.SENT: {"consent_version": consent.CURRENT},
    Status.REFUSED: {"refusal_reason": RefusalReason.NOT_ELIGIBLE, "share_reason": True},
    Status.CLOSED: {"outcome": Outcome.NOT_REACHED},
}


def _actor(world, party):
    return {Party.SENDER: world.professional, Party.RECEIVER: world.receiver, Party.SYSTEM: None}[party]


DECLARED = [(frm, to, party) for (frm, to), step in machine.TRANSITIONS.items() for party in sorted(step.parties)]
UNDECLARED = [
    (frm, to) for frm, to in itertools.product(Status.values, Status.values) if (frm, to) not in machine.TRANSITIONS
]


@pytest.mark.parametrize(("from_status", "to_status", "party"), DECLARED)
def test_every_declared_transition_moves_the_referral_and_logs_actor_time_from_to_reason(
    world, from_status, to_status, party
):
    referral = make_referral(world, from_status)
    actor = _actor(world, party)
    with time_machine.travel(NOW, tick=False):
        actions.transition(
            referral, to_status, party=party, actor=actor, channel=audit.Channel.WEB, **ARGS.get(to_status, {})
        )
    referral.refresh_from_db()
    assert referral.status == to_status
    last = referral.transitions.order_by("id").last()
    assert (last.from_status, last.to_status, last.party, last.at) == (from_status, to_status, party, NOW)
    assert last.actor == actor
    expected_reason = {
        Status.SENT: f"consent:{consent.CURRENT}",
        Status.REFUSED: RefusalReason.NOT_ELIGIBLE,
        Status.CLOSED: Outcome.NOT_REACHED,
    }.get(to_status, "")
    assert last.reason == expected_reason
    change = AccessLog.objects.filter(referral=referral, action=AccessLog.Action.CHANGE).order_by("id").last()
    assert change.detail == f"{from_status}>{to_status}" and change.at == NOW


@pytest.mark.parametrize(("from_status", "to_status"), UNDECLARED)
def test_every_undeclared_transition_is_rejected_and_changes_nothing(world, from_status, to_status):
    referral = make_referral(world, from_status)
    before = Referral.objects.filter(pk=referral.pk).values().get()
    steps = ReferralTransition.objects.count()
    for party in Party.values:
        with pytest.raises(actions.IllegalTransition):
            actions.transition(
                referral, to_status, party=party, actor=_actor(world, party), channel="web", **ARGS.get(to_status, {})
            )
    assert Referral.objects.filter(pk=referral.pk).values().get() == before
    assert ReferralTransition.objects.count() == steps


@pytest.mark.parametrize(
    ("from_status", "to_status", "party"),
    [
        (frm, to, party)
        for (frm, to), step in machine.TRANSITIONS.items()
        for party in Party.values
        if party not in step.parties
    ],
)
def test_a_declared_step_taken_by_the_wrong_party_is_rejected(world, from_status, to_status, party):
    referral = make_referral(world, from_status)
    with pytest.raises(actions.IllegalTransition):
        actions.transition(
            referral, to_status, party=party, actor=_actor(world, party), channel="web", **ARGS.get(to_status, {})
        )
    referral.refresh_from_db()
    assert referral.status == from_status


def test_refusing_needs_a_reason_from_the_list(world):
    referral = make_referral(world, Status.SENT)
    with pytest.raises(actions.ReferralError, match="motif"):
        actions.refuse(referral, reason="parce que", share=False, actor=world.receiver, channel="web")
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.refusal_reason == ""


def test_closing_needs_an_outcome_from_the_list(world):
    referral = make_referral(world, Status.ACCEPTED)
    with pytest.raises(actions.ReferralError, match="issue"):
        actions.record_outcome(referral, outcome="", party=Party.SENDER, actor=world.professional, channel="web")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_sending_stores_the_consent_wording_version_and_time_and_the_deadline(world, settings):
    settings.RELAIS_REFERRAL_EXPIRY_DAYS = 12
    referral = make_referral(world, Status.DRAFT)
    with time_machine.travel(NOW, tick=False):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    referral.refresh_from_db()
    assert referral.consent_wording_version == consent.CURRENT
    assert referral.consent_at == NOW == referral.sent_at
    assert referral.answer_due_at == NOW + dt.timedelta(days=12)


def test_sending_without_a_known_consent_wording_is_refused(world):
    referral = make_referral(world, Status.DRAFT)
    with pytest.raises(actions.ReferralError, match="consentement"):
        actions.send(referral, actor=world.professional, consent_version="1999-01")
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT and referral.consent_at is None


def test_answering_sets_the_erasure_dates_from_the_settings(world, settings):
    settings.RELAIS_REFERRAL_RETENTION_DAYS = 60
    settings.RELAIS_REFERRAL_OPEN_RETENTION_DAYS = 120
    settings.RELAIS_REFERRAL_ATTACHMENT_DAYS = 10
    referral = make_referral(world, Status.SENT)
    with time_machine.travel(NOW, tick=False):
        actions.accept(referral, actor=world.receiver, channel="web")
    referral.refresh_from_db()
    assert referral.answered_at == NOW
    assert referral.personal_data_purge_after == NOW + dt.timedelta(days=120)  # open: the upper bound
    assert referral.attachment_purge_after == NOW + dt.timedelta(days=10)
    # Closing erases them the retention after the closing (earlier than the open bound here).
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        actions.record_outcome(
            referral, outcome=Outcome.GOT_HELP, party=Party.RECEIVER, actor=world.receiver, channel="web"
        )
    referral.refresh_from_db()
    assert referral.personal_data_purge_after == NOW + dt.timedelta(days=65)
    assert referral.ended_at == NOW + dt.timedelta(days=5)


def test_an_accepted_referral_still_open_after_90_days_keeps_the_persons_data_until_the_bound(world, settings):
    settings.RELAIS_REFERRAL_RETENTION_DAYS = 90
    settings.RELAIS_REFERRAL_OPEN_RETENTION_DAYS = 180
    referral = make_referral(world, Status.SENT)
    with time_machine.travel(NOW, tick=False):
        actions.accept(referral, actor=world.receiver, channel="web")

    retention.purge(NOW + dt.timedelta(days=91))
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.last_name and referral.anonymised_at is None

    # Closed late (day 150): the retention after closing would reach day 240; the open bound (day 180) wins.
    with time_machine.travel(NOW + dt.timedelta(days=150), tick=False):
        actions.record_outcome(
            referral, outcome=Outcome.GOT_HELP, party=Party.RECEIVER, actor=world.receiver, channel="web"
        )
    referral.refresh_from_db()
    assert referral.personal_data_purge_after == NOW + dt.timedelta(days=180)
    retention.purge(NOW + dt.timedelta(days=181))
    referral.refresh_from_db()
    assert referral.anonymised_at is not None and referral.last_name == ""


def test_a_refused_referral_keeps_the_persons_data_the_retention_after_the_refusal(world, settings):
    settings.RELAIS_REFERRAL_RETENTION_DAYS = 90
    referral = make_referral(world, Status.REFUSED)

    assert referral.personal_data_purge_after == referral.answered_at + dt.timedelta(days=90)


def test_a_service_with_neither_address_nor_member_cannot_receive_a_referral(world):
    lonely = make_service(make_structure(courriel=""), courriel="")
    referral = make_referral(world, Status.DRAFT, service=lonely)
    with pytest.raises(actions.ReferralError, match="ni adresse"):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT


def test_a_service_that_stopped_accepting_referrals_refuses_the_sending(world):
    referral = make_referral(world, Status.DRAFT)
    world.service.accepts_referrals = False
    world.service.save()
    referral.refresh_from_db()
    with pytest.raises(actions.ReferralError, match="n’accepte plus"):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)


def test_the_same_creation_form_twice_gives_one_draft(world):
    from uuid import uuid4

    from relais.referrals.tests.conftest import PERSON

    key = uuid4()
    first = actions.save_draft(
        sender=world.professional, sender_structure=world.sending, service=world.service, person=PERSON, key=key
    )
    second = actions.save_draft(
        sender=world.professional, sender_structure=world.sending, service=world.service, person=PERSON, key=key
    )
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    assert timezone.now() >= first.created_at
