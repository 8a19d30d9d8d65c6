"""Throttling: an address, and a client IP, get a limited number of attempts in a sliding window.

Two kinds of attempts are counted (docs/adr/0006-accounts-and-security.md):

- **login**: a password check. The attempt is counted *before* the password is checked, so that the
  number of password hashes computed for an address never exceeds RELAIS_LOGIN_MAX_FAILURES within
  RELAIS_LOGIN_LOCKOUT_MINUTES (RELAIS_LOGIN_MAX_FAILURES_PER_IP for an IP), however many requests
  arrive at once. While locked, even the right password is refused and attempts are not counted
  (the lock does not grow forever). A successful login forgets the address's attempts.
- **email**: a request that sends an e-mail to an address (sign-up, confirmation link, password
  reset): EMAIL_MAX_PER_ADDRESS per address and the login IP limit per IP, in the same window.

Unknown addresses are counted like known ones, so the answer never tells whether an account exists.

Admission is one short transaction: take a lock per key (address, IP), count the attempts of the
window, insert the new attempt if under the limit, commit; the password is hashed afterwards, outside
the transaction. On PostgreSQL the locks are transaction-level advisory locks taken in a fixed order
(no deadlock), so that two admissions for the same address or IP never count at the same time, in
any process; on SQLite every write transaction starts with BEGIN IMMEDIATE (relais/settings.py), which
takes the database's single write lock, so admissions are serialised there too.
"""

import dataclasses
import datetime as dt
import ipaddress
import zlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from relais.accounts.models import LoginAttempt

EMAIL_MAX_PER_ADDRESS = 3  # e-mails (sign-up, confirmation, reset) sent to one address per window


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


def _limits(kind: str) -> tuple[int, int]:
    """(per address, per IP) for a kind of attempt."""
    if kind == LoginAttempt.Kind.EMAIL:
        return EMAIL_MAX_PER_ADDRESS, settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP
    return settings.RELAIS_LOGIN_MAX_FAILURES, settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP


@dataclasses.dataclass(frozen=True)
class Admission:
    allowed: bool
    locked_until: dt.datetime | None = None  # set when refused


def _lock_keys(keys: list[str]) -> None:
    """Serialise admissions for these keys until the end of the current transaction (see the module's docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for key in sorted(set(keys)):  # one order for everybody: no deadlock
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x52454C41, zlib.crc32(key.encode()) - 2**31])
    elif connection.vendor == "sqlite":
        if connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            raise ImproperlyConfigured(
                "Login throttling needs SQLite transactions in IMMEDIATE mode (relais/settings.py)"
            )
    else:
        raise ImproperlyConfigured(f"Login throttling supports PostgreSQL and SQLite, not {connection.vendor}")


def _locked_until(attempts, limit: int, now: dt.datetime) -> dt.datetime | None:
    """When the limit-th most recent attempt of the window leaves it, or None if fewer than `limit`."""
    window = _window()
    nth = list(attempts.filter(at__gt=now - window).order_by("-at").values_list("at", flat=True)[limit - 1 : limit])
    return nth[0] + window if nth else None


def _lock_end(kind: str, email: str, ip: str | None, now: dt.datetime) -> dt.datetime | None:
    per_address, per_ip = _limits(kind)
    attempts = LoginAttempt.objects.filter(kind=kind)
    ends = []
    if email:
        ends.append(_locked_until(attempts.filter(email=email), per_address, now))
    if ip:
        ends.append(_locked_until(attempts.filter(ip=ip), per_ip, now))
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def admit(email: str, ip: str | None, kind: str = LoginAttempt.Kind.LOGIN) -> Admission:
    """Count one attempt, atomically, unless the address or the IP already used up the window's attempts."""
    email = _key(email)
    now = timezone.now()
    with transaction.atomic():
        _lock_keys([f"{kind}:email:{email}", f"{kind}:ip:{ip}"] if ip else [f"{kind}:email:{email}"])
        until = _lock_end(kind, email, ip, now)
        if until is not None:
            return Admission(False, until)
        LoginAttempt.objects.create(kind=kind, email=email, ip=ip, at=now)
    _forget_old(now)
    return Admission(True)


def locked_until(email: str, ip: str | None, kind: str = LoginAttempt.Kind.LOGIN) -> dt.datetime | None:
    """The time the lock on this address or IP ends, or None while attempts are left."""
    return _lock_end(kind, _key(email), ip, timezone.now())


def _forget_old(now: dt.datetime) -> None:
    """Only the window is ever needed. Rows another transaction holds are left for the next call
    (SKIP LOCKED on PostgreSQL), so two cleanups never wait for each other."""
    with transaction.atomic():
        old = LoginAttempt.objects.filter(at__lt=now - _window()).select_for_update(skip_locked=True)
        LoginAttempt.objects.filter(pk__in=list(old.values_list("pk", flat=True)[:1000])).delete()


def clear(email: str) -> None:
    """A successful login forgets the address's login attempts."""
    LoginAttempt.objects.filter(kind=LoginAttempt.Kind.LOGIN, email=_key(email)).delete()


def forget_lock(email: str) -> None:
    """A password reset forgets the address's login attempts: the lock of a locked-out owner ends."""
    clear(email)
