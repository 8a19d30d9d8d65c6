"""`manage.py purge_error_reports`: reporters' addresses expire, handled reports are deleted after the retention."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from relais.offer import error_reports
from relais.offer.models import ErrorReport, ErrorReportLog
from tests.factories import make_member, make_service

pytestmark = pytest.mark.django_db

DAY0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)  # UTC: days of 24 hours, whatever the clock change


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_error_reports", *args, stdout=out)
    return out.getvalue().strip()


def at(moment, func, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return func(*args, **kwargs)


@pytest.fixture
def service():
    return make_service()


def test_an_address_is_kept_90_days_then_erased_and_the_report_stays(service):
    report = at(DAY0, error_reports.submit, service, "hours", "Faux.", "lea@example.org")
    assert at(DAY0 + dt.timedelta(days=89), run) == (
        "[dry run] 0 reporter address(es) would be erased, 0 handled report(s) deleted. Add --wet-run to apply."
    )
    after = DAY0 + dt.timedelta(days=90, minutes=1)
    assert at(after, run) == (
        "[dry run] 1 reporter address(es) would be erased, 0 handled report(s) deleted. Add --wet-run to apply."
    )
    assert ErrorReport.objects.get().reporter_email == "lea@example.org"  # a dry run changes nothing
    assert at(after, run, "--wet-run") == "1 reporter address(es) erased, 0 handled report(s) deleted."
    report.refresh_from_db()
    assert (report.reporter_email, report.message, report.status) == ("", "Faux.", ErrorReport.Status.NEW)
    log = ErrorReportLog.objects.get()
    assert (log.report_id, log.action, log.actor, log.user) == (report.pk, "email_erased", "tâche planifiée", None)
    assert at(after, run, "--wet-run") == "0 reporter address(es) erased, 0 handled report(s) deleted."


def test_the_address_delay_is_a_setting(service, settings):
    settings.RELAIS_ERROR_REPORT_EMAIL_DAYS = 7
    at(DAY0, error_reports.submit, service, "hours", "", "lea@example.org")
    assert "0 reporter" in at(DAY0 + dt.timedelta(days=6), run, "--wet-run")
    assert "1 reporter" in at(DAY0 + dt.timedelta(days=7, minutes=1), run, "--wet-run")


def test_handled_reports_are_deleted_a_year_after_their_handling_open_ones_stay(service):
    member = make_member(service.structure)
    handled = at(DAY0, error_reports.submit, service, "closed", "", "")
    still_open = at(DAY0, error_reports.submit, service, "other", "Encore ouvert.", "")
    handled_on = DAY0 + dt.timedelta(days=30)
    at(handled_on, error_reports.handle, member, handled, ErrorReport.Status.REJECTED, "Toujours ouvert.")
    assert "0 handled report(s) deleted" in at(handled_on + dt.timedelta(days=364), run, "--wet-run")
    later = handled_on + dt.timedelta(days=365, minutes=1)
    assert "[dry run] 0 reporter address(es) would be erased, 1 handled report(s) deleted" in at(later, run)
    assert at(later, run, "--wet-run") == "0 reporter address(es) erased, 1 handled report(s) deleted."
    assert list(ErrorReport.objects.all()) == [still_open]
    assert ErrorReportLog.objects.filter(report_id=handled.pk, action="deleted").count() == 1
    assert ErrorReportLog.objects.filter(report_id=handled.pk, action="rejected").count() == 1  # the log outlives it


def test_the_retention_is_a_setting(service, settings):
    settings.RELAIS_ERROR_REPORT_RETENTION_DAYS = 30
    member = make_member(service.structure)
    report = at(DAY0, error_reports.submit, service, "closed", "", "")
    at(DAY0, error_reports.handle, member, report, ErrorReport.Status.FIXED)
    assert "1 handled report(s) deleted" in at(DAY0 + dt.timedelta(days=31), run, "--wet-run")


def test_the_purge_works_in_batches(service):
    for _ in range(5):
        at(DAY0, error_reports.submit, service, "hours", "", "lea@example.org")
    later = DAY0 + dt.timedelta(days=100)
    assert (
        at(later, run, "--wet-run", "--batch-size", "2")
        == "5 reporter address(es) erased, 0 handled report(s) deleted."
    )
    assert not ErrorReport.objects.exclude(reporter_email="").exists()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--batch-size: must be at least 1"):
        run("--wet-run", "--batch-size", "0")
