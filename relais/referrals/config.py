"""The referral settings (RELAIS_REFERRAL_*, docs/environment.md), read at call time so tests can change them."""

import datetime as dt

from django.conf import settings
from django.core import checks

REMINDER_SETTING = "RELAIS_REFERRAL_REMINDER_DAYS"


def expiry_days() -> int:
    """Days a sent referral waits for an answer before it expires."""
    return settings.RELAIS_REFERRAL_EXPIRY_DAYS


def link_lifetime() -> dt.timedelta:
    """How long a signed answer link works."""
    return dt.timedelta(days=settings.RELAIS_REFERRAL_LINK_DAYS)


def retention() -> dt.timedelta:
    """How long the person's data are kept once the referral is answered, expired or cancelled."""
    return dt.timedelta(days=settings.RELAIS_REFERRAL_RETENTION_DAYS)


def open_retention() -> dt.timedelta:
    """The longest the person's data are kept after the acceptance while the referral stays open (not closed)."""
    return dt.timedelta(days=settings.RELAIS_REFERRAL_OPEN_RETENTION_DAYS)


def attachment_retention() -> dt.timedelta:
    """How long an attachment is kept once the referral is answered, expired or cancelled."""
    return dt.timedelta(days=settings.RELAIS_REFERRAL_ATTACHMENT_DAYS)


def _parse_offsets(values) -> list[int]:
    offsets = set()
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or int(text) < 1:
            raise ValueError(text)
        offsets.add(int(text))
    return sorted(offsets, reverse=True)


def reminder_offsets() -> list[int]:
    """Days before the deadline at which the receiving structure is reminded, earliest first (e.g. [20, 7, 1])."""
    return [d for d in _parse_offsets(getattr(settings, REMINDER_SETTING)) if d < expiry_days()]


def site_url() -> str:
    return settings.RELAIS_SITE_URL.rstrip("/")


def check_referral_settings(app_configs=None, **kwargs):
    errors = []
    try:
        _parse_offsets(getattr(settings, REMINDER_SETTING))
    except ValueError as error:
        errors.append(
            checks.Error(
                f"{REMINDER_SETTING}: expected whole numbers of days of at least 1, comma-separated; got {error}",
                id="referrals.E001",
            )
        )
    return errors
