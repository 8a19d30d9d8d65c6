"""Golden households: expected rights derived by hand from the rules, for November 2026.

Every expectation below comes from the legal amounts in force in November 2026 and the
arithmetic of the rule, written out in the comment; never from our own output.

Legal amounts used (revaluations of 1 April 2026 unless said otherwise):
- RSA montant de base B = 651.69 € (décret de revalorisation, CASF L262-2); +50 % for the 2nd
  person, +30 % per child for the next two, +40 % from the 3rd child (CASF R262-1).
- RSA forfait logement (CASF R262-10): 12 % of the amount for 1 person, 16 % of the amount for
  2 persons, 16.5 % of the amount for 3 persons, whoever is housed free, owns, or gets a housing aid.
- RSA majoré for a single parent (CASF L262-9, R262-1): 128.412 % of B plus 42.804 % of B per child.
- BMAF (base mensuelle des allocations familiales) = 478.16 € (474.37 € until March 2026).
- Allocations familiales: 32 % of BMAF for 2 children, +41 % per further child, +16 % per child
  aged 14 or more (every child when there are 3 or more) (CSS D521-1, D521-2).
- ASF for a child of a single parent: 42.20 % of BMAF (CSS D523-1); counted in the RSA as a
  flat 22.5 % of BMAF per child (CASF R262-10-1).
- PAJE allocation de base, full rate: 41.65 % of BMAF (CSS D531-3); complément familial
  majoré 62.48 % of BMAF for low resources (CSS D522-2); only the non-increased CF (41.65 %)
  and the AF without age increases count in the RSA.
- AAH full rate 1 041.59 € (CSS D821-3). ASPA: 12 523.14 € a year alone, 19 442.21 € a couple
  (CSS D815-1), i.e. 1 043.60 € and 1 620.18 € a month, minus resources.
- ASS: 19.48 € a day, paid as 30 days = 584.40 € (Code du travail R5423-1).
- CSS: free below 10 339 € a year for one person (1 April 2025: relais/rights/law_updates.toml, the
  pinned package stops at 10 166 € of 2024; the 1 April 2026 value is overdue and warned); above and
  up to +35 % (13 957 €), a participation per
  person by age: 8 € (< 30), 14 € (30-49), 21 € (50-59), 25 € (60-69), 30 € (70+) a month
  (CSS L861-1, D861-1); in Alsace-Moselle 2.80 / 4.90 / 7.30 / 8.70 / 10.50 €.
- Chèque énergie (code de l'énergie R124-3): 194 € a year for one consumption unit when the
  revenu fiscal de référence per unit is under 5 600 €; 240 € between 1 and 2 units; 277 € from 2.
- PAJE prime à la naissance: 229.75 % of BMAF, paid once, in the month following the 6th month of
  pregnancy (CSS L531-2, D531-2), under the resource ceiling of year N-2.
- RSA majoré of a pregnant woman alone: 128.412 % of B (CASF R262-1).
- ASI: resource ceiling of a person alone 10 978.30 € a year (CSS D815-24, April 2025: the 1 April
  2026 revaluation is not in the pinned law, warned on results and in check_law); the ASI
  tops the resources of the last 3 months up to it.
- Housing aids in rented housing (CCH R823-10 to R823-14, barème of 1 October 2026): aid =
  L + C - PP, with L the rent up to the ceiling (zone II, person alone: 293.68 €), C the flat
  charges (61.29 € alone), PP = P0 + Tp x (R - R0) and P0 = max(8.5 % x (L + C), 40.01 €);
  minus 5 € (décret 2017-1413), minus 0.5 % of CRDS, rounded down to the euro.
- Prime d'activité (CSS L842-3, D843-1...; April 2026): montant forfaitaire MF = 638.28 € alone;
  PPA = MF + 59.85 % of activity income + individual bonus - max(resources + forfait logement,
  MF); forfait logement 12 % of MF alone; bonus rising linearly from 0 at 59 x SMIC hourly
  (12.31 € from June 2026) to 37.7 % of MF (240.63 €) at 138 x SMIC hourly.
"""

import pytest

from relais.rights.tests.conftest import aid, amount, benefit, simulate

B = 651.69
BMAF = 478.16


def person(id, role, age, **extra):
    return {"id": id, "role": role, "age": age, **extra}


