"""E-mails (and text messages to the person) about referrals, sent once the transaction commits.

E-mails go through Django's e-mail backend; text messages through relais/sms.py, when
`RELAIS_SMS_BACKEND` is set and the person chose the phone with a mobile number.

A message carries the service's name, a date and a link: never the person's name, situation,
reason, contact or any address. Whoever follows the link proves who they are (an account, or a
signed single-purpose link) before reading more.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from relais import sms
from relais.accounts.models import Membership, User
from relais.referrals import config, links
from relais.referrals.models import AnswerLink, ContactChannel, Referral, Status
from relais.textinput import one_line

logger = logging.getLogger(__name__)
MAX_SUBJECT = 200  # characters: a subject stays readable in a mail client


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y")


def _message(to: str, subject: str, lines: list[str]) -> mail.EmailMessage:
    platform = settings.RELAIS_PLATFORM_NAME
    body = "\n\n".join([_("Bonjour,"), *lines, _("L’équipe %(platform)s") % {"platform": platform}])
    # One safe line, whatever the data (a service named before control characters were refused, a platform
    # name with a line break): Django refuses a header with a line break, and the message would not leave.
    return mail.EmailMessage(subject=one_line(f"{platform} : {subject}", MAX_SUBJECT), body=body + "\n", to=[to])


def deliver(messages: list) -> None:
    """Send e-mails and text messages; a failure of one kind does not stop the other (it is logged)."""
    emails = [m for m in messages if isinstance(m, mail.EmailMessage)]
    texts = [m for m in messages if isinstance(m, sms.SmsMessage)]
    if emails:
        with mail.get_connection() as connection:
            connection.send_messages(emails)
    if texts:
        try:
            sms.send_messages(texts)
        except OSError:
            logger.exception("text messages about a referral could not be sent")


_muted = contextvars.ContextVar("relais_referral_mail_muted", default=False)


@contextlib.contextmanager
def muted():
    """No e-mail is queued inside: for demo referrals made by `load_demo`, which nobody should receive."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def queue(messages: list) -> None:
    """Send after the transaction commits; a failing mail server is logged and never undoes the change."""
    if messages and not _muted.get():
        transaction.on_commit(lambda: deliver(messages), robust=True)


def contact_email(referral: Referral) -> str:
    """The receiving service's (else its structure's) e-mail address, where answer links go."""
    service = referral.service
    if service is not None and service.courriel:
        return service.courriel
    structure = referral.structure
    return structure.courriel if structure is not None else ""


def member_emails(referral: Referral) -> list[str]:
    if referral.structure_id is None:
        return []
    return list(
        User.objects.filter(
            memberships__structure_id=referral.structure_id,
            memberships__status=Membership.Status.ACTIVE,
            is_active=True,
        )
        .order_by("email")
        .values_list("email", flat=True)
    )


def _service_name(referral: Referral) -> str:
    return referral.service.nom if referral.service is not None else _("service supprimé")


def _inbox_url() -> str:
    return config.site_url() + reverse("referrals:inbox")


def _detail_url(referral: Referral) -> str:
    return config.site_url() + reverse("referrals:detail", args=[referral.pk])


def to_structure(referral: Referral, answer_links: list[AnswerLink], *, reminder: bool = False) -> list:
    """New referral (or a reminder): the contact address gets a signed link, members a link to their inbox."""
    with translation.override(settings.LANGUAGE_CODE):
        service = _service_name(referral)
        due = _date(referral.answer_due_at)
        if reminder:
            subject = _("rappel, une orientation attend votre réponse")
            first = _("Une orientation vers « %(service)s » attend votre réponse depuis le %(date)s.") % {
                "service": service,
                "date": _date(referral.sent_at),
            }
        else:
            subject = _("nouvelle orientation vers « %(service)s »") % {"service": service}
            first = _("Une personne est orientée vers « %(service)s » le %(date)s.") % {
                "service": service,
                "date": _date(referral.sent_at),
            }
        deadline = _("Sans réponse avant le %(date)s, l’orientation expirera.") % {"date": due}
        messages, linked = [], set()
        for link in answer_links:
            linked.add(link.email.lower())
            open_line = _("Pour la lire et répondre, sans compte (lien personnel valable jusqu’au %(date)s) :") % {
                "date": _date(link.expires_at)
            }
            messages.append(_message(link.email, subject, [first, f"{open_line}\n{links.answer_url(link)}", deadline]))
        for email in member_emails(referral):
            if email.lower() in linked:
                continue
            open_line = _("Pour la lire et répondre, connectez-vous :")
            messages.append(_message(email, subject, [first, f"{open_line}\n{_inbox_url()}", deadline]))
        return messages


