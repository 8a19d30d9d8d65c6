"""The generated permission matrix: every role × every endpoint (pages and API) × own / other organisation.

Each case expects one status; a referral the role does not need to know answers 404 and its body never
holds the person's name. The expectations come from a few rules (RULES), not from a hand-written table.
"""

import datetime as dt
import itertools
import json
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Membership
from relais.referrals import consent, links
from relais.referrals.models import AnswerLink, Referral, Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_member, make_service, make_structure, make_user

ROLES = [
    "anonymous",
    "professional",
    "colleague",
    "receiver",
    "receiver_admin",
    "outsider",
    "moderator",
    "steering",
    "administrator",
    "agent",  # export-only: the right-of-access permission, no organisation
    "former_rejected",  # sent `ours` as a member of the sending organisation; membership since rejected
    "former_removed",  # the same, membership since deleted
    "claimant_pending",  # asked to be the first admin of the receiving structure; no moderator approved it yet
    "late_member",  # joined the receiving structure (approved) after the referral was sent
    "late_colleague",  # joined the sending organisation (approved) after the referral was sent
]
LATE_ROLES = {"late_member": "receiving", "late_colleague": "sending"}
ORGANISATION_ROLES = {"professional", "colleague", "receiver", "receiver_admin", "outsider", *LATE_ROLES}
FORMER_ROLES = {"former_rejected", "former_removed"}
OURS_NAME, THEIRS_NAME, CREATED_NAME = "Zéphyrin", "Ystadaux", "Créée-par-api"


class Endpoint:
    def __init__(
        self, name, method, url, *, api=False, state=Status.SENT, data=None, rules=None, personal=True, token=False
    ):
        self.name, self.method, self.url, self.api, self.state = name, method, url, api, state
        self.data, self.rules, self.personal, self.token = data or {}, rules or {}, personal, token

    def __repr__(self):
        return self.name


def detail(r):
    return reverse("referrals:detail", args=[r.pk])


def api(path=""):
    return lambda r: f"/api/v1/referrals{path.format(id=r.pk) if r else path}"


def answer_token(r):
    return links.token_for(AnswerLink.objects.filter(referral=r).latest("created_at"))


def create_payload(world):
    return {
        "service_id": world.service.pk,
        "person": {"first_name": "Amandine", "last_name": CREATED_NAME},
        "contact": {"channel": "phone", "value": "06 12 34 56 78"},
        "situation": "housing",
        "reason": "Cherche un accompagnement budgétaire.",
        "consent": {"person_informed_and_agrees": True, "wording_version": consent.CURRENT},
    }


# Expected status by relation to the referral: sender (their organisation sent it, they are an active member),
# receiver (sent to their structure), none (neither). Anonymous visitors are redirected to log in (pages) or get
# 401 (API). Signed-link endpoints (token=True) need no account: the token decides, whoever is logged in.
SEE = {"sender": 200, "receiver": 200, "none": 404}
ENDPOINTS = [
    Endpoint("page detail", "get", detail, rules=SEE),
    Endpoint(
        "page detail of a draft", "get", detail, state=Status.DRAFT, rules={"sender": 200, "receiver": 404, "none": 404}
    ),
    Endpoint("page attachment", "get", lambda r: reverse("referrals:attachment", args=[r.pk]), rules=SEE),
    Endpoint(
        "page consent (already sent)",
        "get",
        lambda r: reverse("referrals:confirm", args=[r.pk]),
        rules={"sender": 302, "receiver": 302, "none": 404},
    ),
    Endpoint(
        "page answer",
        "post",
        lambda r: reverse("referrals:answer", args=[r.pk]),
        data={"decision": "accept"},
        rules={"sender": 403, "receiver": 302, "none": 404},
    ),
    Endpoint(
        "page outcome",
        "post",
        lambda r: reverse("referrals:outcome", args=[r.pk]),
        state=Status.ACCEPTED,
        data={"outcome": "got_help"},
        rules={"sender": 302, "receiver": 302, "none": 404},
    ),
    Endpoint(
        "page cancel",
        "post",
        lambda r: reverse("referrals:cancel", args=[r.pk]),
        rules={"sender": 302, "receiver": 403, "none": 404},
    ),
    Endpoint(
        "page inbox", "get", lambda r: reverse("referrals:inbox"), rules={"sender": 200, "receiver": 200, "none": 200}
    ),
    Endpoint(
        "page sent list",
        "get",
        lambda r: reverse("referrals:sent"),
        rules={"sender": 200, "receiver": 200, "none": 200},
    ),
    Endpoint("page statistics", "get", lambda r: reverse("observatory:signals"), personal=False),  # moved there
    Endpoint("page right of access", "get", lambda r: reverse("referrals:right_of_access"), personal=False),
    Endpoint("page new referral", "get", None, personal=False),
    Endpoint(
        "page link answer",
        "get",
        lambda r: reverse("referrals:link", args=[answer_token(r)]),
        token=True,
        rules={"any": 200},
    ),
    Endpoint(
        "page link answer (forged)",
        "get",
        lambda r: reverse("referrals:link", args=[answer_token(r)[:-4] + "AAAA"]),
        token=True,
        rules={"any": 400},
    ),
    Endpoint(
        "page link attachment",
        "get",
        lambda r: reverse("referrals:link_attachment", args=[answer_token(r)]),
        token=True,
        rules={"any": 200},
    ),
    Endpoint(
        "page link renew (still valid)",
        "post",
        lambda r: reverse("referrals:link_renew", args=[answer_token(r)]),
        token=True,
        rules={"any": 409},
    ),
    Endpoint(
        "page person follow-up",
        "get",
        lambda r: reverse("referrals:person_status", args=[links.person_token(r)]),
        token=True,
        personal=False,
        rules={"any": 200},
    ),
    Endpoint("api detail", "get", api("/{id}"), api=True, rules=SEE),
    Endpoint(
        "api list received", "get", api("?box=received"), api=True, rules={"sender": 200, "receiver": 200, "none": 200}
    ),
    Endpoint("api list sent", "get", api("?box=sent"), api=True, rules={"sender": 200, "receiver": 200, "none": 200}),
    Endpoint("api create", "post", None, api=True, personal=False),
    Endpoint(
        "api answer",
        "post",
        api("/{id}/answer"),
        api=True,
        data={"decision": "accept"},
        rules={"sender": 403, "receiver": 200, "none": 404},
    ),
    Endpoint(
        "api outcome",
        "post",
        api("/{id}/outcome"),
        api=True,
        state=Status.ACCEPTED,
        data={"outcome": "got_help"},
        rules={"sender": 200, "receiver": 200, "none": 404},
    ),
    Endpoint("api cancel", "post", api("/{id}/cancel"), api=True, rules={"sender": 200, "receiver": 403, "none": 404}),
    Endpoint("api statistics", "get", api("/statistics"), api=True, personal=False),
]


