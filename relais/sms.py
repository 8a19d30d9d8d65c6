"""Text messages (SMS), through a backend chosen by setting, as Django does for e-mail.

Plumbing below every app (docs/adr/0009-house-rules.md): the referrals tell a person of their referral
(relais/referrals/notifications.py), the sharing pages send a result list or a fiche (relais/sharing/).

`RELAIS_SMS_BACKEND` (docs/environment.md):
- empty, the default: no SMS is sent; the referral pages tell the professional so, the sharing pages offer
  no SMS;
- `relais.sms.HttpBackend`: each message is POSTed as JSON, `{"to": "+33612345678",
  "text": "…", "sender": "Relais"}`, to `RELAIS_SMS_URL` (the SMS gateway of the collectivité or of
  its operator), with `Authorization: Bearer RELAIS_SMS_TOKEN`; any answer but 2xx is an error;
- `relais.sms.ConsoleBackend`: printed on the console (development);
- `relais.sms.LocmemBackend`: kept in `sms.outbox` (tests).

Each caller decides what a message says (a referral's: a service's name, a date and a link, never the
person's name, situation, reason or address). Only mobile numbers get one: `mobile_number()` takes French
06 and 07 numbers (and +33 6, +33 7), or an international number written with its + prefix, other than a
French fixed line; `french_mobile_number()` takes French mobiles only (for a form anybody can post, so
that it cannot send to costly foreign numbers).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

TIMEOUT_SECONDS = 10
_FRENCH_MOBILE = re.compile(r"^0[67][0-9]{8}$")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +33612345678
    text: str


def enabled() -> bool:
    return bool(settings.RELAIS_SMS_BACKEND)


def mobile_number(value: str) -> str | None:
    """The number in E.164 form if an SMS can reach it, else None (a fixed line, a malformed number)."""
    value = (value or "").strip()
    digits = "".join(c for c in value if c.isdigit())
    if value.startswith("+"):
        number = "+" + digits
        if number.startswith("+33"):
            return number if _FRENCH_MOBILE.match("0" + number[3:]) else None
        return number if _E164.match(number) else None
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    return "+33" + digits[1:] if _FRENCH_MOBILE.match(digits) else None


def french_mobile_number(value: str) -> str | None:
    """The number in E.164 form if it is a French mobile (06, 07, +33 6, +33 7, 0033 6…), else None."""
    number = mobile_number(value)
    return number if number is not None and number.startswith("+33") else None


def reaches(channel_value: str) -> bool:
    """Whether a message to this phone number would be sent (SMS on, and a mobile number)."""
    return enabled() and mobile_number(channel_value) is not None


def get_backend():
    return import_string(settings.RELAIS_SMS_BACKEND)()


def send_messages(messages: list[SmsMessage]) -> int:
    if not messages or not enabled():
        return 0
    return get_backend().send_messages(messages)


class ConsoleBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}:\n{message.text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return len(messages)


outbox: list[SmsMessage] = []


class LocmemBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class HttpBackend:
    """One POST a message to the gateway; the first failure stops the batch and is raised."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        sent = 0
        for message in messages:
            body = json.dumps(
                {"to": message.to, "text": message.text, "sender": settings.RELAIS_SMS_SENDER}, ensure_ascii=False
            ).encode()
            request = urllib.request.Request(
                settings.RELAIS_SMS_URL,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.RELAIS_SMS_TOKEN}"},
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (URL from settings)
                if not 200 <= response.status < 300:
                    raise OSError(f"SMS gateway answered {response.status}")
            sent += 1
        return sent
