"""Every change to a referral: atomic, checked against the state machine, logged, notified on commit.

`transition` is the single way a referral changes status. It locks the row, rejects a step the
machine does not declare (or declares for another party), records a `ReferralTransition` (actor,
time, from, to, reason) and an access-log row, sets the dates that follow (deadline, answer,
erasure dates), then queues the e-mails for after the commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.referrals import audit, config, consent, links, machine, notifications
from relais.referrals.models import (
    AnswerLink,
    Outcome,
    Party,
    Referral,
    ReferralTransition,
    RefusalReason,
    Status,
)
from relais.territories.text import normalize

DRAFT_LIFETIME = dt.timedelta(days=7)  # an unsent draft is cancelled (then erased) after a week


class ReferralError(Exception):
    """A change that cannot happen as asked; the message is for the person who asked."""


class ReplayedSubmission(ReferralError):
    """The same submission (form key, API Idempotency-Key) arrived again: `referral` is the one it made."""

    def __init__(self, referral: Referral):
        self.referral = referral
        super().__init__(_("Cette demande a déjà été reçue : l’orientation existe déjà."))


class IllegalTransition(ReferralError):
    def __init__(self, referral: Referral, to_status: str, party: str):
        self.from_status, self.to_status, self.party = referral.status, to_status, party
        super().__init__(
            _("Impossible de passer une orientation « %(frm)s » à « %(to)s ».")
            % {"frm": Status(referral.status).label, "to": Status(to_status).label}
        )


def person_key(first_name: str, last_name: str) -> str:
    return f"{normalize(last_name)}|{normalize(first_name)}"


# --- drafts ---------------------------------------------------------------------------------


PERSON_FIELDS = ("first_name", "last_name", "contact_channel", "contact_value", "availability", "situation", "reason")


def _existing_submission(key, sender, replay_error: bool) -> Referral | None:
    existing = Referral.objects.filter(submission_key=key).first()
    if existing is None:
        return None
    if existing.sender_id != sender.pk:
        raise ReferralError(_("Ce formulaire a déjà été utilisé."))
    if replay_error:
        raise ReplayedSubmission(existing)
    return existing


@transaction.atomic
def save_draft(
    *,
    sender,
    sender_structure,
    service,
    person: dict,
    attachment=None,
    attachment_kind="",
    key=None,
    digest: str = "",
    replay_error: bool = False,
    channel: str = audit.Channel.WEB,
):
    """A draft referral (nothing is sent yet). The same submission `key` twice gives the same draft, or raises
    ReplayedSubmission with it when `replay_error` (the API answers a replay with what the first request made)."""
    if key is not None:
        existing = _existing_submission(key, sender, replay_error)
        if existing is not None:
            if digest and existing.submission_digest != digest and existing.status == Status.DRAFT:
                # The same form sent again with changes (back button, then edit): the draft takes them,
                # so that what the person agreed to is what is sent.
                return _revise_draft(existing, sender, sender_structure, person, attachment, attachment_kind, digest)
            return existing
    referral = Referral(
        service=service,
        structure_id=service.structure_id,
        commune_code=service.code_insee or service.structure.code_insee,
        sender=sender,
        sender_structure=sender_structure,
        status=Status.DRAFT,
        submission_key=key,
        submission_digest=digest,
        **{name: person.get(name, "") for name in PERSON_FIELDS},
    )
    referral.person_key = person_key(referral.first_name, referral.last_name)
    if attachment is not None:
        referral.attachment = attachment
        referral.attachment_kind = attachment_kind
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # Two requests with the same key at once: the unique key let one through; this one finds it.
        if referral.attachment:
            referral.attachment.delete(save=False)
        existing = _existing_submission(key, sender, replay_error) if key is not None else None
        if existing is None:
            raise
        return existing
    audit.record([referral], audit.Action.CHANGE, channel, user=sender, detail="draft")
    return referral


def _revise_draft(referral, sender, sender_structure, person: dict, attachment, attachment_kind: str, digest: str):
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Status.DRAFT:
        return locked
    locked.sender_structure = sender_structure
    for name in PERSON_FIELDS:
        setattr(locked, name, person.get(name, ""))
    locked.person_key = person_key(locked.first_name, locked.last_name)
    locked.submission_digest = digest
    if attachment is not None:
        if locked.attachment:
            locked.attachment.delete(save=False)
        locked.attachment, locked.attachment_kind = attachment, attachment_kind
    locked.save()
    audit.record([locked], audit.Action.CHANGE, audit.Channel.WEB, user=sender, detail="draft revised")
    return locked


# --- the state machine ----------------------------------------------------------------------


def _parties_text(step) -> str:
    return ", ".join(sorted(step.parties))


def transition(
    referral: Referral,
    to_status: str,
    *,
    party: str,
    channel: str,
    actor=None,
    link: AnswerLink | None = None,
    refusal_reason: str = "",
    share_reason: bool = False,
    outcome: str = "",
    consent_version: str = "",
    note: str = "",
) -> Referral:
    """Move `referral` to `to_status` for `party`, or raise IllegalTransition / ReferralError (nothing changed)."""
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("service", "structure", "sender")
            .get(pk=referral.pk)
        )
        step = machine.step(locked.status, to_status)
        if step is None or party not in step.parties:
            raise IllegalTransition(locked, to_status, party)
        now = timezone.now()
        reason = ""
        if step.needs == "refusal_reason":
            if refusal_reason not in RefusalReason.values:
                raise ReferralError(_("Choisissez un motif de refus dans la liste."))
            locked.refusal_reason, locked.share_reason_with_person = refusal_reason, bool(share_reason)
            reason = refusal_reason
        elif step.needs == "outcome":
            if outcome not in Outcome.values:
                raise ReferralError(_("Choisissez une issue dans la liste."))
            locked.outcome = reason = outcome
        elif step.needs == "consent":
            if consent_version not in consent.WORDINGS:
                raise ReferralError(_("Le consentement de la personne doit être confirmé avant l’envoi."))
            locked.consent_wording_version, locked.consent_at = consent_version, now
            reason = f"consent:{consent_version}"
        from_status = locked.status
        locked.status = to_status
        _apply_dates(locked, to_status, now)
        locked.save()
        ReferralTransition.objects.create(
            referral=locked,
            from_status=from_status,
            to_status=to_status,
            party=party,
            actor=actor if actor is not None and actor.is_authenticated else None,
            link=link,
            at=now,
            reason=reason or note,
        )
        audit.record(
            [locked],
            audit.Action.CHANGE,
            channel,
            user=actor,
            link=link,
            actor="" if actor is not None or link is not None else "système",
            detail=f"{from_status}>{to_status}",
        )
        _notify(locked, from_status, party)
    referral.__dict__.update({k: v for k, v in locked.__dict__.items() if k != "_state"})
    return referral


def _apply_dates(referral: Referral, to_status: str, now: dt.datetime) -> None:
    if to_status == Status.SENT:
        referral.sent_at = now
        referral.answer_due_at = now + dt.timedelta(days=config.expiry_days())
    if to_status in machine.ANSWERED:
        referral.answered_at = now
    if to_status in machine.ENDED:
        referral.ended_at = now
    if to_status in machine.ENDED or to_status == Status.ACCEPTED:
        # Retention (docs/adr/0007-referrals.md, 2026-12-07): an ended referral keeps the person's data
        # `retention()` after its end; an accepted one stays open while the structure follows the person, so
        # its data stay until it is closed (then `retention()` more), never past `open_retention()` after the
        # acceptance. `min` keeps the earliest date: closing never lengthens what the acceptance bounded.
        keep = config.open_retention() if to_status == Status.ACCEPTED else config.retention()
        personal = now + keep
        attachment = now + config.attachment_retention()
        referral.personal_data_purge_after = min(filter(None, [referral.personal_data_purge_after, personal]))
        referral.attachment_purge_after = min(filter(None, [referral.attachment_purge_after, attachment]))


def _notify(referral: Referral, from_status: str, party: str) -> None:
    messages = []
    if referral.status == Status.SENT:
        messages += notifications.to_person(referral)
    elif referral.status == Status.CANCELLED and from_status == Status.SENT:
        messages += notifications.cancelled_to_structure(referral)
    elif referral.status in (Status.ACCEPTED, Status.REFUSED, Status.EXPIRED):
        messages += notifications.to_professional(referral) + notifications.to_person(referral)
    elif referral.status == Status.CLOSED and party == Party.RECEIVER:
        messages += notifications.to_professional(referral)
    notifications.queue(messages)


# --- the steps, by name ---------------------------------------------------------------------


NO_RECIPIENT = gettext_lazy(
    "Ce service ne peut pas recevoir d’orientation par la plateforme : il n’a ni adresse électronique ni membre "
    "inscrit. Contactez directement la structure."
)


def send(referral: Referral, *, actor, consent_version: str, channel: str = audit.Channel.WEB) -> Referral:
    """Send a draft: the person agreed (wording `consent_version`); the structure gets links and e-mails."""
    service = referral.service
    if service is None or not service.accepts_referrals or not service.is_visible:
        raise ReferralError(_("Ce service n’accepte plus les orientations par la plateforme."))
    email = notifications.contact_email(referral)
    if not email and not notifications.member_emails(referral):
        raise ReferralError(str(NO_RECIPIENT))
    with transaction.atomic():
        transition(
            referral, Status.SENT, party=Party.SENDER, actor=actor, channel=channel, consent_version=consent_version
        )
        answer_links = [links.issue(referral, email)] if email else []
        notifications.queue(notifications.to_structure(referral, answer_links))
    return referral


def accept(referral: Referral, *, channel: str, actor=None, link: AnswerLink | None = None) -> Referral:
    return transition(referral, Status.ACCEPTED, party=Party.RECEIVER, actor=actor, link=link, channel=channel)


def refuse(referral, *, reason: str, share: bool, channel: str, actor=None, link=None) -> Referral:
    return transition(
        referral,
        Status.REFUSED,
        party=Party.RECEIVER,
        actor=actor,
        link=link,
        channel=channel,
        refusal_reason=reason,
        share_reason=share,
    )


def record_outcome(referral: Referral, *, outcome: str, party: str, actor, channel: str) -> Referral:
    return transition(referral, Status.CLOSED, party=party, actor=actor, channel=channel, outcome=outcome)


def cancel(referral: Referral, *, actor, channel: str) -> Referral:
    return transition(referral, Status.CANCELLED, party=Party.SENDER, actor=actor, channel=channel)


def answer_by_link(link: AnswerLink, *, decision: str, reason: str = "", share: bool = False) -> Referral:
    """Answer through a signed link: the link is spent in the same transaction as the answer."""
    with transaction.atomic():
        locked = AnswerLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise links.LinkProblem("used", locked)
        if locked.expires_at <= timezone.now():
            raise links.LinkProblem("expired", locked)
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        if decision == "accept":
            referral = accept(link.referral, channel=audit.Channel.LINK, link=locked)
        else:
            referral = refuse(link.referral, reason=reason, share=share, channel=audit.Channel.LINK, link=locked)
    return referral


def renew_link(link: AnswerLink) -> AnswerLink:
    """A fresh link for an expired one, sent to the same address (never to one typed in); logged."""
    with transaction.atomic():
        locked = AnswerLink.objects.select_for_update(of=("self",)).select_related("referral").get(pk=link.pk)
        if locked.referral.status != Status.SENT:
            raise links.LinkProblem("closed", locked)
        if locked.used_at is not None:
            raise links.LinkProblem("used", locked)
        if locked.expires_at > timezone.now():
            raise ReferralError(_("Ce lien est encore valable : utilisez-le."))
        if AnswerLink.objects.filter(renewed_from=locked).exists():
            raise ReferralError(
                _("Un nouveau lien a déjà été envoyé à l’adresse de la structure : consultez sa boîte de réception.")
            )
        new = links.issue(locked.referral, locked.email, renewed_from=locked)
        audit.record([locked.referral], audit.Action.RENEW_LINK, audit.Channel.LINK, link=locked, detail=str(new.pk))
        referral = Referral.objects.select_related("service", "structure").get(pk=locked.referral_id)
        messages = [m for m in notifications.to_structure(referral, [new]) if m.to == [new.email]]
        notifications.queue(messages)
    return new


# --- scheduled jobs (called by the management commands) -------------------------------------


def remind(referral: Referral, offsets: list[int], now: dt.datetime) -> bool:
    """Send the reminder due now, if any: a new link for the contact address, the inbox for members."""
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",)).select_related("service", "structure").get(pk=referral.pk)
        )
        if locked.status != Status.SENT or locked.answer_due_at is None:
            return False
        passed = sum(1 for days in offsets if now >= locked.answer_due_at - dt.timedelta(days=days))
        if passed <= locked.reminders_sent:
            return False
        locked.reminders_sent = passed
        locked.save(update_fields=["reminders_sent"])
        email = notifications.contact_email(locked)
        answer_links = [links.issue(locked, email)] if email else []
        notifications.queue(notifications.to_structure(locked, answer_links, reminder=True))
    return True


def expire(referral: Referral) -> Referral:
    return transition(referral, Status.EXPIRED, party=Party.SYSTEM, channel=audit.Channel.COMMAND, note="expired")


def abandon_draft(referral: Referral) -> Referral:
    return transition(referral, Status.CANCELLED, party=Party.SYSTEM, channel=audit.Channel.COMMAND, note="abandoned")
