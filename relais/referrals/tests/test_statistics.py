"""Steering figures without identities: by service, territory, status, response delay, refusal reasons."""

import datetime as dt
import json

import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from relais.referrals import actions, stats
from relais.referrals.models import Status
from relais.referrals.tests.conftest import PERSON, log_in, make_referral
from tests.factories import make_commune, make_service, make_structure, make_territory

T0 = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)


def scenario(world):
    """Lyon 3e: 2 accepted (answered after 1 and 3 days), 1 refused (no capacity), 1 pending, 1 expired; Metz: 1 refused."""
    metz = make_commune("57463", "Metz", latitude=49.1, longitude=6.17)
    metz_service = make_service(make_structure(commune_obj=metz, courriel="metz@example.org"), nom="Service Metz test")
    lyon_territory = make_territory("Lyon Centre test", communes=[make_commune("69123", "Lyon")])
    metz_territory = make_territory("Metz test", communes=[metz])
    with time_machine.travel(T0, tick=False) as clock:
        first, second, refused, pending, expired = (make_referral(world, Status.SENT) for _ in range(5))
        other = make_referral(world, Status.SENT, service=metz_service)
        clock.shift(dt.timedelta(days=1))
        actions.accept(first, actor=world.receiver, channel="web")
        actions.refuse(refused, reason="no_capacity", share=False, actor=world.receiver, channel="web")
        clock.shift(dt.timedelta(days=2))
        actions.accept(second, actor=world.receiver, channel="web")
        actions.refuse(other, reason="out_of_zone", share=False, actor=world.receiver, channel="web")
        actions.expire(expired)
    return lyon_territory, metz_territory


def test_the_figures_count_by_status_service_territory_and_reason(world):
    lyon, metz = scenario(world)
    figures = stats.referral_statistics()
    assert figures["totals"]["total"] == 6
    assert {row["value"]: row["count"] for row in figures["by_status"]} == {
        "sent": 1,
        "accepted": 2,
        "refused": 2,
        "expired": 1,
        "closed": 0,
        "cancelled": 0,
    }
    by_service = {row["service"]: row for row in figures["by_service"]}
    assert by_service[world.service.nom]["total"] == 5 and by_service[world.service.nom]["refused"] == 1
    assert by_service["Service Metz test"]["refusal_rate"] == 1.0
    by_territory = {row["territory"]: row for row in figures["by_territory"]}
    assert by_territory[lyon.name]["total"] == 5  # the service is in Lyon 3e, an arrondissement of Lyon
    assert by_territory[metz.name]["total"] == 1
    assert {row["value"]: row["count"] for row in figures["refusal_reasons"]} == {"no_capacity": 1, "out_of_zone": 1}
    assert figures["situations"] == [{"value": "housing", "label": "logement, hébergement", "count": 6}]


def test_the_response_delay_counts_answers_only(world):
    scenario(world)
    delay = stats.referral_statistics()["response_delay"]
    # answers after 1 day (accept, refuse) and 3 days (accept, refuse); the expiry is no answer
    assert delay == {"answered": 4, "median_days": 2.0, "p90_days": 3.0, "mean_days": 2.0}


def test_the_figures_hold_no_identity(world):
    scenario(world)
    text = json.dumps(stats.referral_statistics(), cls=DjangoJSONEncoder, ensure_ascii=False)
    for secret in [
        PERSON["first_name"],
        PERSON["last_name"],
        PERSON["contact_value"],
        PERSON["reason"][:15],
        "pro@example.org",
    ]:
        assert secret not in text


def test_the_figures_filter_by_period_and_territory(world):
    lyon, metz = scenario(world)
    assert stats.referral_statistics(territory=metz)["totals"]["total"] == 1
    assert stats.referral_statistics(since=dt.date(2026, 2, 3))["totals"]["total"] == 0
    assert stats.referral_statistics(until=dt.date(2026, 2, 2))["totals"]["total"] == 6


def test_steering_staff_read_the_figures_page_and_the_api(client, world):
    scenario(world)
    log_in(client, world.steering)
    assert client.get(reverse("referrals:statistics"))["Location"] == reverse("observatory:signals")  # moved
    page = client.get(reverse("observatory:signals")).content.decode()
    assert world.service.nom in page and "plus de place pour le moment : 1" in page
    assert PERSON["last_name"] not in page
    response = client.get("/api/v1/referrals/statistics", {"since": "2026-02-01", "territory": "nope"})
    assert response.status_code == 422 and response.json()["detail"][0]["param"] == "territory"
    assert client.get("/api/v1/referrals/statistics", {"since": "2026-02-01"}).json()["totals"]["total"] == 6
    bad = client.get(reverse("observatory:signals"), {"du": "2026-03-01", "au": "2026-02-01"})
    assert bad.status_code == 200 and "précède" in bad.content.decode()


def test_extreme_dates_give_figures_never_an_error(client, world):
    scenario(world)
    log_in(client, world.steering)
    for query in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "0001-01-01", "until": "9999-12-31"}):
        response = client.get("/api/v1/referrals/statistics", query)
        assert response.status_code == 200, response.content
        assert response.json()["totals"]["total"] == 6
        dates = {{"since": "du", "until": "au"}[key]: value for key, value in query.items()}
        assert client.get(reverse("observatory:signals"), dates).status_code == 200
