"""Validation of plain answers: every message names the person and the field."""

import pytest

from relais.rights.household import HouseholdError, parse_household


def problems(data):
    with pytest.raises(HouseholdError) as exc:
        parse_household(data)
    return exc.value.problems


def test_valid_household_parses_with_month_birth_dates():
    household = parse_household(
        {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "date_naissance": "1990-04"}]}
    )
    assert household.personnes[0].date_naissance.isoformat() == "1990-04-01"


def test_impossible_age_names_the_person_and_field():
    [p] = problems({"commune": "69383", "personnes": [{"id": "lea", "role": "demandeur", "age": 150}]})
    assert p["personne"] == "lea" and p["champ"] == "age"
    assert "« lea »" in p["message"] and "120" in p["message"]


def test_negative_income_names_the_person_and_income():
    [p] = problems(
        {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30, "revenus": {"salaire_net": -5}}]}
    )
    assert p["champ"] == "revenus.salaire_net" and p["personne"] == "a"
    assert "supérieur ou égal à 0" in p["message"]


def test_child_without_parent_is_refused():
    [p] = problems({"commune": "69383", "personnes": [{"id": "bebe", "role": "enfant", "age": 2}]})
    assert p["personne"] == "bebe" and "sans parent" in p["message"]


def test_child_older_than_possible_for_the_parent_is_refused():
    [p] = problems({"commune": "69383", "personnes": [
        {"id": "p", "role": "demandeur", "age": 30}, {"id": "c", "role": "enfant", "age": 25}]})  # fmt: skip
    assert p["personne"] == "c" and "âges impossibles" in p["message"]


def test_birth_after_the_simulated_month_is_refused():
    [p] = problems({"mois": "2026-11", "commune": "69383", "personnes": [
        {"id": "p", "role": "demandeur", "age": 30}, {"id": "c", "role": "enfant", "date_naissance": "2027-05-01"}]})  # fmt: skip
    assert p["champ"] == "date_naissance" and p["personne"] == "c"


def test_malformed_commune_and_unknown_field_are_named():
    found = problems({"commune": "Lyon", "personnes": [{"id": "a", "role": "demandeur", "age": 30, "salaire": 3}]})
    assert {p["champ"] for p in found} == {"commune", "salaire"}


def test_two_demandeurs_are_refused():
    [p] = problems({"commune": "69383", "personnes": [
        {"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "demandeur", "age": 30}]})  # fmt: skip
    assert "exactement une personne" in p["message"]


def test_income_period_in_wrong_order_is_refused():
    [p] = problems({"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30,
                    "revenus": {"salaire_net": {"mensuel": 900, "depuis": "2026-05", "jusqu_a": "2026-01"}}}]})  # fmt: skip
    assert p["champ"] == "revenus.salaire_net" and "précède" in p["message"]


def test_married_couple_without_a_partner_is_refused_naming_the_field():
    [p] = problems({"commune": "69383", "couple": "marie", "personnes": [{"id": "a", "role": "demandeur", "age": 30}]})
    assert p["champ"] == "couple" and "couple" in p["message"] and "conjoint" in p["message"]


def test_a_partner_without_couple_is_taken_as_cohabiting():
    household = parse_household({"commune": "69383", "personnes": [
        {"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "conjoint", "age": 30}]})  # fmt: skip
    assert household.couple == "concubinage"


def test_expected_birth_needs_a_pregnancy_and_a_month_within_nine():
    base = {"mois": "2026-11", "commune": "69383"}
    [p] = problems({**base, "personnes": [{"id": "a", "role": "demandeur", "age": 30, "naissance_prevue": "2027-02"}]})
    assert p["champ"] == "naissance_prevue" and "enceinte" in p["message"]
    [p] = problems({**base, "personnes": [
        {"id": "a", "role": "demandeur", "age": 30, "enceinte": True, "naissance_prevue": "2027-11"}]})  # fmt: skip
    assert p["champ"] == "naissance_prevue" and "2027-08" in p["message"]


def test_a_future_birth_date_points_to_the_pregnancy_fields():
    [p] = problems({"mois": "2026-11", "commune": "69383", "personnes": [
        {"id": "p", "role": "demandeur", "age": 30}, {"id": "c", "role": "enfant", "date_naissance": "2027-01"}]})  # fmt: skip
    assert p["personne"] == "c" and "naissance_prevue" in p["message"]


def test_yearly_incomes_must_be_a_past_year_given_once():
    person = {"id": "a", "role": "demandeur", "age": 30,
              "revenus_annuels": [{"annee": 2026, "salaire_net": 1}, {"annee": 2026, "salaire_net": 2}]}  # fmt: skip
    found = problems({"mois": "2026-11", "commune": "69383", "personnes": [person]})
    assert {p["champ"] for p in found} == {"revenus_annuels.annee"}
    assert any("2023" in p["message"] and "2025" in p["message"] for p in found)
    assert any("deux fois" in p["message"] for p in found)


def test_received_benefits_must_be_non_negative():
    [p] = problems({"commune": "69383", "prestations_percues": {"rsa": -3},
                    "personnes": [{"id": "a", "role": "demandeur", "age": 30}]})  # fmt: skip
    assert p["champ"] == "prestations_percues.rsa" and "supérieur ou égal à 0" in p["message"]
