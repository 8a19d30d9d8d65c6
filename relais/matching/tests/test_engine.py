import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from relais.matching.engine import search
from relais.matching.index import OfferIndex
from relais.matching.tests.test_quality_cases import CASES
from relais.matching.tests.world import LYON_EPCI, NOW, SERVICES, T, commune_table, world_index
from relais.matching.types import Constraints, Needs, Place, Profile, ServiceRecord, Severity, Status


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def run(place=None, needs=None, profile=None, constraints=None, now=NOW, index=None, **options):
    return search(
        index or world_index(),
        place or Place(commune="69383"),
        needs or Needs(text="manger"),
        profile,
        constraints,
        now,
        **options,
    )


def ids(response):
    return [r.service.id for r in response.results]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"place": Place(commune="Lyonn")}, "place.commune"),
        ({"profile": Profile(age=12, situations=frozenset({"rsa"}))}, "profile.age"),
        ({"needs": Needs(thematiques=("alimentation",))}, "needs.thematiques"),
        ({"needs": Needs()}, "needs"),
        ({"place": Place(latitude=91, longitude=4.8)}, "place.coordinates"),
        ({"constraints": Constraints(mode="en-voiture")}, "constraints.mode"),
    ],
)
def test_bad_input_gives_no_results_and_a_problem_naming_the_field(kwargs, field):
    response = run(**kwargs)
    assert not response.ok
    assert response.results == ()
    assert field in [p.field for p in response.errors]
    assert all(p.message for p in response.problems)


def test_an_unknown_commune_suggests_close_names():
    response = run(place=Place(commune="Vénissieu"))
    assert response.errors[0].suggestions[0] == "Vénissieux (69259)"


def test_an_unknown_thematique_suggests_thematiques_matching_its_words():
    response = run(needs=Needs(thematiques=("alimentation",)))
    assert "Alimentation (equipement-et-alimentation--alimentation)" in response.errors[0].suggestions


def test_every_problem_is_reported_at_once():
    response = run(place=Place(commune="Lyonn"), needs=Needs(), profile=Profile(age=-3))
    assert {p.field for p in response.errors} == {"place.commune", "needs", "profile.age"}


def test_warnings_do_not_stop_the_search():
    response = run(place=Place(commune="69003", code_is_insee=True), needs=Needs(text="logment"))
    assert response.ok and response.results
    assert {p.code for p in response.problems} == {"postal_code", "corrected"}
    assert all(p.severity == Severity.WARNING for p in response.problems)


def test_wrong_argument_types_are_a_programming_error():
    with pytest.raises(TypeError, match="profile must be a Profile"):
        search(world_index(), Place(commune="69383"), Needs(text="manger"), Constraints())


# --- the answer ------------------------------------------------------------------------------


def test_the_same_input_gives_the_same_order():
    first = run(needs=Needs(text="aide alimentaire"))
    assert [ids(run(needs=Needs(text="aide alimentaire"))) for _ in range(3)] == [ids(first)] * 3


def test_ties_do_not_always_favour_the_same_structure():
    twin = dict(
        thematiques=(T["alim"],),
        zone_eligibilite=(LYON_EPCI,),
        modes_accueil=("en-presentiel",),
        latitude=45.76,
        longitude=4.84,
        code_insee="69383",
        last_verified_on=NOW.date(),
        horaires="24/7",
    )
    index = OfferIndex(
        [
            ServiceRecord(id="a--1", structure_id="a", structure_name="A", name="A", **twin),
            ServiceRecord(id="b--1", structure_id="b", structure_name="B", name="B", **twin),
        ],
        commune_table(),
    )
    winners = {ids(run(index=index, profile=Profile(age=age)))[0] for age in range(20, 60)}
    assert winners == {"a--1", "b--1"}


def test_paging_splits_the_same_ranking_and_total_counts_everything():
    whole = run(needs=Needs(text="manger"), limit=100)
    page1 = run(needs=Needs(text="manger"), limit=2)
    page2 = run(needs=Needs(text="manger"), limit=2, offset=2)
    assert ids(page1) + ids(page2) == ids(whole)[:4]
    assert page1.total == page2.total == whole.total == len(whole.results)


@pytest.mark.parametrize("case", CASES[:30], ids=[c.name for c in CASES[:30]])
def test_computing_openings_lazily_gives_the_ranking_of_a_full_computation(case):
    full = search(world_index(), case.place, case.needs, case.profile, case.constraints, case.now, limit=100)
    short = search(world_index(), case.place, case.needs, case.profile, case.constraints, case.now, limit=2)
    assert ids(short) == ids(full)[:2]
    assert [r.score for r in short.results] == [r.score for r in full.results][:2]


