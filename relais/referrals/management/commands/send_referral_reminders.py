"""Remind receiving structures of referrals still waiting for an answer (RELAIS_REFERRAL_REMINDER_DAYS)."""

import datetime as dt

from django.utils import timezone

from relais.referrals import actions, config
from relais.referrals.management.commands._base import JobCommand
from relais.referrals.models import Referral, Status


class Command(JobCommand):
    help = "Send the reminders due now for sent referrals without an answer (dry run unless --wet-run)."

    def handle(self, *args, wet_run=False, **options):
        now = timezone.now()
        offsets = config.reminder_offsets()
        due = []
        horizon = now + dt.timedelta(days=max(offsets, default=0))
        candidates = Referral.objects.filter(
            status=Status.SENT, answer_due_at__lte=horizon, reminders_sent__lt=len(offsets)
        )
        for referral in candidates.only("pk", "answer_due_at", "reminders_sent").order_by("answer_due_at"):
            passed = sum(1 for days in offsets if now >= referral.answer_due_at - dt.timedelta(days=days))
            if passed > referral.reminders_sent:
                due.append(referral)
        sent = sum(1 for referral in due if actions.remind(referral, offsets, now)) if wet_run else len(due)
        self.say(wet_run, f"{sent} reminder(s) sent.", f"{sent} reminder(s) would be sent. Add --wet-run to send them.")
