"""Batch screening in the background: create a job from an upload, run it, expire its files.

    job = create_job(user, uploaded_file)   # the upload page (atomic: file, row and log line)
    run_pending()                           # the worker: `manage.py run_screening_jobs`
    purge_expired(wet_run=True)             # cron: `manage.py purge_screening_jobs --wet-run`

Progress is written to the job row (done/total) while `relais.rights.screening.screen` runs, at most
every PROGRESS_EVERY seconds, so the progress page can poll it from any process. A job whose worker
died (no progress for ScreeningJob.STALLED_AFTER) is failed by the next worker pass. A job is claimed
by a conditional UPDATE (pending -> running): two workers never run the same job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.rights import screening
from relais.rights.models import ScreeningJob, ScreeningLog

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes
Status = ScreeningJob.Status
Action = ScreeningLog.Action


def retention() -> dt.timedelta:
    return dt.timedelta(hours=settings.RELAIS_SCREENING_RETENTION_HOURS)


# --- the upload -------------------------------------------------------------------------------


def create_job(user, content: bytes) -> ScreeningJob:
    """A pending job holding the uploaded CSV (already checked by the form), and the upload logged."""
    now = timezone.now()
    with transaction.atomic():
        job = ScreeningJob(owner=user, created_at=now, expires_at=now + retention())
        job.input_file.save("entree.csv", ContentFile(content), save=False)
        try:
            job.save()
            ScreeningLog.record(job, Action.UPLOAD, user=user, detail=_("%(n)s octets") % {"n": len(content)})
        except Exception:
            job.input_file.storage.delete(job.input_file.name)
            raise
    return job


def delete_job_files(job: ScreeningJob, user) -> None:
    """The owner deletes the results now (and the input, if the job has not run yet)."""
    with transaction.atomic():
        job = ScreeningJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.RUNNING:
            return
        job.delete_files()
        if job.status in (Status.DONE, Status.PENDING):
            job.status = Status.DELETED
        job.expires_at = min(job.expires_at, timezone.now())
        job.save(update_fields=["input_file", "results_file", "report_file", "communes_file", "status", "expires_at"])
        ScreeningLog.record(job, Action.DELETE, user=user)


def record_download(job: ScreeningJob, user, what: str) -> None:
    """Log the download; the first download of the results brings the expiry closer."""
    ScreeningLog.record(job, what, user=user)
    if what == Action.DOWNLOAD_RESULTS:
        soon = timezone.now() + ScreeningJob.AFTER_DOWNLOAD
        ScreeningJob.objects.filter(pk=job.pk, expires_at__gt=soon).update(expires_at=soon)


# --- the worker -------------------------------------------------------------------------------


def claim_next() -> ScreeningJob | None:
    """The oldest pending job, now running in this worker; None when there is none."""
    for job_id in ScreeningJob.objects.pending().values_list("id", flat=True)[:5]:
        now = timezone.now()
        claimed = ScreeningJob.objects.filter(pk=job_id, status=Status.PENDING).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now
        )
        if claimed:
            return ScreeningJob.objects.get(pk=job_id)
    return None


class _Progress:
    """on_progress(done, total) for the engine: writes to the job row, throttled."""

    def __init__(self, job: ScreeningJob, offset: int = 0):
        self.job, self.offset, self.last = job, offset, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        ScreeningJob.objects.filter(pk=self.job.pk).update(
            done=self.offset + done, total=self.offset + total, heartbeat_at=timezone.now()
        )


def _screen(text: str, job: ScreeningJob):
    """screening.screen, reporting progress after each chunk: about twenty steps for the bar, in chunks
    of 250 to 2,500 households (smaller chunks would cost throughput, larger ones leave the bar still)."""
    households, errors = screening.read_households(text)
    skipped_early = len(errors)
    total = len(households) + skipped_early
    ScreeningJob.objects.filter(pk=job.pk).update(total=total, done=skipped_early, heartbeat_at=timezone.now())
    chunk = min(2500, max(250, -(-len(households) // 20)))
    return screening.screen(text, chunk=chunk, on_progress=_Progress(job, offset=skipped_early))


def report_text(report: screening.Report, rows: int) -> str:
    lines = report.lines()
    lines.insert(1, _("%(n)s ligne(s) dans le fichier de résultats.") % {"n": rows})
    return "\n".join(lines) + "\n"


def run(job: ScreeningJob) -> ScreeningJob:
    """Screen the job's file; results and report go to the storage, the input is deleted."""
    try:
        with job.input_file.open("rb") as handle:
            text = handle.read().decode("utf-8-sig")
        rows, report = _screen(text, job)
        out = io.StringIO()
        screening.write_rows(rows, out)
        job.results_file.save("resultats.csv", ContentFile(out.getvalue().encode("utf-8")), save=False)
        job.report_file.save("rapport.txt", ContentFile(report_text(report, len(rows)).encode("utf-8")), save=False)
        table = io.StringIO()
        by_commune = screening.by_commune(rows)
        screening.write_communes(by_commune, table)
        job.communes_file.save("communes.csv", ContentFile(table.getvalue().encode("utf-8")), save=False)
        job.status = Status.DONE
        job.simulated, job.skipped = report.simulated, len(report.skipped)
        job.done = job.total = report.simulated + len(report.skipped)
        action, detail = Action.RUN, f"{job.simulated} simulés, {job.skipped} ignorés"
        month = timezone.localdate().replace(day=1)
        screening.screening_done.send(
            sender=ScreeningJob, month=month, table=by_commune, screened=screening.screened_by_commune(rows)
        )
    except (ValueError, UnicodeDecodeError, csv.Error) as exc:
        job.status, job.error = Status.FAILED, str(exc)[:300]
        action, detail = Action.FAIL, type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - the job fails, the worker goes on with the next one
        logger.exception("screening job %s failed", job.pk)
        job.status, job.error = (
            Status.FAILED,
            _("Erreur interne pendant le traitement : l’équipe technique est prévenue."),
        )
        action, detail = Action.FAIL, type(exc).__name__
    finally:
        if job.input_file:
            job.input_file.storage.delete(job.input_file.name)
            job.input_file.name = ""
    now = timezone.now()
    job.finished_at = now
    job.expires_at = now + retention()
    job.save()
    ScreeningLog.record(job, action, detail=detail)
    return job


