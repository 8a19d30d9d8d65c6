import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from relais.offer import hours
from relais.offer.hours import PARIS
from relais.offer.models import Closure, Structure

OFFICE = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def at(text: str, tz=PARIS) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def closure(start, end, is_closed=True, message=""):
    return Closure(
        starts_on=dt.date.fromisoformat(start), ends_on=dt.date.fromisoformat(end), is_closed=is_closed, message=message
    )


# --- status around boundaries ---------------------------------------------------------------


def test_open_in_the_morning_says_when_it_closes():
    state = hours.status(OFFICE, [], at("2026-03-10T10:00"))
    assert state.is_open
    assert state.label == "Ouvert maintenant, ferme à 12 h"
    assert state.closes_at == at("2026-03-10T12:00")


def test_one_second_before_closing_is_still_open():
    assert hours.status(OFFICE, [], at("2026-03-10T11:59:59")).is_open


def test_closing_time_itself_is_closed_and_opens_again_in_the_afternoon():
    state = hours.status(OFFICE, [], at("2026-03-10T12:00"))
    assert not state.is_open
    assert state.label == "Fermé, ouvre aujourd’hui à 14 h"
    assert state.next_opening == at("2026-03-10T14:00")


def test_opening_time_itself_is_open():
    assert hours.status(OFFICE, [], at("2026-03-10T09:00")).is_open
    assert not hours.status(OFFICE, [], at("2026-03-10T08:59:59")).is_open


def test_evening_says_it_opens_tomorrow():
    assert hours.status(OFFICE, [], at("2026-03-10T18:00")).label == "Fermé aujourd’hui, ouvre demain à 9 h"


def test_friday_evening_says_it_opens_on_monday():
    state = hours.status(OFFICE, [], at("2026-03-13T18:00"))
    assert state.label == "Fermé aujourd’hui, ouvre lundi à 9 h"
    assert state.next_opening == at("2026-03-16T09:00")


def test_minutes_are_shown_in_french_typography():
    state = hours.status("Mo-Fr 08:30-12:15", [], at("2026-03-10T09:00"))
    assert state.label == "Ouvert maintenant, ferme à 12 h 15"


def test_public_holidays_are_known_offline():
    # 1 May 2026 is a Friday: closed, next opening is Monday 4 May
    state = hours.status(OFFICE, [], at("2026-05-01T10:00"))
    assert not state.is_open
    assert state.next_opening == at("2026-05-04T09:00")


def test_alsace_moselle_good_friday_is_a_holiday_in_metz_but_not_in_lyon():
    good_friday = at("2026-04-03T10:00")
    assert hours.status(OFFICE, [], good_friday, code_insee="69383").is_open
    metz = hours.status(OFFICE, [], good_friday, code_insee="57463")
    assert not metz.is_open
    # Easter Monday (6 April) is a national holiday: Metz opens again on Tuesday
    assert metz.next_opening == at("2026-04-07T09:00")
    assert hours.regional_holidays("67482", 2027) == [dt.date(2027, 3, 26), dt.date(2027, 12, 26)]


def test_opening_far_ahead_is_given_with_its_date():
    state = hours.status("Dec 01-Dec 31 Mo-Fr 09:00-12:00", [], at("2026-03-10T10:00"))
    assert state.label == "Fermé aujourd’hui, ouvre le 1er décembre à 9 h"


def test_always_open_has_no_closing_time():
    state = hours.status("24/7", [], at("2026-03-10T03:00"))
    assert state.label == "Ouvert maintenant"
    assert state.closes_at is None


def test_never_open_says_no_next_opening_is_known():
    state = hours.status("off", [], at("2026-03-10T10:00"))
    assert state.label == "Fermé, pas de prochaine ouverture connue"
    assert state.next_opening is None


def test_comment_of_the_expression_is_kept():
    state = hours.status('Mo-Fr 09:00-12:00 "sur rendez-vous"', [], at("2026-03-10T10:00"))
    assert state.is_open
    assert state.comment == "sur rendez-vous"


def test_a_rule_with_only_a_comment_is_not_promised_as_open():
    expression = 'Mo-Fr 09:00-12:00; Sa "sur rendez-vous"'
    saturday = hours.status(expression, [], at("2026-03-14T10:00"))
    assert saturday.state == hours.UNKNOWN
    assert saturday.label == "Sur rendez-vous"
    table = hours.week_table(expression, dt.date(2026, 3, 14))
    assert [i.label for i in table[5].intervals] == ["Sur rendez-vous"]
    assert hours.status(expression, [], at("2026-03-13T10:00")).label == "Ouvert maintenant, ferme à 12 h"


