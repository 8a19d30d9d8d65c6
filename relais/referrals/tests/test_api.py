"""The referral API: behind the session (CSRF on writes), documented in the OpenAPI, strict on input."""

import json
import uuid

import pytest
from django.core import mail
from django.test import Client

from relais.referrals import consent
from relais.referrals.models import Referral, ReferralTransition, Status
from relais.referrals.tests.conftest import log_in

URL = "/api/v1/referrals"


def payload(world, **overrides):
    data = {
        "service_id": world.service.pk,
        "person": {"first_name": "Amandine", "last_name": "Zéphyrin"},
        "contact": {"channel": "phone", "value": "06 12 34 56 78"},
        "availability": "le matin",
        "situation": "housing",
        "reason": "Cherche un accompagnement budgétaire.",
        "consent": {"person_informed_and_agrees": True, "wording_version": consent.CURRENT},
    }
    data.update(overrides)
    return data


def post(client, url, data, key=None):
    """POST JSON; creating a referral carries an Idempotency-Key (a new one unless `key` is given)."""
    headers = {"Idempotency-Key": key or str(uuid.uuid4())} if url == URL else {}
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_a_professional_sends_a_referral_through_the_api(client, world):
    log_in(client, world.professional)
    response = post(client, URL, payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(pk=body["id"])
    assert body["status"] == referral.status == Status.SENT
    assert referral.sender_structure == world.sending
    assert referral.consent_wording_version == consent.CURRENT
    assert [t["to_status"] for t in body["transitions"]] == ["sent"]


def test_writes_need_the_csrf_token_of_the_session(world):
    client = Client(enforce_csrf_checks=True)
    log_in(client, world.professional)
    assert post(client, URL, payload(world)).status_code == 403
    assert not Referral.objects.exists()
    client.get("/orientations/recues/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps(payload(world)),
        content_type="application/json",
        headers={"X-CSRFToken": token, "Idempotency-Key": "cle-1"},
    )
    assert response.status_code == 201


def test_anonymous_calls_get_401(client, world):
    assert client.get(URL).status_code == 401
    assert post(client, URL, payload(world)).status_code == 401
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("change", "param"),
    [
        (
            {"consent": {"person_informed_and_agrees": False, "wording_version": consent.CURRENT}},
            "consent.person_informed_and_agrees",
        ),
        ({"consent": {"person_informed_and_agrees": True, "wording_version": "1999"}}, "consent.wording_version"),
        ({"situation": "maladie"}, "situation"),
        ({"reason": "x" * 501}, "reason"),
        ({"reason": "Sortie d’hôpital, diabète"}, "reason"),
        ({"contact": {"channel": "email", "value": "pas une adresse"}}, "contact.value"),
        ({"contact": {"channel": "email", "value": "a@b"}}, "contact.value"),
        ({"contact": {"channel": "email", "value": "amandine@exemple..org"}}, "contact.value"),
        ({"contact": {"channel": "email", "value": ""}}, "contact.value"),
        ({"contact": {"channel": "phone", "value": "06 12"}}, "contact.value"),
        ({"contact": {"channel": "pigeon", "value": ""}}, "contact.channel"),
        ({"person": {"first_name": "A\x00", "last_name": "B"}}, "person.first_name"),
        ({"person": {"first_name": "Ama\nndine", "last_name": "B"}}, "person.first_name"),
        ({"person": {"first_name": "A", "last_name": "B\tC"}}, "person.last_name"),
        ({"person": {"first_name": "A", "last_name": "B\x85C"}}, "person.last_name"),
        ({"availability": "le lundi\x1b[2J"}, "availability"),
        ({"reason": "Un motif\rcaché"}, "reason"),
        ({"person": {"first_name": "", "last_name": "B"}}, "person.first_name"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(client, world, change, param):
    log_in(client, world.professional)
    response = post(client, URL, payload(world, **change))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(error["param"] == param for error in detail), detail
    assert all("Paramètre" in error["msg"] for error in detail)
    assert not Referral.objects.exists()


def test_the_api_checks_the_e_mail_address_with_the_same_rule_and_message_as_the_form(client, world):
    from relais.offer.models import Structure
    from relais.referrals.forms import ReferralForm

    log_in(client, world.professional)
    api_message = post(client, URL, payload(world, contact={"channel": "email", "value": "a@b"})).json()["detail"][0]
    form = ReferralForm(
        {"contact_channel": "email", "contact_email": "a@b"},
        organisations=Structure.objects.filter(pk=world.sending.pk),
    )
    form.is_valid()
    assert form.errors["contact_email"] == [api_message["msg"].split(" : ", 1)[1]]
    response = post(client, URL, payload(world, contact={"channel": "email", "value": " Amandine.Z@example.org "}))
    assert response.status_code == 201 and response.json()["contact_value"] == "Amandine.Z@example.org"


def test_a_replayed_creation_gives_back_the_same_referral_and_creates_no_other(client, world):
    log_in(client, world.professional)
    first = post(client, URL, payload(world), key="orientation-42")
    mail.outbox.clear()
    again = post(client, URL, payload(world), key="orientation-42")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Referral.objects.count() == 1
    assert ReferralTransition.objects.filter(to_status=Status.SENT).count() == 1
    assert mail.outbox == []  # nobody is told twice


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(client, world):
    log_in(client, world.professional)
    assert post(client, URL, payload(world), key="orientation-43").status_code == 201
    response = post(client, URL, payload(world, availability="le soir"), key="orientation-43")
    assert response.status_code == 422
    assert response.json()["detail"][0]["param"] == "Idempotency-Key"
    assert Referral.objects.count() == 1 and Referral.objects.get().availability == "le matin"


def test_creating_without_an_idempotency_key_is_refused_with_a_message_naming_it(client, world):
    log_in(client, world.professional)
    response = client.post(URL, json.dumps(payload(world)), content_type="application/json")
    assert response.status_code == 422
    assert [e["param"] for e in response.json()["detail"]] == ["Idempotency-Key"]
    bad = client.post(
        URL, json.dumps(payload(world)), content_type="application/json", headers={"Idempotency-Key": "a b"}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["param"] == "Idempotency-Key"
    assert not Referral.objects.exists()


def test_a_key_is_the_accounts_own_another_account_using_it_makes_its_own_referral(client, world):
    log_in(client, world.professional)
    mine = post(client, URL, payload(world), key="cle-commune").json()["id"]
    log_in(client, world.colleague)
    theirs = post(client, URL, payload(world), key="cle-commune")
    assert theirs.status_code == 201 and theirs.json()["id"] != mine
    assert Referral.objects.count() == 2


def test_health_words_pass_once_confirmed(client, world):
    log_in(client, world.professional)
    response = post(client, URL, payload(world, reason="Sortie d’hôpital, diabète", no_health_details=True))
    assert response.status_code == 201


def test_a_service_that_does_not_accept_referrals_answers_404(client, world):
    world.service.accepts_referrals = False
    world.service.save()
    log_in(client, world.professional)
    assert post(client, URL, payload(world)).status_code == 404
    assert post(client, URL, payload(world, service_id="nope")).status_code == 404


def test_an_account_without_organisation_gets_403(client, world):
    log_in(client, world.moderator)
    assert post(client, URL, payload(world)).status_code == 403


def test_a_replayed_answer_answers_409_and_changes_nothing(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    assert post(client, f"{URL}/{referral.pk}/answer", {"decision": "accept"}).status_code == 200
    response = post(client, f"{URL}/{referral.pk}/answer", {"decision": "refuse", "refusal_reason": "no_capacity"})
    assert response.status_code == 409 and "Rien n’a été modifié" in response.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert ReferralTransition.objects.filter(referral=referral, to_status=Status.REFUSED).count() == 0


def test_a_refusal_without_reason_answers_422(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    response = post(client, f"{URL}/{referral.pk}/answer", {"decision": "refuse"})
    assert response.status_code == 422 and response.json()["detail"][0]["param"] == "refusal_reason"


def test_malformed_ids_and_pages_never_give_a_500(client, world):
    log_in(client, world.receiver)
    for url in (f"{URL}/pas-un-uuid", f"{URL}/null,null/answer"):
        response = client.get(url) if "answer" not in url else post(client, url, {"decision": "accept"})
        assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
        assert response.json()["detail"][0]["param"] == "id"
    unreadable = client.post(URL, "{pas du json", content_type="application/json", headers={"Idempotency-Key": "k"})
    assert unreadable.status_code == 400 and unreadable.json()["detail"]
    assert client.get(URL, {"page": "0"}).status_code == 422
    assert client.get(URL, {"box": "tout"}).status_code == 422
    assert client.get(URL, {"status": "perdu"}).status_code == 422


def test_the_referral_endpoints_are_documented_in_the_openapi_behind_the_session(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {path: item for path, item in schema["paths"].items() if path.startswith("/api/v1/referrals")}
    assert set(paths) == {
        "/api/v1/referrals",
        "/api/v1/referrals/statistics",
        "/api/v1/referrals/{id}",
        "/api/v1/referrals/{id}/answer",
        "/api/v1/referrals/{id}/outcome",
        "/api/v1/referrals/{id}/cancel",
    }
    for item in paths.values():
        for operation in item.values():
            assert operation["security"] == [{"PersonalDataSessionAuth": []}]
            assert operation["summary"] and "orientations" in operation["tags"]
            assert "401" in operation["responses"], operation["operationId"]
    assert schema["components"]["securitySchemes"]["PersonalDataSessionAuth"]["in"] == "cookie"
    statistics = paths["/api/v1/referrals/statistics"]["get"]["responses"]["200"]["content"]["application/json"]
    assert statistics["schema"] == {"$ref": "#/components/schemas/StatisticsOut"}
    assert "by_service" in schema["components"]["schemas"]["StatisticsOut"]["properties"]
