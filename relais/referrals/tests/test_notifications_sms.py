"""Text messages to a person who chose the phone: a service, a date and a link, sent only to a mobile, only
when a backend is set; the HTTP backend is tested against a real HTTP server on loopback."""

import pytest
from django.urls import reverse

from relais import sms
from relais.referrals import actions, audit, consent
from relais.referrals.models import ContactChannel, RefusalReason, Status
from relais.referrals.tests.conftest import PERSON, log_in, make_referral

MOBILE = {"contact_channel": ContactChannel.PHONE, "contact_value": "06 12 34 56 78"}
FORBIDDEN = [PERSON["first_name"], PERSON["last_name"], PERSON["availability"], PERSON["reason"][:20], "expulsion"]


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 7 12 34 56 78", "+33712345678"),
        ("+49 151 2345 6789", "+4915123456789"),
        ("04 72 00 00 00", None),  # a French fixed line: no SMS
        ("+33 4 72 00 00 00", None),
        ("06 12 34", None),
        ("", None),
    ],
)
def test_only_mobile_numbers_get_a_text_message(typed, e164):
    assert sms.mobile_number(typed) == e164


@pytest.fixture
def locmem(settings):
    settings.RELAIS_SMS_BACKEND = "relais.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_a_person_on_a_mobile_is_told_of_the_sending_and_of_the_answer_without_personal_details(
    world, locmem, django_capture_on_commit_callbacks
):
    referral = make_referral(world, Status.DRAFT, **MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    with django_capture_on_commit_callbacks(execute=True):
        actions.refuse(
            referral, reason=RefusalReason.NO_CAPACITY, share=True, actor=world.receiver, channel=audit.Channel.WEB
        )
    assert [m.to for m in locmem] == ["+33612345678", "+33612345678"]
    sent, answered = (m.text for m in locmem)
    assert "orienté·e vers « Accompagnement budget test »" in sent
    assert "a reçu une réponse" in answered
    for text in (sent, answered):
        assert "https://relais.example.org/orientations/suivi/" in text
        for secret in FORBIDDEN:
            assert secret.lower() not in text.lower(), f"{secret!r} leaked into an SMS: {text}"


def test_no_text_message_to_a_fixed_line_nor_when_sms_is_off(
    world, settings, locmem, django_capture_on_commit_callbacks
):
    fixed = make_referral(world, Status.DRAFT, contact_channel=ContactChannel.PHONE, contact_value="04 72 00 00 00")
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(fixed, actor=world.professional, consent_version=consent.CURRENT)
    settings.RELAIS_SMS_BACKEND = ""
    mobile = make_referral(world, Status.DRAFT, **MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(mobile, actor=world.professional, consent_version=consent.CURRENT)
    assert locmem == []


def test_the_referral_page_says_whether_the_platform_tells_the_person(world, settings, client, locmem):
    referral = make_referral(world, Status.SENT, **MOBILE)
    log_in(client, world.professional)
    url = reverse("referrals:detail", args=[referral.pk])
    warning = "La personne ne reçoit aucun message automatique"
    assert warning not in client.get(url).content.decode()  # SMS on, a mobile: the person is told
    settings.RELAIS_SMS_BACKEND = ""
    assert warning in client.get(url).content.decode()


def test_the_http_backend_posts_each_message_to_the_gateway_with_its_token(
    world, sms_gateway, django_capture_on_commit_callbacks
):
    referral = make_referral(world, Status.DRAFT, **MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    [message] = sms_gateway.received
    assert message["auth"] == "Bearer jeton-de-test"
    assert message["json"]["to"] == "+33612345678" and message["json"]["sender"] == "Relais"
    assert "Accompagnement budget test" in message["json"]["text"]


def test_a_failing_gateway_is_logged_and_never_undoes_the_referral(
    world, sms_gateway, caplog, django_capture_on_commit_callbacks
):
    sms_gateway.status = 500
    referral = make_referral(world, Status.DRAFT, **MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    assert len(sms_gateway.received) == 1
    assert "text messages about a referral could not be sent" in caplog.text


def test_the_http_backend_needs_an_https_gateway_in_production():
    from tests.test_security_headers import run_with_settings

    http = {"RELAIS_SMS_BACKEND": "relais.sms.HttpBackend", "RELAIS_SMS_URL": "http://sms.example.org/envoi"}
    refused = run_with_settings({"RELAIS_PRODUCTION": "1", **http})
    assert refused.returncode != 0 and "RELAIS_SMS_URL" in refused.stderr
    https = {**http, "RELAIS_SMS_URL": "https://sms.example.org/envoi"}
    assert run_with_settings({"RELAIS_PRODUCTION": "1", **https}).returncode == 0


def test_a_backend_named_by_its_former_path_stops_start_up_with_the_new_name():
    from tests.test_security_headers import run_with_settings

    refused = run_with_settings({"RELAIS_SMS_BACKEND": "relais.referrals.sms.ConsoleBackend"})
    assert refused.returncode != 0 and "'relais.sms.ConsoleBackend'" in refused.stderr
