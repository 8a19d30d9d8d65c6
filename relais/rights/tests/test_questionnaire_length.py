"""The questionnaire's length for the golden households (bench/bench_questionnaire_length.py prints it).

A resident who chose « Toutes les aides » walks the real path (questionnaire.next_step) with the real
step forms (web.steps.form_for); a step or a question the earlier answers make pointless is not counted.
Before issue 11: 478 screens and 4 348 questions for the 33 households (16 screens and 124 questions for
the working single parent); the counts below are pinned so that a longer questionnaire is a decision.
"""

import copy

import pytest

from relais.rights import places
from relais.rights import questionnaire as q
from relais.rights.tests.test_golden_households import HOUSEHOLDS
from relais.rights.views.steps import form_for
from tests.factories import make_commune

COMMUNES = {"69383": "Lyon 3e Arrondissement", "69266": "Villeurbanne", "57463": "Metz"}


def walk(household: dict) -> list[tuple[str, int]]:
    """[(screen, number of questions on it)] for one household choosing every aid."""
    menage = copy.deepcopy(household)
    menage.pop("mois", None)
    for p in menage["personnes"]:  # the situation step asks every adult one: the schema's default when unsaid
        if p["role"] != q.ROLE_ENFANT:
            p.setdefault("situation", "inactif")
    answers = {**q.empty(), "aides": [q.ALL], "menage": menage, "commune_nom": COMMUNES[menage["commune"]]}
    place = places.resolve([menage["commune"]])[menage["commune"]]
    q.set_place(answers, place.departement, place.epci)
    q.mark_done(answers, q.START)
    path, step = [], q.next_step(answers, q.START)
    while step != q.RECAP:
        path.append((step, len(form_for(step, answers).fields)))
        q.mark_done(answers, step)
        step = q.next_step(answers, step)
    return path


def make_communes() -> None:
    for code, name in COMMUNES.items():
        make_commune(code, name)


@pytest.fixture
def paths(db):
    make_communes()
    return {name: walk(h) for name, h in HOUSEHOLDS.items()}


def test_the_golden_households_go_through_a_third_fewer_screens_and_questions_than_before(paths):
    screens = sum(len(p) for p in paths.values())
    questions = sum(n for p in paths.values() for _s, n in p)
    assert (screens, questions) == (
        314,
        1768,
    )  # 1,758 before the majoration pour la vie autonome became a benefit of its own
    assert screens <= 478 * 2 / 3 and questions <= 4348 * 2 / 3


def test_the_working_single_parent_in_lyon_is_asked_nothing_about_disability_pregnancy_or_unemployment(paths):
    path = dict(paths["single_parent_working"])
    assert len(path) == 9 and sum(path.values()) == 70  # before: 16 screens, 124 questions
    assert not {"handicap", "grossesse", "nationalite_sejour", "revenus_remplacement"} & set(path)


def test_a_lyon_household_is_not_offered_the_aids_of_metz_and_yearly_aids_ask_no_monthly_amount(db):
    make_communes()
    answers = {**q.empty(), "aides": [q.ALL], "menage": copy.deepcopy(HOUSEHOLDS["single_parent_working"])}
    place = places.resolve(["69383"])["69383"]
    q.set_place(answers, place.departement, place.epci)
    form = form_for("prestations_percues", answers)
    codes = dict(form.codes)
    assert not [c for c in codes if c.startswith(("metz-", "moselle-", "grand-est-"))]
    assert "lyon-revenu-solidarite-jeunes" in codes
    assert "recu_cheque_energie" in form.fields and "montant_cheque_energie" not in form.fields  # yearly
    assert "montant_asf" in form.fields  # monthly
