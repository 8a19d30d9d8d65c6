"""Opening hours typed in French become OpenStreetMap expressions; expressions read back in plain French."""

import pytest
from django.utils import translation
from opening_hours import OpeningHours

from relais.offer.hours_french import Row, build, describe, parse_closed_dates, parse_french, rows_of


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("du lundi au vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
        ("lundi 9h-12h et 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
        ("fermé les jours fériés", "PH off"),
        ("Du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés", "Mo-Fr 09:00-12:00,14:00-17:00; PH off"),
        ("lun-ven 9h30-12h, sam 10h-midi", "Mo-Fr 09:30-12:00; Sa 10:00-12:00"),
        ("Lundi : 9h00 - 12h00 / 14h00 - 17h30", "Mo 09:00-12:00,14:00-17:30"),
        ("du lundi au vendredi de 9 h à 12 h", "Mo-Fr 09:00-12:00"),
        ("lundi 9-12h", "Mo 09:00-12:00"),
        ("9:00-12:00 du lundi au vendredi", "Mo-Fr 09:00-12:00"),
        ("tous les jours 24h/24", "Mo-Su 00:00-24:00"),
        ("en semaine de 9h à 17h sauf le mercredi", "Mo,Tu,Th,Fr 09:00-17:00"),
        ("lundi, mardi et jeudi 14h-17h", "Mo,Tu,Th 14:00-17:00"),
        ("le week-end 10h-18h. Fermé les jours fériés", "Sa,Su 10:00-18:00; PH off"),
        ("les samedis 10h-12h", "Sa 10:00-12:00"),
        ("du lundi au samedi 9h-19h\nfermé le mercredi", "Mo-Sa 09:00-19:00; We off"),
        ("mardi 20h-8h", "Tu 20:00-08:00"),
        ("samedi sur rendez-vous", 'Sa "sur rendez-vous"'),
        ("lundi 9h-12h ; fermé le 25 décembre", "Mo 09:00-12:00; Dec 25 off"),
        ("du lundi au vendredi 9h-17h ; fermé du 1er au 15 août", "Mo-Fr 09:00-17:00; Aug 01-15 off"),
        ("fermé du 24 décembre au 2 janvier", "Dec 24-Jan 02 off"),
        ("Lundi de 9h à midi", "Mo 09:00-12:00"),
        ("vendredi 14h-minuit", "Fr 14:00-24:00"),
        ("ouvert les jours fériés 10h-12h", "PH 10:00-12:00"),
    ],
)
def test_french_phrasings_become_the_osm_expression(text, expression):
    assert parse_french(text) == (expression, None)
    OpeningHours(expression)  # the library reads what we write


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("lundi", "Indiquez les heures de « lundi » (par exemple « lundi 9h-12h »), ou écrivez « fermé »."),
        ("9h-12h", "Indiquez les jours de « 9 h – 12 h » : par exemple « du lundi au vendredi 9h-12h »"),
        ("lundi 25h-26h", "« 25h-26h » n’est pas une heure"),
        ("lundi 9h", "« 9h » : donnez une plage d’heures, avec le début et la fin (par exemple « 9h-12h »)."),
        ("blabla lundi 9h-12h", "Nous n’avons pas compris « blabla ». Écrivez par exemple : « du lundi au vendredi"),
        ("ouvert le matin", "Nous n’avons lu aucun horaire."),
        ("du lundi au vendredi sauf", "Après « sauf », indiquez un jour"),
        ("fermé le 31 février", "« 31 fevrier » n’est pas une date du calendrier."),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_message_saying_what_to_write(text, says):
    expression, message = parse_french(text)
    assert expression is None
    assert says in message


def test_an_empty_text_is_no_hours_rather_than_an_error():
    assert parse_french("  ") == ("", None)


@pytest.mark.parametrize(
    ("expression", "plain"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
            "Du lundi au vendredi : 9 h – 12 h et 14 h – 17 h ; fermé les jours fériés",
        ),
        ("Mo-Su 00:00-24:00", "Tous les jours : toute la journée"),
        ("Mo,We 09:30-12:00; Sa 10:00-12:00", "Lundi et mercredi : 9 h 30 – 12 h ; samedi : 10 h – 12 h"),
        ("Dec 25 off", "Fermé le 25 décembre"),
        ("Aug 01-15 off", "Fermé du 1er août au 15 août"),
        ('Sa "sur rendez-vous"', "Samedi (sur rendez-vous)"),
    ],
)
def test_moderators_read_expressions_in_plain_french(expression, plain):
    assert describe(expression) == plain


def test_an_expression_beyond_the_form_is_not_described_so_it_is_shown_raw():
    assert describe("Mo-Fr 09:00-12:00; week 1-53/2 Sa 10:00-12:00") is None


def test_the_grid_and_the_expression_are_inverses():
    rows = [
        Row(("Mo", "Tu", "We", "Th", "Fr"), (("09:00", "12:00"), ("14:00", "17:00"))),
        Row(("Sa",), (("10:00", "12:00"),)),
    ]
    expression = build(rows, holidays_closed=True, closed_dates=["Dec 25", "Aug 01-15"])
    assert expression == "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off; Dec 25,Aug 01-15 off"
    OpeningHours(expression)
    assert rows_of(expression) == (rows, True, ["Dec 25", "Aug 01-15"])


def test_the_grid_declines_what_it_cannot_show():
    assert rows_of("Mo 09:00-10:00,11:00-12:00,14:00-15:00") is None  # three ranges
    assert rows_of('Sa "sur rendez-vous"') is None


def test_closed_dates_are_read_from_a_list_and_anything_else_is_refused():
    assert parse_closed_dates("24 décembre, du 1er au 15 août") == (["Dec 24", "Aug 01-15"], None)
    dates, message = parse_closed_dates("lundi")
    assert dates is None and "Écrivez seulement des dates" in message
