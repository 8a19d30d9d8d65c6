"""The questionnaire's page flow (relais.rights.questionnaire), without HTTP nor database."""

import json

import pytest
from django.utils import translation

from relais.rights import questionnaire as q
from relais.rights import questions
from relais.rights.household import HouseholdError, parse_household
from relais.rights.views.steps import STEPS


@pytest.fixture(autouse=True)
def _french():
    """Messages are compared in French, whatever language an earlier test left active."""
    with translation.override("fr"):
        yield


def answers_for(*topics, **menage):
    answers = q.empty()
    answers["aides"] = list(topics)
    answers["menage"].update(menage)
    return answers


def test_every_question_group_has_a_step_form():
    assert set(STEPS) == set(questions.QUESTION_GROUPS)


def test_the_steps_start_with_the_choice_of_aids_and_end_with_the_recap():
    steps = q.steps(answers_for("sante"))
    assert steps[0] == q.START and steps[-1] == q.RECAP
    assert steps[1:4] == ["commune", "composition", "ages"]


def test_checking_everything_asks_every_group_in_the_questions_order():
    answers = answers_for(q.ALL)
    q.add_person(answers, q.ROLE_ENFANT)
    assert q.groups(answers) == [g for g in questions.QUESTION_GROUPS if g not in q.FOLDS]
    for guest, host in q.FOLDS.items():
        assert q.guests(host, answers) == [guest]  # asked on its host's screen


def on_screens(answers: dict) -> list[str]:
    """Every group asked, on its own screen or on another's."""
    return [g for step in q.groups(answers) for g in (step, *q.guests(step, answers))]


def test_only_the_groups_the_requested_aids_need_are_asked():
    energy = on_screens(answers_for("energie"))
    health = on_screens(answers_for("sante"))
    assert sorted(energy) == sorted(questions.groups_for(["cheque_energie"]))
    assert "annee_fiscale" in energy  # the chèque énergie reads the tax income of year N-2
    assert "annee_fiscale" not in health  # the CSS looks at the last 12 months only
    assert "scolarite" not in on_screens(answers_for("minima"))


def test_several_topics_ask_the_union_of_their_groups_once_each():
    both = q.groups(answers_for("sante", "energie"))
    assert len(both) == len(set(both))
    assert set(both) == set(q.groups(answers_for("sante"))) | set(q.groups(answers_for("energie")))


def test_no_topic_chosen_means_every_aid():
    assert q.requested_codes(q.empty()) == questions.all_codes()


def test_the_local_aids_topic_requests_every_local_aid_of_the_catalogue():
    from relais.rights.local import catalogue

    assert q.requested_codes(answers_for("locales")) == [aid.id for aid in catalogue()]


def test_the_rent_is_not_asked_of_an_owner_nor_schooling_without_children():
    renter = answers_for(q.ALL, logement={"statut": "locataire"})
    owner = answers_for(q.ALL, logement={"statut": "proprietaire"})
    assert "loyer" in on_screens(renter) and "loyer" not in on_screens(owner)
    assert "scolarite" not in on_screens(renter)
    q.add_person(renter, q.ROLE_ENFANT)
    assert "scolarite" in on_screens(renter)


def test_retirement_pensions_are_not_asked_once_every_adult_is_young_and_working():
    answers = answers_for(q.ALL)
    answers["menage"]["personnes"][0].update(age=30, situation="salarie")
    assert "pensions_retraite" in q.groups(answers)  # situation not answered yet
    q.mark_done(answers, "situation_pro")
    assert "pensions_retraite" not in q.groups(answers)
    answers["menage"]["personnes"][0]["situation"] = "retraite"
    assert "pensions_retraite" in q.groups(answers)


def test_next_and_previous_steps_follow_the_order():
    answers = answers_for("sante")
    order = q.steps(answers)
    assert q.next_step(answers, q.START) == order[1]
    assert q.next_step(answers, order[1]) == order[2]
    assert q.previous_step(answers, order[2]) == order[1]
    assert q.previous_step(answers, q.START) == q.START
    assert q.next_step(answers, order[-2]) == q.RECAP


def test_a_correction_from_the_recap_goes_back_to_the_recap():
    answers = answers_for("sante")
    for step in q.steps(answers)[:-1]:
        q.mark_done(answers, step)
    assert q.next_step(answers, "commune", editing=True) == q.RECAP


def test_a_correction_that_opens_a_new_step_asks_it_before_the_recap():
    answers = answers_for(q.ALL, logement={"statut": "locataire"})
    for step in q.steps(answers)[:-1]:
        q.mark_done(answers, step)
    q.add_person(answers, q.ROLE_ENFANT)  # corrected: a child, whose schooling was never asked
    assert q.next_step(answers, "composition", editing=True) == q.screen_of("scolarite", answers) == "ages"


def test_step_position_counts_the_recap_but_not_the_choice_of_aids():
    answers = answers_for("sante")
    total = len(q.steps(answers)) - 1
    assert q.position(answers, "commune") == (1, total)
    assert q.position(answers, q.RECAP) == (total, total)


