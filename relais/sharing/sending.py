"""A shared message, by e-mail or SMS, to the one recipient typed; sent once, kept nowhere.

The address or number is handed to Django's e-mail backend or to the SMS gateway (relais/sms.py) and
forgotten with the request: no model, no log line, no trace holds it. Logs say what kind of subject went
by which channel; on a failure, the exception's class only (a mail server's message can quote the address).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import ngettext

from relais import sms
from relais.sharing.subjects import Shared
from relais.textinput import one_line

logger = logging.getLogger(__name__)

EMAIL_RESULTS = 5  # services listed in an e-mail (a fiche de services: all of its own, 6 at most)
SMS_RESULTS = 3  # services listed in a text message
SMS_ENTRY_CHARS = 220  # one service in a text message, at most
MAX_SUBJECT = 150


class NotSent(Exception):
    """The mail server or the SMS gateway refused or did not answer."""


def email_message(shared: Shared, to: str) -> mail.EmailMessage:
    body = render_to_string("sharing/message.txt", {"shared": shared, "platform": settings.RELAIS_PLATFORM_NAME})
    subject = one_line(f"{shared.title} ({settings.RELAIS_PLATFORM_NAME})", MAX_SUBJECT)
    return mail.EmailMessage(subject=subject, body=body, to=[to])


def sms_text(shared: Shared) -> str:
    """The text message: the title, the first services in one line each, the link."""
    lines = [f"{settings.RELAIS_PLATFORM_NAME} : {shared.title}"]
    for entry in shared.entries[:SMS_RESULTS]:
        parts = [entry.name, entry.address, entry.phone, "; ".join(entry.hours)]
        text = " – ".join(one_line(part, SMS_ENTRY_CHARS) for part in parts if part)
        lines.append(f"{entry.number}. " + Truncator(text).chars(SMS_ENTRY_CHARS))
    more = shared.more + max(0, len(shared.entries) - SMS_RESULTS)
    if more:
        lines.append(ngettext("Et %(count)d autre :", "Et %(count)d autres :", more) % {"count": more})
    lines.append(shared.link)
    return "\n".join(lines)


def send(channel: str, recipient: str, shared: Shared, kind: str) -> None:
    """Send the message to the recipient (an e-mail address, or a mobile in E.164); NotSent on failure."""
    try:
        if channel == "sms":
            sms.send_messages([sms.SmsMessage(to=recipient, text=sms_text(shared))])
        else:
            email_message(shared, recipient).send()
    except (OSError, ValueError, smtplib.SMTPException) as error:  # ValueError: an address the encoding refuses
        logger.warning("sharing a %s by %s failed: %s", kind, channel, type(error).__name__)
        raise NotSent from None
    logger.info("shared a %s by %s (recipient not logged)", kind, channel)
