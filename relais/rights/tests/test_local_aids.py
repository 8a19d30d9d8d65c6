"""The local aids catalogue: files are valid and sourced, evaluation is vectorised and right."""

import numpy as np
import pytest

from relais.rights import local


def population(n_households=3, **overrides):
    base = dict(
        household=np.array([0, 1, 2]),
        role=np.array(["demandeur"] * 3),
        age=np.array([22.0, 30.0, 19.0]),
        situation=np.array(["chomeur", "chomeur", "etudiant"]),
        scolarite=np.array(["aucune", "aucune", "superieur"]),
        activity_income=np.array([0.0, 0.0, 0.0]),
        person_resources=np.array([0.0, 0.0, 0.0]),
        person_benefits={"rsa": np.zeros(3), "aah": np.zeros(3)},
        commune=np.array(["69383", "69383", "57463"]),
        departement=np.array(["69", "69", "57"]),
        epci=np.array(["200046977", "200046977", "200039865"]),
        statut=np.array(["locataire"] * 3),
        couple=np.zeros(3, dtype=bool),
        children=np.zeros(3, dtype=int),
        resources=np.zeros(3),
        benefits={"rsa": np.zeros(3), "aah": np.zeros(3), "asi": np.zeros(3), "aspa": np.zeros(3), "ass": np.zeros(3),
                  "css_gratuite": np.ones(3)},
    )  # fmt: skip
    base.update(overrides)
    return local.Population(**base)


def by_id(aid_id):
    return next(a for a in local.catalogue() if a.id == aid_id)


def test_catalogue_has_the_rsj_and_at_least_five_other_sourced_aids():
    aids = local.catalogue()
    ids = {a.id for a in aids}
    assert "lyon-revenu-solidarite-jeunes" in ids and len(ids) >= 6
    for aid in aids:
        assert aid.source.startswith("https://") and aid.institution and aid.demarche
        assert not aid.incertain or aid.note  # anything uncertain says what


def test_aids_referring_to_other_aids_come_after_them():
    order = [a.id for a in local.catalogue()]
    assert order.index("lyon-revenu-solidarite-jeunes") < order.index("lyon-tcl-solidaire-gratuit")


def test_rsj_amount_depends_on_own_resources_and_excludes_students():
    pop = population(
        activity_income=np.array([0.0, 250.0, 0.0]),
        person_resources=np.array([0.0, 250.0, 0.0]),
        age=np.array([22.0, 24.0, 19.0]),
    )
    outcome = local.evaluate(by_id("lyon-revenu-solidarite-jeunes"), pop)
    assert outcome.in_zone.tolist() == [True, True, False]
    assert outcome.eligible.tolist() == [True, True, False]
    assert outcome.amount[:2].tolist() == [420, 315]


def test_rsj_refused_at_25_or_with_the_young_persons_own_rsa():
    pop = population(age=np.array([25.0, 22.0, 22.0]))
    pop.person_benefits["rsa"] = np.array([0.0, 300.0, 0.0])
    outcome = local.evaluate(by_id("lyon-revenu-solidarite-jeunes"), pop)
    assert outcome.eligible[:2].tolist() == [False, False]
    assert "aucune personne" in outcome.reasons[1][0]


def test_rsj_refused_with_900_euros_of_unemployment_benefit_and_no_pay():
    pop = population(person_resources=np.array([900.0, 399.0, 0.0]), age=np.array([22.0, 22.0, 19.0]))
    outcome = local.evaluate(by_id("lyon-revenu-solidarite-jeunes"), pop)
    assert outcome.eligible[:2].tolist() == [False, True]
    assert outcome.amount[:2].tolist() == [0, 315]


def test_fsl_lyon_quotient_ceiling_is_per_part():
    # 1 060 € per part: single 1.2 part -> 1 272 €; couple with 2 children 1.5 + 2 x 0.5 = 2.5 parts -> 2 650 €.
    pop = population(resources=np.array([1272.0, 1273.0, 0.0]))
    outcome = local.evaluate(by_id("lyon-fonds-solidarite-logement"), pop)
    assert outcome.eligible[:2].tolist() == [True, False]
    family = population(
        couple=np.array([True, True, False]), children=np.array([2, 2, 0]), resources=np.array([2650.0, 2651.0, 0.0])
    )
    assert local.evaluate(by_id("lyon-fonds-solidarite-logement"), family).eligible[:2].tolist() == [True, False]


def test_evaluate_all_feeds_local_eligibility_to_later_aids():
    results = dict((aid.id, outcome) for aid, outcome in local.evaluate_all(population()))
    assert results["lyon-revenu-solidarite-jeunes"].eligible[0]
    assert results["lyon-tcl-solidaire-gratuit"].eligible[0]  # through the RSJ


def test_a_malformed_aid_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "bad-aid.toml").write_text('id = "bad-aid"\nnom = "x"\n', encoding="utf-8")
    with pytest.raises(local.CatalogueError, match="bad-aid.toml: missing key 'institution'"):
        local.load_catalogue(tmp_path)


def test_an_uncertain_aid_without_a_note_is_refused(tmp_path):
    text = (local.CATALOGUE_DIR / "grand-est-carte-jeunest.toml").read_text(encoding="utf-8")
    text = text.replace('id = "grand-est-carte-jeunest"', 'id = "copie"').replace("\nnote = ", "\nx_note = ")
    (tmp_path / "copie.toml").write_text(text, encoding="utf-8")
    with pytest.raises(local.CatalogueError, match="copie.toml"):
        local.load_catalogue(tmp_path)