def test_always_open_is_shown_as_all_day_in_the_week_table():
    assert [i.label for i in hours.week_table("24/7", dt.date(2026, 3, 14))[0].intervals] == ["toute la journée"]


def test_empty_hours_say_not_given():
    state = hours.status("", [], at("2026-03-10T10:00"))
    assert state.state == hours.NOT_GIVEN
    assert state.label == "Horaires non renseignés"
    assert not state.is_open


def test_invalid_hours_never_crash_and_ask_to_confirm():
    state = hours.status("du lundi au vendredi", [], at("2026-03-10T10:00"))
    assert state.state == hours.UNKNOWN
    assert state.label == "Horaires à confirmer auprès de la structure"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        hours.status(OFFICE, [], dt.datetime(2026, 3, 10, 10))


# --- overnight ranges -----------------------------------------------------------------------


def test_overnight_range_is_open_after_midnight_and_closes_in_the_morning():
    state = hours.status("Fr-Sa 22:00-06:00", [], at("2026-03-14T03:00"))  # Saturday 3 am
    assert state.is_open
    assert state.label == "Ouvert maintenant, ferme à 6 h"


def test_overnight_range_in_the_evening_closes_tomorrow():
    state = hours.status("Fr-Sa 22:00-06:00", [], at("2026-03-13T23:00"))
    assert state.label == "Ouvert maintenant, ferme demain à 6 h"


def test_overnight_range_is_split_at_midnight_in_the_week_table():
    table = hours.week_table("Sa 22:00-02:00", dt.date(2026, 3, 11))
    saturday, sunday = table[5], table[6]
    assert [i.label for i in saturday.intervals] == ["22 h – 24 h"]
    assert [i.label for i in sunday.intervals] == ["0 h – 2 h"]


# --- temporary closures and messages ---------------------------------------------------------


def test_a_temporary_closure_overrides_the_hours():
    closures = [closure("2026-12-01", "2026-12-03", message="Travaux")]
    state = hours.status(OFFICE, closures, at("2026-12-02T10:00"))
    assert state.state == hours.TEMPORARILY_CLOSED
    assert state.label == "Fermé temporairement jusqu’au 3 décembre"
    assert state.closure.message == "Travaux"
    assert state.next_opening == at("2026-12-04T09:00")


def test_a_closure_ending_next_year_names_the_year():
    state = hours.status(OFFICE, [closure("2026-12-20", "2027-01-02")], at("2026-12-21T10:00"))
    assert state.label == "Fermé temporairement jusqu’au 2 janvier 2027"
    assert state.next_opening == at("2027-01-04T09:00")


def test_next_opening_skips_chained_closures():
    closures = [closure("2026-03-16", "2026-03-17"), closure("2026-03-18", "2026-03-20")]
    assert hours.next_opening(OFFICE, closures, at("2026-03-13T18:00")) == at("2026-03-23T09:00")


def test_an_upcoming_closure_cuts_an_always_open_place_at_midnight():
    state = hours.status("24/7", [closure("2026-03-09", "2026-03-12")], at("2026-03-06T16:00"))
    assert state.closes_at == at("2026-03-09T00:00")
    assert state.label == "Ouvert maintenant, ferme dimanche à minuit"


def test_a_message_does_not_close_and_is_shown():
    message = closure("2026-03-01", "2026-03-31", is_closed=False, message="Nouveau numéro de téléphone")
    state = hours.status(OFFICE, [message], at("2026-03-10T10:00"))
    assert state.is_open
    assert state.messages == [message]
    assert hours.status(OFFICE, [message], at("2026-04-10T10:00")).messages == []


def test_a_past_closure_no_longer_applies():
    assert hours.status(OFFICE, [closure("2026-03-01", "2026-03-09")], at("2026-03-10T10:00")).is_open


def test_closures_without_hours_still_say_temporarily_closed():
    state = hours.status("", [closure("2026-03-01", "2026-03-20")], at("2026-03-10T10:00"))
    assert state.label == "Fermé temporairement jusqu’au 20 mars"
    assert state.next_opening is None


# --- timezone --------------------------------------------------------------------------------


