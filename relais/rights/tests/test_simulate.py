"""simulate_households: declared benefits, estimate notices, progress, languages, other adults."""

import pytest
from django.utils import translation

from relais.rights.simulate import ESTIMATION_FLAGS, simulate_households
from relais.rights.tests.conftest import MONTH, PLACES, aid, amount, benefit, simulate

B = 651.69  # RSA montant de base, April 2026


def hosted(**extra):
    return {"commune": "69383", "logement": {"statut": "heberge"},
            "personnes": [{"id": "a", "role": "demandeur", "age": 40}], **extra}  # fmt: skip


def test_a_declared_aah_is_marked_received_and_counts_in_the_rsa(law):
    # Nothing says the person is disabled, so we compute no AAH and an RSA of 0.88 B (forfait
    # logement of a person housed free). Declaring an AAH of 1 000 € a month makes it a resource
    # of the last 3 months: 1 000 > 573.49, no RSA.
    plain, declared = simulate([hosted(), hosted(prestations_percues={"aah": 1000})])
    assert amount(plain, "rsa") == pytest.approx(0.88 * B, abs=0.02)
    assert amount(declared, "rsa") == 0
    aah = benefit(declared, "aah")
    assert aah["deja_percu"] and aah["montant_declare"] == 1000
    assert not benefit(declared, "rsa")["deja_percu"] and not benefit(plain, "aah")["deja_percu"]


def test_a_declared_rsa_is_received_and_left_out_of_the_total_to_claim(law):
    [r] = simulate([hosted(prestations_percues={"rsa": 573.49})])
    assert benefit(r, "rsa")["deja_percu"]
    assert r["total_mensuel"] == pytest.approx(r["total_mensuel_a_demander"] + amount(r, "rsa"), abs=0.01)


def test_an_unknown_received_code_is_refused_with_the_field_named(law):
    [outcome] = simulate_households([dict(hosted(prestations_percues={"rsa_jeune": 10}), mois=MONTH)], places=PLACES)
    [problem] = outcome.problems
    assert problem["champ"] == "prestations_percues" and "rsa_jeune" in problem["message"]


def test_a_received_local_aid_is_marked_received(law):
    young = {"commune": "69383", "logement": {"statut": "locataire", "loyer": 400},
             "prestations_percues": {"lyon-revenu-solidarite-jeunes": 420},
             "personnes": [{"id": "a", "role": "demandeur", "age": 22, "situation": "chomeur"}]}  # fmt: skip
    [r] = simulate([young])
    assert aid(r, "lyon-revenu-solidarite-jeunes")["deja_percu"]
    assert aid(r, "lyon-tcl-solidaire-gratuit")["eligible"]


def test_every_result_says_it_is_an_estimate_and_explains_each_flag(law):
    [r] = simulate([hosted()])
    assert "Estimation" in r["estimation"] and "176.1.8" in r["estimation"]
    flags = {f for item in r["prestations"] for f in item["estimation"]}
    assert "annee_fiscale_estimee" in benefit(r, "cheque_energie")["estimation"]
    assert "conditions_non_evaluees" in benefit(r, "aah")["estimation"]
    assert set(r["estimation_notes"]) >= flags and set(r["estimation_notes"]) <= set(ESTIMATION_FLAGS)
    assert "2024" in r["estimation_notes"]["annee_fiscale_estimee"]


def test_last_years_income_given_removes_the_tax_year_flag(law):
    h = hosted()
    h["personnes"][0]["revenus_annuels"] = [{"annee": 2024, "salaire_net": 0}]
    [r] = simulate([h])
    assert "annee_fiscale_estimee" not in benefit(r, "cheque_energie")["estimation"]


def test_progress_is_reported_after_each_chunk_and_at_the_end(law):
    calls = []
    households = [dict(hosted(), mois=MONTH) for _ in range(5)] + [{"commune": "x", "personnes": []}]
    outcomes = simulate_households(households, places=PLACES, chunk=2, on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3, 6), (5, 6), (6, 6)]  # the invalid one counts as done at once
    assert sum(o.result is not None for o in outcomes) == 5


def test_the_notices_are_translated_when_results_are_built_not_at_import():
    from django.utils.functional import Promise

    from relais.rights import simulate as module

    assert isinstance(module.ESTIMATION, Promise)
    assert all(isinstance(text, Promise) for text in ESTIMATION_FLAGS.values())


def test_local_aids_speak_english_when_the_language_is_english(law):
    young = {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 22, "situation": "chomeur"}]}
    with translation.override("en"):
        [r] = simulate([young])
    rsj = aid(r, "lyon-revenu-solidarite-jeunes")
    assert rsj["nom"].startswith("Youth solidarity income")
    assert rsj["demarche"]["comment"].startswith("Make an appointment") and rsj["demarche"]["url"].startswith("https")
    [fr] = simulate([young])
    assert aid(fr, "lyon-revenu-solidarite-jeunes")["nom"] == "Revenu solidarité jeunes (RSJ)"
