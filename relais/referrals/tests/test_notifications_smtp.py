"""E-mails go through Django's SMTP backend to a real SMTP server on loopback, and carry only a service, a date, a link."""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from relais.referrals import actions, consent, links
from relais.referrals.models import AnswerLink, Situation, Status
from relais.referrals.tests.conftest import PERSON, make_referral


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "subject": parsed["subject"], "body": parsed.get_content()})
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield collector
    controller.stop()


FORBIDDEN = [
    PERSON["first_name"],
    PERSON["last_name"],
    PERSON["contact_value"].split("@")[0],
    PERSON["availability"],
    PERSON["reason"][:20],
    "expulsion",
    str(Situation.HOUSING.label),
    "1 rue de la Paix",  # the structures' address
]


def assert_only_service_date_and_link(message, service_name):
    text = message["subject"] + "\n" + message["body"]
    for secret in FORBIDDEN:
        assert secret.lower() not in text.lower(), f"{secret!r} leaked into {message['to']}: {text}"
    assert service_name in text
    assert re.search(
        r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}", text
    )
    assert "https://relais.example.org/" in text


def test_every_message_of_a_full_loop_reaches_the_smtp_server_without_personal_details(
    world, smtp_server, django_capture_on_commit_callbacks
):
    referral = make_referral(world, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    recipients = sorted(r for m in smtp_server.messages for r in m["to"])
    assert recipients == sorted(
        ["accueil@recoit.example.org", "membre@recoit.example.org", "admin@recoit.example.org", PERSON["contact_value"]]
    )
    to_structure = next(m for m in smtp_server.messages if m["to"] == ["accueil@recoit.example.org"])
    link = AnswerLink.objects.get(referral=referral)
    # The token is signed with a timestamp: read it from the message rather than signing again (a second may pass).
    token = re.search(r"/orientations/lien/([^/\s]+)/", to_structure["body"]).group(1)
    assert links.link_for_token(token) == link
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer_by_link(link, decision="refuse", reason="no_capacity", share=True)
    later = smtp_server.messages[4:]
    assert sorted(r for m in later for r in m["to"]) == sorted([world.professional.email, PERSON["contact_value"]])
    assert "plus de place" not in " ".join(m["body"] for m in later)  # the refusal reason stays behind the link
    for message in smtp_server.messages:
        assert_only_service_date_and_link(message, world.service.nom)


def test_a_person_who_chose_the_phone_gets_no_email(world, smtp_server, django_capture_on_commit_callbacks):
    referral = make_referral(world, Status.DRAFT, contact_channel="phone", contact_value="06 12 34 56 78")
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
        actions.accept(referral, actor=world.receiver, channel="web")
    recipients = {r for m in smtp_server.messages for r in m["to"]}
    assert recipients == {
        "accueil@recoit.example.org",
        "membre@recoit.example.org",
        "admin@recoit.example.org",
        world.professional.email,
    }
    for message in smtp_server.messages:
        assert "06 12" not in message["body"]


def test_a_mail_server_that_is_down_does_not_undo_the_answer(
    world, settings, django_capture_on_commit_callbacks, caplog
):
    referral = make_referral(world, Status.SENT)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept(referral, actor=world.receiver, channel="web")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert any("on_commit" in record.getMessage() or record.exc_info for record in caplog.records)


def test_a_professional_whose_membership_ended_is_no_longer_told_about_the_referral(
    world, smtp_server, django_capture_on_commit_callbacks
):
    from relais.accounts.models import Membership

    referral = make_referral(world, Status.SENT)
    Membership.objects.filter(user=world.professional).update(status=Membership.Status.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept(referral, actor=world.receiver, channel="web")
    recipients = {r for m in smtp_server.messages for r in m["to"]}
    assert recipients == {PERSON["contact_value"]}  # the person still is; the former member is not