def relation(role: str, referral_is_ours: bool) -> str:
    if referral_is_ours:
        return {
            "professional": "sender",
            "colleague": "sender",
            "receiver": "receiver",
            "receiver_admin": "receiver",
        }.get(role, "none")  # a former member who sent it: none
    return "sender" if role == "outsider" else "none"


def expected(role: str, endpoint: Endpoint, rel: str) -> int:
    if endpoint.token:
        return endpoint.rules["any"]
    if role == "anonymous":
        return 401 if endpoint.api else 302
    if endpoint.name.endswith("statistics"):
        return 200 if role in ("steering", "administrator") else 403  # anonymous figures: a superuser may read them
    if endpoint.name == "page right of access":
        return 200 if role == "agent" else 403  # an explicit grant only, never the superuser's shortcut
    if endpoint.name == "page new referral":
        return 200 if role in ORGANISATION_ROLES else 403
    if endpoint.name == "api create":
        return 201 if role in ORGANISATION_ROLES else 403
    if endpoint.state == Status.DRAFT and role == "colleague":
        return 404  # a draft is its author's only
    return endpoint.rules[rel]


def cases():
    for role, endpoint in itertools.product(ROLES, ENDPOINTS):
        targets = ["own", "other"] if role in ORGANISATION_ROLES else ["other"]
        if role in FORMER_ROLES:
            targets = ["own"]  # the referral they sent before their membership ended
        for target in targets:
            yield pytest.param(role, endpoint, target, id=f"{role}-{endpoint.name}-{target}")


@pytest.fixture
def matrix_world(world):
    world.agent = make_user(email="dpo@example.org")
    world.agent.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    world.former_rejected = make_member(world.sending, user=make_user(email="ancienne@example.org"))
    world.former_removed = make_member(world.sending, user=make_user(email="ancien@example.org"))
    world.claimant_pending = make_user(email="premier-admin@recoit.example.org")
    Membership.objects.create(
        user=world.claimant_pending,
        structure=world.receiving,
        role=Membership.Role.ADMIN,
        status=Membership.Status.PENDING,
    )
    world.late_member = make_user(email="nouveau@recoit.example.org")
    world.late_colleague = make_user(email="nouvelle@example.org")
    return world


def grant_late(world, role):
    """The membership is approved now, after the referrals of the test were sent."""
    Membership.objects.create(
        user=getattr(world, role),
        structure=getattr(world, LATE_ROLES[role]),
        status=Membership.Status.ACTIVE,
        decided_at=timezone.now() + dt.timedelta(seconds=1),
        decided_by=world.receiver_admin,
    )


def end_membership(world, role):
    memberships = Membership.objects.filter(user=getattr(world, role), structure=world.sending)
    if role == "former_rejected":
        memberships.update(status=Membership.Status.REJECTED)
    else:
        memberships.delete()