def test_answers_round_trip_through_the_hidden_field():
    answers = q.example("famille")
    text = q.encode(answers)
    assert json.loads(text)["v"] == q.VERSION
    assert q.decode(text) == answers
    assert q.decode(q.encode(q.decode(text))) == answers


@pytest.mark.parametrize(
    "text",
    ["{pas du json", "[]", '{"v": 99, "menage": {}}', '{"v": 1, "menage": {"personnes": [1]}}', "x" * 50_000],
    ids=["not-json", "not-an-object", "other-version", "bad-person", "too-long"],
)
def test_unreadable_answers_are_refused_with_a_reason(text):
    with pytest.raises(q.AnswersError) as error:
        q.decode(text)
    assert str(error.value)


def test_unknown_steps_and_topics_are_dropped_when_decoding():
    text = json.dumps(
        {"v": 1, "aides": ["logement", "inconnue"], "faites": ["commune", "etape-inconnue"], "menage": {}}
    )
    answers = q.decode(text)
    assert answers["faites"] == ["commune"]
    assert q.chosen_topics(answers) == ["logement"]
    assert answers["menage"]["personnes"][0]["role"] == q.ROLE_DEMANDEUR


def test_the_example_households_are_valid_for_the_engine():
    for key in q.EXAMPLES:
        parse_household(q.to_household(q.example(key)))


def test_to_household_leaves_out_the_pages_own_fields_and_empty_values():
    answers = answers_for("sante", commune="69383", logement={})
    household = q.to_household(answers)
    assert set(household) == {"commune", "personnes"}


def test_people_are_added_one_by_one_with_stable_ids_and_labels():
    answers = q.empty()
    first = q.add_person(answers, q.ROLE_ENFANT)
    second = q.add_person(answers, q.ROLE_ENFANT)
    partner = q.add_person(answers, q.ROLE_CONJOINT)
    assert (first["id"], second["id"], partner["id"]) == ("enfant-1", "enfant-2", "conjoint")
    assert q.add_person(answers, q.ROLE_CONJOINT) is partner  # one partner at most
    assert q.person_label(answers, second) == "Enfant 2"
    assert q.remove_person(answers, "enfant-1")
    assert q.add_person(answers, q.ROLE_ENFANT)["id"] == "enfant-1"
    assert not q.remove_person(answers, "vous")  # never the person who asks


def test_removing_the_partner_forgets_the_couple():
    answers = q.empty()
    q.add_person(answers, q.ROLE_CONJOINT)
    answers["menage"]["couple"] = "marie"
    q.remove_person(answers, "conjoint")
    assert answers["menage"]["couple"] == q.SINGLE and "couple" not in q.to_household(answers)


def problems_of(household: dict) -> list[dict]:
    with pytest.raises(HouseholdError) as error:
        parse_household(household)
    return error.value.problems


def test_problems_of_the_engine_land_on_the_step_and_field_that_asked_them():
    household = {
        "commune": "69383",
        "logement": {"loyer": -5},
        "personnes": [
            {"id": "vous", "role": "demandeur", "age": 30, "revenus": {"salaire_net": {"mensuel": "abc"}}},
            {"id": "enfant-1", "role": "enfant", "age": 200, "scolarite": "fac"},
        ],
    }
    places = {q.problem_place(p) for p in problems_of(household)}
    assert ("loyer", "loyer") in places
    assert ("revenus_activite", "vous__salaire_net") in places
    assert ("ages", "enfant-1__age") in places
    assert ("scolarite", "enfant-1__scolarite") in places


def test_a_person_without_age_is_shown_on_the_ages_step():
    [problem] = problems_of({"commune": "69383", "personnes": [{"id": "vous", "role": "demandeur"}]})
    assert q.problem_place(problem) == ("ages", "vous__age")


def test_cross_field_problems_name_the_person_of_the_ages_step():
    household = {
        "commune": "69383",
        "personnes": [{"id": "vous", "role": "demandeur", "age": 30}, {"id": "enfant-1", "role": "enfant", "age": 25}],
    }
    [problem] = problems_of(household)
    assert q.problem_place(problem) == ("ages", "enfant-1__age")
    assert q.short_message(problem).startswith("25 ans pour un enfant")


def test_income_months_and_the_tax_year_have_their_own_fields():
    place = q.problem_place({"champ": "revenus.chomage_net.depuis", "personne": "vous", "message": "x"})
    assert place == ("revenus_remplacement", "vous__chomage_net_depuis")
    place = q.problem_place({"champ": "revenus_annuels.0.salaire_net", "personne": "vous", "message": "x"})
    assert place == ("annee_fiscale", "vous__annuel_salaire_net")
    assert q.problem_place({"champ": "commune", "personne": None, "message": "x"}) == ("commune", "commune")
    assert q.problem_place({"champ": "personnes", "personne": None, "message": "x"}) == ("composition", "")
