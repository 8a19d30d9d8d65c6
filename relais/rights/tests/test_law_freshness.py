"""The law stays current, visibly: reviewed parameter updates on top of the pinned package, the date of
every parameter a benefit rests on, overdue revaluations warned on results and by `check_law`."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from openfisca_core import periods

from relais.rights import engine, freshness, law_updates
from relais.rights.benefits import BENEFITS
from relais.rights.household import parse_household
from relais.rights.mapping import build_frame
from relais.rights.tests.conftest import PLACES, benefit, simulate

CSS_CEILING = "prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu.plafond_base"
GOOD = """
[[mise_a_jour]]
parametre = "a.b"
valeur = 1
debut = 2026-04-01
source = "https://example.org/jo"
reference = "Arrêté"
relu_par = "X"
relu_le = 2026-12-07
"""


def write(tmp_path, text: str):
    path = tmp_path / "law_updates.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_reviewed_file_is_read_with_its_sources():
    updates, pending = law_updates.read()
    css = next(u for u in updates if u.parametre == CSS_CEILING)
    assert css.valeur == 10339 and css.debut == dt.date(2025, 4, 1) and css.source.startswith("https://")
    assert {p.parametre for p in pending} >= {CSS_CEILING}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('relu_par = "X"\n', ""), "clé manquante ['relu_par']"),
        (GOOD + 'extra = "?"\n', "clé inconnue ['extra']"),
        (GOOD.replace("valeur = 1", 'valeur = "mille"'), "« valeur » doit être un nombre"),
        (GOOD.replace("https://example.org/jo", "example.org"), "« source » doit être une adresse https"),
        (GOOD.replace("debut = 2026-04-01", 'debut = "avril"'), "« debut » doit être une date"),
    ],
)
def test_a_bad_entry_of_the_reviewed_file_is_named_with_its_key(tmp_path, text, message):
    with pytest.raises(law_updates.LawUpdateError) as error:
        law_updates.read(write(tmp_path, text))
    assert "[[mise_a_jour]] n° 1" in str(error.value) and message in str(error.value)


def test_the_law_in_use_has_the_css_ceiling_of_april_2025_from_the_reviewed_file(law):
    ceiling = law.parameters("2025-06-01").prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu
    assert ceiling.plafond_base == 10339
    # The pinned package's own value stays before that date.
    before = law.parameters("2025-03-01").prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu
    assert before.plafond_base == 10166


def test_an_update_the_package_already_has_is_skipped_and_a_new_one_applied(law):
    clone = SimpleNamespace(parameters=law.parameters.clone())
    known = law_updates.Update(CSS_CEILING, 1.0, dt.date(2024, 4, 1), "https://x", "r", "me", dt.date(2026, 12, 7))
    new = law_updates.Update(CSS_CEILING, 99999.0, dt.date(2030, 4, 1), "https://x", "r", "me", dt.date(2026, 12, 7))
    applied = law_updates.apply(clone, [known, new])
    assert [a.applied for a in applied] == [False, True]
    node = law_updates.node_at(clone.parameters, CSS_CEILING)
    assert node("2024-06-01") == 10166  # not overwritten by the skipped update
    assert node("2030-06-01") == 99999
    assert law_updates.node_at(law.parameters, CSS_CEILING)("2030-06-01") != 99999  # the clone only


def test_an_update_of_an_unknown_parameter_stops_with_its_path(law):
    clone = SimpleNamespace(parameters=law.parameters.clone())
    wrong = law_updates.Update("a.b.c", 1.0, dt.date(2026, 4, 1), "https://x", "r", "me", dt.date(2026, 12, 7))
    with pytest.raises(law_updates.LawUpdateError, match="paramètre inconnu « a.b.c »"):
        law_updates.apply(clone, [wrong])


def test_every_benefit_shown_declares_parameter_families_that_exist_in_the_law(law):
    assert {b.code for b in BENEFITS} == set(freshness.BENEFIT_FAMILIES)
    for family in freshness.FAMILIES.values():
        assert family.source, family.key
        for path in family.paths:
            law_updates.node_at(law.parameters, path)  # raises on an unknown path
    for keys in freshness.BENEFIT_FAMILIES.values():
        assert set(keys) <= set(freshness.FAMILIES)


def test_every_declared_parameter_is_read_by_the_law_when_it_computes_the_benefits(law):
    """The declarations checked against OpenFisca itself: a traced simulation of every benefit lists
    the parameters its formulas read (formulas are vectorised: one household reads them all)."""
    household = parse_household({**AAH_IN_METZ, "mois": "2026-11"})
    frame = build_frame([household], [PLACES["57463"]], "2026-11")
    simulation = engine._simulation(frame, None)
    simulation.trace = True
    for b in BENEFITS:
        simulation.calculate(b.variable, periods.period("2026") if b.yearly_period else frame.month)
    read, stack = set(), list(simulation.tracer.trees)
    while stack:
        node = stack.pop()
        read |= {parameter.name for parameter in node.parameters}
        stack.extend(node.children)
    for family in freshness.FAMILIES.values():
        for path in family.paths:
            assert any(name == path or name.startswith(path + ".") for name in read), (family.key, path)


def test_the_expected_revaluation_is_the_latest_calendar_date_passed():
    assert freshness.expected_on(((4, 1),), dt.date(2026, 3, 31)) == dt.date(2025, 4, 1)
    assert freshness.expected_on(((4, 1),), dt.date(2026, 4, 1)) == dt.date(2026, 4, 1)
    assert freshness.expected_on(((1, 1), (7, 1)), dt.date(2026, 11, 1)) == dt.date(2026, 7, 1)
    assert freshness.expected_on((), dt.date(2026, 11, 1)) is None


def test_overdue_parameters_are_those_whose_revaluation_date_has_passed(law):
    late = freshness.overdue(dt.date(2026, 11, 1))
    # The CSS ceiling: 1 April 2025 from the reviewed file, 1 April 2026 not found yet (noted « en attente »).
    assert late["css_plafond"].latest == dt.date(2025, 4, 1)
    assert late["css_plafond"].expected == dt.date(2026, 4, 1)
    assert late["css_plafond"].pending is not None
    assert "rsa_montant" not in late and "aides_logement" not in late
    # Before 1 April 2026 the CSS ceiling was current.
    assert "css_plafond" not in freshness.overdue(dt.date(2026, 3, 1))
    # In May 2027 the RSA of April 2027 is overdue too, and nobody has reviewed it.
    may_2027 = freshness.overdue(dt.date(2027, 5, 1))
    assert may_2027["rsa_montant"].pending is None


def test_check_law_prints_each_benefit_its_parameters_and_the_updates(capsys, law):
    call_command("check_law", "--date", "2026-12-07")
    out = capsys.readouterr().out
    assert "css (Complémentaire santé solidaire (CSS))" in out
    assert "EN RETARD css_plafond: dernière valeur 2025-04-01" in out
    assert "à jour    rsa_montant: dernière valeur 2026-04-01" in out
    assert f"{CSS_CEILING} = 10339 au 2025-04-01 : appliquée" in out
    assert "css_plafond: attendu au 2026-04-01" in out and "en attente" in out


def test_check_law_fails_on_an_overdue_parameter_nobody_reviewed(law):
    with pytest.raises(CommandError, match="rsa_montant"):
        call_command("check_law", "--date", "2027-05-01")


def test_check_law_names_a_bad_date():
    with pytest.raises(CommandError, match="« demain » n’est pas une date"):
        call_command("check_law", "--date", "demain")


AAH_IN_METZ = {
    "commune": "57463", "logement": {"statut": "locataire", "loyer": 450},
    "personnes": [{"id": "a", "role": "demandeur", "age": 40, "taux_incapacite": 80}],
}  # fmt: skip


@pytest.fixture(scope="module")
def aah_metz(law):
    return simulate([AAH_IN_METZ])[0]


def test_an_aah_holder_in_metz_gets_the_paid_css_under_the_ceiling_of_2025_and_a_warning(aah_metz):
    # Resources of the last 12 months: AAH 1 041.59 + MVA 104.77 a month, under 10 339 x 1.35 = 13 957 €
    # (the stale ceiling of 2024, 13 724 €, refused it): the CSS with the Alsace-Moselle participation
    # of a person of 30-49, 4.90 € a month.
    css = benefit(aah_metz, "css")
    assert css["eligible"] and css["forme"] == "avec_participation"
    assert css["participation_mensuelle"] == pytest.approx(4.90)
    assert css["loi_en_retard"] == ["css_plafond"]
    assert "loi_en_retard" in css["estimation"] and "loi_en_retard" in aah_metz["estimation_notes"]
    late = aah_metz["legislation"]["parametres_en_retard"]
    assert {p["parametre"] for p in late} == {"css_plafond", "asi"}
    assert any("plafond de ressources de la Complémentaire santé solidaire" in w and "01/04/2026" in w
               for w in aah_metz["avertissements"])  # fmt: skip
    assert benefit(aah_metz, "rsa")["loi_en_retard"] == []


def test_the_majoration_pour_la_vie_autonome_is_shown_and_counted_in_the_total(aah_metz):
    # MVA 104.77 € (CSS D821-3) for an AAH holder in their own home with a housing aid.
    mva = benefit(aah_metz, "majoration_vie_autonome")
    assert mva["eligible"] and mva["montant"] == pytest.approx(104.77)
    assert mva["par_personne"] == {"a": pytest.approx(104.77)}
    monthly = sum(p["montant"] for p in aah_metz["prestations"] if p["eligible"] and p["periodicite"] == "mensuelle"
                  and p["code"] != "css")  # fmt: skip
    assert aah_metz["total_mensuel"] == pytest.approx(monthly)
    assert aah_metz["total_mensuel"] == pytest.approx(1041.59 + 104.77 + benefit(aah_metz, "als")["montant"])
    assert aah_metz["total_mensuel_a_verifier"] == pytest.approx(1041.59 + 104.77)
