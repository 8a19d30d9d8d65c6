"""The engine inside the application: one index per process, rebuilt when the offer changes; filtered views."""

import pytest
from django.utils import translation

from relais.matching import runtime
from relais.matching.engine import search
from relais.matching.index import OfferIndex
from relais.matching.tests.world import NOW, SERVICES, commune_table, world_index
from relais.matching.types import Needs, Place
from relais.observatory.models import SearchTrace
from relais.offer.models import Service
from tests.factories import make_commune, make_service

ALIM = "equipement-et-alimentation--alimentation"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.django_db
def test_the_index_is_built_once_and_reused_within_the_check_interval(settings, django_assert_num_queries):
    settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS = 3600
    make_service(thematiques=[ALIM])
    first = runtime.get_index()
    with django_assert_num_queries(0):
        assert runtime.get_index() is first
    assert runtime.index_info()["builds"] == 1


@pytest.mark.django_db
def test_a_change_to_the_offer_is_seen_at_the_next_check_and_the_index_rebuilt(settings):
    settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS = 0
    make_service(thematiques=[ALIM])
    first = runtime.get_index()
    assert runtime.get_index() is first  # checked, unchanged: kept
    make_service(thematiques=[ALIM])
    second = runtime.get_index()
    assert second is not first and len(second) == 2
    edited = Service.objects.get(pk=second.services[0].id)
    edited.nom = "Renommé"
    edited.save()  # updated_at moves
    assert runtime.get_index() is not second
    assert runtime.index_info()["builds"] == 3


@pytest.mark.django_db
def test_the_offer_version_is_one_query_and_changes_with_a_deletion():
    make_service(thematiques=[ALIM])
    before = runtime.offer_version()
    Service.objects.all().delete()
    assert runtime.offer_version() != before


def test_a_filtered_index_gives_the_same_pages_and_totals_as_filtering_every_result():
    index = world_index()
    place, needs = Place(commune="69383"), Needs(text="manger")
    everything = search(index, place, needs, now=NOW, limit=100)

    def keep(service):
        return service.frais == "gratuit" and service.structure_id != "st-lyon-epicerie-passerelle"

    filtered = search(runtime.FilteredIndex(index, keep), place, needs, now=NOW, limit=100)
    expected = [r.service.id for r in everything.results if keep(r.service)]
    assert [r.service.id for r in filtered.results] == expected
    assert filtered.total == len(expected) < everything.total
    page_two = search(runtime.FilteredIndex(index, keep), place, needs, now=NOW, limit=2, offset=2)
    assert [r.service.id for r in page_two.results] == expected[2:4]


def test_a_filtered_index_tests_each_service_at_most_once_per_search():
    calls = []

    def keep(service):
        calls.append(service.id)
        return True

    search(runtime.FilteredIndex(world_index(), keep), Place(commune="69383"), Needs(text="manger"), now=NOW)
    assert calls and len(calls) == len(set(calls))


def test_the_filtered_index_docstring_names_this_test_file():
    assert "test_runtime.py" in runtime.FilteredIndex.__doc__


def test_a_filtered_index_reads_through_to_the_index_it_views():
    index = OfferIndex(SERVICES, commune_table())
    view = runtime.FilteredIndex(index, lambda s: True)
    assert len(view) == len(index) and view.communes is index.communes


@pytest.mark.django_db
def test_run_search_traces_the_first_page_only():
    make_commune()
    for _ in range(3):
        make_service(thematiques=[ALIM])
    runtime.run_search(Place(commune="69383"), Needs(thematiques=(ALIM,)), limit=2, channel="pro")
    runtime.run_search(Place(commune="69383"), Needs(thematiques=(ALIM,)), limit=2, offset=2, channel="pro")
    assert SearchTrace.objects.count() == 1


@pytest.mark.django_db
def test_warm_up_builds_the_index_before_the_first_request():
    make_service(thematiques=[ALIM])
    assert runtime.warm_up() >= 0
    assert runtime.index_info()["services"] == 1


@pytest.mark.django_db
def test_locate_answers_from_the_contours_and_caches_the_answer():
    from relais.matching.tests.pages import load_communes

    load_communes()
    assert runtime.locate(45.7605, 4.8590) == "69383"
    assert runtime.locate(45.76049, 4.85904) == "69383"  # same point at ~10 m: from the cache
    assert runtime._commune_at.cache_info().hits >= 1
    assert runtime.locate(0.5, 0.5) is None