def home(statut, loyer=0):
    return {"statut": statut, "loyer": loyer}


HOUSEHOLDS = {
    # 1. Single adult, homeless, no income: RSA = B (no forfait logement without a home).
    "homeless_single": {"commune": "69383", "logement": home("sans_domicile"), "personnes": [person("a", "demandeur", 35)]},
    # 2. Single adult housed free of charge: RSA = B - 12 % B = 0.88 x 651.69 = 573.49.
    "hosted_single": {"commune": "69383", "logement": home("heberge"), "personnes": [person("a", "demandeur", 35)]},
    # 3. Couple without income, housed free: amount 1.5 B, forfait 16 % x 1.5 B = 0.24 B;
    #    RSA = 1.26 x 651.69 = 821.13.
    "couple_without_income": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 40), person("b", "conjoint", 38)],
    },
    # 4. Married couple, 2 children (6, 9), housed free, no income. AF = 0.32 x 478.16 = 153.01.
    #    RSA amount 2.1 B = 1 368.55; forfait 16.5 % x 1.8 B = 193.55; AF counted 153.01:
    #    RSA = 1 368.55 - 193.55 - 153.01 = 1 021.99.
    "couple_two_children": {
        "commune": "69383", "couple": "marie", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 40), person("b", "conjoint", 38), person("c", "enfant", 6), person("d", "enfant", 9)],
    },
    # 5. Large family: married couple, 4 children (4, 8, 12, 15), housed free, no income.
    #    AF = (0.32 + 2 x 0.41) BMAF = 1.14 x 478.16 = 545.10, + 16 % for the 15-year-old = 76.51:
    #    621.61. CF: 3+ children aged 3 to 21, no resources: majoré 0.6248 x 478.16 = 298.75.
    #    RSA amount B x (1.5 + 0.3 + 0.3 + 0.4 + 0.4) = 2.9 B = 1 889.90; forfait 193.55;
    #    counted AF without age increase 545.10 and CF non majoré 0.4165 x 478.16 = 199.15:
    #    RSA = 1 889.90 - 193.55 - 545.10 - 199.15 = 952.10.
    "large_family": {
        "commune": "69383", "couple": "marie", "logement": home("heberge"),
        "personnes": [
            person("a", "demandeur", 42), person("b", "conjoint", 40), person("c", "enfant", 4),
            person("d", "enfant", 8), person("e", "enfant", 12), person("f", "enfant", 15),
        ],
    },
    # 6. Senior alone, 70, no pension, housed free: ASPA = 12 523.14 / 12 = 1 043.60; RSA 0 (the
    #    ASPA counts and exceeds 573.49). CSS: 12 523 € > 10 339 € so not free, but under
    #    10 339 x 1.35 = 13 957 €: participation 30 € (70 and over).
    "senior_alone": {"commune": "69383", "logement": home("heberge"), "personnes": [person("a", "demandeur", 70, situation="retraite")]},
    # 7. Senior couple 68 and 66, pensions 500 + 300 € net (CSG-exempt: gross = net), housed free:
    #    ASPA couple = 1 620.18 - 800 = 820.18.
    "senior_couple": {
        "commune": "69383", "couple": "marie", "logement": home("heberge"),
        "personnes": [
            person("a", "demandeur", 68, situation="retraite", revenus={"retraite_nette": 500}),
            person("b", "conjoint", 66, situation="retraite", revenus={"retraite_nette": 300}),
        ],
    },
    # 8. Adult with disability (80 %), alone, housed free, no income: AAH = 1 041.59. RSA = 0:
    #    the AAH of the last 3 months (1 041.59) exceeds 573.49 — the steady state feeds it back.
    #    CSS: 12 499 € a year > 10 339 €: participation 14 € (30-49).
    "adult_with_disability": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 40, taux_incapacite=80)],
    },
    # 9. Disability rate 60 % with a substantial and lasting restriction of access to work:
    #    AAH at full rate 1 041.59 as well (CSS L821-2).
    "disability_with_restriction": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 45, taux_incapacite=60, restriction_emploi=True)],
    },
    # 10. Disability rate 60 % without restriction: no AAH (neither 80 % nor restriction).
    #     RSA then = 573.49.
    "disability_without_restriction": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 45, taux_incapacite=60)],
    },
    # 11. Young person 22 in Lyon, unemployed without income, renting 450 €: no RSA under 25
    #     without child (CASF L262-4); RSJ of the Métropole de Lyon 420 € (no resources); TCL
    #     Solidaire Gratuit through the RSJ; chèque énergie 194 € (RFR 0, one unit); CSS free.
    "young_lyon": {
        "commune": "69383", "logement": home("locataire", 450),
        "personnes": [person("a", "demandeur", 22, situation="chomeur")],
    },
    # 12. Same young person earning 300 € a month: RSJ at the reduced amount 315 € (activity
    #     income under 400 €).
    "young_lyon_small_job": {
        "commune": "69383", "logement": home("locataire", 450),
        "personnes": [person("a", "demandeur", 21, situation="salarie", revenus={"salaire_net": 300})],
    },
    # 13. Young person 23 in Metz, no income, renting 400 €: no RSA, no RSJ (not in the Métropole
    #     de Lyon); Carte Jeunest (15-29, Grand Est); CSS free, hence the legal 50 % transport
    #     reduction on Le Met' (Code des transports L1113-1); the Moselle FSL and FAJ (18-25) are
    #     shown "to examine" (their rules are not stated).
    "young_metz": {
        "commune": "57463", "logement": home("locataire", 400),
        "personnes": [person("a", "demandeur", 23, situation="chomeur")],
    },
    # 14. Student 20 in Villeurbanne, furnished flat 500 €: no RSA (under 25), no RSJ (students
    #     are excluded), but a housing aid (rent and no resources: ALS > 0).
    "student": {
        "commune": "69266", "logement": home("locataire_meuble", 500),
        "personnes": [person("a", "demandeur", 20, situation="etudiant", scolarite="superieur")],
    },
    # 15. Micro-entrepreneur (services, BIC), 45, turnover 1 000 €/month, housed free: RSA counts
    #     the turnover after the 50 % micro-BIC services allowance = 500 €: RSA = 573.49 - 500 = 73.49.
    "self_employed": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 45, situation="independant", revenus={"chiffre_affaires": 1000, "type_independant": "services"})],
    },
    # 16. Homeless married couple with a 5-month-old baby, no income: PAJE base 0.4165 x 478.16
    #     = 199.15; RSA amount 1.8 B = 1 173.04, no forfait logement, PAJE counted:
    #     RSA = 1 173.04 - 199.15 = 973.89.
    "homeless_couple_baby": {
        "commune": "69383", "couple": "marie", "logement": home("sans_domicile"),
        "personnes": [person("a", "demandeur", 30), person("b", "conjoint", 28), {"id": "c", "role": "enfant", "date_naissance": "2026-06"}],
    },
    # 17. Homeless single parent, child born November 2025, no income: RSA majoré
    #     B x (1.28412 + 0.42804) = 1 115.80; PAJE base 199.15 and the flat ASF 0.225 x 478.16
    #     = 107.59 counted: RSA = 1 115.80 - 199.15 - 107.59 = 809.06. ASF paid 0.422 x 478.16 = 201.78.
    "single_parent_baby": {
        "commune": "69383", "logement": home("sans_domicile"), "isolement_recent": True,
        "personnes": [person("a", "demandeur", 28), {"id": "b", "role": "enfant", "date_naissance": "2025-11"}],
    },
    # 18. Single parent, 2 children (6, 10), salary 1 500 € net, renting 700 € in Lyon: AF 153.01
    #     (resources far under the modulation ceiling), ASF 2 x 201.78 = 403.57.
    "single_parent_working": {
        "commune": "69383", "logement": home("locataire", 700),
        "personnes": [
            person("a", "demandeur", 36, situation="salarie", revenus={"salaire_net": 1500}),
            person("b", "enfant", 6, scolarite="primaire"), person("c", "enfant", 10, scolarite="primaire"),
        ],
    },
    # 19. End of unemployment rights (ASS), 50, alone, housed free: ASS = 30 x 19.48 = 584.40;
    #     RSA = 0 since the ASS of the last 3 months exceeds 573.49.
    "ass_recipient": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 50, situation="chomeur", chomage_droits_epuises=True)],
    },
    # 20. Owner without a loan, 60, alone, no income: no housing aid (no rent); RSA with the
    #     forfait logement of an owner: 573.49.
    "owner_no_income": {"commune": "69383", "logement": home("proprietaire"), "personnes": [person("a", "demandeur", 60)]},
    # 21. Social housing tenant (HLM, rent 400 €), alone, no income: APL (conventionné) > 0 and
    #     the réduction de loyer de solidarité > 0 (resources under the RLS ceiling); the APL
    #     makes the forfait logement apply: RSA = 573.49.
    "hlm_tenant": {"commune": "69383", "logement": home("locataire_hlm", 400), "personnes": [person("a", "demandeur", 55)]},
    # 22. Couple without income renting 600 € privately: a housing aid > 0, hence the forfait
    #     logement: RSA = 1.26 B = 821.13.
    "couple_renting": {
        "commune": "69383", "logement": home("locataire", 600),
        "personnes": [person("a", "demandeur", 33), person("b", "conjoint", 31)],
    },
    # 23. Non-EU national with a 2-year residence permit, no income: no RSA (5 years of permit
    #     allowing work required, CASF L262-4).
    "recent_permit": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 35, nationalite="hors_ue", titre_sejour_annees=2)],
    },
    # 24. Metz family, married, children 12 (collège) and 16 (lycée), no income, housed free:
    #     AF = 0.32 x BMAF + 16 % x BMAF for the 16-year-old? No: with 2 children the eldest gets
    #     no age increase (CSS D521-2), so AF = 153.01. Zero resources are under every ceiling:
    #     bourse de lycée at the top échelon 6 = 2.2584 x BMAF (BMAF 474.37 to 478.16 depending on
    #     the reference date) = 1 071 to 1 080 € a year; bourse de collège top échelon 3 =
    #     1.1075 x BMAF = 525 to 530 €. CSS free; in Moselle the participation grid does not apply.
    "metz_family_school": {
        "commune": "57463", "couple": "marie", "logement": home("heberge"),
        "personnes": [
            person("a", "demandeur", 44), person("b", "conjoint", 42),
            person("c", "enfant", 12, scolarite="college"), person("d", "enfant", 16, scolarite="lycee"),
        ],
    },
    # 25. Single adult renting 500 € in Lyon (zone II), no income: chèque énergie 194 € (RFR 0,
    #     1 unit); RSA 573.49 (forfait logement with the housing aid). Housing aid, an ALS (not
    #     conventionné, no child): L = min(500, 293.68) = 293.68; C = 61.29; R = 0 so
    #     PP = P0 = max(0.085 x 354.97 = 30.17, 40.01) = 40.01; 293.68 + 61.29 - 40.01 = 314.96;
    #     rent 500 under 2.5 x 293.68 = 734.20, no degressivity; - 5 € = 309.96; CRDS:
    #     309.96 x 0.995 = 308.41; rounded down: ALS = 308 €.
    "single_renter_no_income": {"commune": "69383", "logement": home("locataire", 500), "personnes": [person("a", "demandeur", 45)]},
    # 26. Senior in Metz (Moselle), 75, no pension, housed free: ASPA 1 043.60; CSS with the
    #     Alsace-Moselle participation for 70 and over: 10.50 € a month.
    "senior_metz": {"commune": "57463", "logement": home("heberge"), "personnes": [person("a", "demandeur", 75, situation="retraite")]},
    # 27. Adult of 50 without income housed free, with an 80-year-old relative (role autre, own
    #     famille) without pension: the demandeur gets the RSA 0.88 B = 573.49; the relative gets
    #     the full ASPA 12 523.14 / 12 = 1 043.60 (and no RSA: the ASPA exceeds it).
    "other_adult_senior": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 50), person("g", "autre", 80, situation="retraite")],
    },
    # 28. Employee earning 2 000 € with a 30-year-old adult of the home (autre) at 80 % disability
    #     and no income: the adult gets the full AAH 1 041.59 (own famille, CSS L821-1), which
    #     opens the TCL Solidaire Gratuit pass (AAH recipients).
    "other_adult_disabled": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 50, situation="salarie", revenus={"salaire_net": 2000}),
                      person("g", "autre", 30, taux_incapacite=80)],
    },
    # 29. Pregnant woman alone, homeless, no income, birth expected in February 2027: prime à la
    #     naissance 2.2975 x 478.16 = 1 098.57, paid once in December 2026 (two months before the
    #     birth), not part of the monthly total; RSA majoré 1.28412 x 651.69 = 836.85 (no forfait
    #     logement without a home), which is the whole monthly total.
    "pregnant_alone": {
        "commune": "69383", "logement": home("sans_domicile"),
        "personnes": [person("a", "demandeur", 28, enceinte=True, naissance_prevue="2027-02")],
    },
    # 30. Invalidity pensioner of 50 (pension 400 € a month), alone, housed free: ASI =
    #     10 978.30 / 12 - 400 = 914.86 - 400 = 514.86; RSA 0 (400 + 514.86 exceed 573.49).
    "asi_recipient": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 50, invalidite=True, revenus={"pension_invalidite": 400})],
    },
    # 31. Employee of 35 alone earning 1 000 € net every month, housed free: PPA = 638.28 +
    #     0.5985 x 1 000 + bonus - max(1 000 + 0.12 x 638.28, 638.28); bonus = 240.63 x
    #     (1 000 - 59 x 12.31) / (138 x 12.31 - 59 x 12.31) = 240.63 x 273.71 / 972.49 = 67.73;
    #     PPA = 638.28 + 598.50 + 67.73 - 1 076.59 = 227.92 (227.91 with the unrounded bonus).
    "ppa_single": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 35, situation="salarie", revenus={"salaire_net": 1000})],
    },
    # 32. Young person 22 in Lyon on 900 € a month of unemployment benefit, renting 450 €: no RSJ
    #     (own resources 900 € above the 400 € of the RSJ); the FAJ of the Métropole (18-25) is
    #     shown "to examine".
    "young_lyon_unemployment_benefit": {
        "commune": "69383", "logement": home("locataire", 450),
        "personnes": [person("a", "demandeur", 22, situation="chomeur", revenus={"chomage_net": 900})],
    },
    # 33. Young adult of 20 without income (autre) hosted by an adult on the RSA: the RSJ looks at
    #     the young person's own RSA (none under 25): RSJ 420 €, though the home receives an RSA.
    "young_autre_in_rsa_home": {
        "commune": "69383", "logement": home("heberge"),
        "personnes": [person("a", "demandeur", 45), person("y", "autre", 20, situation="chomeur")],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def golden(law):
    names = list(HOUSEHOLDS)
    results = simulate([HOUSEHOLDS[n] for n in names])
    return dict(zip(names, results, strict=True))


def approx(value):
    return pytest.approx(value, abs=0.02)


def test_homeless_single_gets_the_full_rsa_and_free_css(golden):
    r = golden["homeless_single"]
    assert amount(r, "rsa") == approx(651.69)
    assert benefit(r, "css")["forme"] == "sans_participation"
    assert amount(r, "cheque_energie") == 0  # no dwelling


def test_hosted_single_rsa_has_the_one_person_forfait_logement(golden):
    assert amount(golden["hosted_single"], "rsa") == approx(0.88 * B)


def test_couple_without_income_gets_the_couple_rsa_minus_forfait(golden):
    assert amount(golden["couple_without_income"], "rsa") == approx(1.26 * B)


def test_couple_with_two_children_gets_af_counted_in_rsa(golden):
    r = golden["couple_two_children"]
    assert amount(r, "allocations_familiales") == approx(153.01)
    assert amount(r, "rsa") == approx(1021.99)


def test_large_family_gets_af_with_age_increase_cf_majore_and_rsa(golden):
    r = golden["large_family"]
    assert amount(r, "allocations_familiales") == approx(621.61)
    assert amount(r, "complement_familial") == approx(298.75)
    assert amount(r, "rsa") == approx(952.10)


def test_senior_alone_gets_full_aspa_no_rsa_and_css_with_participation(golden):
    r = golden["senior_alone"]
    assert amount(r, "aspa") == approx(1043.60)
    assert amount(r, "rsa") == 0
    assert benefit(r, "css")["participation_mensuelle"] == approx(30)


def test_senior_couple_aspa_is_the_ceiling_minus_pensions(golden):
    assert amount(golden["senior_couple"], "aspa") == pytest.approx(820.18, abs=1)


def test_adult_with_disability_gets_aah_and_no_rsa_that_aah_cancels(golden):
    r = golden["adult_with_disability"]
    assert amount(r, "aah") == approx(1041.59)
    assert benefit(r, "aah")["par_personne"] == {"a": approx(1041.59)}
    assert amount(r, "rsa") == 0
    assert benefit(r, "css")["participation_mensuelle"] == approx(14)


def test_disability_rate_60_with_restriction_opens_aah(golden):
    assert amount(golden["disability_with_restriction"], "aah") == approx(1041.59)


def test_disability_rate_60_without_restriction_gives_rsa_not_aah(golden):
    r = golden["disability_without_restriction"]
    assert amount(r, "aah") == 0
    assert amount(r, "rsa") == approx(0.88 * B)


def test_young_person_in_lyon_gets_rsj_and_tcl_but_no_rsa(golden):
    r = golden["young_lyon"]
    assert amount(r, "rsa") == 0
    rsj = aid(r, "lyon-revenu-solidarite-jeunes")
    assert rsj["eligible"] and rsj["montant"] == 420
    assert aid(r, "lyon-tcl-solidaire-gratuit")["eligible"]
    assert amount(r, "cheque_energie") == 194
    assert benefit(r, "css")["forme"] == "sans_participation"
    assert aid(r, "grand-est-carte-jeunest") is None  # not in the Grand Est


def test_young_person_in_lyon_with_a_small_job_gets_the_reduced_rsj(golden):
    rsj = aid(golden["young_lyon_small_job"], "lyon-revenu-solidarite-jeunes")
    assert rsj["eligible"] and rsj["montant"] == 315


def test_young_person_in_metz_gets_jeunest_and_the_transport_reduction_but_no_rsj(golden):
    r = golden["young_metz"]
    assert amount(r, "rsa") == 0
    assert aid(r, "lyon-revenu-solidarite-jeunes") is None
    assert aid(r, "grand-est-carte-jeunest")["eligible"]
    assert aid(r, "metz-le-met-reduction-css")["eligible"]
    for to_examine in ("moselle-fonds-solidarite-logement", "moselle-fonds-aide-jeunes"):
        item = aid(r, to_examine)
        assert item["statut"] == "a_examiner" and not item["eligible"] and item["montant"] is None
        assert item["a_verifier_avec_un_professionnel"]


def test_student_gets_housing_aid_but_neither_rsa_nor_rsj(golden):
    r = golden["student"]
    assert amount(r, "rsa") == 0
    assert amount(r, "als") + amount(r, "alf") + amount(r, "apl") > 0
    assert not aid(r, "lyon-revenu-solidarite-jeunes")["eligible"]


def test_micro_entrepreneur_turnover_counts_after_the_allowance(golden):
    assert amount(golden["self_employed"], "rsa") == pytest.approx(73.49, abs=1)


def test_homeless_couple_with_baby_gets_paje_and_rsa(golden):
    r = golden["homeless_couple_baby"]
    assert amount(r, "paje_base") == approx(199.15)
    assert amount(r, "rsa") == approx(973.89)


def test_single_parent_with_baby_gets_the_increased_rsa(golden):
    r = golden["single_parent_baby"]
    assert amount(r, "asf") == approx(201.78)
    assert amount(r, "paje_base") == approx(199.15)
    assert amount(r, "rsa") == approx(809.06)


def test_working_single_parent_gets_af_and_asf(golden):
    r = golden["single_parent_working"]
    assert amount(r, "allocations_familiales") == approx(153.01)
    assert amount(r, "asf") == approx(403.57)
    assert amount(r, "prime_activite") > 0


def test_ass_recipient_gets_ass_and_no_rsa(golden):
    r = golden["ass_recipient"]
    assert amount(r, "ass") == approx(584.40)
    assert amount(r, "rsa") == 0


def test_owner_without_loan_gets_no_housing_aid_and_rsa_with_forfait(golden):
    r = golden["owner_no_income"]
    assert amount(r, "apl") + amount(r, "alf") + amount(r, "als") == 0
    assert amount(r, "rsa") == approx(0.88 * B)


def test_social_housing_tenant_gets_apl_and_rls(golden):
    r = golden["hlm_tenant"]
    assert amount(r, "apl") > 0
    assert amount(r, "reduction_loyer_solidarite") > 0
    assert amount(r, "rsa") == approx(0.88 * B)


def test_renting_couple_gets_housing_aid_and_rsa_with_forfait(golden):
    r = golden["couple_renting"]
    assert amount(r, "apl") + amount(r, "alf") + amount(r, "als") > 0
    assert amount(r, "rsa") == approx(1.26 * B)


def test_recent_residence_permit_gives_no_rsa(golden):
    assert amount(golden["recent_permit"], "rsa") == 0


def test_metz_family_gets_af_and_top_school_grants(golden):
    r = golden["metz_family_school"]
    assert amount(r, "allocations_familiales") == approx(153.01)
    assert 1071 <= amount(r, "bourse_lycee") <= 1080
    assert 525 <= amount(r, "bourse_college") <= 530


def test_single_renter_without_income_gets_cheque_energie_the_als_of_the_barème_and_rsa(golden):
    r = golden["single_renter_no_income"]
    assert amount(r, "cheque_energie") == 194
    assert amount(r, "als") == 308 and amount(r, "apl") == amount(r, "alf") == 0
    assert amount(r, "rsa") == approx(0.88 * B)


def test_senior_in_moselle_pays_the_alsace_moselle_css_participation(golden):
    r = golden["senior_metz"]
    assert amount(r, "aspa") == approx(1043.60)
    assert benefit(r, "css")["participation_mensuelle"] == approx(10.50)


def test_an_other_adult_of_80_without_pension_gets_the_aspa_in_their_own_famille(golden):
    r = golden["other_adult_senior"]
    assert amount(r, "rsa") == approx(0.88 * B) and amount(r, "aspa") == 0
    [other] = r["autres_adultes"]
    assert other["personnes"] == ["g"]
    assert amount(other, "aspa") == approx(1043.60)
    assert "rsa" not in {p["code"] for p in other["prestations"]}


def test_an_other_adult_at_80_percent_gets_the_aah_and_the_tcl_free_pass(golden):
    r = golden["other_adult_disabled"]
    assert amount(r, "aah") == 0
    [other] = r["autres_adultes"]
    assert amount(other, "aah") == approx(1041.59)
    assert benefit(other, "aah")["par_personne"] == {"g": approx(1041.59)}
    assert aid(r, "lyon-tcl-solidaire-gratuit")["eligible"]


def test_pregnancy_gives_the_birth_grant_once_two_months_before_the_birth(golden):
    r = golden["pregnant_alone"]
    grant = benefit(r, "paje_naissance")
    assert grant["montant"] == approx(1098.57) and grant["periodicite"] == "ponctuelle"
    assert grant["periode"] == "2026-12"
    assert amount(r, "rsa") == approx(836.85)
    assert r["total_mensuel"] == approx(836.85)  # the one-off grant is not monthly


def test_an_invalidity_pensioner_gets_the_asi_up_to_its_ceiling(golden):
    r = golden["asi_recipient"]
    assert amount(r, "asi") == approx(514.86)
    assert amount(r, "rsa") == 0


def test_prime_activite_of_a_single_employee_follows_the_barème(golden):
    assert amount(golden["ppa_single"], "prime_activite") == approx(227.91)


def test_a_young_person_on_unemployment_benefit_gets_no_rsj(golden):
    r = golden["young_lyon_unemployment_benefit"]
    rsj = aid(r, "lyon-revenu-solidarite-jeunes")
    assert not rsj["eligible"] and rsj["montant"] == 0
    assert aid(r, "lyon-fonds-aide-jeunes")["statut"] == "a_examiner"


def test_the_rsj_looks_at_the_young_persons_own_rsa_not_the_homes(golden):
    r = golden["young_autre_in_rsa_home"]
    assert amount(r, "rsa") == approx(0.88 * B)  # the demandeur's
    rsj = aid(r, "lyon-revenu-solidarite-jeunes")
    assert rsj["eligible"] and rsj["montant"] == 420


def test_every_result_shows_the_pinned_law_and_its_date(golden):
    for result in golden.values():
        law = result["legislation"]
        assert law["moteur"] == "OpenFisca-France" and law["version"] == "176.1.8"
        assert law["date_legislation"] == "2026-11-01"


def test_a_third_pass_changes_nothing_on_golden_households(law):
    names = list(HOUSEHOLDS)
    two = simulate([HOUSEHOLDS[n] for n in names], passes=2)
    three = simulate([HOUSEHOLDS[n] for n in names], passes=3)
    for name, a, b in zip(names, two, three, strict=True):
        for x, y in zip(a["prestations"], b["prestations"], strict=True):
            assert x["montant"] == pytest.approx(y["montant"], abs=0.01), (name, x["code"])
