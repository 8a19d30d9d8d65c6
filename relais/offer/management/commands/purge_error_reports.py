"""./manage.py purge_error_reports --wet-run: erase reporters' addresses and old handled error reports (cron, daily).

An address is erased RELAIS_ERROR_REPORT_EMAIL_DAYS after the report (at once when the report is handled);
a handled report is deleted RELAIS_ERROR_REPORT_RETENTION_DAYS after it was handled. Each row is logged in
the append-only ErrorReportLog. Without --wet-run, prints what it would do and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relais.offer import error_reports


class Command(BaseCommand):
    help = "Erase expired reporters' addresses and delete old handled error reports (dry run unless --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Apply the changes. Without it, the command only prints what it would do (dry run).",
        )
        parser.add_argument("--batch-size", type=int, default=error_reports.BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args, wet_run=False, batch_size=error_reports.BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size: must be at least 1")
        now = timezone.now()
        if wet_run:
            report = error_reports.purge(now, batch_size=batch_size)
            self.stdout.write(
                f"{report.emails_erased} reporter address(es) erased, {report.reports_deleted} handled report(s) deleted."
            )
        else:
            report = error_reports.preview(now)
            self.stdout.write(
                f"[dry run] {report.emails_erased} reporter address(es) would be erased, "
                f"{report.reports_deleted} handled report(s) deleted. Add --wet-run to apply."
            )
