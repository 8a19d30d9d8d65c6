"""Retention as code: attachments and the person's fields are erased on their dates; the rest stays.

When a referral is accepted, refused, expired, cancelled or closed, `actions` sets two dates:
`attachment_purge_after` (RELAIS_REFERRAL_ATTACHMENT_DAYS later) and `personal_data_purge_after`
(RELAIS_REFERRAL_RETENTION_DAYS later). `purge` erases what is due, in batches: the attachment
file and its field; then the person's name, contact, availability and reason. What stays is
anonymous and feeds the steering figures: service, structures, commune, situation (a controlled
list), status, dates, refusal reason and outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from relais.referrals.models import Referral

BATCH_SIZE = 5000

ERASED = {
    "first_name": "",
    "last_name": "",
    "person_key": "",
    "contact_channel": "",
    "contact_value": "",
    "availability": "",
    "reason": "",
    "attachment": "",
    "attachment_kind": "",
}


@dataclass
class PurgeReport:
    attachments: int = 0
    files_missing: int = 0
    anonymised: int = 0


def due_attachments(now: dt.datetime):
    return Referral.objects.filter(attachment_purge_after__lte=now, attachment_purged_at__isnull=True)


def due_personal_data(now: dt.datetime):
    return Referral.objects.filter(personal_data_purge_after__lte=now, anonymised_at__isnull=True)


def _delete_files(names) -> int:
    missing = 0
    for name in names:
        if not name:
            continue
        if default_storage.exists(name):
            default_storage.delete(name)
        else:
            missing += 1
    return missing


def purge_attachments(now: dt.datetime, batch_size: int = BATCH_SIZE) -> PurgeReport:
    report = PurgeReport()
    while True:
        with transaction.atomic():
            rows = list(due_attachments(now).values_list("pk", "attachment")[:batch_size])
            if not rows:
                break
            ids = [pk for pk, _ in rows]
            Referral.objects.filter(pk__in=ids).update(attachment="", attachment_kind="", attachment_purged_at=now)
            report.files_missing += _delete_files(name for _, name in rows)
            report.attachments += sum(1 for _, name in rows if name)
    return report


def anonymise(now: dt.datetime, batch_size: int = BATCH_SIZE) -> PurgeReport:
    report = PurgeReport()
    while True:
        with transaction.atomic():
            rows = list(due_personal_data(now).values_list("pk", "attachment")[:batch_size])
            if not rows:
                break
            ids = [pk for pk, _ in rows]
            Referral.objects.filter(pk__in=ids).update(
                **ERASED, anonymised_at=now, attachment_purged_at=Coalesce(F("attachment_purged_at"), Value(now))
            )
            report.files_missing += _delete_files(name for _, name in rows)
            report.attachments += sum(1 for _, name in rows if name)
            report.anonymised += len(ids)
    return report


def purge(now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> PurgeReport:
    now = now or timezone.now()
    first = purge_attachments(now, batch_size)
    second = anonymise(now, batch_size)
    return PurgeReport(
        attachments=first.attachments + second.attachments,
        files_missing=first.files_missing + second.files_missing,
        anonymised=second.anonymised,
    )


def preview(now: dt.datetime | None = None) -> PurgeReport:
    """What `purge` would erase now (the dry run)."""
    now = now or timezone.now()
    attachments = due_attachments(now).exclude(attachment="").count()
    attachments += (
        due_personal_data(now).exclude(attachment="").exclude(pk__in=due_attachments(now).values("pk")).count()
    )
    return PurgeReport(attachments=attachments, anonymised=due_personal_data(now).count())
