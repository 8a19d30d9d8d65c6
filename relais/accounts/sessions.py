"""Session lifetime for logged-in people: RELAIS_SESSION_IDLE_MINUTES without a request ends it, and
RELAIS_SESSION_MAX_HOURS after login it ends whatever happens (relais/accounts/middleware.py).

The session holds the login time and the last activity, as Unix seconds. The activity is written at
most once a minute (no database write on every request), so idle expiry is exact to the minute.
"""

from dataclasses import dataclass

from django.conf import settings

LOGIN_AT = "relais_login_at"
SEEN_AT = "relais_seen_at"
TOUCH_EVERY_SECONDS = 60
WARNING_SECONDS = 120  # the page warns this long before the end (relais/web/static/web/session.js)


def idle_seconds() -> int:
    return settings.RELAIS_SESSION_IDLE_MINUTES * 60


def max_seconds() -> int:
    return settings.RELAIS_SESSION_MAX_HOURS * 3600


def start(session, now: float) -> None:
    session[LOGIN_AT] = session[SEEN_AT] = int(now)


def touch(session, now: float, *, force: bool = False) -> None:
    if force or now - session.get(SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
        session[SEEN_AT] = int(now)


@dataclass(frozen=True)
class Remaining:
    idle: int  # seconds left before the idle limit
    absolute: int  # seconds left before the absolute limit

    @property
    def seconds(self) -> int:
        return min(self.idle, self.absolute)

    @property
    def expired(self) -> bool:
        return self.seconds <= 0

    @property
    def reason(self) -> str:
        return "absolute" if self.absolute <= self.idle else "idle"


def remaining(session, now: float) -> Remaining:
    return Remaining(
        idle=int(session.get(SEEN_AT, now) + idle_seconds() - now),
        absolute=int(session.get(LOGIN_AT, now) + max_seconds() - now),
    )
