"""The generated permission matrix: every role × every endpoint (pages and API) × own / other organisation.

Each case expects one status; a referral the role does not need to know answers 404 and its body never
holds the person's name. The expectations come from a few rules (RULES), not from a hand-written table.
"""

import itertools
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from relais.referrals.models import Referral, Status
from relais.referrals.tests.conftest import log_in, make_referral
from tests.factories import make_service, make_structure

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
]
ORGANISATION_ROLES = {"professional", "colleague", "receiver", "receiver_admin", "outsider"}
OURS_NAME, THEIRS_NAME = "Zéphyrin", "Ystadaux"


class Endpoint:
    def __init__(self, name, method, url, *, api=False, state=Status.SENT, data=None, rules=None, personal=True):
        self.name, self.method, self.url, self.api, self.state = name, method, url, api, state
        self.data, self.rules, self.personal = data or {}, rules or {}, personal

    def __repr__(self):
        return self.name


def detail(r):
    return reverse("referrals:detail", args=[r.pk])


def api(path=""):
    return lambda r: f"/api/v1/referrals{path.format(id=r.pk) if r else path}"


# Expected status by relation to the referral: sender (sent it or their organisation did), receiver (sent to
# their structure), none (neither). Anonymous visitors are redirected to log in (pages) or get 401 (API).
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
    Endpoint("page statistics", "get", lambda r: reverse("referrals:statistics"), personal=False),
    Endpoint("page right of access", "get", lambda r: reverse("referrals:right_of_access"), personal=False),
    Endpoint("page new referral", "get", None, personal=False),
    Endpoint("api detail", "get", api("/{id}"), api=True, rules=SEE),
    Endpoint(
        "api list received", "get", api("?box=received"), api=True, rules={"sender": 200, "receiver": 200, "none": 200}
    ),
    Endpoint("api list sent", "get", api("?box=sent"), api=True, rules={"sender": 200, "receiver": 200, "none": 200}),
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
        }.get(role, "none")
    return "sender" if role == "outsider" else "none"


def expected(role: str, endpoint: Endpoint, rel: str) -> int:
    if role == "anonymous":
        return 401 if endpoint.api else 302
    if endpoint.name.endswith("statistics"):
        return 200 if role in ("steering", "administrator") else 403
    if endpoint.name == "page right of access":
        return 200 if role == "administrator" else 403
    if endpoint.name == "page new referral":
        return 200 if role in ORGANISATION_ROLES else 403
    if endpoint.state == Status.DRAFT and role == "colleague":
        return 404  # a draft is its author's only
    return endpoint.rules[rel]


def cases():
    for role, endpoint in itertools.product(ROLES, ENDPOINTS):
        targets = ["own", "other"] if role in ORGANISATION_ROLES else ["other"]
        for target in targets:
            yield pytest.param(role, endpoint, target, id=f"{role}-{endpoint.name}-{target}")


def build(world, state):
    """Our referral (sending → receiving, with an attachment) and theirs (another organisation → a third structure)."""
    ours = make_referral(world, state, last_name=OURS_NAME)
    third = make_service(make_structure(courriel="tiers@example.org"))
    theirs = make_referral(world, state, sender=world.outsider, service=third, last_name=THEIRS_NAME)
    Referral.objects.filter(pk=theirs.pk).update(sender_structure=world.other)
    for referral in (ours, theirs):
        name = default_storage.save("referrals/test/piece.pdf", ContentFile(b"%PDF-1.4 test"))
        Referral.objects.filter(pk=referral.pk).update(attachment=name, attachment_kind="pdf")
    return Referral.objects.get(pk=ours.pk), Referral.objects.get(pk=theirs.pk)


@pytest.mark.parametrize(("role", "endpoint", "target"), list(cases()))
def test_permission_matrix(client, world, role, endpoint, target):
    ours, theirs = build(world, endpoint.state)
    is_ours = (target == "own") != (role == "outsider")
    referral = ours if is_ours else theirs
    rel = relation(role, is_ours)
    if role != "anonymous":
        log_in(client, getattr(world, role))
    url = (
        reverse("referrals:new", args=[world.service.pk])
        if endpoint.name == "page new referral"
        else endpoint.url(referral)
    )
    if endpoint.method == "get":
        response = client.get(url)
    elif endpoint.api:
        response = client.post(url, endpoint.data, content_type="application/json")
    else:
        response = client.post(url, endpoint.data)
    want = expected(role, endpoint, rel)
    assert response.status_code == want, f"{role} {endpoint.name} ({target}): {response.status_code}, expected {want}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    if endpoint.api and response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    name = OURS_NAME if is_ours else THEIRS_NAME
    if want in (302, 401, 403, 404):
        assert name not in text and "Amandine" not in text
    elif endpoint.personal and not endpoint.name.startswith(
        ("page attachment", "api answer", "api outcome", "api cancel")
    ):
        lists = endpoint.name in ("page inbox", "api list received", "page sent list", "api list sent")
        if lists:
            shows = (endpoint.name in ("page inbox", "api list received") and rel == "receiver") or (
                endpoint.name in ("page sent list", "api list sent") and rel == "sender"
            )
            assert (name in text) == shows, f"{role} {endpoint.name}: name shown={name in text}, expected {shows}"
        else:
            assert name in text
    if want in (403, 404) and endpoint.method == "post":
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
    by_link = {"link", "link_renew", "link_attachment", "person_status", "link_renewed"}  # no account: test_answer_link
    assert page_names == covered_pages | by_link
    from relais.api import api as relais_api

    schema = relais_api.get_openapi_schema()
    operations = {
        (method, path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/referrals")
        for method in item
    }
    assert len(operations) == 7
    assert len([e for e in ENDPOINTS if e.api]) >= 7 - 1  # list is tested as two boxes; create in test_api
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