def fail_stalled(now=None) -> int:
    """Running jobs whose worker died: failed, their input deleted."""
    count = 0
    for job in ScreeningJob.objects.stalled(now):
        job.delete_files()
        job.status = Status.FAILED
        job.error = _("Traitement interrompu : déposez le fichier à nouveau.")
        job.finished_at = timezone.now()
        job.save()
        ScreeningLog.record(job, Action.FAIL, detail="stalled")
        count += 1
    return count


def run_pending(limit: int | None = None) -> int:
    """Run pending jobs one after the other (at most `limit`); returns how many ran."""
    fail_stalled()
    count = 0
    while limit is None or count < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        count += 1
    return count


# --- expiry -----------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    jobs: int = 0
    files: int = 0


def purge_expired(*, wet_run: bool, now=None) -> PurgeReport:
    """Delete the files of expired jobs (dry run: count them only)."""
    report = PurgeReport()
    for job in ScreeningJob.objects.expired(now):
        files = sum(bool(f) for f in (job.input_file, job.results_file, job.report_file, job.communes_file))
        report.jobs += 1
        report.files += files
        if not wet_run:
            continue
        job.delete_files()
        if job.status in (Status.DONE, Status.PENDING):
            job.status = Status.DELETED
        job.save(update_fields=["input_file", "results_file", "report_file", "communes_file", "status"])
        ScreeningLog.record(job, Action.PURGE, detail=f"{files} fichier(s)")
    return report
