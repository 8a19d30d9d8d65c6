import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from relais.matching.eligibility import (
    ELIGIBLE_EVERYWHERE,
    REASON_CODES,
    Query,
    assess,
    is_simple,
    message,
    publics_facts,
    with_messages,
    with_opening,
)
from relais.matching.places import resolve_place
from relais.matching.tests.world import LYON_EPCI, SERVICES, by_id, commune_table
from relais.matching.types import SITUATIONS, Constraints, Place, Profile, ServiceRecord, Status

TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def query(commune="69383", profile=None, constraints=None):
    table = commune_table()
    place, _ = resolve_place(Place(commune=commune), table)
    return Query(place, table, profile or Profile(), constraints or Constraints(), TODAY)


def service(**kw):
    base = dict(
        id="s",
        structure_id="st",
        structure_name="Structure",
        name="Service",
        thematiques=("equipement-et-alimentation--alimentation",),
        publics=("tous-publics",),
        zone_eligibilite=(LYON_EPCI,),
        modes_accueil=("en-presentiel",),
        frais="gratuit",
        latitude=45.76,
        longitude=4.84,
        code_insee="69383",
    )
    base.update(kw)
    return ServiceRecord(**base)


def codes(assessment):
    return (
        [r.code for r in assessment.eligible_because],
        [r.code for r in assessment.to_check],
        [r.code for r in assessment.excluded_because],
    )


# --- profile -> publics ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "jeunes", "seniors"),
    [
        (None, None, None),
        (17, True, False),
        (25, True, False),
        (27, None, False),
        (30, False, False),
        (57, False, None),
        (60, False, True),
        (82, False, True),
    ],
)
def test_age_maps_to_jeunes_and_seniors_with_an_unknown_band_between(age, jeunes, seniors):
    facts = publics_facts(Profile(age=age))
    assert facts["jeunes"] is jeunes
    assert facts["seniors"] is seniors


def test_situations_map_to_their_publics():
    facts = publics_facts(Profile(situations=frozenset({"rsa", "homeless", "exiled", "qpv_resident"})))
    assert facts["beneficiaires-des-minimas-sociaux"] is True
    assert facts["personnes-en-situation-durgence"] is True
    assert facts["personnes-exilees"] is True
    assert facts["residents-qpv-frr"] is True
    assert facts["demandeurs-emploi"] is None  # not said: unknown


def test_aah_counts_for_minima_and_for_disability():
    facts = publics_facts(Profile(situations=frozenset({"aah"})))
    assert facts["beneficiaires-des-minimas-sociaux"] is True
    assert facts["personnes-en-situation-de-handicap"] is True


def test_a_complete_list_of_situations_makes_the_others_false():
    facts = publics_facts(Profile(situations=frozenset({"employed"}), situations_complete=True))
    assert facts["actifs"] is True
    assert facts["demandeurs-emploi"] is False
    assert facts["beneficiaires-des-minimas-sociaux"] is False
    assert facts["personnes-exilees"] is False


def test_a_situation_can_be_known_false_one_by_one():
    facts = publics_facts(Profile(not_situations=frozenset({"student"})))
    assert facts["etudiants"] is False
    assert facts["demandeurs-emploi"] is None


def test_families_and_women():
    assert publics_facts(Profile(children=2))["familles"] is True
    assert publics_facts(Profile(children=0))["familles"] is False
    assert publics_facts(Profile(situations=frozenset({"pregnant"})))["familles"] is True
    assert publics_facts(Profile(gender="femme"))["femmes"] is True
    assert publics_facts(Profile(gender="homme"))["femmes"] is False
    assert publics_facts(Profile(situations=frozenset({"violence_victim"})))["femmes"] is None


def test_every_situation_has_a_known_code():
    assert len(set(SITUATIONS)) == len(SITUATIONS)


# --- zone ------------------------------------------------------------------------------------


def test_a_zone_covering_the_epci_makes_the_service_eligible():
    assert assess(service(), query()).status == Status.ELIGIBLE


@pytest.mark.parametrize("zone", [("69383",), ("69123",), ("69",), ("france",), ("99100",), ("57", LYON_EPCI)])
def test_every_level_of_zone_covers_lyon_3e(zone):
    assert codes(assess(service(zone_eligibilite=zone), query()))[0][0] == "zone"


def test_a_zone_elsewhere_excludes_the_service():
    a = assess(service(zone_eligibilite=("69266",)), query())
    assert a.status == Status.EXCLUDED
    assert codes(a)[2] == ["zone_mismatch"]


def test_no_zone_is_something_to_check_not_an_exclusion():
    a = assess(service(zone_eligibilite=None), query())
    assert a.status == Status.TO_CHECK
    assert codes(a)[1] == ["zone_unknown"]


def test_an_arrondissement_zone_is_to_check_when_the_person_said_only_lyon():
    a = assess(service(zone_eligibilite=("69383",)), query("69123"))
    assert codes(a)[1] == ["zone_arrondissement"]


def test_an_epci_zone_is_to_check_when_the_commune_has_no_known_epci():
    a = assess(service(zone_eligibilite=("200040590",)), query("01006"))  # Ambérieux (Ain): no EPCI in the table
    assert codes(a)[1] == ["zone_epci_unknown"]


# --- publics and criteria --------------------------------------------------------------------


