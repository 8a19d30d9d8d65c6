import datetime as dt

import pytest

from relais.matching import ranking
from relais.matching.engine import search
from relais.matching.index import OfferIndex
from relais.matching.tests.world import NOW, T, commune_table, svc
from relais.matching.types import Needs, Place, Profile, ServiceRecord, Status

TODAY = NOW.date()


def service(**kw):
    base = dict(id="s", structure_id="st", structure_name="S", name="N", modes_accueil=("en-presentiel",))
    base.update(kw)
    return ServiceRecord(**base)


def test_the_weights_sum_to_one():
    assert sum(ranking.WEIGHTS.values()) == pytest.approx(1.0)
    assert sum(ranking.URGENT_WEIGHTS.values()) == pytest.approx(1.0)


def test_fit_counts_the_strongest_need_met_and_a_bonus_for_each_other_one():
    needs = {T["alim"]: 1.0, T["habits"]: 0.6, T["heberg"]: 0.5}
    assert ranking.fit((T["alim"],), needs) == (1.0, (T["alim"],))
    assert ranking.fit((T["habits"],), needs)[0] == pytest.approx(0.6)
    assert ranking.fit((T["habits"], T["heberg"]), needs)[0] == pytest.approx(0.7)
    assert ranking.fit((T["soins"],), needs) == (0.0, ())


def test_a_generalist_service_fits_a_little_less_than_a_specialist():
    needs = {T["alim"]: 1.0}
    generalist = (T["alim"], T["droits"], T["demarches"], T["budget"], T["lien"], T["soins"], T["cv"], T["offres"])
    assert ranking.fit(generalist, needs)[0] == pytest.approx(0.9)
    assert ranking.fit((T["alim"], T["droits"]), needs)[0] == 1.0


def test_certainty_falls_with_each_thing_to_check():
    assert ranking.certainty(Status.ELIGIBLE, 0) == 1.0
    assert ranking.certainty(Status.TO_CHECK, 1) == pytest.approx(0.7)
    assert ranking.certainty(Status.TO_CHECK, 2) == pytest.approx(0.49)
    assert ranking.certainty(Status.EXCLUDED, 0) == 0.0


def test_proximity_decays_with_distance_and_remote_counts_as_about_five_km():
    on_site = service()
    assert ranking.proximity(on_site, 0.0, None) == 1.0
    assert ranking.proximity(on_site, 8.0, None) == pytest.approx(0.368, abs=0.001)
    assert ranking.proximity(on_site, None, None) == ranking.UNKNOWN_DISTANCE
    remote = service(modes_accueil=("a-distance",))
    assert ranking.proximity(remote, None, None) == 0.5
    assert ranking.proximity(remote, None, "a-distance") == 1.0
    both = service(modes_accueil=("en-presentiel", "a-distance"))
    assert ranking.proximity(both, 50.0, None) == 0.5


def test_opening_soon_scores_higher_than_opening_later():
    values = [
        ranking.opening(True, NOW, NOW),
        ranking.opening(False, NOW + dt.timedelta(hours=3), NOW),
        ranking.opening(False, NOW + dt.timedelta(days=2), NOW),
        ranking.opening(False, NOW + dt.timedelta(days=5), NOW),
        ranking.opening(False, NOW + dt.timedelta(days=12), NOW),
    ]
    assert values == sorted(values, reverse=True) and values[0] == 1.0 and values[-1] == 0.0
    assert ranking.opening(None, None, NOW) == 0.3


def test_when_urgent_only_what_opens_within_three_hours_counts():
    assert ranking.opening(False, NOW + dt.timedelta(minutes=30), NOW, urgent=True) == 0.6
    assert ranking.opening(False, NOW + dt.timedelta(hours=2), NOW, urgent=True) == 0.3
    assert ranking.opening(False, NOW + dt.timedelta(hours=10), NOW, urgent=True) == 0.0


def test_capacity_and_a_full_until_date_in_the_past():
    assert ranking.capacity(service(capacity="accepting"), TODAY) == 1.0
    assert ranking.capacity(service(capacity="waiting_list"), TODAY) == 0.4
    assert ranking.capacity(service(capacity="full", full_until=TODAY + dt.timedelta(days=3)), TODAY) == 0.0
    assert ranking.capacity(service(capacity="full", full_until=TODAY - dt.timedelta(days=1)), TODAY) == 1.0


def test_freshness_holds_then_decays_and_unverified_counts_zero():
    def fresh(days):
        return ranking.freshness(service(last_verified_on=TODAY - dt.timedelta(days=days)), TODAY, 180)

    assert fresh(0) == fresh(90) == 1.0
    assert 0 < fresh(300) < fresh(200) < 1
    assert fresh(360) == 0.0
    assert ranking.freshness(service(last_verified_on=None), TODAY, 180) == 0.0


def test_ties_are_broken_by_the_query_so_no_structure_always_wins():
    ids = ["structure-a--svc", "structure-b--svc"]
    winners = set()
    for n in range(30):
        seed = ranking.query_seed("69383", n)
        winners.add(min(ids, key=lambda i: ranking.tie_key(seed, i)))
    assert winners == set(ids)


def test_the_tie_break_is_stable_for_the_same_query():
    seed = ranking.query_seed("69383", ("alim", 1.0))
    assert ranking.tie_key(seed, "x") == ranking.tie_key(ranking.query_seed("69383", ("alim", 1.0)), "x")


def test_a_public_the_person_did_not_state_weighs_much_less_than_one_more_thing_to_check():
    assert ranking.certainty(Status.TO_CHECK, 1, reserved=True) == pytest.approx(ranking.RESERVED_UNSTATED)
    assert ranking.certainty(Status.TO_CHECK, 1, reserved=True) < ranking.certainty(Status.TO_CHECK, 2)


def test_a_service_reserved_to_rsa_recipients_comes_after_an_open_one_for_a_person_who_did_not_say_rsa():
    reserved = svc(
        "rsa-only",
        "69383",
        "Emploi RSA",
        ["offres"],
        publics=("beneficiaires-des-minimas-sociaux",),
        latitude=45.7597,
        longitude=4.8422,
    )
    open_to_all = svc("open", "69383", "Emploi pour tous", ["offres"], latitude=45.72, longitude=4.80)
    index = OfferIndex([reserved, open_to_all], commune_table())
    unsaid = search(index, Place(commune="69383"), Needs(text="trouver un travail"), now=NOW)
    assert [r.service.id for r in unsaid.results] == ["open", "rsa-only"]
    assert unsaid.results[0].distance_km > unsaid.results[1].distance_km + 5
    stated = search(
        index, Place(commune="69383"), Needs(text="trouver un travail"), Profile(situations=frozenset({"rsa"})), now=NOW
    )
    assert stated.results[0].service.id == "rsa-only"  # stated: the reserved service nearby comes first


def test_ten_reserved_services_nearby_do_not_hide_an_open_one_a_few_kilometres_away():
    reserved = [
        svc(f"young-{n}", "69383", f"Emploi jeunes {n}", ["offres"], publics=("jeunes",), age_min=16, age_max=25)
        for n in range(12)
    ]
    open_to_all = svc("open", "69383", "Emploi pour tous", ["offres"], latitude=45.72, longitude=4.80)
    index = OfferIndex([*reserved, open_to_all], commune_table())
    response = search(index, Place(commune="69383"), Needs(text="trouver un travail"), now=NOW)
    assert response.results[0].service.id == "open"
