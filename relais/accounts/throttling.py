"""Login throttling: too many failed passwords lock an address, and a client IP, for a while.

Failures are rows in the database (LoginFailure), so every app process counts the same ones. An
address is locked when it had RELAIS_LOGIN_MAX_FAILURES failures within the last
RELAIS_LOGIN_LOCKOUT_MINUTES; an IP when it had RELAIS_LOGIN_MAX_FAILURES_PER_IP. While locked, even
the right password is refused and attempts are not counted (the lock does not grow forever). Unknown
addresses are counted like known ones, so the answer never tells whether an account exists.
"""

import datetime as dt
import ipaddress

from django.conf import settings
from django.utils import timezone

from relais.accounts.models import LoginFailure


def client_ip(request) -> str | None:
    """The client's address: the connection's, or the last one in RELAIS_CLIENT_IP_HEADER (set by our proxy)."""
    if request is None:
        return None
    header = settings.RELAIS_CLIENT_IP_HEADER
    raw = request.headers.get(header, "") if header else request.META.get("REMOTE_ADDR", "")
    candidate = raw.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.RELAIS_LOGIN_LOCKOUT_MINUTES)


def _locked_until(failures, limit: int) -> dt.datetime | None:
    """When the limit-th most recent failure of the window leaves it, or None if fewer than `limit`."""
    start = timezone.now() - _window()
    nth = list(failures.filter(at__gt=start).order_by("-at").values_list("at", flat=True)[limit - 1 : limit])
    return nth[0] + _window() if nth else None


def locked_until(email: str, ip: str | None) -> dt.datetime | None:
    """The time the lock on this address or IP ends, or None when logging in is allowed."""
    ends = []
    if _key(email):
        ends.append(_locked_until(LoginFailure.objects.filter(email=_key(email)), settings.RELAIS_LOGIN_MAX_FAILURES))
    if ip:
        ends.append(_locked_until(LoginFailure.objects.filter(ip=ip), settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP))
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def record_failure(email: str, ip: str | None) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - _window()).delete()  # only the window is ever needed
    LoginFailure.objects.create(email=_key(email), ip=ip, at=now)


def clear(email: str) -> None:
    """A successful login forgets the address's failures."""
    LoginFailure.objects.filter(email=_key(email)).delete()
