import datetime as dt
import random

import pytest
from django.utils import translation

from relais.matching.opening import next_open, open_on_day, opening_at
from relais.matching.types import ClosureRecord, ServiceRecord
from relais.offer import hours
from relais.offer.hours import PARIS, Timetable

OFFICE = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def service(horaires=OFFICE, closures=(), code_insee="69383"):
    return ServiceRecord("s", "st", "S", "N", horaires=horaires, closures=closures, code_insee=code_insee)


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_open_now_and_next_opening():
    assert next_open(service(), at("2026-03-04T10:00")) == (True, at("2026-03-04T10:00"))
    assert next_open(service(), at("2026-03-04T12:30")) == (False, at("2026-03-04T14:00"))
    assert next_open(service(), at("2026-03-07T10:00")) == (False, at("2026-03-09T09:00"))


def test_no_or_unreadable_hours_are_unknown():
    assert next_open(service(""), at("2026-03-04T10:00")) == (None, None)
    assert next_open(service("lundi 9h"), at("2026-03-04T10:00")) == (None, None)


def test_a_closure_pushes_the_next_opening_after_its_end():
    closure = ClosureRecord(dt.date(2026, 3, 1), dt.date(2026, 3, 10), "Travaux")
    assert next_open(service(closures=(closure,)), at("2026-03-04T10:00")) == (False, at("2026-03-11T09:00"))


def test_a_long_closure_goes_beyond_the_timetable_window():
    closure = ClosureRecord(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert next_open(service(closures=(closure,)), at("2026-03-04T10:00")) == (False, at("2026-05-04T09:00"))


def test_good_friday_is_a_holiday_in_moselle_not_in_lyon():
    good_friday = at("2026-04-03T10:00")
    assert next_open(service(code_insee="57463"), good_friday)[0] is False
    assert next_open(service(code_insee="69383"), good_friday)[0] is True


def test_the_timetable_gives_the_same_answers_as_relais_offer_hours():
    rng = random.Random(4)
    expressions = [
        OFFICE,
        "24/7",
        "Mo-Su 11:30-13:30",
        "Sa 09:00-12:00",
        "Tu,Th 14:00-17:00",
        "Mo-Fr 22:00-02:00",
        "Dec 25 off; Mo-Su 08:00-20:00",
        'Mo-Fr 09:00-12:00 "sur rendez-vous"',
        "week 10 Mo-Fr 09:00-12:00",
        "Jan-Mar Mo 10:00-11:00",
    ]
    checked = 0
    for _ in range(600):
        expression = rng.choice(expressions)
        code = rng.choice(["69383", "57463", "67482"])
        closures = ()
        if rng.random() < 0.4:
            start = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randint(0, 40))
            closures = (ClosureRecord(start, start + dt.timedelta(days=rng.randint(0, 9))),)
        now = at("2026-03-01T00:00") + dt.timedelta(minutes=5 * rng.randint(0, 12 * 24 * 60))
        try:
            expected = hours.next_opening(expression, closures, after=now, code_insee=code)
        except TypeError:  # relais.offer.hours fails when now or now + 1 year is in a daylight-saving gap
            continue
        assert next_open(service(expression, closures, code), now)[1] == expected, (expression, code, closures, now)
        checked += 1
    assert checked > 500


def test_the_timetable_keeps_a_few_days_only():
    table = Timetable()
    for offset in range(10):
        table.intervals(OFFICE, dt.date(2026, 3, 1) + dt.timedelta(days=offset))
    assert len(table._days) == Timetable.DAYS_KEPT


def test_open_on_a_given_day():
    assert open_on_day(service(), dt.date(2026, 3, 6)) is True
    assert open_on_day(service(), dt.date(2026, 3, 7)) is False
    assert open_on_day(service(""), dt.date(2026, 3, 7)) is None


def test_opening_at_gives_the_french_label_of_relais_offer_hours():
    info = opening_at(service(), at("2026-03-04T10:00"))
    assert info.state == "open"
    assert info.label == "Ouvert maintenant, ferme à 12 h"
    closure = ClosureRecord(dt.date(2026, 3, 1), dt.date(2026, 3, 10), "Travaux")
    info = opening_at(service(closures=(closure,)), at("2026-03-04T10:00"))
    assert info.state == "closed" and info.closed_until == dt.date(2026, 3, 10) and info.message == "Travaux"
    assert opening_at(service(""), at("2026-03-04T10:00")).state == "unknown"


def test_opening_at_does_not_fail_where_relais_offer_hours_does():
    # 27 March 2026 02:30 + one year falls in the 2027 daylight-saving gap, which hours.status cannot take
    info = opening_at(service(), at("2026-03-27T02:30"))
    assert info.state == "closed"
    assert info.next_open == at("2026-03-27T09:00")
    assert info.label == "Fermé, ouvre le 27/03 à 9 h"


def test_a_message_in_force_is_passed_on():
    notice = ClosureRecord(dt.date(2026, 3, 1), dt.date(2026, 3, 10), "Permanence déplacée salle B", is_closed=False)
    info = opening_at(service(closures=(notice,)), at("2026-03-04T10:00"))
    assert info.state == "open"
    assert info.message == "Permanence déplacée salle B"


# --- the window the person means ("ce soir", "aujourd'hui", "maintenant") ----------------------------


@pytest.mark.parametrize(
    ("hint", "now", "start", "end"),
    [
        ("now", "2026-03-04T10:00", "2026-03-04T10:00", "2026-03-04T11:00"),
        ("today", "2026-03-04T10:00", "2026-03-04T10:00", "2026-03-05T00:00"),
        ("tonight", "2026-03-04T10:00", "2026-03-04T18:00", "2026-03-05T06:00"),
        ("tonight", "2026-03-04T21:30", "2026-03-04T21:30", "2026-03-05T06:00"),
        ("tonight", "2026-03-05T02:00", "2026-03-05T02:00", "2026-03-05T06:00"),
    ],
)
def test_the_time_window_of_each_hint(hint, now, start, end):
    from relais.matching.opening import time_window

    assert time_window(hint, at(now)) == (at(start), at(end))
    assert time_window(None, at(now)) is None


def test_open_between_says_whether_the_place_opens_within_the_window():
    from relais.matching.opening import open_between

    evening = service("Mo-Su 19:00-21:00")
    assert open_between(evening, at("2026-03-04T18:00"), at("2026-03-05T06:00")) is True
    assert open_between(service(), at("2026-03-04T18:00"), at("2026-03-05T06:00")) is False  # office hours
    assert open_between(service(), at("2026-03-04T10:00"), at("2026-03-04T11:00")) is True  # open already
    closed = service("Mo-Su 19:00-21:00", closures=(ClosureRecord(dt.date(2026, 3, 4), dt.date(2026, 3, 5)),))
    assert open_between(closed, at("2026-03-04T18:00"), at("2026-03-05T06:00")) is False
    assert open_between(service(""), at("2026-03-04T18:00"), at("2026-03-05T06:00")) is None


def test_the_label_of_a_minute_is_shared_and_computed_once():
    from relais.matching import opening

    opening._AT_MINUTE.clear()
    first = opening.opening_at_minute(service(), at("2026-03-04T10:00:05"), "fr")
    again = opening.opening_at_minute(service(), at("2026-03-04T10:00:55"), "fr")
    assert again is first and first.state == "open"
    assert opening.opening_at_minute(service(), at("2026-03-04T10:01:00"), "fr") is not first
    assert opening.opening_at_minute(service(), at("2026-03-04T10:00:05"), "en") is not first