def test_scores_are_sorted_and_explained():
    response = run(needs=Needs(text="je dois quitter mon logement"), profile=Profile(age=30))
    scores = [r.score for r in response.results]
    assert scores == sorted(scores, reverse=True)
    for r in response.results:
        assert set(r.components) == {"fit", "certainty", "proximity", "opening", "capacity", "freshness"}
        assert r.matched and all(m.thematique in r.service.thematiques for m in r.matched)
        e = r.explanation
        assert e.need.startswith("Répond à")
        assert e.eligibility and e.distance and e.opening and e.mobilisation


def test_services_excluded_nearby_are_listed_with_their_reason():
    response = run(place=Place(commune="69266"), needs=Needs(text="aide alimentaire"))
    excluded = {r.service.id: r for r in response.excluded}
    assert excluded["lyon-restaurant-bon-repas"].status == Status.EXCLUDED
    assert excluded["lyon-restaurant-bon-repas"].excluded_because[0].code == "zone_mismatch"
    assert "Villeurbanne n’en fait pas partie" in excluded["lyon-restaurant-bon-repas"].explanation.eligibility
    assert response.excluded_total >= len(response.excluded)


def test_a_fact_we_do_not_know_never_drops_a_service():
    response = run(needs=Needs(text="manger"), profile=Profile())
    by_id = {r.service.id: r for r in response.results}
    assert by_id["lyon-frigo-sans-zone"].status == Status.TO_CHECK  # no zone declared
    assert by_id["lyon-epicerie-etudiante"].status == Status.TO_CHECK  # student or not: unknown
    assert "étudiants" in by_id["lyon-epicerie-etudiante"].explanation.eligibility


def test_remote_services_are_considered_wherever_the_person_is():
    response = run(place=Place(commune="57672"), needs=Needs(text="faire mon CV"))  # Thionville
    assert "lyon-coach-emploi-distance" in ids(response)
    assert response.results[0].explanation.distance == "Service à distance : pas besoin de vous déplacer."


def test_the_radius_widens_for_a_rare_need():
    far = dataclasses.replace(
        SERVICES[0], id="far", zone_eligibilite=("69",), latitude=45.99, longitude=4.72, conditions_acces=""
    )
    index = OfferIndex([far], commune_table())
    response = run(index=index, needs=Needs(text="manger"))
    assert ids(response) == ["far"]
    assert response.radius_km == 80
    assert response.results[0].distance_km == pytest.approx(27, abs=2)


def test_the_radius_stays_small_where_the_offer_is_dense():
    near = [
        dataclasses.replace(SERVICES[0], id=f"near-{n}", latitude=45.76 + n / 10000, longitude=4.8422)
        for n in range(12)
    ]
    far = dataclasses.replace(SERVICES[0], id="far", zone_eligibilite=("69",), latitude=45.99, longitude=4.72)
    response = run(index=OfferIndex([*near, far], commune_table()), needs=Needs(text="manger"), limit=50)
    assert response.radius_km == 2
    assert "far" not in ids(response) and len(ids(response)) == 12


def test_a_maximum_distance_leaves_far_on_site_services_out():
    response = run(needs=Needs(text="manger"), constraints=Constraints(max_distance_km=2))
    assert response.results
    assert all(r.distance_km <= 2 for r in response.results if r.service.on_site)
    assert "lyon-epicerie-croix-rousse" not in ids(response)  # 2.6 km away


def test_searching_from_coordinates_measures_from_the_point():
    response = run(place=Place(latitude=45.7342, longitude=4.8697), needs=Needs(text="épicerie solidaire"))
    assert response.place.commune.code == "69388"
    assert response.results[0].service.id == "lyon-epicerie-passerelle"
    assert response.results[0].distance_km < 0.2
    assert response.results[0].explanation.distance.startswith("À 1")


def test_urgent_words_are_flagged():
    assert run(needs=Needs(text="violences conjugales")).urgent
    assert not run(needs=Needs(text="papiers")).urgent


def test_a_naive_now_is_taken_as_paris_time():
    naive = run(now=NOW.replace(tzinfo=None))
    assert ids(naive) == ids(run())


def test_a_stale_service_says_so_and_a_full_one_says_until_when():
    response = run(place=Place(commune="69384"), needs=Needs(text="manger"), limit=50)
    stale = next(r for r in response.results if r.service.id == "lyon-epicerie-croix-rousse")
    assert "Informations vérifiées le 2 mai 2023" in " ".join(stale.explanation.notes)
    response = run(place=Place(commune="69388"), needs=Needs(text="vêtements"))
    full = next(r for r in response.results if r.service.id == "lyon8-vestiaire")
    assert "Complet jusqu’au 30 avril 2026." in full.explanation.notes


