"""Every path that returns a person's data writes an access-log row (issue 8, point 8).

READS lists each path (page, API route, signed link) with how to call it; the test calls each one and
checks the log gained a row for that referral, by that account or link. The enumeration is checked
against the project's declared personal-data URLs (tests/test_second_factor_everywhere.py) and the
signed-link routes, so a new path must come here too.
"""

import json
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from relais.referrals import consent, links
from relais.referrals.models import AccessLog, AnswerLink, Referral, Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_user
from tests.test_second_factor_everywhere import PERSONAL

ROA = "referrals:right_of_access"


def _api_create_payload(world):
    return {
        "service_id": world.service.pk,
        "person": {"first_name": "Amandine", "last_name": "Rejouée"},
        "contact": {"channel": "phone", "value": "06 12 34 56 78"},
        "situation": "housing",
        "reason": "Cherche un accompagnement budgétaire.",
        "consent": {"person_informed_and_agrees": True, "wording_version": consent.CURRENT},
    }


def _create(client, world, key):
    return client.post(
        "/api/v1/referrals",
        json.dumps(_api_create_payload(world)),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def _roa_form(name="Zéphyrin"):
    return {"last_name": name, "first_name": "Amandine", "contact": ""}


# name -> (who calls it, the referral's state, how to call it: (client, world, referral) -> response)
READS = {
    "referrals:detail": ("receiver", Status.SENT, lambda c, w, r: c.get(reverse("referrals:detail", args=[r.pk]))),
    "referrals:inbox": ("receiver", Status.SENT, lambda c, w, r: c.get(reverse("referrals:inbox"))),
    "referrals:sent": ("professional", Status.SENT, lambda c, w, r: c.get(reverse("referrals:sent"))),
    "referrals:confirm": (
        "professional",
        Status.DRAFT,
        lambda c, w, r: c.get(reverse("referrals:confirm", args=[r.pk])),
    ),
    "referrals:attachment": (
        "receiver",
        Status.SENT,
        lambda c, w, r: c.get(reverse("referrals:attachment", args=[r.pk])),
    ),
    "referrals:answer": (
        "receiver",
        Status.SENT,
        lambda c, w, r: c.post(reverse("referrals:answer", args=[r.pk]), {"decision": "accept"}),
    ),
    "referrals:outcome": (
        "receiver",
        Status.ACCEPTED,
        lambda c, w, r: c.post(reverse("referrals:outcome", args=[r.pk]), {"outcome": "got_help"}),
    ),
    "referrals:cancel": ("professional", Status.SENT, lambda c, w, r: c.post(reverse("referrals:cancel", args=[r.pk]))),
    "referrals:right_of_access (list)": ("agent", Status.SENT, lambda c, w, r: c.post(reverse(ROA), _roa_form())),
    "referrals:right_of_access (list again, nothing ticked)": (
        "agent",
        Status.SENT,
        lambda c, w, r: c.post(reverse(ROA), {**_roa_form(), "step": "export", "referrals": []}),
    ),
    "referrals:right_of_access (export)": (
        "agent",
        Status.SENT,
        lambda c, w, r: c.post(reverse(ROA), {**_roa_form(), "step": "export", "referrals": [str(r.pk)]}),
    ),
    "referrals:link": ("nobody", Status.SENT, lambda c, w, r: c.get(reverse("referrals:link", args=[_token(r)]))),
    "referrals:link_attachment": (
        "nobody",
        Status.SENT,
        lambda c, w, r: c.get(reverse("referrals:link_attachment", args=[_token(r)])),
    ),
    "referrals:person_status": (
        "nobody",
        Status.SENT,
        lambda c, w, r: c.get(reverse("referrals:person_status", args=[links.person_token(r)])),
    ),
    "api:list_referrals (received)": ("receiver", Status.SENT, lambda c, w, r: c.get("/api/v1/referrals?box=received")),
    "api:list_referrals (sent)": ("professional", Status.SENT, lambda c, w, r: c.get("/api/v1/referrals?box=sent")),
    "api:retrieve_referral": ("receiver", Status.SENT, lambda c, w, r: c.get(f"/api/v1/referrals/{r.pk}")),
    "api:answer_referral": (
        "receiver",
        Status.SENT,
        lambda c, w, r: c.post(f"/api/v1/referrals/{r.pk}/answer", {"decision": "accept"}, "application/json"),
    ),
    "api:record_outcome": (
        "receiver",
        Status.ACCEPTED,
        lambda c, w, r: c.post(f"/api/v1/referrals/{r.pk}/outcome", {"outcome": "got_help"}, "application/json"),
    ),
    "api:cancel_referral": (
        "professional",
        Status.SENT,
        lambda c, w, r: c.post(f"/api/v1/referrals/{r.pk}/cancel", content_type="application/json"),
    ),
}
# Paths that create a referral: the new referral is the one logged (checked apart, below).
CREATES = {"api:create_referral", "api:create_referral (replay)"}
# Declared personal-data URLs that return no referral data at all, with the reason.
NOT_A_READ = {
    "referrals:new": "an empty form; the draft it creates is logged by actions.save_draft (test_referral_form.py)",
    "referrals:link_renew": "sends a new link to the listed address and shows nothing; logged as renew_link",
    "referrals:link_renewed": "« a new link was sent »: nothing of any referral",
    "referrals:link_done": "« answer recorded »: nothing of any referral",
    "referrals:statistics": "anonymous figures",
    "api:referral_statistics": "anonymous figures",
}


def _token(referral):
    return links.token_for(AnswerLink.objects.filter(referral=referral).latest("created_at"))


def test_the_enumeration_covers_every_referral_path_of_the_project():
    from relais.referrals import urls

    pages = {f"referrals:{p.name}" for p in urls.urlpatterns}
    api = {name for name in PERSONAL if name.startswith("api:")}
    enumerated = {name.split(" (")[0] for name in READS} | {n.split(" (")[0] for n in CREATES} | set(NOT_A_READ)
    assert pages | api == enumerated


@pytest.fixture
def agent():
    user = make_user(email="dpo@example.org")
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return user


@pytest.mark.parametrize("path", sorted(READS))
def test_every_read_of_personal_data_writes_an_access_log_row(client, world, agent, path):
    who, state, call = READS[path]
    referral = make_referral(world, state)
    name = default_storage.save("referrals/test/piece.pdf", ContentFile(b"%PDF-1.4 test"))
    Referral.objects.filter(pk=referral.pk).update(attachment=name, attachment_kind="pdf")
    user = agent if who == "agent" else getattr(world, who, None)
    if user is not None:
        log_in(client, user)
    before = set(AccessLog.objects.values_list("pk", flat=True))

    response = call(client, world, referral)

    if response.streaming:
        b"".join(response.streaming_content)  # read the attachment to its end, as a browser would
    assert response.status_code < 400, f"{path}: {response.status_code}"
    rows = AccessLog.objects.exclude(pk__in=before).filter(referral_id=referral.pk)
    if user is not None:
        rows = rows.filter(user=user)
    assert rows.exists(), f"{path} returned personal data without an access-log row"


def test_creating_and_replaying_a_referral_by_the_api_are_both_logged(client, world):
    log_in(client, world.professional)
    key = str(uuid.uuid4())
    assert _create(client, world, key).status_code == 201
    created = Referral.objects.get(last_name="Rejouée")
    assert AccessLog.objects.filter(referral_id=created.pk, user=world.professional).exists()
    before = AccessLog.objects.filter(referral_id=created.pk).count()

    response = _create(client, world, key)

    assert response.status_code == 201 and response["Idempotent-Replayed"] == "true"
    assert json.loads(response.content)["last_name"] == "Rejouée"
    replay = AccessLog.objects.filter(referral_id=created.pk).order_by("-id").first()
    assert AccessLog.objects.filter(referral_id=created.pk).count() == before + 1
    assert (replay.action, replay.channel, replay.detail, replay.user) == ("view", "api", "replay", world.professional)
