"""The questionnaire's contract: question groups cover the household schema and follow the law."""

import pytest

from relais.rights import questions
from relais.rights.benefits import BENEFITS
from relais.rights.household import Household, Housing, Incomes, Person
from relais.rights.local import catalogue


def schema_fields() -> set[str]:
    fields = {f"{name}" for name in Household.model_fields if name not in ("logement", "personnes")}
    fields |= {f"logement.{name}" for name in Housing.model_fields}
    fields |= {f"personnes[].{name}" for name in Person.model_fields if name != "revenus"}
    fields |= {f"personnes[].revenus.{name}" for name in Incomes.model_fields}
    return fields


def test_every_household_field_belongs_to_exactly_one_group_except_the_month():
    listed = [path for group in questions.QUESTION_GROUPS for path in questions.FIELDS[group]]
    assert len(listed) == len(set(listed)), "a field listed in two groups"
    assert set(listed) | set(questions.NOT_ASKED) == schema_fields()


def test_every_group_has_a_label_and_fields():
    assert set(questions.FIELDS) == set(questions.QUESTION_GROUPS) == set(questions.LABELS)
    assert all(questions.label(g) and questions.FIELDS[g] for g in questions.QUESTION_GROUPS)


def test_every_benefit_and_local_aid_asks_only_known_groups():
    known = set(questions.QUESTION_GROUPS)
    for benefit in BENEFITS:
        assert benefit.asks <= known, benefit.code
    for aid in catalogue():
        assert aid.asks <= known, aid.id


def test_every_group_is_needed_by_some_aid():
    needed = set().union(*(b.asks for b in BENEFITS), *(a.asks for a in catalogue()))
    assert needed == set(questions.QUESTION_GROUPS)


def test_rsa_alone_does_not_ask_last_years_income():
    groups = questions.groups_for(["rsa"])
    assert "annee_fiscale" not in groups
    assert {"revenus_activite", "logement", "prestations_percues", "handicap"} <= set(groups)


def test_cheque_energie_asks_last_years_income_but_not_disability_or_rent():
    groups = questions.groups_for(["cheque_energie"])
    assert "annee_fiscale" in groups  # revenu fiscal de référence of year N-2
    assert "handicap" not in groups and "loyer" not in groups and "scolarite" not in groups


def test_school_grants_ask_schooling_and_the_tax_year():
    assert {"scolarite", "annee_fiscale"} <= set(questions.groups_for(["bourse_college"]))


def test_groups_come_in_questionnaire_order_and_always_start_with_the_required_ones():
    groups = questions.groups_for(["asf"])
    assert groups[:3] == ["commune", "composition", "ages"]
    assert groups == [g for g in questions.QUESTION_GROUPS if g in groups]
    assert "revenus_activite" not in groups  # the ASF reads no resources


def test_no_request_means_every_aid_and_every_group():
    assert questions.groups_for() == list(questions.QUESTION_GROUPS)
    assert questions.groups_for([]) == list(questions.QUESTION_GROUPS)


def test_local_aids_ask_what_their_conditions_read():
    pass_region = next(a for a in catalogue() if a.id == "aura-pass-region")
    assert "scolarite" in pass_region.asks and "revenus_activite" not in pass_region.asks
    rsj = set(questions.groups_for(["lyon-revenu-solidarite-jeunes"]))
    assert {"ages", "situation_pro", "revenus_remplacement", "handicap"} <= rsj


def test_an_unknown_code_is_refused_by_name():
    with pytest.raises(KeyError, match="rsa_jeune"):
        questions.groups_for(["rsa_jeune"])
