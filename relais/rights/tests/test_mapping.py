"""The mapping layer from plain answers to OpenFisca inputs, tested for itself."""

import numpy as np
import pytest
from openfisca_core import periods

from relais.rights import calibration, engine
from relais.rights.household import parse_household
from relais.rights.mapping import build_frame, window
from relais.rights.tests.conftest import MONTH, PLACES, amount, simulate


def frame_of(*households):
    parsed = [parse_household(dict(h, mois=h.get("mois", MONTH))) for h in households]
    return build_frame(parsed, [PLACES[h.commune] for h in parsed], MONTH)


def test_net_to_gross_matches_the_smic_published_net(law):
    # SMIC 1 November 2024: 1 801.80 € gross a month gave 1 426.30 € net for a private-sector
    # employee (about 20.8 % of employee contributions, CSG and CRDS included).
    table = calibration.salary_table(2025, MONTH)
    net, _taxable = table.from_gross(np.array([1801.80]))
    assert net[0] == pytest.approx(1426.30, abs=1.5)


def test_net_to_gross_inverts_openfisca_exactly(law):
    table = calibration.salary_table(2026, MONTH)
    gross = np.array([0.0, 500.0, 1823.03, 2500.0, 4000.0])
    net, taxable = table.from_gross(gross)
    back, taxable_back = table.from_net(net)
    assert back == pytest.approx(gross, abs=0.5)
    assert taxable_back == pytest.approx(taxable, abs=0.5)
    # Taxable pay adds back the non-deductible CSG (2.4 %) and CRDS (0.5 %) on 98.25 % of gross.
    assert taxable[2] - net[2] == pytest.approx(0.029 * 0.9825 * 1823.03, abs=1)


def test_csg_band_of_pensions_follows_the_rfr_thresholds(law):
    seuils = law.get_parameters_at_instant(
        "2026-01-01"
    ).prelevements_sociaux.contributions_sociales.csg.remplacement.seuils
    s1 = seuils.seuil_rfr1.seuil_rfr1
    bands = calibration.csg_band(np.array([0.0, s1, s1 + 1, 10**6]), np.ones(4), 2026)
    assert bands.tolist() == [0, 0, 1, 3]


def test_exempt_pension_is_gross_equals_net_and_full_rate_is_not(law):
    table = calibration.replacement_table("retraite", 2026, MONTH)
    gross_exempt, _ = table.from_net(np.array([1000.0]), 0)
    gross_full, _ = table.from_net(np.array([1000.0]), 3)
    assert gross_exempt[0] == pytest.approx(1000, abs=0.5)
    # full rate: CSG 8.3 % + CRDS 0.5 % + CASA 0.3 % = 9.1 % of gross: gross = 1000 / 0.909
    assert gross_full[0] == pytest.approx(1000 / 0.909, abs=2)


def test_window_covers_january_of_n_minus_3_to_december_of_n():
    months = window(periods.period(MONTH))
    assert (str(months[0]), str(months[-1]), len(months)) == ("2023-01", "2026-12", 48)


def test_income_given_since_a_month_is_zero_before_it(law):
    frame = frame_of(
        {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30,
         "revenus": {"salaire_net": {"mensuel": 1000, "depuis": "2026-09"}}}]}
    )  # fmt: skip
    assert frame.inputs["salaire_net"]["2026-08"][0] == 0
    assert frame.inputs["salaire_net"]["2026-09"][0] == pytest.approx(1000)
    assert frame.inputs["salaire_de_base"]["2026-11"][0] > 1000  # gross above net


def test_income_until_a_month_stops_after_it(law):
    frame = frame_of(
        {"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30,
         "revenus": {"chomage_net": {"mensuel": 900, "jusqu_a": "2026-08"}}}]}
    )  # fmt: skip
    assert frame.inputs["chomage_net"]["2026-08"][0] == pytest.approx(900)
    assert frame.inputs["chomage_net"]["2026-09"][0] == 0
    assert frame.inputs["chomage_net"]["2024-03"][0] == pytest.approx(900)  # year N-2 for AAH, family benefits


def test_situation_is_set_in_january_for_yearly_benefits(law):
    frame = frame_of({"commune": "57463", "logement": {"statut": "locataire", "loyer": 400},
                      "personnes": [{"id": "a", "role": "demandeur", "age": 30}]})  # fmt: skip
    for january in ("2024-01", "2025-01", "2026-01"):
        assert frame.inputs["depcom"][january].tolist() == ["57463"]
        assert frame.inputs["statut_occupation_logement"][january].tolist() == ["locataire_vide"]


