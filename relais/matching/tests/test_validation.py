import datetime as dt

import pytest
from django.utils import translation

from relais.matching.lexicon import default_lexicon
from relais.matching.types import Constraints, Needs, Profile, Severity
from relais.matching.validation import interpret_needs, validate_constraints, validate_profile

TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def fields(problems):
    return [(p.field, p.code) for p in problems]


def test_a_plain_profile_has_no_problem():
    assert validate_profile(Profile(age=34, gender="femme", children=2, situations=frozenset({"rsa"}))) == []


def test_a_twelve_year_old_rsa_recipient_is_a_contradiction_naming_both_facts():
    problems = validate_profile(Profile(age=12, situations=frozenset({"rsa"})))
    assert fields(problems) == [("profile.age", "contradiction")]
    assert (
        problems[0].message
        == "Profil contradictoire : 12 ans et bénéficiaire du RSA (le RSA s’ouvre à partir de 18 ans)."
    )


@pytest.mark.parametrize(
    ("age", "situation"),
    [(30, "retired"), (10, "employed"), (14, "job_seeker"), (12, "student"), (40, "aspa"), (15, "aah")],
)
def test_other_age_contradictions(age, situation):
    assert fields(validate_profile(Profile(age=age, situations=frozenset({situation})))) == [
        ("profile.age", "contradiction")
    ]


def test_an_elderly_student_is_not_a_contradiction():
    assert validate_profile(Profile(age=90, situations=frozenset({"student", "retired"}))) == []


def test_children_at_twelve_and_a_single_parent_without_children_are_contradictions():
    assert fields(validate_profile(Profile(age=11, children=1))) == [("profile.children", "contradiction")]
    assert fields(validate_profile(Profile(children=0, situations=frozenset({"single_parent"})))) == [
        ("profile.children", "contradiction")
    ]


def test_a_situation_both_declared_and_excluded_is_a_contradiction():
    problems = validate_profile(Profile(situations=frozenset({"rsa"}), not_situations=frozenset({"rsa"})))
    assert fields(problems) == [("profile.situations", "contradiction")]


@pytest.mark.parametrize("age", [-1, 121, 12.5, "trente", True])
def test_an_impossible_age_names_the_field(age):
    problems = validate_profile(Profile(age=age))
    assert fields(problems) == [("profile.age", "invalid_age")]
    assert str(age) in problems[0].message


def test_an_unknown_situation_suggests_close_ones():
    problems = validate_profile(Profile(situations=frozenset({"homles"})))
    assert fields(problems) == [("profile.situations", "unknown_situation")]
    assert "homeless" in problems[0].suggestions


def test_unknown_gender_household_and_children():
    problems = validate_profile(Profile(gender="x", household="trio", children=-2))
    assert {f for f, _ in fields(problems)} == {"profile.gender", "profile.household", "profile.children"}


def test_constraint_problems_name_their_field():
    problems = validate_constraints(Constraints(mode="voiture", languages=("arabe",), max_distance_km=0), TODAY)
    assert {f for f, _ in fields(problems)} == {
        "constraints.mode",
        "constraints.languages",
        "constraints.max_distance_km",
    }


def test_open_now_and_another_day_contradict():
    problems = validate_constraints(Constraints(open_now=True, open_on=dt.date(2026, 3, 9)), TODAY)
    assert fields(problems) == [("constraints.open_on", "contradiction")]


def test_a_day_too_far_is_refused():
    assert fields(validate_constraints(Constraints(open_on=dt.date(2030, 1, 1)), TODAY)) == [
        ("constraints.open_on", "invalid_date")
    ]


def test_empty_needs_are_an_error_listing_the_categories():
    matches, problems = interpret_needs(Needs(), default_lexicon())
    assert matches == ()
    assert fields(problems) == [("needs", "empty_needs")]
    assert "Logement et hébergement (logement-hebergement)" in problems[0].suggestions


def test_an_unknown_thematique_suggests_the_ones_matching_the_words():
    _, problems = interpret_needs(Needs(thematiques=("hebergement-urgence",)), default_lexicon())
    assert fields(problems) == [("needs.thematiques", "unknown_thematique")]
    assert "hebergement-urgence" in problems[0].message
    assert any("rechercher-une-solution-dhebergement-temporaire" in s for s in problems[0].suggestions)


def test_a_category_code_expands_to_all_its_thematiques_at_full_weight():
    matches, problems = interpret_needs(Needs(thematiques=("mobilite",)), default_lexicon())
    assert problems == []
    assert len(matches) == 6
    assert {m.weight for m in matches} == {1.0}


def test_words_with_no_recognised_need_are_an_error_with_suggestions():
    _, problems = interpret_needs(Needs(text="alimentasion"), default_lexicon())
    # one typo away from a known word: understood, with a warning
    assert [p.severity for p in problems] == [Severity.WARNING]
    _, problems = interpret_needs(Needs(text="zzz qqq"), default_lexicon())
    assert fields(problems) == [("needs.text", "no_need_recognised")]


def test_words_not_understood_next_to_understood_ones_are_a_warning():
    matches, problems = interpret_needs(Needs(text="manger avec ma licorne"), default_lexicon())
    assert matches
    assert fields(problems) == [("needs.text", "words_not_understood")]
    assert problems[0].severity == Severity.WARNING
    assert "licorne" in problems[0].message


def test_codes_and_words_combine_keeping_the_highest_weight():
    matches, _ = interpret_needs(
        Needs(thematiques=("logement-hebergement--changer-de-logement",), text="je dois quitter mon logement"),
        default_lexicon(),
    )
    by_code = {m.thematique: m for m in matches}
    assert by_code["logement-hebergement--changer-de-logement"].weight == 1.0
    assert by_code["logement-hebergement--changer-de-logement"].words == ("quitter", "logement")
