"""The person's contact channel and address, checked by the same rules in the form and in the API.

The person chooses one channel: e-mail (then an address Django's `EmailValidator` accepts), phone
(9 to 15 digits, with the usual separators), or « through the professional » (no address at all).
`normalized` gives the comparable form used to find a person again (right of access).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from relais.referrals.models import ContactChannel

EMAIL_MAX = 254
PHONE_MAX = 25
PHONE = re.compile(r"^\+?[0-9 .()-]{6,25}$")


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if len(value) > EMAIL_MAX:
        raise ValidationError(_("Adresse électronique trop longue : %(max)s caractères au plus.") % {"max": EMAIL_MAX})
    validate_email(value)
    return value


def clean_phone(value: str) -> str:
    phone = (value or "").strip()
    if len(phone) > PHONE_MAX or not PHONE.match(phone) or not 9 <= sum(c.isdigit() for c in phone) <= 15:
        raise ValidationError(_("« %(phone)s » n’est pas un numéro de téléphone.") % {"phone": phone[:PHONE_MAX]})
    return phone


def clean(channel: str, value: str) -> str:
    """The address to store for `channel`, or ValidationError with a message for the person who typed it."""
    value = (value or "").strip()
    if channel == ContactChannel.EMAIL:
        if not value:
            raise ValidationError(_("La personne a choisi le courriel : indiquez son adresse."), code="required")
        return clean_email(value)
    if channel == ContactChannel.PHONE:
        if not value:
            raise ValidationError(_("La personne a choisi le téléphone : indiquez son numéro."), code="required")
        return clean_phone(value)
    return ""


def normalized(value: str) -> str:
    """A comparable form of an address or number: e-mail in lower case; a phone as digits, +33 read as 0."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    digits = "".join(c for c in value if c.isdigit())
    if value.startswith("+33") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif digits.startswith("0033") and len(digits) == 13:
        digits = "0" + digits[4:]
    return digits