def test_arrondissement_maps_to_its_commune_for_openfisca(law):
    frame = frame_of({"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30}]})
    assert frame.inputs["depcom"][MONTH].tolist() == ["69123"]


def test_unmarried_partner_files_a_separate_tax_return_married_one_does_not(law):
    couple = [{"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "conjoint", "age": 30}]
    married = frame_of({"commune": "69383", "couple": "marie", "personnes": couple})
    cohabiting = frame_of({"commune": "69383", "couple": "concubinage", "personnes": couple})
    assert married.count("foyer_fiscal") == 1 and married.count("famille") == 1
    assert cohabiting.count("foyer_fiscal") == 2 and cohabiting.count("famille") == 1


def test_other_adult_has_own_famille_in_the_same_home(law):
    frame = frame_of({"commune": "69383", "personnes": [
        {"id": "a", "role": "demandeur", "age": 50}, {"id": "g", "role": "autre", "age": 80}]})  # fmt: skip
    assert frame.count("famille") == 2 and frame.count("menage") == 1
    assert frame.roles["menage"] == ["personne_de_reference", "autre"]


def test_age_alone_gives_a_birth_date_that_keeps_the_age_this_month(law):
    frame = frame_of({"commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 24}]})
    birth = frame.inputs["date_naissance"]["ETERNITY"][0]
    assert str(birth) == "2002-05-01"  # 24 years and 6 months before November 2026
    assert frame.age.tolist() == [24]


def test_a_batch_is_one_set_of_arrays(law):
    h = {
        "commune": "69383",
        "personnes": [{"id": "a", "role": "demandeur", "age": 30}, {"id": "c", "role": "enfant", "age": 3}],
    }
    frame = frame_of(*[h] * 50)
    assert frame.count("individu") == 100 and frame.count("menage") == 50
    assert frame.inputs["salaire_net"][MONTH].shape == (100,)


def test_without_the_steady_state_the_rsa_ignores_the_aah(law):
    # Past benefits at zero (no feedback): the RSA, which counts the AAH of the last 3 months, is
    # paid on top of the AAH. With the steady state the AAH is fed back and the RSA disappears.
    h = {"commune": "69383", "logement": {"statut": "heberge"},
         "personnes": [{"id": "a", "role": "demandeur", "age": 40, "taux_incapacite": 80}]}  # fmt: skip
    frame = frame_of(h)
    without = engine._simulation(frame, None)
    assert float(without.calculate("aah", frame.month)[0]) == pytest.approx(1041.59, abs=0.02)
    assert float(without.calculate("rsa", frame.month)[0]) > 500
    assert amount(simulate([h])[0], "rsa") == 0


def test_a_chain_of_benefits_settles_in_two_passes(law):
    # AAH -> RSA -> housing aid: the RSA of past months changes the housing aid; pass 1 feeds the
    # AAH before computing the RSA, so a third pass changes nothing.
    h = {"commune": "57463", "couple": "marie", "logement": {"statut": "locataire_meuble", "loyer": 638},
         "personnes": [
             {"id": "a", "role": "demandeur", "age": 33, "situation": "salarie", "taux_incapacite": 80, "revenus": {"salaire_net": 326.05}},
             {"id": "b", "role": "conjoint", "age": 39, "situation": "salarie", "revenus": {"salaire_net": 396.62}}]}  # fmt: skip
    two, three = simulate([h], passes=2)[0], simulate([h], passes=3)[0]
    for x, y in zip(two["prestations"], three["prestations"], strict=True):
        assert x["montant"] == pytest.approx(y["montant"], abs=0.01), x["code"]


def test_incremental_second_pass_equals_a_rebuilt_simulation(law):
    households = [
        {"commune": "69383", "logement": {"statut": "locataire", "loyer": 500}, "personnes": [
            {"id": "a", "role": "demandeur", "age": 40, "taux_incapacite": 80},
            {"id": "b", "role": "enfant", "age": 5}]},
        {"commune": "57463", "couple": "marie", "logement": {"statut": "locataire_hlm", "loyer": 380}, "personnes": [
            {"id": "a", "role": "demandeur", "age": 52, "situation": "chomeur", "chomage_droits_epuises": True},
            {"id": "b", "role": "conjoint", "age": 50, "revenus": {"salaire_net": 700}},
            {"id": "c", "role": "enfant", "age": 15, "scolarite": "lycee"}]},
    ]  # fmt: skip
    frame = frame_of(*households)
    fast = engine.compute(frame, passes=2, incremental=True)
    reference = engine.compute(frame, passes=2, incremental=False)
    for code in fast.amounts:
        assert fast.amounts[code] == pytest.approx(reference.amounts[code], abs=0.01), code


def renter(**incomes):
    return {"commune": "69383", "logement": {"statut": "locataire", "loyer": 500},
            "personnes": [{"id": "a", "role": "demandeur", "age": 45, "revenus": incomes}]}  # fmt: skip


def test_a_yearly_benefit_reads_the_situation_of_january(law):
    # The chèque énergie of 2026 (a yearly OpenFisca variable) looks at the dwelling in January:
    # the mapping sets it for every month, so the renter gets it; homeless in January only, not;
    # homeless in November only, still yes.
    def cheque(month_without_home):
        frame = frame_of(renter())
        if month_without_home:
            frame.inputs["statut_occupation_logement"][month_without_home] = np.array(["sans_domicile"])
        return float(engine._simulation(frame, None).calculate("cheque_energie", "2026")[0])

    assert cheque(None) == 194
    assert cheque("2026-01") == 0
    assert cheque("2026-11") == 194


def test_an_income_stopped_4_months_ago_counts_over_12_months_but_not_in_the_rsa(law):
    # 900 € of unemployment benefit until July 2026, simulated in November: the RSA averages
    # August-October (nothing); the CSS counts the 12 months before (November 2025-July 2026:
    # 9 x 900 = 8 100 €) on top of the same forfait logement as a person without income.
    stopped = renter(chomage_net={"mensuel": 900, "jusqu_a": "2026-07"})
    frame = frame_of(stopped, renter(chomage_net=900), renter())
    simulation, _ = engine.steady_state(frame, 2)
    rsa_base = simulation.calculate("rsa_base_ressources", MONTH)
    css_base = simulation.calculate("css_cmu_base_ressources", MONTH)
    assert rsa_base[0] == 0 and rsa_base[1] == pytest.approx(900)
    assert css_base[0] - css_base[2] == pytest.approx(9 * 900, abs=0.5)
    r_stopped, r_none = simulate([stopped, renter()])
    assert amount(r_stopped, "rsa") == pytest.approx(amount(r_none, "rsa"), abs=0.01)
    assert amount(r_none, "rsa") > 0
    # the RSA of last month neutralises the housing aid's resources (OpenFisca's
    # aide_logement_condition_neutralisation): the same ALS as without any income
    assert amount(r_stopped, "als") == amount(r_none, "als")


def test_a_gross_salary_gives_the_same_rights_as_its_net(law):
    table = calibration.salary_table(2026, MONTH)
    net, taxable = table.from_gross(np.array([2000.0]))
    frame = frame_of(renter(salaire_brut=2000))
    assert frame.inputs["salaire_de_base"][MONTH][0] == 2000
    assert frame.inputs["salaire_net"][MONTH][0] == pytest.approx(net[0])
    assert frame.inputs["salaire_imposable"][MONTH][0] == pytest.approx(taxable[0])
    assert 1500 < net[0] < 1650  # about 21 % of employee contributions
    gross, from_net = simulate([renter(salaire_brut=2000), renter(salaire_net=float(net[0]))])
    assert amount(gross, "prime_activite") == pytest.approx(amount(from_net, "prime_activite"), abs=0.01)
    assert amount(gross, "prime_activite") > 0


def test_the_csg_band_of_unemployment_benefit_follows_the_tax_year_in_a_real_simulation(law):
    # 2 000 € net of ARE. With the same income in 2024 (revenu fiscal de référence of year N-2
    # about 21 600 €) the full rate applies: gross about 7 % above net. With no income in 2024
    # the person is exempt: gross = net. In both, OpenFisca's own contributions, computed in the
    # simulation from its own RFR of 2024, bring our gross back to the net that was given.
    person = {"id": "a", "role": "demandeur", "age": 45, "situation": "chomeur", "revenus": {"chomage_net": 2000}}
    exempt = dict(person, revenus_annuels=[{"annee": 2024, "chomage_net": 0}])
    households = [{"commune": "69383", "personnes": [p]} for p in (person, exempt)]
    frame = frame_of(*households)
    simulation = engine._simulation(frame, None)
    gross = simulation.calculate("chomage_brut", MONTH)
    assert gross[0] == pytest.approx(2000 / (1 - 0.9825 * (0.062 + 0.005)), abs=1)
    assert gross[1] == pytest.approx(2000)
    contributions = sum(
        simulation.calculate(v, MONTH) for v in ("csg_deductible_chomage", "csg_imposable_chomage", "crds_chomage")
    )
    assert (gross + contributions) == pytest.approx([2000, 2000], abs=0.5)
