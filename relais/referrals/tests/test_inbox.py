"""The structure's inbox and answers: paginated with a pinned query count, answers logged, no open redirect."""

import pytest
from django.urls import reverse

from relais.referrals.models import AccessLog, Outcome, Referral, ReferralTransition, Status
from relais.referrals.tests.conftest import log_in, make_referral


def bulk_referrals(world, count: int):
    """Many sent referrals at once (the inbox's cost does not depend on how they were made)."""
    template = make_referral(world, Status.SENT)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Referral._meta.concrete_fields
        if f.attname not in ("id", "submission_key")
    }
    Referral.objects.bulk_create([Referral(**fields) for _ in range(count - 1)], batch_size=2000)


def test_the_inbox_lists_the_referrals_sent_to_my_structure_only(client, world, referral_in):
    mine = referral_in(Status.SENT)
    elsewhere_service = __import__("tests.factories", fromlist=["make_service"]).make_service(world.other)
    elsewhere = make_referral(world, Status.SENT, service=elsewhere_service, first_name="Bérénice")
    log_in(client, world.receiver)
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:detail", args=[mine.pk]) in page
    assert reverse("referrals:detail", args=[elsewhere.pk]) not in page
    assert "Bérénice" not in page


def test_drafts_never_reach_the_inbox(client, world, referral_in):
    draft = referral_in(Status.DRAFT)
    log_in(client, world.receiver)
    assert reverse("referrals:detail", args=[draft.pk]) not in client.get(reverse("referrals:inbox")).content.decode()


def test_the_inbox_filters_by_status_and_ignores_an_unknown_one(client, world, referral_in):
    sent, accepted = referral_in(Status.SENT), referral_in(Status.ACCEPTED)
    log_in(client, world.receiver)
    page = client.get(reverse("referrals:inbox"), {"status": "accepted"}).content.decode()
    assert reverse("referrals:detail", args=[accepted.pk]) in page
    assert reverse("referrals:detail", args=[sent.pk]) not in page
    response = client.get(reverse("referrals:inbox"), {"status": "n’importe quoi", "page": "abc"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 120, 10_000])
def test_the_inbox_costs_a_fixed_number_of_queries_whatever_its_size(client, world, size, django_assert_num_queries):
    bulk_referrals(world, size)
    assert Referral.objects.received_by({world.receiving.pk: world.receiving.created_at}).count() == size
    log_in(client, world.receiver)
    client.get(reverse("referrals:inbox"))  # warm the session
    # session, user, the session's second-factor device, memberships, count, page rows (service and sender
    # structure joined), one access-log insert for the page, the menu's moderator check: 8 queries, for 3
    # referrals as for 10,000 (the figure bench/bench_referrals_inbox.py times).
    with django_assert_num_queries(8):
        response = client.get(reverse("referrals:inbox"), {"page": 2 if size > 50 else 1})
    assert response.status_code == 200
    assert response.content.decode().count('href="/orientations/') >= min(size, 50)


def test_a_member_accepts_from_the_referral_page_and_the_professional_records_the_outcome(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    response = client.post(reverse("referrals:answer", args=[referral.pk]), {"decision": "accept"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    log_in(client, world.colleague)  # the professional's organisation follows it too
    client.post(reverse("referrals:outcome", args=[referral.pk]), {"outcome": Outcome.GOT_HELP})
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, Outcome.GOT_HELP)
    last = ReferralTransition.objects.filter(referral=referral).order_by("id").last()
    assert (last.actor, last.party) == (world.colleague, "sender")


def test_a_refusal_needs_a_reason_and_can_be_shared_with_the_person(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver_admin)
    response = client.post(reverse("referrals:answer", args=[referral.pk]), {"decision": "refuse"}, follow=True)
    assert "choisissez un motif" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    client.post(
        reverse("referrals:answer", args=[referral.pk]),
        {"decision": "refuse", "refusal_reason": "out_of_zone", "share_reason": "on"},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.refusal_reason, referral.share_reason_with_person) == (
        Status.REFUSED,
        "out_of_zone",
        True,
    )


def test_a_replayed_answer_is_rejected_with_a_message_and_changes_nothing(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    client.post(reverse("referrals:answer", args=[referral.pk]), {"decision": "accept"})
    response = client.post(
        reverse("referrals:answer", args=[referral.pk]),
        {"decision": "refuse", "refusal_reason": "no_capacity"},
        follow=True,
    )
    assert "Rien n’a été modifié" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert ReferralTransition.objects.filter(referral=referral, from_status=Status.SENT).count() == 1


def test_a_safe_next_address_is_followed_after_answering(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    response = client.post(
        reverse("referrals:answer", args=[referral.pk]), {"decision": "accept", "next": "/orientations/recues/?page=2"}
    )
    assert response.url == "/orientations/recues/?page=2"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "https:///evil.example", "\\\\evil"]
)
def test_an_open_redirect_is_rejected_with_a_message_and_changes_nothing(client, world, referral_in, target):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    response = client.post(reverse("referrals:answer", args=[referral.pk]), {"decision": "accept", "next": target})
    assert response.status_code == 400
    assert "mène hors de la plateforme" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_an_open_redirect_on_the_outcome_form_is_rejected_too(client, world, referral_in):
    referral = referral_in(Status.ACCEPTED)
    log_in(client, world.professional)
    response = client.post(
        reverse("referrals:outcome", args=[referral.pk]), {"outcome": "got_help", "next": "https://evil.example/"}
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_the_sent_list_shows_mine_and_my_organisations_but_not_my_colleagues_drafts(client, world, referral_in):
    mine = referral_in(Status.SENT)
    colleague_sent = make_referral(world, Status.SENT, sender=world.colleague, first_name="Capucine")
    colleague_draft = make_referral(world, Status.DRAFT, sender=world.colleague, first_name="Dorothée")
    log_in(client, world.professional)
    page = client.get(reverse("referrals:sent")).content.decode()
    assert reverse("referrals:detail", args=[mine.pk]) in page
    assert reverse("referrals:detail", args=[colleague_sent.pk]) in page
    assert reverse("referrals:detail", args=[colleague_draft.pk]) not in page and "Dorothée" not in page
    assert AccessLog.objects.filter(action="list", user=world.professional).count() == 2


def test_steering_staff_and_agents_find_their_pages_from_the_inbox(client, world):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    log_in(client, world.steering)
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:statistics") in page and reverse("referrals:right_of_access") not in page
    agent = make_user(email="dpo@example.org")
    agent.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    log_in(client, agent)
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:right_of_access") in page and reverse("referrals:statistics") not in page
    log_in(client, world.receiver)
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:statistics") not in page and reverse("referrals:right_of_access") not in page
