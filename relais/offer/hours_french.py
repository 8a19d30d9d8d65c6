"""Opening hours in French words, both ways: what partners type, and what moderators read.

- `parse_french("du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés")` gives the
  OpenStreetMap expression `Mo-Fr 09:00-12:00,14:00-17:00; PH off`, or a French message saying what
  was not understood and what to write instead;
- `describe("Mo-Fr 09:00-12:00; PH off")` gives « du lundi au vendredi : 9 h – 12 h ; fermé les jours
  fériés », or None when the expression uses syntax beyond what the form writes (then show it raw);
- `Row`, `rows_of` and `build` are the grid of the partner form (days, two time ranges per row, public
  holidays, closed dates), to and from the expression.

What the parser reads: days (« lundi », « lun », « du lundi au vendredi », « lundi-vendredi », « en
semaine », « le week-end », « tous les jours », lists « lundi, mardi et jeudi », « sauf le mercredi »),
times (« 9h », « 9h30 », « 9:30 », « midi », « minuit », ranges with « - », « à », « de … à … »,
« 24h/24 »), « fermé » (a day, the public holidays, a date), the public holidays (« jours fériés »),
dates (« le 25 décembre », « du 1er au 15 août », « du 24 décembre au 2 janvier ») and « sur
rendez-vous ». Clauses are separated by « ; », a new line, a full stop, or simply a new day after
times. Later clauses win over earlier ones for the same day, as in OpenStreetMap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext

from relais.offer import hours

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EXAMPLE = "du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés"

_DAY_WORDS = {
    "Mo": ("lundi", "lun", "lu"),
    "Tu": ("mardi", "mar", "ma"),
    "We": ("mercredi", "mer", "me"),
    "Th": ("jeudi", "jeu", "je"),
    "Fr": ("vendredi", "ven", "ve"),
    "Sa": ("samedi", "sam", "sa"),
    "Su": ("dimanche", "dim", "di"),
}
_MONTH_WORDS = (
    ("janvier", "janv"),
    ("fevrier", "fevr", "fev"),
    ("mars",),
    ("avril", "avr"),
    ("mai",),
    ("juin",),
    ("juillet", "juil"),
    ("aout",),
    ("septembre", "sept"),
    ("octobre", "oct"),
    ("novembre", "nov"),
    ("decembre", "dec"),
)
_DAY = r"(?:{})s?\.?".format("|".join(w for words in _DAY_WORDS.values() for w in words))
_MONTH = r"(?:{})\.?".format("|".join(w for words in _MONTH_WORDS for w in words))
_TIME = r"(?:\d{1,2}[ \t]*(?:h|:)[ \t]*(?:\d{2})?|midi|minuit)"
_RANGE_SEP = r"\s*(?:-|–|à|a|jusqu'a|jusqu'à)\s*"
_FILLER = {
    "le",
    "les",
    "la",
    "l'",
    "de",
    "du",
    "des",
    "et",
    "puis",
    "ouvert",
    "ouverte",
    "ouverts",
    "ouvertes",
    "",
    "/",
    "aussi",
    "matin",
    "apres-midi",
    "soir",
    "horaires",
    "accueil",
    "est",
    "on",
    "nous",
    "sommes",
    "au",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _day_code(word: str) -> str:
    word = word.rstrip(".")
    for code, words in _DAY_WORDS.items():
        if word in words or (word.endswith("s") and word[:-1] in words):
            return code
    raise KeyError(word)


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    for number, words in enumerate(_MONTH_WORDS, start=1):
        if word in words:
            return number
    raise KeyError(word)


def _time(text: str) -> str:
    text = re.sub(r"\s", "", text)
    if text == "midi":
        return "12:00"
    if text == "minuit":
        return "24:00"
    hour, _sep, minutes = (re.split(r"(h|:)", text, maxsplit=1) + ["", ""])[:3]
    hour_n, minute_n = int(hour), int(minutes or 0)
    if hour_n > 24 or minute_n > 59 or (hour_n == 24 and minute_n):
        raise ValueError(text)
    return f"{hour_n:02d}:{minute_n:02d}"


def _day_range(first: str, last: str) -> list[str]:
    a, b = DAYS.index(first), DAYS.index(last)
    return [DAYS[(a + i) % 7] for i in range((b - a) % 7 + 1)]


# --- French -> tokens ---------------------------------------------------------------------------


class Refused(ValueError):
    """The text cannot be read: the message says what to write."""


def _tokens(text: str) -> list[tuple[str, object]]:  # noqa: C901 - one branch per kind of token
    """The text as tokens: ("days", [codes]), ("ph", None), ("dates", "Dec 25"), ("time", "09:00-12:00"),
    ("off", None), ("except", None), ("comment", text), ("end", None) for a clause separator."""
    plain = _plain(text)
    patterns = [
        ("end", r"[;\n]|\.(?=\s|$)"),
        ("always", r"24\s*h\s*(?:/|sur)\s*24|jour et nuit"),
        ("everyday", r"tous les jours|7\s*j(?:ours)?\s*(?:/|sur)\s*7|chaque jour"),
        ("weekdays", r"en semaine|jours de semaine"),
        ("weekend", r"(?:le |les )?(?:week-?ends?|fins? de semaine)"),
        ("ph", r"(?:les |le )?jours? (?:feries?|ferie)|feries?"),
        ("comment", r"sur rendez-vous|sur rdv|uniquement sur rendez-vous"),
        ("off", r"fermeture|fermes?e?s?(?![a-z])"),
        ("except", r"sauf|excepte"),
        ("daterange2", rf"du\s+(\d{{1,2}})(?:er)?\s+({_MONTH})\s+au\s+(\d{{1,2}})(?:er)?\s+({_MONTH})"),
        ("daterange", rf"du\s+(\d{{1,2}})(?:er)?\s+au\s+(\d{{1,2}})(?:er)?\s+({_MONTH})"),
        ("date", rf"(\d{{1,2}})(?:er)?\s+({_MONTH})"),
        ("timerange", rf"(?:de\s+)?({_TIME}|\d{{1,2}}){_RANGE_SEP}({_TIME})"),
        ("dayrange", rf"(?:du\s+)?({_DAY})(?:\s+au\s+|\s*-\s*|\s*–\s*|\s+a\s+)({_DAY})(?![a-z])"),
        ("day", rf"({_DAY})(?![a-z])"),
        ("badtime", rf"{_TIME}"),
        ("word", r"[a-z0-9'/-]+"),
    ]
    scanner = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in patterns))
    tokens: list[tuple[str, object]] = []
    for match in scanner.finditer(plain):
        kind = match.lastgroup
        groups = [g for g in match.groups() if g is not None][1:]
        token = match.group(0).strip()
        if kind == "end":
            tokens.append(("end", None))
        elif kind == "always":
            tokens.append(("time", "00:00-24:00"))
        elif kind == "everyday":
            tokens.append(("days", list(DAYS)))
        elif kind == "weekdays":
            tokens.append(("days", list(DAYS[:5])))
        elif kind == "weekend":
            tokens.append(("days", ["Sa", "Su"]))
        elif kind in ("ph", "off", "except"):
            tokens.append((kind, None))
        elif kind == "comment":
            tokens.append(("comment", "sur rendez-vous"))
        elif kind in ("date", "daterange", "daterange2"):
            tokens.append(("dates", _date_selector(kind, groups, token)))
        elif kind == "timerange":
            try:
                tokens.append(("time", f"{_time(groups[0])}-{_time(groups[1])}"))
            except ValueError:
                raise Refused(
                    gettext("« %(text)s » n’est pas une heure : les heures vont de 0h à 24h, les minutes de 00 à 59.")
                    % {"text": token}
                ) from None
        elif kind == "dayrange":
            tokens.append(("days", _day_range(_day_code(groups[0]), _day_code(groups[1]))))
        elif kind == "day":
            tokens.append(("days", [_day_code(groups[0])]))
        elif kind == "badtime":
            raise Refused(
                gettext("« %(text)s » : donnez une plage d’heures, avec le début et la fin (par exemple « 9h-12h »).")
                % {"text": token}
            )
        elif token not in _FILLER:
            raise Refused(
                gettext("Nous n’avons pas compris « %(word)s ». Écrivez par exemple : « %(example)s ».")
                % {"word": token, "example": EXAMPLE}
            )
    return tokens


def _date_selector(kind: str, groups: list[str], token: str) -> str:
    try:
        if kind == "date":
            days, months = [int(groups[0])], [_month_number(groups[1])]
        elif kind == "daterange":
            days, months = [int(groups[0]), int(groups[1])], [_month_number(groups[2])] * 2
        else:
            days, months = [int(groups[0]), int(groups[2])], [_month_number(groups[1]), _month_number(groups[3])]
        for day, month in zip(days, months, strict=True):
            dt.date(2024, month, day)  # a leap year: 29 February exists
    except (KeyError, ValueError):
        raise Refused(gettext("« %(text)s » n’est pas une date du calendrier.") % {"text": token}) from None
    first = f"{MONTHS[months[0] - 1]} {days[0]:02d}"
    if len(days) == 1:
        return first
    if months[0] == months[1]:
        return f"{first}-{days[1]:02d}"
    return f"{first}-{MONTHS[months[1] - 1]} {days[1]:02d}"


# --- tokens -> rules -----------------------------------------------------------------------------


@dataclass
class _Clause:
    kind: str = ""  # "days" or "dates"
    targets: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    off: bool = False
    comment: str = ""
    excepting: bool = False

    @property
    def pending(self) -> bool:
        return bool(self.times or self.off or self.comment)


def _selector(clause: _Clause) -> str:
    if clause.kind == "dates":
        return ",".join(clause.targets)
    days = [d for d in DAYS if d in clause.targets]
    parts, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and DAYS.index(days[j + 1]) == DAYS.index(days[j]) + 1:
            j += 1
        parts.append(f"{days[i]}-{days[j]}" if j - i >= 2 else ",".join(days[i : j + 1]))
        i = j + 1
    if "PH" in clause.targets:
        parts.append("PH")
    return ",".join(parts)


def _rule(clause: _Clause) -> str:
    if not clause.targets:
        raise Refused(
            gettext(
                "Indiquez les jours de « %(hours)s » : par exemple « du lundi au vendredi 9h-12h » ou « tous les "
                "jours 9h-12h »."
            )
            % {"hours": _times_text(",".join(clause.times)) if clause.times else gettext("fermé")}
        )
    what = "off" if clause.off and not clause.times else ",".join(clause.times)
    if not what and not clause.comment:
        raise Refused(
            gettext("Indiquez les heures de « %(days)s » (par exemple « %(days)s 9h-12h »), ou écrivez « fermé ».")
            % {"days": describe_selector(_selector(clause))}
        )
    rule = " ".join(part for part in (_selector(clause), what) if part)
    if clause.comment:
        rule += f' "{clause.comment}"'
    return rule


def parse_french(text: str) -> tuple[str | None, str | None]:
    """(expression, None) when the French text is understood, else (None, a message saying what to write)."""
    text = (text or "").strip()
    if not text:
        return "", None
    try:
        expression = _parse(_tokens(text))
    except Refused as refusal:
        return None, str(refusal)
    problem = hours.validate(expression)
    if problem:
        return None, gettext("Horaires impossibles : %(problem)s") % {"problem": problem}
    return expression, None


def _parse(tokens) -> str:  # noqa: C901 - a small state machine
    day_rules: list[str] = []
    later_rules: list[str] = []  # public holidays and dates come last: they override the weekdays
    clause = _Clause()

    def flush():
        nonlocal clause
        if clause.targets or clause.pending:
            rule = _rule(clause)
            (later_rules if clause.kind == "dates" or clause.targets == ["PH"] else day_rules).append(rule)
        clause = _Clause()

    for kind, value in tokens:
        if kind == "end":
            flush()
        elif kind in ("days", "ph", "dates"):
            targets = ["PH"] if kind == "ph" else list(value) if kind == "days" else [value]
            target_kind = "dates" if kind == "dates" else "days"
            if clause.excepting:
                clause.targets = [t for t in clause.targets if t not in targets]
                clause.excepting = False
                continue
            if clause.targets and (clause.pending or clause.kind != target_kind):
                flush()
            clause.kind = target_kind
            clause.targets += [t for t in targets if t not in clause.targets]
        elif kind == "time":
            clause.times.append(value)
        elif kind == "off":
            if clause.times:
                flush()
            clause.off = True
        elif kind == "except":
            clause.excepting = True
        elif kind == "comment":
            clause.comment = value
    if clause.excepting:
        raise Refused(gettext("Après « sauf », indiquez un jour : par exemple « sauf le mercredi »."))
    flush()
    if not day_rules and not later_rules:
        raise Refused(
            gettext("Nous n’avons lu aucun horaire. Écrivez par exemple : « %(example)s ».") % {"example": EXAMPLE}
        )
    return "; ".join(day_rules + later_rules)


# --- expression -> French ------------------------------------------------------------------------

_DAY_NAMES = {
    "Mo": "lundi",
    "Tu": "mardi",
    "We": "mercredi",
    "Th": "jeudi",
    "Fr": "vendredi",
    "Sa": "samedi",
    "Su": "dimanche",
}
_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_SEL_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_SEL_DAYS = rf"(?:{_SEL_DAY}|PH)(?:,(?:{_SEL_DAY}|PH))*"
_SEL_DATE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d(?:-(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )?\d\d)?"
_SEL_DATES = rf"{_SEL_DATE}(?:,{_SEL_DATE})*"
_TIMES = r"\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*"
_RULE = re.compile(rf'^(?P<sel>{_SEL_DAYS}|{_SEL_DATES})(?: (?P<what>{_TIMES}|off))?(?: "(?P<comment>[^"]*)")?$')


def _day_text(part: str) -> str:
    if part == "PH":
        return gettext("les jours fériés")
    if part == "Mo-Su":
        return gettext("tous les jours")
    if "-" in part:
        first, last = part.split("-")
        return gettext("du %(first)s au %(last)s") % {
            "first": gettext(_DAY_NAMES[first]),
            "last": gettext(_DAY_NAMES[last]),
        }
    return gettext(_DAY_NAMES[part])


def _date_text(part: str) -> str:
    def one(month: str, day: str) -> str:
        number = int(day)
        return f"{'1er' if number == 1 else number} {gettext(_MONTH_NAMES[MONTHS.index(month)])}"

    match = re.match(r"^(\w{3}) (\d\d)(?:-(?:(\w{3}) )?(\d\d))?$", part)
    if match is None:
        return part
    month, day, month2, day2 = match.groups()
    if day2 is None:
        return gettext("le %(date)s") % {"date": one(month, day)}
    return gettext("du %(start)s au %(end)s") % {"start": one(month, day), "end": one(month2 or month, day2)}


def describe_selector(selector: str) -> str:
    if re.match(rf"^{_SEL_DATES}$", selector):
        texts = [_date_text(p) for p in re.findall(_SEL_DATE, selector)]
    else:
        texts = [_day_text(p) for p in selector.split(",")]
    if len(texts) == 1:
        return texts[0]
    return gettext("%(list)s et %(last)s") % {"list": ", ".join(texts[:-1]), "last": texts[-1]}


def _times_text(times: str) -> str:
    def hour(text: str) -> str:
        if text == "24:00":
            return gettext("minuit")
        return hours.format_time(dt.time(int(text[:2]), int(text[3:])))

    ranges = []
    for pair in times.split(","):
        start, end = pair.split("-")
        if (start, end) == ("00:00", "24:00"):
            ranges.append(gettext("toute la journée"))
        else:
            ranges.append(f"{hour(start)} – {hour(end)}")
    return gettext(" et ").join(ranges)


def describe(expression: str) -> str | None:
    """The expression in plain French, or None when it uses syntax beyond the form's (show it raw then)."""
    expression = (expression or "").strip()
    if not expression:
        return ""
    sentences = []
    for rule in (r.strip() for r in expression.split(";")):
        match = _RULE.match(rule)
        if match is None:
            return None
        selector = describe_selector(match["sel"])
        what, comment = match["what"], match["comment"]
        if what == "off":
            sentence = gettext("fermé %(when)s") % {"when": selector}
        elif what:
            sentence = f"{selector} : {_times_text(what)}"
        else:
            sentence = selector
        if comment:
            sentence += f" ({comment})"
        sentences.append(sentence)
    text = " ; ".join(sentences)
    return text[:1].upper() + text[1:]


