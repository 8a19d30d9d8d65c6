"""« Signaler une erreur »: anyone reports a mistake on a public fiche; the structure and its moderators fix it.

    submit(listing, kind, message, email)    # public form; notifies on commit
    visible_to(user)                         # the reports a person may see and handle
    handle(actor, report, status, note)      # fixed or rejected; answers the reporter; erases their address
    record_views(user, reports, page)        # the access log (ErrorReportLog)
    purge(now) / preview(now)                # `manage.py purge_error_reports --wet-run`

Who handles a report: the active members of the structure (a service's structure), the moderators of the
territory of its commune, and staff; a report on an aid, which only staff edit, goes to staff. Every page
that shows reports asks for the second factor (they may hold the reporter's address, and the free text may
hold more than it should). E-mails say which fiche and what kind of error, never the text nor the address:
whoever follows the link logs in to read them. See docs/adr/0019-error-reports.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relais import quota
from relais.accounts.models import Membership, User
from relais.accounts.throttling import client_ip
from relais.offer.models import Aid, ErrorReport, ErrorReportLog, Service, Structure
from relais.territories.models import Commune
from relais.textinput import one_line

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200
BATCH_SIZE = 1000
SCHEDULED = "tâche planifiée"  # the actor of the purge in the log

Action = ErrorReportLog.Action
Status = ErrorReport.Status


class AlreadyHandled(Exception):
    """Someone else marked the report fixed or rejected first."""


# --- throttle -------------------------------------------------------------------------------


def admitted(request) -> bool:
    """One more report from this client IP within the hour, or False once RELAIS_ERROR_REPORTS_PER_HOUR are spent.

    Counted in Django's cache (relais/quota.py), like the rights e-mails and sharing: never in the database,
    so no IP address is stored; shared between processes only if the cache is.
    """
    return quota.admit("error-report", quota.sender(client_ip(request)), settings.RELAIS_ERROR_REPORTS_PER_HOUR)


def fiche_admitted(listing: Structure | Service | Aid) -> bool:
    """One more report on this fiche today, or False once RELAIS_ERROR_REPORTS_PER_FICHE_PER_DAY are spent: each
    report e-mails the structure, its members and its moderators, whatever the number of senders."""
    key = f"{target_of(listing)}:{listing.pk}"
    return quota.admit("error-report-fiche", key, settings.RELAIS_ERROR_REPORTS_PER_FICHE_PER_DAY, quota.DAY)


# --- submitting -----------------------------------------------------------------------------


def target_of(listing: Structure | Service | Aid) -> str:
    if isinstance(listing, Service):
        return ErrorReport.Target.SERVICE
    return ErrorReport.Target.AID if isinstance(listing, Aid) else ErrorReport.Target.STRUCTURE


@transaction.atomic
def submit(listing: Structure | Service | Aid, kind: str, message: str, email: str = "") -> ErrorReport:
    """Record a report on a public listing and tell those who handle it (after the commit)."""
    report = ErrorReport(
        target=target_of(listing),
        structure=listing if isinstance(listing, Structure) else None,
        service=listing if isinstance(listing, Service) else None,
        aid=listing if isinstance(listing, Aid) else None,
        kind=kind,
        message=message.strip(),
        reporter_email=email.strip(),
    )
    report.full_clean()
    report.save()
    _queue(new_report_messages(report))
    return report


# --- who sees and handles -------------------------------------------------------------------


def _member_structure_ids(user) -> list[str]:
    return list(
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list("structure_id", flat=True)
    )


def visible_to(user):
    """The reports `user` may see and handle: their structures', their territories', every one for staff."""
    reports = ErrorReport.objects.all()
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if user.is_staff:
        return reports
    query = Q(pk__in=ErrorReport.objects.about_structures(_member_structure_ids(user)).values("pk"))
    codes = user.moderated_commune_codes()
    if codes:
        query |= Q(pk__in=ErrorReport.objects.in_communes(codes).values("pk"))
    return reports.filter(query)


def can_handle(user, report: ErrorReport) -> bool:
    return visible_to(user).filter(pk=report.pk).exists()


def open_counts(structure_ids) -> dict[str, int]:
    """{structure id: open reports on it or its services} (a partner's dashboard)."""
    counts: dict[str, int] = {}
    rows = (
        ErrorReport.objects.about_structures(structure_ids).open().values_list("structure_id", "service__structure_id")
    )
    for structure_id, service_structure_id in rows:
        key = structure_id or service_structure_id
        counts[key] = counts.get(key, 0) + 1
    return counts


def count_of(reports, shown: list, limit: int) -> int:
    """How many reports a list holds: those shown when fewer than the limit (no query), else a count."""
    return len(shown) if len(shown) < limit else reports.count()


def _commune_and_parent(code: str) -> list[str]:
    """The commune and, for an arrondissement, its commune: a territory may list either (ADR 0002)."""
    if not code:
        return []
    parent = Commune.objects.filter(code=code).values_list("parent_id", flat=True).first()
    return [code, parent] if parent else [code]


def moderators_of(structure: Structure):
    """The active accounts that moderate the territory of the structure's commune."""
    codes = _commune_and_parent(structure.code_insee)
    if not codes:
        return User.objects.none()
    return User.objects.filter(is_active=True, moderations__territory__communes__code__in=codes).distinct()


def members_of(structure: Structure):
    return User.objects.filter(
        is_active=True, memberships__structure=structure, memberships__status=Membership.Status.ACTIVE
    ).distinct()


# --- notifications --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Recipients:
    contact: str  # the listing's contact address (the service's, else its structure's)
    members: list[str]
    moderators: list[str]
    staff: list[str]  # only for an aid

    def all(self) -> list[str]:
        seen: dict[str, None] = {}
        for address in [self.contact, *self.members, *self.moderators, *self.staff]:
            if address:
                seen.setdefault(address.strip().lower(), None)
        return list(seen)


def recipients(report: ErrorReport) -> Recipients:
    structure = report.owning_structure
    if structure is None:  # an aid: staff edit aids (ADR 0002)
        staff = User.objects.filter(is_active=True, is_staff=True).order_by("email").values_list("email", flat=True)
        return Recipients("", [], [], list(staff))
    contact = (report.service.courriel if report.service is not None else "") or structure.courriel
    members = members_of(structure).order_by("email").values_list("email", flat=True)
    moderators = moderators_of(structure).order_by("email").values_list("email", flat=True)
    return Recipients(contact, list(members), list(moderators), [])


def _site_url() -> str:
    return settings.RELAIS_SITE_URL.rstrip("/")


def public_url(report: ErrorReport) -> str:
    listing = report.listing
    if report.target == ErrorReport.Target.SERVICE:
        path = reverse("offer:service", args=[listing.pk])
    elif report.target == ErrorReport.Target.AID:
        path = reverse("offer:aid", args=[listing.slug])
    else:
        path = reverse("offer:structure", args=[listing.pk])
    return _site_url() + path


def _message(to: str, subject: str, lines: list[str]) -> mail.EmailMessage:
    platform = settings.RELAIS_PLATFORM_NAME
    body = "\n\n".join([_("Bonjour,"), *lines, _("L’équipe %(platform)s") % {"platform": platform}])
    return mail.EmailMessage(subject=one_line(f"{platform} : {subject}", MAX_SUBJECT), body=body + "\n", to=[to])


def new_report_messages(report: ErrorReport) -> list[mail.EmailMessage]:
    """One e-mail per address: which fiche, what kind of error, where to read and handle it (after logging in)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"name": report.target_name, "kind": report.get_kind_display().lower()}
        subject = _("erreur signalée sur « %(name)s »") % values
        lines = [
            _("Quelqu’un a signalé une erreur sur la fiche « %(name)s » : %(kind)s.") % values,
            _("La fiche publique : %(url)s") % {"url": public_url(report)},
            _(
                "Pour lire le signalement et le marquer corrigé ou rejeté, connectez-vous : %(url)s "
                "(les membres de la structure et l’équipe de modération de son territoire y ont accès). "
                "Si la fiche est à corriger, modifiez-la depuis votre espace partenaire."
            )
            % {"url": _site_url() + reverse("offer:reports")},
        ]
        return [_message(address, subject, lines) for address in recipients(report).all()]


def answer_message(report: ErrorReport) -> mail.EmailMessage | None:
    """The answer to the reporter who left an address: fixed or rejected, and the note of whoever handled it."""
    if not report.reporter_email:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        values = {"name": report.target_name}
        if report.status == Status.FIXED:
            first = _("Merci : l’erreur que vous avez signalée sur la fiche « %(name)s » est corrigée.") % values
        else:
            first = (
                _(
                    "Merci pour votre signalement sur la fiche « %(name)s ». Après vérification, la fiche n’a pas été modifiée."
                )
                % values
            )
        lines = [first]
        if report.resolution_note:
            lines.append(_("Réponse : %(note)s") % {"note": report.resolution_note})
        lines.append(_("La fiche : %(url)s") % {"url": public_url(report)})
        lines.append(_("Votre adresse vient d’être effacée : vous ne recevrez pas d’autre message à ce sujet."))
        return _message(report.reporter_email, _("votre signalement d’erreur"), lines)


def _deliver(messages: list[mail.EmailMessage]) -> None:
    try:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    except OSError:
        logger.exception("e-mails about an error report could not be sent")


def _queue(messages: list) -> None:
    """Send after the transaction commits; a failing mail server is logged and never undoes the report."""
    messages = [m for m in messages if m is not None]
    if messages:
        transaction.on_commit(lambda: _deliver(messages), robust=True)


# --- handling -------------------------------------------------------------------------------


def _log(reports, action: str, *, user=None, detail: str = "") -> None:
    """One row per report, in one query."""
    user = user if user is not None and user.is_authenticated else None
    actor = (user.email if user is not None else SCHEDULED)[:254]
    now = timezone.now()
    ErrorReportLog.objects.bulk_create(
        [
            ErrorReportLog(at=now, report_id=pk, user=user, actor=actor, action=action, detail=detail[:120])
            for pk in (r.pk if isinstance(r, ErrorReport) else r for r in reports)
        ]
    )


def record_views(user, reports, page: str) -> None:
    """The access log: `user` saw these reports (with their text and, if any, the reporter's address)."""
    reports = list(reports)
    if reports:
        _log(reports, Action.VIEW, user=user, detail=page)


@transaction.atomic
def handle(actor, report: ErrorReport, status: str, note: str = "") -> ErrorReport:
    """Mark a report fixed or rejected, with a note; the reporter (if they left an address) gets the answer and
    their address is erased at once. Raises PermissionDenied for someone who may not, AlreadyHandled if done."""
    if status not in (Status.FIXED, Status.REJECTED):
        raise ValueError(f"status: expected fixed or rejected, got {status!r}")
    locked = ErrorReport.objects.select_for_update().get(pk=report.pk)
    if not can_handle(actor, locked):
        raise PermissionDenied
    if locked.status != Status.NEW:
        raise AlreadyHandled(_("Ce signalement a déjà été traité."))
    locked.status = status
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.resolution_note = one_line(note, 500)
    answer = answer_message(locked)
    locked.reporter_email = ""
    locked.full_clean()
    locked.save()
    action = Action.FIXED if status == Status.FIXED else Action.REJECTED
    _log([locked], action, user=actor, detail=f"new → {status}")
    _queue([answer])
    return locked


# --- expiry ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PurgeReport:
    emails_erased: int
    reports_deleted: int


def _expired_emails(now: dt.datetime):
    limit = now - dt.timedelta(days=settings.RELAIS_ERROR_REPORT_EMAIL_DAYS)
    return ErrorReport.objects.filter(created_at__lt=limit).exclude(reporter_email="")


def _expired_reports(now: dt.datetime):
    limit = now - dt.timedelta(days=settings.RELAIS_ERROR_REPORT_RETENTION_DAYS)
    return ErrorReport.objects.handled().filter(handled_at__lt=limit)


def preview(now: dt.datetime) -> PurgeReport:
    return PurgeReport(_expired_emails(now).count(), _expired_reports(now).count())


def purge(now: dt.datetime, batch_size: int = BATCH_SIZE) -> PurgeReport:
    """Erase reporters' addresses older than RELAIS_ERROR_REPORT_EMAIL_DAYS, delete reports handled more than
    RELAIS_ERROR_REPORT_RETENTION_DAYS ago; in batches, each one transaction, each row logged."""
    erased = deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                _expired_emails(now).select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            ErrorReport.objects.filter(pk__in=ids).update(reporter_email="")
            _log(ids, Action.EMAIL_ERASED)
            erased += len(ids)
    while True:
        with transaction.atomic():
            ids = list(
                _expired_reports(now).select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            ErrorReport.objects.filter(pk__in=ids).delete()
            _log(ids, Action.DELETED)
            deleted += len(ids)
    return PurgeReport(erased, deleted)