def test_a_service_for_professionals_only_says_how_to_be_oriented():
    response = run(place=Place(commune="69381"), needs=Needs(text="expulsion"))
    first = response.results[0]
    assert first.service.id == "lyon-prevention-expulsions"
    assert first.explanation.mobilisation.startswith("Sur orientation d’un ou d’une professionnelle")
    pro = run(
        place=Place(commune="69381"), needs=Needs(text="expulsion"), constraints=Constraints(for_professional=True)
    )
    assert pro.results[0].explanation.mobilisation.startswith("Pour y accéder : se présenter sur place")


def test_the_open_now_filter_uses_the_time_given():
    at_noon_thirty = dt.datetime(2026, 3, 4, 12, 30, tzinfo=NOW.tzinfo)
    response = run(needs=Needs(text="manger"), constraints=Constraints(open_now=True), now=at_noon_thirty)
    assert "lyon-restaurant-bon-repas" in ids(response)  # open 11:30-13:30
    assert "lyon-epicerie-croix-rousse" not in ids(response)  # closed 12:00-14:00


def test_lists_instead_of_sets_and_tuples_are_accepted():
    response = run(
        needs=Needs(thematiques=["equipement-et-alimentation--alimentation"]),
        profile=Profile(age=30, situations=["rsa"], not_situations=["student"]),
    )
    assert response.ok and response.results


# --- counts, signals and wordings -----------------------------------------------------------------


def test_the_response_counts_eligible_services_among_all_results_not_only_the_page():
    response = run(needs=Needs(text="manger"), limit=1)
    everything = run(needs=Needs(text="manger"), limit=100)
    eligible = sum(1 for r in everything.results if r.status == Status.ELIGIBLE)
    assert eligible >= 2 and len(response.results) == 1
    assert response.extra["eligible_total"] == eligible
    assert 0 < response.extra["eligible_total"] < response.total


def test_tonight_ranks_what_opens_tonight_and_says_so_in_each_result():
    response = run(needs=Needs(text="manger ce soir"))
    assert response.when == "tonight"
    first = response.results[0]
    assert first.service.id == "lyon-repas-du-soir"
    assert first.components["opening"] == 1.0
    assert "Ouvert ce soir ou cette nuit." in first.explanation.notes
    lunch = next(r for r in response.results if r.service.id == "lyon-restaurant-bon-repas")
    assert lunch.components["opening"] == 0.0
    assert "Pas d’ouverture prévue ce soir ni cette nuit." in lunch.explanation.notes


def test_without_words_of_time_nothing_is_said_about_tonight():
    response = run(needs=Needs(text="manger"))
    assert response.when is None
    assert not any("ce soir" in note for r in response.results for note in r.explanation.notes)


def test_family_mediation_is_excluded_with_the_reason_when_the_words_speak_of_violence():
    response = run(needs=Needs(text="violences conjugales"), profile=Profile(gender="femme"))
    assert "lyon-mediation-familiale" not in ids(response)
    mediation = next(r for r in response.excluded if r.service.id == "lyon-mediation-familiale")
    assert [r.code for r in mediation.excluded_because] == ["mediation_violence"]
    assert "373-2-10" in mediation.excluded_because[0].message
    calm = run(needs=Needs(text="médiation familiale"), profile=Profile(children=1))
    assert "lyon-mediation-familiale" in ids(calm)


def test_residents_read_everyday_words_professionals_the_usual_ones():
    pro = run(needs=Needs(text="manger"), profile=Profile(age=30))
    resident = run(needs=Needs(text="manger"), profile=Profile(age=30), audience="resident")
    assert ids(pro) == ids(resident)
    pro_lines = " ".join(line for r in pro.results for line in r.explanation.lines())
    resident_lines = " ".join(line for r in resident.results for line in r.explanation.lines())
    assert "Zone d’éligibilité" in pro_lines and "Orientation possible par Relais" in pro_lines
    assert "Zone d’éligibilité" not in resident_lines
    assert "Orientation possible par Relais" not in resident_lines
    assert "Il accueille les habitants de Lyon 3e Arrondissement." in resident_lines


def test_an_unknown_audience_is_a_programming_error():
    with pytest.raises(ValueError, match="audience"):
        run(audience="children")


def test_the_page_language_chooses_the_lexicon_first():
    with translation.override("en"):
        response = run(needs=Needs(text="I need food tonight"))
    assert response.ok and response.when == "tonight"
    assert response.needs[0].thematique == T["alim"]
