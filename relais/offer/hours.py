"""Opening hours: OpenStreetMap `opening_hours` expressions turned into plain French.

The `opening-hours-py` library (Rust, offline) parses and evaluates the expressions, including
French public holidays (`PH`). This module adds what our users need on top:

- `validate` / `validate_opening_hours`: a French message naming the problem, for forms and models;
- `status`: "open now, closes at 12 h", "closed, opens today at 14 h", temporary closures first;
- `next_opening`: the next moment a place is open, skipping temporary closures (used by matching);
- `week_table`: the opening intervals of each day of a week, for display;
- `week_summary`: the usual week in a few lines (« Du lundi au vendredi : 9 h – 12 h »), for fiches and messages;
- `Timetable`: each expression's open intervals over the next days, for the search's ranking.

Temporary closures are any objects with `starts_on`, `ends_on` (dates, inclusive), `is_closed`
and `message` (e.g. `relais.offer.models.Closure`): closed ones override the hours; the others
are messages to show. Every datetime given must be timezone-aware; results are in `tz`.

The library knows France's national public holidays only. Alsace-Moselle's two extra ones (Good
Friday and 26 December) are added as closures when the place is in départements 57, 67 or 68 and
its hours say `PH off`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext
from opening_hours import OpeningHours, ParserError, State

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
COUNTRY = "FR"
# How far ahead we look for a next opening (a year covers seasonal and yearly rules).
HORIZON = dt.timedelta(days=366)
TIMETABLE_WINDOW = dt.timedelta(days=8)  # what a Timetable keeps of each expression
ALSACE_MOSELLE = ("57", "67", "68")

EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"

OPEN = "open"
CLOSED = "closed"
TEMPORARILY_CLOSED = "temporarily_closed"
UNKNOWN = "unknown"
NOT_GIVEN = "not_given"


# --- validation -------------------------------------------------------------------------------

_FRENCH_DAYS = re.compile(r"\b(lu|ma|me|je|ve|di|lun|mar|mer|jeu|ven|sam|dim)\w*\b", re.IGNORECASE)
_H_TIME = re.compile(r"\b\d{1,2}\s*h\s*\d{0,2}\b", re.IGNORECASE)
_POSITION = re.compile(r"-->\s*\d+:(\d+)")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def validate(expression: str) -> str | None:
    """None when `expression` is valid opening hours, else a French message naming the problem."""
    expression = (expression or "").strip()
    if not expression:
        return None
    hint = _hint(expression)
    try:
        OpeningHours(expression)
    except ParserError as error:
        return _parser_message(expression, str(error), hint)
    except Exception:  # the library may raise other errors on exotic input: never crash a form
        return gettext("Horaires illisibles. %(hint)s") % {"hint": hint or _example()}
    return None


def validate_opening_hours(value: str) -> None:
    """Django validator for `horaires_accueil` fields."""
    message = validate(value)
    if message:
        raise ValidationError(message, code="invalid_opening_hours")


def _example() -> str:
    return gettext("Exemple valide : %(example)s") % {"example": EXAMPLE}


def _hint(expression: str) -> str:
    """A pointer to the most common mistakes: French day names, '9h' times, impossible times."""
    for hours, minutes in _TIME.findall(expression):
        if int(minutes) > 59 or int(hours) > 24 or (int(hours) == 24 and minutes != "00"):
            return gettext("L’heure « %(time)s » n’existe pas : les heures vont de 00:00 à 24:00.") % {
                "time": f"{hours}:{minutes}"
            }
    if _FRENCH_DAYS.search(expression) and not re.search(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", expression):
        return gettext("Les jours s’écrivent en abrégé anglais : Mo, Tu, We, Th, Fr, Sa, Su (lundi à dimanche).")
    if _H_TIME.search(expression):
        return gettext("Les heures s’écrivent sur 24 h avec deux-points : 09:00-12:00, pas 9h-12h.")
    return ""


def _parser_message(expression: str, error: str, hint: str) -> str:
    match = _POSITION.search(error)
    position = int(match.group(1)) if match else 0
    if 1 <= position <= len(expression):
        fragment = expression[position - 1 : position + 19].strip()
        message = gettext("Horaires non reconnus à partir du caractère %(position)d (« %(fragment)s »).") % {
            "position": position,
            "fragment": fragment,
        }
    else:
        message = gettext("Horaires incomplets : l’expression s’arrête trop tôt.")
    return " ".join(part for part in (message, hint or _example()) if part)


# --- evaluation -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)
def _parse(expression: str, tz: zoneinfo.ZoneInfo) -> OpeningHours | None:
    try:
        return OpeningHours(expression, timezone=tz, country=COUNTRY, auto_country=False, auto_timezone=False)
    except Exception:
        return None


@dataclass(frozen=True)
class _Closed:
    """A synthetic closed day (Alsace-Moselle public holidays)."""

    starts_on: dt.date
    ends_on: dt.date
    message: str = ""
    is_closed: bool = True


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    line = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * line) // 451
    month = (h + line - 7 * m + 114) // 31
    day = (h + line - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def regional_holidays(code_insee: str, year: int) -> list[dt.date]:
    """Public holidays that the national calendar lacks: Good Friday and 26 December in Alsace-Moselle."""
    if not code_insee or code_insee[:2] not in ALSACE_MOSELLE:
        return []
    return [_easter(year) - dt.timedelta(days=2), dt.date(year, 12, 26)]


def _closures_with_holidays(expression: str, closures, code_insee: str, around: dt.date) -> list:
    closed = [c for c in closures or () if c.is_closed]
    if code_insee[:2] in ALSACE_MOSELLE and re.search(r"\bPH\s+(off|closed)\b", expression):
        for year in (around.year, around.year + 1):
            closed += [_Closed(day, day) for day in regional_holidays(code_insee, year)]
    return closed


def _closure_on(closed, day: dt.date):
    """The closure covering `day` whose end is furthest (so chained closures are skipped at once)."""
    covering = [c for c in closed if c.starts_on <= day <= c.ends_on]
    return max(covering, key=lambda c: c.ends_on) if covering else None


def _local(at: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("opening hours are evaluated at timezone-aware datetimes only")
    return at.astimezone(tz)


def _midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def _next_open(oh: OpeningHours, closed, after: dt.datetime, tz, horizon: dt.timedelta = HORIZON):
    """First instant >= `after` where `oh` is open and no closure applies; None within the horizon."""
    limit = after + horizon
    for start, end, state, _comment in oh.intervals(after, limit):
        if state != State.OPEN:
            continue
        candidate = max(start, after)
        while candidate < end:
            closure = _closure_on(closed, candidate.date())
            if closure is None:
                return candidate
            candidate = _midnight(closure.ends_on + dt.timedelta(days=1), tz)
    return None


def next_opening(
    expression: str, closures=(), after: dt.datetime | None = None, tz=PARIS, code_insee: str = ""
) -> dt.datetime | None:
    """The next instant at or after `after` when the place is open (now if it is open), or None.

    None also when the hours are empty or invalid: the caller cannot promise anything then.
    """
    after = _local(after, tz) if after else dt.datetime.now(tz)
    oh = _parse((expression or "").strip(), tz) if (expression or "").strip() else None
    if oh is None:
        return None
    closed = _closures_with_holidays(expression, closures, code_insee, after.date())
    return _next_open(oh, closed, after, tz)


# --- a timetable for callers that ask often ---------------------------------------------------


@functools.lru_cache(maxsize=8192)
def readable(expression: str) -> bool:
    """Hours given and valid (cached: a search asks for the same expressions again and again)."""
    return bool(expression.strip()) and validate(expression) is None


class Timetable:
    """Open intervals of each expression from a day's midnight over TIMETABLE_WINDOW, for the last days asked.

    For callers that ask thousands of times a minute (the search's ranking, relais.matching.opening).

    Intervals are POSIX timestamps: comparing floats is much faster than comparing aware datetimes.
    """

    DAYS_KEPT = 4

    def __init__(self, tz=PARIS):
        self.tz = tz
        self._days: dict[dt.date, dict[str, tuple[list[float], list[float]] | None]] = {}
        self._lock = threading.Lock()

    def intervals(self, expression: str, day: dt.date):
        """(starts, ends) of the open intervals from `day` 00:00, or None when the hours are unreadable."""
        cache = self._days.get(day)
        if cache is not None:
            found = cache.get(expression, False)
            if found is not False:
                return found
        oh = _parse(expression, self.tz) if readable(expression) else None
        value = None
        if oh is not None:
            start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
            starts, ends = [], []
            for begin, end, state, _comment in oh.intervals(start, start + TIMETABLE_WINDOW):
                if state == State.OPEN:
                    starts.append(begin.timestamp())
                    ends.append(end.timestamp())
            value = (starts, ends)
        with self._lock:
            if day not in self._days:
                while len(self._days) >= self.DAYS_KEPT:
                    del self._days[min(self._days)]
                self._days[day] = {}
            self._days[day][expression] = value
        return value


TIMETABLE = Timetable()


@dataclass(frozen=True)
class OpeningStatus:
    """Where a place stands at a given moment, with a plain French label."""

    state: str  # OPEN, CLOSED, TEMPORARILY_CLOSED, UNKNOWN or NOT_GIVEN
    label: str
    closes_at: dt.datetime | None = None
    next_opening: dt.datetime | None = None
    comment: str = ""  # the expression's own comment, e.g. "sur rendez-vous"
    closure: object | None = None  # the temporary closure in force
    messages: list = field(default_factory=list)  # current messages (closures with is_closed=False)

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def css_class(self) -> str:
        return {OPEN: "status-open", CLOSED: "status-closed", TEMPORARILY_CLOSED: "status-closed"}.get(
            self.state, "status-warn"
        )


def status(
    expression: str, closures=(), at: dt.datetime | None = None, tz=PARIS, code_insee: str = ""
) -> OpeningStatus:
    """Open or closed at `at` (default: now), when it closes or opens next, in plain French."""
    now = _local(at, tz) if at else dt.datetime.now(tz)
    today = now.date()
    closures = list(closures or ())
    messages = [c for c in closures if not c.is_closed and c.starts_on <= today <= c.ends_on]
    expression = (expression or "").strip()
    closed = _closures_with_holidays(expression, closures, code_insee, today)
    oh = _parse(expression, tz) if expression else None

    closure = _closure_on(closed, today)
    if closure is not None and not isinstance(closure, _Closed):
        upcoming = _next_open(oh, closed, now, tz) if oh else None
        label = gettext("Fermé temporairement jusqu’au %(date)s") % {"date": day_month(closure.ends_on, today)}
        return OpeningStatus(TEMPORARILY_CLOSED, label, next_opening=upcoming, closure=closure, messages=messages)
    if not expression:
        return OpeningStatus(NOT_GIVEN, gettext("Horaires non renseignés"), messages=messages)
    if oh is None:
        return OpeningStatus(UNKNOWN, gettext("Horaires à confirmer auprès de la structure"), messages=messages)

    state, comment = oh.state(now)
    if closure is not None:  # a regional public holiday: closed like on a national one
        state, comment = State.CLOSED, ""
    if state == State.OPEN and comment and _comment_only_day(oh, now, tz):
        # A rule without times, e.g. `Sa "sur rendez-vous"`: the library says open all day; we cannot promise it.
        return OpeningStatus(UNKNOWN, capfirst(comment), next_opening=now, comment=comment, messages=messages)
    if state == State.OPEN:
        closes_at = _closing_time(oh, closed, now, tz)
        if closes_at is None:
            label = gettext("Ouvert maintenant")
        else:
            label = gettext("Ouvert maintenant, ferme %(when)s") % {"when": _when(closes_at, now)}
        return OpeningStatus(OPEN, label, closes_at=closes_at, next_opening=now, comment=comment, messages=messages)

    upcoming = _next_open(oh, closed, now, tz)
    if state == State.UNKNOWN:
        label = comment or gettext("Horaires à confirmer auprès de la structure")
        return OpeningStatus(UNKNOWN, label, next_opening=upcoming, comment=comment, messages=messages)
    if upcoming is None:
        label = gettext("Fermé, pas de prochaine ouverture connue")
    elif upcoming.date() == today:
        label = gettext("Fermé, ouvre %(when)s") % {"when": _when(upcoming, now, say_today=True)}
    else:
        label = gettext("Fermé aujourd’hui, ouvre %(when)s") % {"when": _when(upcoming, now)}
    return OpeningStatus(CLOSED, label, next_opening=upcoming, comment=comment, messages=messages)


def _comment_only_day(oh: OpeningHours, now: dt.datetime, tz) -> bool:
    """Open with a comment from midnight to midnight: a rule that has a comment but no opening times."""
    start = _midnight(now.date(), tz)
    end = start + dt.timedelta(days=1)
    intervals = list(oh.intervals(start, end))
    return len(intervals) == 1 and intervals[0][2] == State.OPEN and bool(intervals[0][3])


def _closing_time(oh: OpeningHours, closed, now: dt.datetime, tz) -> dt.datetime | None:
    """End of the current open stretch, cut at the midnight a closure starts; None if it never ends."""
    end = next((start for start, _stop, state, _c in oh.intervals(now, now + HORIZON) if state != State.OPEN), None)
    today = now.date()
    starts = [c.starts_on for c in closed if c.starts_on > today and (end is None or c.starts_on <= end.date())]
    if starts:
        cut = _midnight(min(starts), tz)
        return cut if end is None or cut < end else end
    return end


# --- display ----------------------------------------------------------------------------------


def format_time(moment: dt.datetime | dt.time) -> str:
    """9 h, 12 h 30 (French typography)."""
    if moment.minute:
        return gettext("%(hour)d h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}
    return gettext("%(hour)d h") % {"hour": moment.hour}


def day_month(day: dt.date, today: dt.date | None = None) -> str:
    """3 décembre, 1er mai, 2 janvier 2027 (year only when it is not the current one)."""
    month = formats.date_format(day, "F")
    if day.day == 1:
        text = gettext("1er %(month)s") % {"month": month}
    else:
        text = f"{day.day} {month}"
    if today is not None and day.year != today.year:
        text = f"{text} {day.year}"
    return text


def weekday_name(day: dt.date) -> str:
    return str(WEEKDAYS[day.weekday()])


def _when(moment: dt.datetime, now: dt.datetime, say_today: bool = False) -> str:
    """à 12 h, aujourd’hui à 14 h, demain à 9 h, lundi à 9 h, le 3 décembre à 9 h, à minuit."""
    days = (moment.date() - now.date()).days
    time = format_time(moment)
    if moment.hour == 0 and moment.minute == 0 and days >= 1:  # midnight ends the day before
        days -= 1
        time = gettext("minuit")
        moment = moment - dt.timedelta(days=1)
    if days == 0:
        return (
            gettext("aujourd’hui à %(time)s") % {"time": time} if say_today else gettext("à %(time)s") % {"time": time}
        )
    if days == 1:
        return gettext("demain à %(time)s") % {"time": time}
    if days < 7:
        return gettext("%(weekday)s à %(time)s") % {"weekday": weekday_name(moment.date()), "time": time}
    return gettext("le %(date)s à %(time)s") % {"date": day_month(moment.date(), now.date()), "time": time}


@dataclass(frozen=True)
class Interval:
    start: dt.time
    end: dt.time  # dt.time(0) when the interval runs to midnight
    comment: str = ""
    unknown: bool = False

    @property
    def whole_day(self) -> bool:
        return self.start == dt.time(0) and self.end == dt.time(0)

    @property
    def label(self) -> str:
        if self.whole_day and self.comment:
            return capfirst(self.comment)  # a rule without times, e.g. `Sa "sur rendez-vous"`
        if self.whole_day:
            return gettext("toute la journée")
        end = gettext("24 h") if self.end == dt.time(0) else format_time(self.end)
        return f"{format_time(self.start)} – {end}"


@dataclass(frozen=True)
class DayHours:
    day: dt.date
    weekday: str
    intervals: list
    closure: object | None = None  # a temporary closure covering the day
    messages: list = field(default_factory=list)
    is_holiday: bool = False

    @property
    def is_closed(self) -> bool:
        return self.closure is not None or not self.intervals


def week_table(
    expression: str, week_of: dt.date | None = None, closures=(), tz=PARIS, code_insee: str = ""
) -> list[DayHours] | None:
    """Monday to Sunday of the week holding `week_of`: each day's opening intervals.

    None when the hours are empty or invalid (show the raw text or "not given" instead).
    """
    expression = (expression or "").strip()
    oh = _parse(expression, tz) if expression else None
    if oh is None:
        return None
    week_of = week_of or dt.datetime.now(tz).date()
    monday = week_of - dt.timedelta(days=week_of.weekday())
    closures = list(closures or ())
    closed = _closures_with_holidays(expression, closures, code_insee, monday)
    holidays = _parse("PH", tz)
    table = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        start, end = _midnight(day, tz), _midnight(day + dt.timedelta(days=1), tz)
        intervals = [
            Interval(
                begin.timetz().replace(tzinfo=None),
                stop.timetz().replace(tzinfo=None) if stop < end else dt.time(0),
                comment,
                state == State.UNKNOWN,
            )
            for begin, stop, state, comment in oh.intervals(start, end)
            if state in (State.OPEN, State.UNKNOWN)
        ]
        closure = _closure_on(closed, day)
        table.append(
            DayHours(
                day=day,
                weekday=weekday_name(day),
                intervals=intervals,
                closure=closure,
                messages=[c for c in closures if not c.is_closed and c.starts_on <= day <= c.ends_on],
                is_holiday=bool(holidays and holidays.is_open(start + dt.timedelta(hours=12)))
                or isinstance(closure, _Closed),
            )
        )
    return table


def _days_label(days: list[DayHours]) -> str:
    first, last = days[0].weekday, days[-1].weekday
    if len(days) == 1:
        return first
    if len(days) == 2:
        return gettext("%(a)s et %(b)s") % {"a": first, "b": last}
    return gettext("du %(a)s au %(b)s") % {"a": first, "b": last}


def week_summary(expression: str, today: dt.date, code_insee: str = "") -> list[str]:
    """Usual opening hours in a few lines: « Du lundi au vendredi : 9 h – 12 h, 14 h – 17 h »."""
    table = week_table(expression, today, (), code_insee=code_insee)
    if not table:
        return []
    groups: list[tuple[list, str]] = []  # consecutive days with the same hours
    for day in table:
        label = ", ".join(i.label for i in day.intervals)
        if groups and groups[-1][1] == label:
            groups[-1][0].append(day)
        else:
            groups.append(([day], label))
    lines = [f"{_days_label(days)} : {label}" for days, label in groups if label]
    return [line[0].upper() + line[1:] for line in lines]