def test_a_public_the_person_is_in_makes_it_eligible():
    a = assess(service(publics=("jeunes", "femmes")), query(profile=Profile(age=20)))
    assert a.status == Status.ELIGIBLE
    assert "publics" in codes(a)[0]


def test_a_public_unknown_for_the_person_is_to_check():
    a = assess(service(publics=("femmes",)), query(profile=Profile(age=40)))
    assert codes(a)[1] == ["publics_unknown"]


def test_publics_all_known_false_exclude():
    a = assess(service(publics=("femmes", "jeunes")), query(profile=Profile(age=40, gender="homme")))
    assert codes(a)[2] == ["publics_mismatch"]


def test_one_unknown_public_among_false_ones_keeps_it_to_check():
    a = assess(service(publics=("femmes", "etudiants")), query(profile=Profile(gender="homme")))
    assert a.status == Status.TO_CHECK


def test_an_unknown_public_value_is_to_check():
    a = assess(service(publics=("public-inconnu",)), query(profile=Profile(situations_complete=True)))
    assert a.status == Status.TO_CHECK


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (None, Status.TO_CHECK),
        (17, Status.EXCLUDED),
        (18, Status.ELIGIBLE),
        (25, Status.ELIGIBLE),
        (26, Status.EXCLUDED),
    ],
)
def test_an_age_range_checks_the_age_when_known(age, status):
    assert assess(service(age_min=18, age_max=25), query(profile=Profile(age=age))).status == status


def test_resources_conditions_are_something_to_check():
    a = assess(service(conditions_acces="Sous conditions de ressources (quotient familial < 800)"), query())
    assert codes(a)[1] == ["resources"]
    assert assess(service(conditions_acces="Venir avec une pièce d’identité"), query()).status == Status.ELIGIBLE


# --- the person's constraints ----------------------------------------------------------------


def test_constraints_exclude_when_known_and_are_checked_when_unknown():
    remote_only = Constraints(mode="a-distance")
    assert codes(assess(service(), query(constraints=remote_only)))[2] == ["mode_remote"]
    assert codes(assess(service(modes_accueil=(), latitude=None), query(constraints=remote_only)))[1] == [
        "mode_unknown"
    ]
    free = Constraints(free_only=True)
    assert codes(assess(service(frais="payant"), query(constraints=free)))[2] == ["fees"]
    assert codes(assess(service(frais=""), query(constraints=free)))[1] == ["fees_unknown"]
    arabic = Constraints(languages=("ar",))
    assert codes(assess(service(languages=("fr", "en")), query(constraints=arabic)))[2] == ["languages"]
    assert codes(assess(service(languages=()), query(constraints=arabic)))[1] == ["languages_unknown"]
    assert assess(service(languages=()), query(constraints=Constraints(languages=("fr",)))).status == Status.ELIGIBLE
    step = Constraints(step_free=True)
    assert codes(assess(service(step_free_access=False), query(constraints=step)))[2] == ["step_free"]
    assert codes(assess(service(step_free_access=None), query(constraints=step)))[1] == ["step_free_unknown"]
    referral = Constraints(accepting_referrals=True)
    assert codes(assess(service(accepts_referrals=False), query(constraints=referral)))[2] == ["referrals"]


def test_opening_constraints_exclude_closed_services_and_check_unknown_hours():
    q = query(constraints=Constraints(open_now=True))
    base = assess(service(), q)
    assert with_opening(base, q, True, None).status == Status.ELIGIBLE
    assert codes(with_opening(base, q, False, None))[2] == ["closed_now"]
    assert codes(with_opening(base, q, None, None))[1] == ["hours_unknown_now"]
    q = query(constraints=Constraints(open_on=dt.date(2026, 3, 7)))
    assert codes(with_opening(base, q, None, False))[2] == ["closed_that_day"]


# --- fast path and messages ------------------------------------------------------------------


@pytest.mark.parametrize("commune", ["69383", "69123", "69266", "57463", "01006"])
def test_the_engine_fast_path_agrees_with_assess_for_every_simple_service(commune):
    q = query(commune, Profile(age=30))
    for s in SERVICES:
        if is_simple(s) and s.zone_eligibilite and not set(s.zone_eligibilite).isdisjoint(q.place.zone_codes):
            assert assess(s, q) == ELIGIBLE_EVERYWHERE, s.id


def test_every_reason_code_has_a_french_message():
    q = query("69123", Profile(age=40), Constraints(open_on=dt.date(2026, 3, 7), languages=("ar",)))
    s = service(age_min=18, age_max=25, conditions_acces="ressources", publics=("femmes",), languages=("fr",))
    for code in REASON_CODES:
        text = message(code, s, q)
        assert text and text[0].isupper(), code


def test_messages_name_the_zone_and_the_publics():
    q = query(profile=Profile(age=40))
    a = with_messages(assess(by_id("villeurbanne-banque-alimentaire"), q), by_id("villeurbanne-banque-alimentaire"), q)
    assert a.excluded_because[0].message == (
        "Zone d’éligibilité : Villeurbanne ; Lyon 3e Arrondissement n’en fait pas partie."
    )
    s = by_id("lyon-epicerie-etudiante")
    a = with_messages(assess(s, q), s, q)
    assert a.to_check[0].message == "Réservé aux publics suivants : étudiants ; vérifier que c’est votre cas."


def test_assessments_are_shared_values():
    q = query()
    assert assess(service(), q) is assess(dataclasses.replace(service(), id="other"), q)
