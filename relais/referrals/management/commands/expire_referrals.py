"""Expire sent referrals past their deadline (RELAIS_REFERRAL_EXPIRY_DAYS) and cancel abandoned drafts."""

from django.utils import timezone

from relais.referrals import actions
from relais.referrals.management.commands._base import JobCommand
from relais.referrals.models import Referral, Status


class Command(JobCommand):
    help = "Expire unanswered referrals past their deadline, cancel drafts left for a week (dry run unless --wet-run)."

    def handle(self, *args, wet_run=False, **options):
        now = timezone.now()
        overdue = list(Referral.objects.filter(status=Status.SENT, answer_due_at__lte=now).order_by("answer_due_at"))
        drafts = list(Referral.objects.filter(status=Status.DRAFT, created_at__lte=now - actions.DRAFT_LIFETIME))
        if wet_run:
            expired = cancelled = 0
            for referral in overdue:
                try:
                    actions.expire(referral)
                    expired += 1
                except actions.IllegalTransition:
                    pass  # answered in the meantime
            for referral in drafts:
                try:
                    actions.abandon_draft(referral)
                    cancelled += 1
                except actions.IllegalTransition:
                    pass  # sent in the meantime
            self.stdout.write(f"{expired} referral(s) expired, {cancelled} abandoned draft(s) cancelled.")
        else:
            self.stdout.write(
                f"[dry run] {len(overdue)} referral(s) would expire, {len(drafts)} abandoned draft(s) would be "
                "cancelled. Add --wet-run to apply."
            )