def cancelled_to_structure(referral: Referral) -> list:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("orientation annulée")
        line = _(
            "L’orientation vers « %(service)s » envoyée le %(date)s a été annulée : aucune réponse n’est attendue."
        )
        line %= {"service": _service_name(referral), "date": _date(referral.sent_at)}
        recipients = {e.lower(): e for e in [contact_email(referral), *member_emails(referral)] if e}
        return [_message(email, subject, [line, _inbox_url()]) for email in recipients.values()]


EVENTS = {
    Status.SENT: "sent",
    Status.ACCEPTED: "answered",
    Status.REFUSED: "answered",
    Status.EXPIRED: "expired",
    Status.CLOSED: "closed",
}


def to_professional(referral: Referral) -> list:
    """The sender learns that something happened; the details are behind the link (login).

    Only while they are an active member of the organisation they sent it for: a former member is told
    nothing (their former colleagues see it in the organisation's sent list).
    """
    if referral.sender is None or not referral.sender.is_active:
        return []
    if not Membership.objects.filter(
        user_id=referral.sender_id, structure_id=referral.sender_structure_id, status=Membership.Status.ACTIVE
    ).exists():
        return []
    with translation.override(settings.LANGUAGE_CODE):
        service = _service_name(referral)
        lines = {
            Status.ACCEPTED: _("Votre orientation vers « %(service)s » a reçu une réponse le %(date)s."),
            Status.REFUSED: _("Votre orientation vers « %(service)s » a reçu une réponse le %(date)s."),
            Status.EXPIRED: _("Votre orientation vers « %(service)s » a expiré sans réponse le %(date)s."),
            Status.CLOSED: _("L’issue de votre orientation vers « %(service)s » a été enregistrée le %(date)s."),
        }
        if referral.status not in lines:
            return []
        line = lines[referral.status] % {"service": service, "date": _date(timezone.now())}
        subject = _("du nouveau sur une orientation")
        return [_message(referral.sender.email, subject, [line, _detail_url(referral)])]


def person_is_told(referral: Referral) -> bool:
    """Whether the platform itself tells the person what happens: by e-mail, or by SMS to a mobile number."""
    if not referral.contact_value:
        return False
    if referral.contact_channel == ContactChannel.EMAIL:
        return True
    return referral.contact_channel == ContactChannel.PHONE and sms.reaches(referral.contact_value)


def to_person(referral: Referral) -> list:
    """An e-mail if the person chose e-mail; a text message if they chose the phone, on a mobile, with SMS on."""
    if not person_is_told(referral):
        return []
    with translation.override(settings.LANGUAGE_CODE):
        service = _service_name(referral)
        lines = {
            Status.SENT: _("Vous avez été orienté·e vers « %(service)s » le %(date)s."),
            Status.ACCEPTED: _("Votre orientation vers « %(service)s » a reçu une réponse le %(date)s."),
            Status.REFUSED: _("Votre orientation vers « %(service)s » a reçu une réponse le %(date)s."),
            Status.EXPIRED: _("Votre orientation vers « %(service)s » n’a pas reçu de réponse à temps (%(date)s)."),
        }
        if referral.status not in lines:
            return []
        line = lines[referral.status] % {"service": service, "date": _date(timezone.now())}
        follow = _("Pour suivre votre orientation :")
        if referral.contact_channel == ContactChannel.PHONE:
            text = f"{settings.RELAIS_PLATFORM_NAME} : {line} {follow} {links.person_url(referral)}"
            return [sms.SmsMessage(to=sms.mobile_number(referral.contact_value), text=text)]
        subject = _("votre orientation")
        return [_message(referral.contact_value, subject, [line, f"{follow}\n{links.person_url(referral)}"])]