def build(world, state, sender=None):
    """Our referral (sending → receiving, with an attachment) and theirs (another organisation → a third structure)."""
    ours = make_referral(world, state, sender=sender, last_name=OURS_NAME)
    third = make_service(make_structure(courriel="tiers@example.org"))
    theirs = make_referral(world, state, sender=world.outsider, service=third, last_name=THEIRS_NAME)
    Referral.objects.filter(pk=theirs.pk).update(sender_structure=world.other)
    for referral in (ours, theirs):
        name = default_storage.save("referrals/test/piece.pdf", ContentFile(b"%PDF-1.4 test"))
        Referral.objects.filter(pk=referral.pk).update(attachment=name, attachment_kind="pdf")
    return Referral.objects.get(pk=ours.pk), Referral.objects.get(pk=theirs.pk)


@pytest.mark.parametrize(("role", "endpoint", "target"), list(cases()))
def test_permission_matrix(client, matrix_world, role, endpoint, target):
    world = matrix_world
    former = role in FORMER_ROLES
    ours, theirs = build(world, endpoint.state, sender=getattr(world, role) if former else None)
    if former:
        end_membership(world, role)
    if role in LATE_ROLES:
        grant_late(world, role)
    is_ours = (target == "own") != (role == "outsider")
    referral = ours if is_ours else theirs
    rel = relation(role, is_ours)
    if role != "anonymous":
        log_in(client, getattr(world, role))
    if endpoint.name == "page new referral":
        response = client.get(reverse("referrals:new", args=[world.service.pk]))
    elif endpoint.name == "api create":
        response = client.post(
            "/api/v1/referrals",
            json.dumps(create_payload(world)),
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    elif endpoint.method == "get":
        response = client.get(endpoint.url(referral))
    elif endpoint.api:
        response = client.post(endpoint.url(referral), endpoint.data, content_type="application/json")
    else:
        response = client.post(endpoint.url(referral), endpoint.data)
    want = expected(role, endpoint, rel)
    assert response.status_code == want, f"{role} {endpoint.name} ({target}): {response.status_code}, expected {want}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    if endpoint.api and response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    name = OURS_NAME if is_ours else THEIRS_NAME
    if want in (302, 400, 401, 403, 404, 409):
        assert name not in text and "Amandine" not in text
    elif endpoint.personal and not endpoint.name.startswith(
        ("page attachment", "page link attachment", "api answer", "api outcome", "api cancel")
    ):
        lists = endpoint.name in ("page inbox", "api list received", "page sent list", "api list sent")
        if lists:
            shows = (endpoint.name in ("page inbox", "api list received") and rel == "receiver") or (
                endpoint.name in ("page sent list", "api list sent") and rel == "sender"
            )
            assert (name in text) == shows, f"{role} {endpoint.name}: name shown={name in text}, expected {shows}"
        else:
            assert name in text
    if endpoint.name == "api create":
        assert Referral.objects.filter(last_name=CREATED_NAME).count() == (1 if want == 201 else 0)
    if want in (403, 404, 409) and endpoint.method == "post" and endpoint.name != "api create":
        assert Referral.objects.get(pk=referral.pk).status == endpoint.state  # nothing changed


def test_the_matrix_covers_every_role_and_every_referral_endpoint():
    from relais.referrals import urls

    page_names = {p.name for p in urls.urlpatterns}
    covered_pages = {
        "detail",
        "attachment",
        "confirm",
        "answer",
        "outcome",
        "cancel",
        "inbox",
        "sent",
        "statistics",
        "right_of_access",
        "new",
    }
    by_link = {"link", "link_renew", "link_attachment", "person_status"}  # no account: the token decides
    static = {"link_renewed", "link_done"}  # « a new link was sent », « answer recorded »: nothing of any referral
    assert page_names == covered_pages | by_link | static
    covered = {e.name for e in ENDPOINTS}
    assert {
        "page link answer",
        "page link attachment",
        "page link renew (still valid)",
        "page person follow-up",
    } <= covered
    from relais.api import api as relais_api

    schema = relais_api.get_openapi_schema()
    operations = {
        (method, path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/referrals")
        for method in item
    }
    assert len(operations) == 7
    assert len([e for e in ENDPOINTS if e.api]) == 7 + 1  # list is tested as two boxes
    assert len(list(cases())) == sum(2 if r in ORGANISATION_ROLES else 1 for r in ROLES) * len(ENDPOINTS)


def test_personal_data_waits_for_the_second_factor(client, world, referral_in):
    from relais.referrals.models import AccessLog

    referral = referral_in(Status.SENT)
    client.force_login(world.receiver)  # logged in, second factor not verified in this session
    for url in (detail(referral), reverse("referrals:inbox"), reverse("referrals:sent")):
        response = client.get(url)
        assert (
            response.status_code == 302
            and "next=" in response.url
            and "/orientations/" not in response.url.split("?")[0]
        )
        assert OURS_NAME not in response.content.decode()
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 401
    assert not AccessLog.objects.filter(action__in=["view", "list"]).exists()
