"""Opening status for matching, on top of relais.offer.hours (OSM opening_hours, closures, holidays).

Ranking needs "open now?" and "next opening" for every candidate, thousands of times a minute. Asking
the opening_hours library each time costs ~30 µs; instead `relais.offer.hours.Timetable` keeps, for
each distinct expression, its open intervals over the next eight days (computed once a day, ~50 µs),
and a search reads them with a binary search (~2 µs). Temporary closures and the Alsace-Moselle holidays are
applied on top exactly as `hours.next_opening` does; beyond the eight days we ask `hours` itself.
The full status with its French label (`hours.status`) is computed only for the results shown.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from relais.matching.i18n import _
from relais.matching.types import UNKNOWN_OPENING, OpeningInfo, ServiceRecord
from relais.offer import hours
from relais.offer.hours import TIMETABLE, Timetable

_PH_OFF = re.compile(r"\bPH\s+(off|closed)\b")


def _closed_days(service: ServiceRecord, year: int) -> list[tuple[dt.date, dt.date]]:
    closed = [(c.starts_on, c.ends_on) for c in service.closures if c.is_closed]
    if service.code_insee[:2] in hours.ALSACE_MOSELLE and _PH_OFF.search(service.horaires):
        for y in (year, year + 1):
            closed += [(d, d) for d in hours.regional_holidays(service.code_insee, y)]
    return closed


def _closure_end(closed, day: dt.date) -> dt.date | None:
    ends = [end for start, end in closed if start <= day <= end]
    return max(ends) if ends else None


def next_open(
    service: ServiceRecord, now: dt.datetime, timetable: Timetable = TIMETABLE
) -> tuple[bool | None, dt.datetime | None]:
    """(open at `now`?, next opening); (None, None) when the hours are not given or unreadable.

    Same answer as `hours.next_opening` (tested), faster thanks to the timetable.
    """
    if not service.horaires:
        return None, None
    tz = timetable.tz
    now = now.astimezone(tz)
    table = timetable.intervals(service.horaires, now.date())
    if table is None:
        return None, None
    starts, ends = table
    ts = now.timestamp()
    closed = (
        _closed_days(service, now.year) if service.closures or service.code_insee[:2] in hours.ALSACE_MOSELLE else ()
    )
    for i in range(bisect.bisect_right(ends, ts), len(starts)):
        candidate = starts[i] if starts[i] > ts else ts
        while candidate < ends[i]:
            if not closed:
                return candidate <= ts, (now if candidate <= ts else dt.datetime.fromtimestamp(candidate, tz))
            day = dt.datetime.fromtimestamp(candidate, tz).date()
            end = _closure_end(closed, day)
            if end is None:
                return candidate <= ts, (now if candidate <= ts else dt.datetime.fromtimestamp(candidate, tz))
            candidate = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz).timestamp()
    # nothing within the window: ask from its end (a midnight, never inside a daylight-saving gap)
    last = dt.datetime.combine(now.date(), dt.time(0), tzinfo=tz) + hours.TIMETABLE_WINDOW
    upcoming = hours.next_opening(service.horaires, service.closures, after=last, tz=tz, code_insee=service.code_insee)
    if upcoming is None or upcoming - now > hours.HORIZON:
        return False, None
    return False, upcoming


def memo_key(service: ServiceRecord) -> tuple:
    """Services with the same key share their opening (Alsace-Moselle holidays depend on the département)."""
    return (service.horaires, service.closures, service.code_insee[:2] in hours.ALSACE_MOSELLE)


_AT_MINUTE: dict[tuple, OpeningInfo] = {}
AT_MINUTE_KEPT = 20_000


def opening_at_minute(service: ServiceRecord, now: dt.datetime, language: str) -> OpeningInfo:
    """`opening_at` at the start of `now`'s minute, shared by the searches of that minute (same hours, closures
    and language: same answer). The label of a result shown is the costly part of a search (~0.3 ms each)."""
    minute = now.replace(second=0, microsecond=0)
    key = (memo_key(service), minute, language)
    found = _AT_MINUTE.get(key)
    if found is None:
        if len(_AT_MINUTE) >= AT_MINUTE_KEPT:
            _AT_MINUTE.clear()
        found = _AT_MINUTE[key] = opening_at(service, minute)
    return found


def opening_at(service: ServiceRecord, now: dt.datetime) -> OpeningInfo:
    """Open or closed at `now` (timezone-aware), with the next opening or closing and a French label."""
    if not service.horaires and not service.closures:
        return UNKNOWN_OPENING
    try:
        st = hours.status(service.horaires, service.closures, at=now, code_insee=service.code_insee)
    except (TypeError, ValueError):
        # relais.offer.hours fails when its one-year horizon lands in a daylight-saving gap: say less, never fail
        return _plain_opening(service, now)
    notices = " ".join(m.message for m in getattr(st, "messages", ()) if m.message)
    if st.state == hours.OPEN:
        return OpeningInfo("open", closes_at=st.closes_at, label=st.label, message=notices)
    if st.state == hours.TEMPORARILY_CLOSED:
        closure = st.closure
        return OpeningInfo(
            "closed",
            next_open=st.next_opening,
            closed_until=getattr(closure, "ends_on", None),
            message=getattr(closure, "message", ""),
            label=st.label,
        )
    if st.state == hours.CLOSED:
        return OpeningInfo("closed", next_open=st.next_opening, label=st.label, message=notices)
    return OpeningInfo("unknown", next_open=st.next_opening, label=st.label, message=notices)


def _plain_opening(service: ServiceRecord, now: dt.datetime) -> OpeningInfo:
    is_open, upcoming = next_open(service, now)
    if is_open:
        return OpeningInfo("open", label=_("Ouvert maintenant"))
    if is_open is None:
        return UNKNOWN_OPENING
    if upcoming is None:
        return OpeningInfo("closed", label=_("Fermé, pas de prochaine ouverture connue"))
    upcoming = upcoming.astimezone(hours.PARIS)
    return OpeningInfo(
        "closed",
        next_open=upcoming,
        label=_("Fermé, ouvre le %(day)s à %(time)s")
        % {"day": upcoming.strftime("%d/%m"), "time": hours.format_time(upcoming)},
    )


def open_on_day(service: ServiceRecord, day: dt.date, tz=hours.PARIS) -> bool | None:
    """Whether the service opens at some time on `day`; None when its hours are not known."""
    if not service.horaires or not hours.readable(service.horaires):
        return None
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    _, upcoming = next_open(service, start)
    return upcoming is not None and upcoming.astimezone(tz).date() == day


def time_window(hint: str | None, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The hours the person means: "now" the next hour, "today" until midnight, "tonight" from 18:00 (or now)
    to 6:00 the next morning (after midnight: until 6:00)."""
    if hint not in ("now", "today", "tonight"):
        return None
    tz = now.tzinfo or hours.PARIS
    if hint == "now":
        return now, now + dt.timedelta(hours=1)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    if hint == "today":
        return now, midnight
    if now.hour < 6:
        return now, dt.datetime.combine(now.date(), dt.time(6), tzinfo=tz)
    start = max(now, dt.datetime.combine(now.date(), dt.time(18), tzinfo=tz))
    return start, midnight + dt.timedelta(hours=6)


def open_between(service: ServiceRecord, start: dt.datetime, end: dt.datetime) -> bool | None:
    """Whether the service is open at some time from `start` to `end`; None when its hours are not known."""
    is_open, upcoming = next_open(service, start)
    if is_open is None:
        return None
    return bool(is_open) or (upcoming is not None and upcoming < end)
