"""The anonymous trace of a search: what it keeps, one trace per search, counts for the observatory."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from relais.matching import runtime
from relais.matching.engine import search
from relais.matching.tests.world import NOW, world_index
from relais.matching.types import Needs, Place, Profile, Status
from relais.observatory.models import MIN_CELL, SearchTrace
from relais.observatory.traces import (
    PROFILE_CATEGORIES,
    eligible_count,
    profile_categories,
    record_search,
    token_for,
    trace_of,
)
from tests.factories import make_commune, make_service

ALIM = "equipement-et-alimentation--alimentation"
LOGEMENT = "logement-hebergement--se-maintenir-dans-le-logement"


@pytest.fixture(autouse=True)
def _french_wednesday():
    with translation.override("fr"), time_machine.travel(NOW, tick=False):
        yield


def world_search(text="manger", limit=20, profile=None):
    return search(world_index(), Place(commune="69383"), Needs(text=text), profile or Profile(), now=NOW, limit=limit)


# --- what a trace keeps ----------------------------------------------------------------------------


def test_profile_categories_keep_an_age_band_never_the_age_and_only_the_closed_list():
    profile = Profile(age=23, gender="femme", household="seul", children=2, situations=frozenset({"rsa", "homeless"}))
    categories = profile_categories(profile)
    assert categories == sorted(["jeune", "femme", "seul", "enfants", "rsa", "sans-domicile"])
    assert set(categories) <= PROFILE_CATEGORIES.keys()
    assert "23" not in "".join(categories)


def test_a_man_and_an_unknown_gender_leave_no_gender_category():
    assert profile_categories(Profile(gender="homme")) == []
    assert profile_categories(Profile(gender="autre")) == []


def test_the_trace_holds_no_words_typed_no_coordinates_only_the_thematiques_understood():
    response = search(
        world_index(), Place(latitude=45.7605, longitude=4.8590), Needs(text="manger ce soir avec Kevin"), now=NOW
    )
    trace = trace_of(response, Profile(age=40), "pro")
    stored = {field.name: getattr(trace, field.name) for field in SearchTrace._meta.fields}
    assert "Kevin" not in repr(stored) and "ce soir" not in repr(stored) and "45.76" not in repr(stored)
    assert trace.thematiques == [ALIM]
    assert trace.commune_code == "69383" and trace.categories == ["adulte"]


def test_the_eligible_count_covers_every_result_not_only_the_page_shown():
    everything = world_search(limit=100)
    eligible = sum(1 for r in everything.results if r.status == Status.ELIGIBLE)
    one = world_search(limit=1)
    assert eligible > 1
    assert eligible_count(one) == eligible
    trace = trace_of(one, Profile(), "resident")
    assert (trace.eligible, trace.to_check, trace.total) == (eligible, one.total - eligible, one.total)


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="channel"):
        trace_of(world_search(), Profile(), "sms")


# --- one trace per search ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_that_did_not_run_leaves_no_trace():
    response = search(world_index(), Place(commune="Lyonn"), Needs(text="manger"), now=NOW)
    assert record_search(response, Profile(), "pro") is None
    assert not SearchTrace.objects.exists()


@pytest.mark.django_db
def test_the_token_updates_the_same_trace_when_a_filter_or_an_answer_changes():
    first = record_search(world_search(), Profile(), "resident")
    again = record_search(world_search(profile=Profile(age=30)), Profile(age=30), "resident", token_for(first))
    assert again.pk == first.pk
    trace = SearchTrace.objects.get()
    assert trace.categories == ["adulte"]


@pytest.mark.django_db
def test_a_new_need_a_forged_token_or_another_channel_makes_a_new_trace():
    first = record_search(world_search(), Profile(), "resident")
    token = token_for(first)
    record_search(world_search("dettes"), Profile(), "resident", token)  # another need
    record_search(world_search(), Profile(), "pro", token)  # another channel
    forged = token.rsplit(":", 1)[0] + ":forged"
    record_search(world_search(), Profile(), "resident", forged)
    record_search(world_search(), Profile(), "resident", "x" * 500)
    assert SearchTrace.objects.count() == 5


@pytest.mark.django_db
def test_a_token_from_another_day_makes_a_new_trace():
    first = record_search(world_search(), Profile(), "resident")
    token = token_for(first)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        record_search(world_search(), Profile(), "resident", token)
    assert SearchTrace.objects.count() == 2


@pytest.mark.django_db
def test_run_search_hands_the_next_token_to_pages_and_none_to_the_api(settings):
    make_commune()
    make_service(thematiques=[ALIM])
    page = runtime.run_search(Place(commune="69383"), Needs(thematiques=(ALIM,)), channel="pro")
    assert page.extra["trace_token"]
    same = runtime.run_search(
        Place(commune="69383"), Needs(thematiques=(ALIM,)), channel="pro", trace_token=page.extra["trace_token"]
    )
    assert same.extra["trace_token"] == page.extra["trace_token"]
    assert SearchTrace.objects.count() == 1
    api = runtime.run_search(Place(commune="69383"), Needs(thematiques=(ALIM,)), channel="api")
    assert api.extra["trace_token"] == ""
    assert SearchTrace.objects.count() == 2


@pytest.mark.django_db
def test_tracing_can_be_turned_off(settings):
    settings.RELAIS_TRACE_SEARCHES = False
    make_commune()
    make_service(thematiques=[ALIM])
    response = runtime.run_search(Place(commune="69383"), Needs(thematiques=(ALIM,)), channel="pro")
    assert response.ok and response.total == 1
    assert not SearchTrace.objects.exists()


# --- what the observatory reads ------------------------------------------------------------------------


def trace(commune="69383", thematiques=(ALIM,), eligible=0, **kw):
    defaults = dict(day=NOW.date(), channel="pro", to_check=0, total=eligible)
    defaults.update(kw)
    return SearchTrace.objects.create(
        commune_code=commune, thematiques=list(thematiques), eligible=eligible, **defaults
    )


@pytest.mark.django_db
def test_unmet_needs_hide_cells_with_fewer_searches_than_the_threshold():
    for _ in range(MIN_CELL):
        trace(eligible=0)
    for _ in range(MIN_CELL - 1):
        trace(commune="69266", thematiques=(LOGEMENT,), eligible=0)
    rows = SearchTrace.objects.unmet_needs()
    assert rows == [{"commune_code": "69383", "thematique": ALIM, "searches": 5, "unmet": 5, "unmet_rate": 1.0}]
    assert len(SearchTrace.objects.unmet_needs(min_searches=1)) == 2


@pytest.mark.django_db
def test_per_commune_counts_tell_unmet_searches_from_searches_with_nothing():
    trace(eligible=2, total=3)
    trace(eligible=0, total=4, to_check=4)
    trace(eligible=0, total=0)
    row = SearchTrace.objects.by_commune().get()
    assert (row["searches"], row["unmet"], row["nothing"]) == (3, 2, 1)
    assert SearchTrace.objects.categories() == {}
