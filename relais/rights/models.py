"""Batch screening jobs: a CSV of households uploaded by authorised staff, screened in the background.

The uploaded file and the results hold personal data. They live in the storage under random names
(never the uploaded file's name), only as long as needed: the input is deleted as soon as the job has
run, the results and the report when they expire (`RELAIS_SCREENING_RETENTION_HOURS` after the end,
one hour after the first download of the results) or when the owner deletes them; the
`purge_screening_jobs` command deletes expired files. The job row itself keeps only counts, dates and
its owner. Who uploaded, downloaded or deleted what is written to the append-only `ScreeningLog`.

The worker (`manage.py run_screening_jobs`, relais/rights/jobs.py) claims pending jobs one at a time
with a conditional update, so several workers can run side by side.
"""

import csv
import datetime as dt
import io
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.append_only import AppendOnlyModel


def _random_name(kind: str, extension: str) -> str:
    return f"screening/{uuid.uuid4().hex}-{kind}.{extension}"


def input_name(instance, filename):
    return _random_name("entree", "csv")


def results_name(instance, filename):
    return _random_name("resultats", "csv")


def report_name(instance, filename):
    return _random_name("rapport", "txt")


def communes_name(instance, filename):
    return _random_name("communes", "csv")


class ScreeningJobQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(owner=user)

    def pending(self):
        return self.filter(status=ScreeningJob.Status.PENDING).order_by("created_at")

    def with_files(self):
        return self.exclude(input_file="", results_file="", report_file="", communes_file="")

    def expired(self, now=None):
        """Jobs that still hold files past their expiry (a running job finishes first)."""
        now = now or timezone.now()
        return self.with_files().filter(expires_at__lte=now).exclude(status=ScreeningJob.Status.RUNNING)

    def stalled(self, now=None):
        """Running jobs whose worker stopped reporting progress (it died): they are failed, files purged."""
        now = now or timezone.now()
        return self.filter(status=ScreeningJob.Status.RUNNING, heartbeat_at__lt=now - ScreeningJob.STALLED_AFTER)


class ScreeningJob(models.Model):
    """One upload: who, when, how far the worker got, where the (temporary) files are."""

    STALLED_AFTER = dt.timedelta(minutes=10)
    AFTER_DOWNLOAD = dt.timedelta(hours=1)

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec")
        DELETED = "deleted", _("fichiers supprimés")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening_jobs", verbose_name=_("déposé par")
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("ménages à traiter"), default=0)
    done = models.PositiveIntegerField(_("ménages traités"), default=0)
    simulated = models.PositiveIntegerField(_("ménages simulés"), default=0)
    skipped = models.PositiveIntegerField(_("ménages ignorés"), default=0)
    error = models.CharField(_("erreur"), max_length=300, blank=True)  # never a cell's content
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("fichiers supprimés le"))
    input_file = models.FileField(_("fichier déposé"), upload_to=input_name, blank=True, max_length=200)
    results_file = models.FileField(_("résultats"), upload_to=results_name, blank=True, max_length=200)
    report_file = models.FileField(_("rapport"), upload_to=report_name, blank=True, max_length=200)
    # per commune and benefit: households and monthly total, no household (deleted with the other files)
    communes_file = models.FileField(_("synthèse par commune"), upload_to=communes_name, blank=True, max_length=200)

    objects = ScreeningJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("dépistage par fichier")
        verbose_name_plural = _("dépistages par fichier")
        ordering = ["-created_at"]
        permissions = [("screen_households", _("Peut dépister les droits d’un fichier de ménages"))]

    def __str__(self):
        return f"{self.id} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.DELETED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def seconds_left(self) -> int | None:
        """A rough estimate of the seconds before the end, from the pace so far; None before any progress."""
        if self.status != self.Status.RUNNING or not self.started_at or not self.total or not self.done:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(1, round(elapsed / self.done * (self.total - self.done)))

    @property
    def has_results(self) -> bool:
        return self.status == self.Status.DONE and bool(self.results_file)

    def progress(self) -> dict:
        """What the progress endpoint answers (no personal data)."""
        return {
            "statut": self.status,
            "libelle": str(self.get_status_display()),
            "traites": self.done,
            "total": self.total,
            "pourcentage": self.percent,
            "restant_secondes": self.seconds_left,
            "simules": self.simulated,
            "ignores": self.skipped,
            "termine": self.finished,
            "erreur": self.error,
        }

    def communes_table(self) -> list[dict]:
        """The per-commune summary (screening.by_commune), with the names of communes and benefits."""
        if self.status != self.Status.DONE or not self.communes_file:
            return []
        try:
            with self.communes_file.open("rb") as handle:
                rows = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))
        except FileNotFoundError:
            return []
        return rows

    def delete_files(self) -> int:
        """Delete every file of the job from the storage; returns how many were there."""
        count = 0
        for field in (self.input_file, self.results_file, self.report_file, self.communes_file):
            if field:
                field.storage.delete(field.name)
                field.name = ""
                count += 1
        return count


class ScreeningLog(AppendOnlyModel):
    """Append-only (relais/append_only.py): who uploaded, downloaded, deleted; what the worker and the purge did."""

    class Action(models.TextChoices):
        UPLOAD = "upload", _("dépôt")
        RUN = "run", _("traitement")
        FAIL = "fail", _("échec du traitement")
        DOWNLOAD_RESULTS = "download_results", _("téléchargement des résultats")
        DOWNLOAD_REPORT = "download_report", _("téléchargement du rapport")
        DELETE = "delete", _("suppression par l’utilisateur")
        PURGE = "purge", _("suppression à expiration")

    at = models.DateTimeField(_("date"), default=timezone.now)
    job_id = models.UUIDField(_("dépistage"), db_index=True)  # not a foreign key: the log outlives the job
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField(_("qui"), max_length=254)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("détail"), max_length=120, blank=True)  # counts only, never a cell

    class Meta:
        verbose_name = _("journal des dépistages")
        verbose_name_plural = _("journal des dépistages")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.job_id}"

    @classmethod
    def record(cls, job: ScreeningJob, action: str, *, user=None, detail: str = "") -> "ScreeningLog":
        user = user if user is not None and user.is_authenticated else None
        return cls.objects.create(
            job_id=job.id,
            user=user,
            actor=(user.email if user is not None else "tâche planifiée")[:254],
            action=action,
            detail=detail[:120],
        )