def test_times_in_another_timezone_are_read_in_paris_time():
    # 07:30 UTC on Monday 30 March 2026 is 09:30 in Paris (summer time)
    state = hours.status(OFFICE, [], dt.datetime(2026, 3, 30, 7, 30, tzinfo=dt.UTC))
    assert state.is_open
    assert state.closes_at == at("2026-03-30T12:00")
    assert state.closes_at.utcoffset() == dt.timedelta(hours=2)
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert hours.status(OFFICE, [], dt.datetime(2026, 3, 30, 4, 0, tzinfo=new_york)).is_open  # 10:00 in Paris


def test_next_opening_across_the_spring_dst_change_keeps_local_time():
    # Friday 27 March evening; clocks go forward on Sunday 29 March 2026
    opening = hours.next_opening(OFFICE, [], at("2026-03-27T18:00"))
    assert opening == at("2026-03-30T09:00")
    assert opening.utcoffset() == dt.timedelta(hours=2)
    elapsed = opening.timestamp() - at("2026-03-27T18:00").timestamp()
    assert elapsed == dt.timedelta(days=2, hours=14).total_seconds()  # 63 h of wall clock, 62 h elapsed


def test_hours_on_the_autumn_dst_night_follow_the_wall_clock():
    # Clocks go back at 03:00 on Sunday 25 October 2026
    state = hours.status("Su 01:00-04:00", [], at("2026-10-25T03:30"))
    assert state.is_open
    assert state.label == "Ouvert maintenant, ferme à 4 h"
    assert hours.status("Su 01:00-04:00", [], at("2026-10-25T04:00")).label.startswith("Fermé aujourd’hui")


# --- week table ------------------------------------------------------------------------------


def test_week_table_lists_monday_to_sunday_with_holidays_and_closures():
    closures = [closure("2026-04-28", "2026-04-28", message="Formation"), closure("2026-04-29", "2026-04-29", False)]
    table = hours.week_table(OFFICE, dt.date(2026, 5, 1), closures)
    assert [d.weekday for d in table] == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert table[0].day == dt.date(2026, 4, 27)
    assert [i.label for i in table[0].intervals] == ["9 h – 12 h", "14 h – 17 h"]
    assert table[1].closure.message == "Formation" and table[1].is_closed
    assert not table[2].is_closed and len(table[2].messages) == 1
    assert table[4].is_holiday and table[4].is_closed  # 1 May
    assert table[5].is_closed and not table[5].is_holiday


def test_week_table_is_none_without_usable_hours():
    assert hours.week_table("", dt.date(2026, 5, 1)) is None
    assert hours.week_table("n’importe quoi", dt.date(2026, 5, 1)) is None


# --- validation ------------------------------------------------------------------------------


def test_valid_and_empty_expressions_pass_validation():
    assert hours.validate(OFFICE) is None
    assert hours.validate("24/7") is None
    assert hours.validate("") is None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Lu-Ve 09:00-12:00", "Mo, Tu, We, Th, Fr, Sa, Su"),
        ("du lundi au vendredi", "abrégé anglais"),
        ("Mo-Fr 9h-12h", "09:00-12:00, pas 9h-12h"),
        ("Mo-Fr 09:00-12:70", "L’heure « 12:70 » n’existe pas"),
        ("Mo-Fr 25:00-26:00", "L’heure « 25:00 » n’existe pas"),
        ("Mo-Fr 09:00-", "Horaires incomplets"),
        ("Mo-Fr 09:00-12:00 ; Sa bla", "caractère 24 (« bla »)"),
    ],
)
def test_invalid_expressions_get_a_french_message_naming_the_problem(expression, expected):
    message = hours.validate(expression)
    assert message is not None
    assert expected in message


def test_the_model_field_rejects_impossible_hours():
    structure = Structure(id="x--1", source="x", nom="X", date_maj=dt.date(2026, 1, 1), horaires_accueil="Lu 9h")
    with pytest.raises(ValidationError) as error:
        structure.clean_fields()
    assert "horaires_accueil" in error.value.message_dict


def test_validator_raises_a_validation_error_with_a_code():
    with pytest.raises(ValidationError) as error:
        hours.validate_opening_hours("Mo-Fr 9h-12h")
    assert error.value.code == "invalid_opening_hours"
    hours.validate_opening_hours("Mo-Fr 09:00-12:00")  # no error
