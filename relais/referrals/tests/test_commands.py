"""The scheduled jobs, on a frozen clock: reminders, expiry, retention. Dry run unless --wet-run."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import checks, mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from relais.referrals import stats
from relais.referrals.models import AccessLog, AnswerLink, Referral, ReferralTransition, Situation, Status
from relais.referrals.tests.conftest import make_referral

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def run(name, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def at_day(clock, days: float):
    clock.move_to(T0 + dt.timedelta(days=days))


# --- reminders ------------------------------------------------------------------------------


def test_reminders_go_out_before_the_deadline_once_each(world, clock, django_capture_on_commit_callbacks):
    referral = make_referral(world, Status.SENT)  # due at day 30; reminders 20, 7 and 1 days before
    at_day(clock, 9.9)
    assert "0 reminder(s) would be sent" in run("send_referral_reminders")
    at_day(clock, 10)
    mail.outbox.clear()
    assert "[dry run] 1 reminder(s) would be sent" in run("send_referral_reminders")
    assert mail.outbox == [] and Referral.objects.get(pk=referral.pk).reminders_sent == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 reminder(s) sent." in run("send_referral_reminders", "--wet-run")
    assert {m.to[0] for m in mail.outbox} == {
        "accueil@recoit.example.org",
        "membre@recoit.example.org",
        "admin@recoit.example.org",
    }
    assert all("rappel" in m.subject for m in mail.outbox)
    newest = AnswerLink.objects.filter(referral=referral).order_by("-created_at").first()
    assert newest.created_at == T0 + dt.timedelta(days=10)  # a fresh link: the first one expired at day 8
    assert "0 reminder(s) sent." in run("send_referral_reminders", "--wet-run")
    at_day(clock, 23)
    assert "1 reminder(s) sent." in run("send_referral_reminders", "--wet-run")
    at_day(clock, 29.5)
    assert "1 reminder(s) sent." in run("send_referral_reminders", "--wet-run")
    assert Referral.objects.get(pk=referral.pk).reminders_sent == 3
    assert "0 reminder(s)" in run("send_referral_reminders", "--wet-run")


def test_an_answered_referral_gets_no_reminder(world, clock):
    make_referral(world, Status.ACCEPTED)
    at_day(clock, 25)
    assert "0 reminder(s) sent." in run("send_referral_reminders", "--wet-run")


def test_reminder_days_come_from_the_setting(world, clock, settings):
    settings.RELAIS_REFERRAL_REMINDER_DAYS = ["3"]
    make_referral(world, Status.SENT)
    at_day(clock, 10)
    assert "0 reminder(s)" in run("send_referral_reminders", "--wet-run")
    at_day(clock, 27)
    assert "1 reminder(s) sent." in run("send_referral_reminders", "--wet-run")


def test_a_malformed_reminder_setting_is_reported_at_start_up(settings):
    settings.RELAIS_REFERRAL_REMINDER_DAYS = ["7", "demain"]
    errors = [e for e in checks.run_checks() if e.id == "referrals.E001"]
    assert errors and "RELAIS_REFERRAL_REMINDER_DAYS" in errors[0].msg and "demain" in errors[0].msg


# --- expiry ---------------------------------------------------------------------------------


def test_an_unanswered_referral_expires_after_30_days_only_with_wet_run(
    world, clock, django_capture_on_commit_callbacks
):
    referral = make_referral(world, Status.SENT)
    at_day(clock, 29.9)
    assert "0 referral(s) would expire" in run("expire_referrals")
    at_day(clock, 30)
    assert "[dry run] 1 referral(s) would expire" in run("expire_referrals")
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 referral(s) expired" in run("expire_referrals", "--wet-run")
    referral.refresh_from_db()
    assert referral.status == Status.EXPIRED and referral.ended_at == T0 + dt.timedelta(days=30)
    step = ReferralTransition.objects.filter(referral=referral).order_by("id").last()
    assert (step.party, step.actor, step.reason, step.from_status) == ("system", None, "expired", Status.SENT)
    assert AccessLog.objects.filter(referral=referral, action="change", actor="système", channel="command").exists()
    assert {m.to[0] for m in mail.outbox} == {world.professional.email, referral.contact_value}


def test_the_expiry_delay_comes_from_the_setting(world, clock, settings):
    settings.RELAIS_REFERRAL_EXPIRY_DAYS = 10
    make_referral(world, Status.SENT)
    at_day(clock, 10)
    assert "1 referral(s) expired" in run("expire_referrals", "--wet-run")


def test_drafts_left_for_a_week_are_cancelled(world, clock):
    draft = make_referral(world, Status.DRAFT)
    at_day(clock, 6.9)
    assert "0 abandoned draft(s) cancelled" in run("expire_referrals", "--wet-run")
    at_day(clock, 7)
    assert "1 abandoned draft(s) cancelled" in run("expire_referrals", "--wet-run")
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED and draft.personal_data_purge_after is not None


# --- retention ------------------------------------------------------------------------------


def with_attachment(referral):
    name = default_storage.save("referrals/2026/03/courrier.pdf", ContentFile(b"%PDF-1.4 test"))
    Referral.objects.filter(pk=referral.pk).update(attachment=name, attachment_kind="pdf")
    return name


def test_attachments_then_personal_data_are_erased_on_schedule_and_statistics_stay(world, clock):
    referral = make_referral(world, Status.ACCEPTED)  # accepted at day 0, still open: attachment 30 days, data 180
    name = with_attachment(referral)
    before = stats.referral_statistics()
    at_day(clock, 29.9)
    assert "0 attachment(s) would be erased, 0 referral(s)" in run("purge_referral_personal_data")
    at_day(clock, 30)
    assert "[dry run] 1 attachment(s) would be erased, 0 referral(s) anonymised" in run("purge_referral_personal_data")
    assert default_storage.exists(name)
    assert "1 attachment(s) erased, 0 referral(s) anonymised." in run("purge_referral_personal_data", "--wet-run")
    referral.refresh_from_db()
    assert not default_storage.exists(name) and referral.attachment.name == ""
    assert referral.first_name == "Amandine"
    at_day(clock, 90)  # still open: the structure is following the person
    assert "0 attachment(s) erased, 0 referral(s) anonymised." in run("purge_referral_personal_data", "--wet-run")
    at_day(clock, 180)
    assert "[dry run] 0 attachment(s) would be erased, 1 referral(s) anonymised" in run("purge_referral_personal_data")
    assert "0 attachment(s) erased, 1 referral(s) anonymised." in run("purge_referral_personal_data", "--wet-run")
    referral.refresh_from_db()
    erased = ["first_name", "last_name", "person_key", "contact_channel", "contact_value", "availability", "reason"]
    assert all(getattr(referral, f) == "" for f in erased)
    assert referral.anonymised_at == T0 + dt.timedelta(days=180)
    # What stays is anonymous and still counted.
    assert (referral.status, referral.situation, referral.service_id) == (
        Status.ACCEPTED,
        Situation.HOUSING,
        world.service.pk,
    )
    assert referral.transitions.count() == 2 and AccessLog.objects.filter(referral=referral).exists()
    assert stats.referral_statistics() == before
    assert "0 attachment(s) erased, 0 referral(s) anonymised." in run("purge_referral_personal_data", "--wet-run")


def test_a_referral_still_waiting_for_an_answer_keeps_its_data(world, clock):
    referral = make_referral(world, Status.SENT)
    at_day(clock, 365)
    assert "0 referral(s) anonymised" in run("purge_referral_personal_data", "--wet-run")
    assert Referral.objects.get(pk=referral.pk).first_name == "Amandine"


def test_retention_delays_come_from_the_settings(world, clock, settings):
    settings.RELAIS_REFERRAL_RETENTION_DAYS = 5
    referral = make_referral(world, Status.REFUSED)
    at_day(clock, 5)
    assert "1 referral(s) anonymised" in run("purge_referral_personal_data", "--wet-run")
    assert Referral.objects.get(pk=referral.pk).last_name == ""


def test_the_purge_works_in_batches(world, clock):
    for _ in range(5):
        make_referral(world, Status.CANCELLED)
    at_day(clock, 90)
    assert "5 referral(s) anonymised" in run("purge_referral_personal_data", "--wet-run", "--batch-size", "2")
    assert not Referral.objects.filter(anonymised_at__isnull=True).exists()


def test_a_missing_file_does_not_stop_the_purge(world, clock):
    referral = make_referral(world, Status.CLOSED)
    name = with_attachment(referral)
    default_storage.delete(name)
    at_day(clock, 30)
    assert "1 file(s) already missing" in run("purge_referral_personal_data", "--wet-run")
