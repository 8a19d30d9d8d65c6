"""manage.py rollup_search_traces: old traces become monthly counts; counts older than five years go."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from relais.observatory.models import SearchNeedMonth, SearchTrace

ALIM = "equipement-et-alimentation--alimentation"
DETTES = "difficultes-financieres--situation-dendettement-surendettement"
TODAY = dt.date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(settings):
    settings.RELAIS_SEARCH_TRACE_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0), tick=False):
        yield


def trace(day, thematiques=(ALIM,), eligible=0, commune="69383", channel="pro"):
    return SearchTrace.objects.create(
        day=day,
        commune_code=commune,
        epci_code="200046977",
        departement_code="69",
        thematiques=list(thematiques),
        channel=channel,
        eligible=eligible,
        to_check=0,
        total=eligible,
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("rollup_search_traces", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_says_what_it_would_do_and_changes_nothing():
    trace(dt.date(2026, 1, 10))
    output = run()
    assert "[dry run] 1 search trace(s)" in output and "--wet-run" in output
    assert SearchTrace.objects.count() == 1 and not SearchNeedMonth.objects.exists()


def test_traces_older_than_the_setting_become_monthly_counts_and_are_deleted():
    trace(dt.date(2026, 1, 10), (ALIM, DETTES), eligible=0)
    trace(dt.date(2026, 1, 20), (ALIM,), eligible=3)
    trace(dt.date(2025, 12, 31), (ALIM,), eligible=0)
    recent = trace(dt.date(2026, 2, 20), (ALIM,))  # within the last 30 days: kept as it is
    output = run("--wet-run")
    assert "3 search trace(s)" in output
    assert list(SearchTrace.objects.values_list("pk", flat=True)) == [recent.pk]
    january = SearchNeedMonth.objects.get(month=dt.date(2026, 1, 1), thematique=ALIM)
    assert (january.searches, january.unmet, january.channel) == (2, 1, "pro")
    assert SearchNeedMonth.objects.get(month=dt.date(2026, 1, 1), thematique=DETTES).searches == 1
    assert SearchNeedMonth.objects.get(month=dt.date(2025, 12, 1)).searches == 1


def test_running_again_adds_to_the_existing_monthly_count():
    trace(dt.date(2026, 1, 10))
    run("--wet-run")
    trace(dt.date(2026, 1, 11))
    run("--wet-run")
    assert SearchNeedMonth.objects.get().searches == 2


def test_monthly_counts_older_than_five_years_are_deleted():
    SearchNeedMonth.objects.create(month=dt.date(2021, 2, 1), commune_code="69383", thematique=ALIM, channel="pro")
    kept = SearchNeedMonth.objects.create(
        month=dt.date(2021, 3, 1), commune_code="69383", thematique=ALIM, channel="pro"
    )
    assert "1 monthly count(s) older than 5 years would be deleted" in run()
    run("--wet-run")
    assert list(SearchNeedMonth.objects.values_list("pk", flat=True)) == [kept.pk]