# --- the form's grid -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the grid: some days, one or two time ranges ("09:00", "12:00", "14:00", "17:00")."""

    days: tuple[str, ...]
    times: tuple[tuple[str, str], ...]


def build(rows: list[Row], holidays_closed: bool = False, closed_dates: list[str] | tuple[str, ...] = ()) -> str:
    """The expression of the grid: one rule per row (in order), then `PH off`, then the closed dates."""
    rules = []
    for row in rows:
        clause = _Clause(kind="days", targets=list(row.days), times=[f"{a}-{b}" for a, b in row.times])
        if row.days or row.times:
            rules.append(_rule(clause))
    if holidays_closed:
        rules.append("PH off")
    if closed_dates:
        rules.append(f"{','.join(closed_dates)} off")
    return "; ".join(rules)


def rows_of(expression: str) -> tuple[list[Row], bool, list[str]] | None:
    """The grid of an expression (rows, holidays closed, closed dates), or None when the grid cannot show it."""
    rows, holidays_closed, dates = [], False, []
    for rule in (r.strip() for r in (expression or "").split(";") if r.strip()):
        match = _RULE.match(rule)
        if match is None or match["comment"]:
            return None
        selector, what = match["sel"], match["what"]
        if selector == "PH" and what == "off":
            holidays_closed = True
            continue
        if re.match(rf"^{_SEL_DATES}$", selector) and what == "off":
            dates += re.findall(_SEL_DATE, selector)
            continue
        if "PH" in selector or not what or what == "off":
            return None
        times = tuple((pair[:5], pair[6:]) for pair in what.split(","))
        if len(times) > 2:
            return None
        days: list[str] = []
        for part in selector.split(","):
            days += _day_range(*part.split("-")) if "-" in part else [part]
        rows.append(Row(tuple(days), times))
    return rows, holidays_closed, dates


def parse_closed_dates(text: str) -> tuple[list[str] | None, str | None]:
    """« 25 décembre, 1er mai, du 1er au 15 août » -> (["Dec 25", "May 01", "Aug 01-15"], None), or a message."""
    text = (text or "").strip()
    if not text:
        return [], None
    try:
        tokens = _tokens(text)
    except Refused as refusal:
        return None, str(refusal)
    dates = [str(value) for kind, value in tokens if kind == "dates"]
    others = [kind for kind, _value in tokens if kind not in ("dates", "off", "end")]
    if others or not dates:
        return None, gettext(
            "Écrivez seulement des dates, séparées par des virgules : par exemple « 25 décembre, du 1er au 15 août »."
        )
    return dates, None
