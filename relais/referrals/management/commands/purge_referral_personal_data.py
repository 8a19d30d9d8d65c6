"""Erase attachments and the person's fields whose retention date has passed; anonymous rows stay."""

from django.utils import timezone

from relais.referrals import retention
from relais.referrals.management.commands._base import JobCommand


class Command(JobCommand):
    help = "Erase referral attachments and personal data past their retention date (dry run unless --wet-run)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--batch-size", type=int, default=retention.BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args, wet_run=False, batch_size=retention.BATCH_SIZE, **options):
        now = timezone.now()
        if batch_size < 1:
            from django.core.management.base import CommandError

            raise CommandError("--batch-size: must be at least 1")
        if wet_run:
            report = retention.purge(now, batch_size=batch_size)
            self.stdout.write(
                f"{report.attachments} attachment(s) erased, {report.anonymised} referral(s) anonymised"
                + (f", {report.files_missing} file(s) already missing." if report.files_missing else ".")
            )
        else:
            report = retention.preview(now)
            self.stdout.write(
                f"[dry run] {report.attachments} attachment(s) would be erased, {report.anonymised} referral(s) "
                "anonymised. Add --wet-run to apply."
            )
