"""Figures, pages, exports, signals and API of the observatory."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from relais.observatory import catalogue, figures, signals
from relais.observatory.models import IndicatorValue, SearchTrace, UnmetNeedMonth
from relais.observatory.tests.conftest import load
from relais.referrals import roles
from tests.factories import make_user

INSEE = (
    "CODGEO;P22_POP;P16_POP;TP6021;P22_CHOM1564;P22_ACT1564\n"
    "69259;67000;65000;34,0;5000;30000\n69199;19000;18000;s;1500;8000\n69123;520774;515695;16,0;20000;280000\n"
)
DOSSIER = "CODGEO;P22_POP0014;P22_CHOM1564;P22_ACT1564\n69381;5000;1000;20000\n69383;15000;s;60000\n"


@pytest.fixture
def loaded(lyon_world):
    load("base.csv", INSEE)
    load("dossier.csv", DOSSIER)
    return lyon_world


def cell(indicator_id, kind, code, vintage=None):
    return figures.Store.load().cell(catalogue.get(indicator_id), figures.find_place(kind, code), vintage)


def test_a_count_is_summed_over_the_communes_of_a_territory(loaded):
    assert cell("population", "territory", "ctm-portes-du-sud").value == 86000
    assert cell("population", "epci", "200046977").value == 67000 + 19000 + 520774


def test_a_ratio_is_the_ratio_of_the_two_sums_never_a_mean_of_rates(loaded):
    assert cell("taux_chomage", "territory", "ctm-portes-du-sud").value == pytest.approx(100 * 6500 / 38000)


def test_an_official_rate_is_never_recomputed_from_communes(loaded):
    result = cell("taux_pauvrete", "epci", "200046977")
    assert result.status == "na" and "jamais recalculée" in result.reason
    assert cell("taux_pauvrete", "commune", "69199").status == "secret"


def test_a_secret_part_makes_the_sum_secret_and_a_missing_one_not_available_never_zero(loaded):
    assert cell("chomeurs_1564", "commune", "69383").status == "secret"
    assert cell("superficie", "commune", "69259").status == "na"


def test_several_vintages_form_a_time_series(loaded):
    place = figures.find_place("commune", "69259")
    assert figures.Store.load().vintages(catalogue.get("population"), place) == [2016, 2022]
    assert cell("population", "commune", "69259", 2016).value == 65000


def test_a_commune_is_compared_with_its_local_territory_its_metropole_and_its_departement(loaded):
    place = figures.find_place("commune", "69259")
    assert [p.kind for p in figures.references(place)] == ["territory", "epci", "departement"]


def test_the_indicator_page_draws_secret_and_not_available_communes_hatched_differently(client, loaded):
    response = client.get(reverse("observatory:indicator", args=["taux_pauvrete"]) + "?territoire=epci:200046977")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'fill="url(#hatch-secret)"' in html
    assert '<title id="map-title">' in html and '<desc id="map-desc">' in html
    assert "Saint-Fons" in html and "secret" in html


def test_an_unknown_indicator_or_territory_answers_404(client, loaded):
    assert client.get(reverse("observatory:indicator", args=["nope"])).status_code == 404
    url = reverse("observatory:indicator", args=["population"]) + "?territoire=commune:00000"
    assert client.get(url).status_code == 404


def test_the_csv_export_opens_in_excel(client, loaded):
    response = client.get(reverse("observatory:indicator_csv", args=["taux_pauvrete"]) + "?territoire=epci:200046977")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff") and ";" in content.splitlines()[0]
    assert "69259;Vénissieux;2021;34;" in content
    assert "69199;Saint-Fons;2021;;s;" in content


def test_the_map_downloads_as_svg(client, loaded):
    response = client.get(reverse("observatory:indicator_svg", args=["population", "carte"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.startswith(b"<svg")


def test_the_portrait_page_and_its_pdf(client, loaded):
    response = client.get(reverse("observatory:portrait", args=["epci", "200046977"]))
    assert response.status_code == 200 and "Portrait" in response.content.decode()
    pdf = client.get(reverse("observatory:portrait_pdf", args=["commune", "69259"]))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Disposition"].endswith('.pdf"')


def test_signals_are_for_steering_staff_unless_a_setting_opens_them(client, loaded):
    client.force_login(make_user())
    assert client.get(reverse("observatory:signals")).status_code == 403
    steering = make_user()
    steering.groups.add(Group.objects.get(name=roles.STEERING_GROUP))
    client.force_login(steering)
    assert client.get(reverse("observatory:signals")).status_code == 200
    client.logout()
    with override_settings(RELAIS_OBSERVATORY_PUBLIC_SIGNALS=True):
        assert client.get(reverse("observatory:signals")).status_code == 200


def test_the_old_steering_address_redirects_to_the_observatory(client):
    response = client.get("/orientations/pilotage/")
    assert response.status_code == 301 and response["Location"] == reverse("observatory:signals")


def _trace(day, commune, thematiques, eligible, not_understood=False):
    return SearchTrace(
        day=day,
        commune_code=commune,
        thematiques=thematiques,
        channel="pro",
        eligible=eligible,
        to_check=0,
        total=eligible,
        words_not_understood=not_understood,
    )


def test_the_unmet_needs_rollup_is_incremental_and_counts_each_day_once(loaded):
    day = dt.date(2026, 11, 3)
    SearchTrace.objects.bulk_create(
        [_trace(day, "69259", ["logement-hebergement"], 0) for _ in range(15)]
        + [_trace(day, "69259", ["logement-hebergement"], 2, True) for _ in range(5)]
    )
    signals.rollup_unmet_needs(until=day)
    signals.rollup_unmet_needs(until=day)
    row = UnmetNeedMonth.objects.get()
    assert (row.searches, row.unmet, row.not_understood) == (20, 15, 5)
    SearchTrace.objects.bulk_create([_trace(day + dt.timedelta(days=1), "69259", ["logement-hebergement"], 0)])
    signals.rollup_unmet_needs(until=day + dt.timedelta(days=1))
    assert UnmetNeedMonth.objects.get().searches == 21


def test_unmet_needs_hide_small_counts_and_what_would_reveal_them(loaded):
    month = dt.date(2026, 11, 1)
    UnmetNeedMonth.objects.create(
        month=month, commune_code="69259", thematique="logement-hebergement", searches=40, unmet=30
    )
    UnmetNeedMonth.objects.create(month=month, commune_code="69259", thematique="sante", searches=3, unmet=2)
    UnmetNeedMonth.objects.create(month=month, commune_code="69199", thematique="famille", searches=50, unmet=12)
    result = signals.unmet_needs(figures.find_place("territory", "ctm-portes-du-sud"), month)
    rows = {r["thematique"]: r for r in result["rows"]}
    assert rows["sante"]["searches"] is None and rows["sante"]["unmet"] is None
    assert rows["famille"]["unmet"] is None  # hidden too: total minus the others would give « santé »
    assert result["total"] == 93


def test_the_api_lists_indicators_and_values_with_their_status(client, loaded):
    indicators = client.get("/api/v1/observatory/indicators").json()
    assert {"id": "taux_pauvrete", "aggregation": "official"}.items() <= indicators[
        [i["id"] for i in indicators].index("taux_pauvrete")
    ].items()
    values = client.get(
        "/api/v1/observatory/indicators/taux_pauvrete/values?territory=territory:ctm-portes-du-sud"
    ).json()
    statuses = {item["code"]: item["status"] for item in values["items"]}
    assert statuses["69199"] == "secret" and statuses["69259"] == "value"
    assert client.get("/api/v1/observatory/indicators/taux_pauvrete/values?territory=commune:1").status_code == 422
    portrait = client.get("/api/v1/observatory/portraits/commune/69259").json()
    assert portrait["place"]["name"] == "Vénissieux"
    assert "/api/v1/observatory/indicators" in client.get("/api/v1/openapi.json").json()["paths"]


def _figures(*args):
    """What relais.referrals.stats.referral_statistics returns, with small counts (its own tests cover it)."""
    line = [{"value": v, "label": v, "count": n} for v, n in (("sent", 3), ("accepted", 40), ("refused", 25))]
    return {
        "totals": {"total": 68},
        "by_status": line,
        "by_service": [
            {
                "service": "A",
                "structure": "S",
                "total": 4,
                "sent": 1,
                "accepted": 2,
                "closed": 1,
                "refused": 0,
                "expired": 0,
                "refusal_rate": 0.0,
            }
        ],
        "by_territory": [],
        "refusal_reasons": [{"value": "full", "label": "plus de place", "count": 2}],
        "outcomes": [],
        "situations": [],
        "response_delay": {"answered": 5, "median_days": 2.0, "p90_days": 3.0, "mean_days": 2.0},
    }


def test_referral_counts_are_exact_for_steering_staff_and_hidden_when_small_for_the_public(loaded, monkeypatch):
    monkeypatch.setattr(signals.referral_stats, "referral_statistics", _figures)
    place = figures.find_place("epci", "200046977")
    exact = signals.referral_outcomes(place, exact=True)
    assert [r["count"] for r in exact["by_status"]] == [3, 40, 25]
    public = signals.referral_outcomes(place)
    assert [r["count"] for r in public["by_status"]] == ["< 11", 40, "< 11"]  # 3 hidden, and 25 or 68 − 40 gives it
    assert public["by_service"][0]["total"] == "< 11" and public["response_delay"]["median_days"] is None
    assert public["refusal_reasons"][0]["count"] == "< 11"


def test_anonymous_visitors_are_sent_to_the_login_page_for_the_signals(client):
    response = client.get(reverse("observatory:signals"))
    assert response.status_code == 302 and "connexion" in response["Location"]


def _steering_client(client):
    steering = make_user()
    steering.groups.add(Group.objects.get(name=roles.STEERING_GROUP))
    client.force_login(steering)
    return client


def test_steering_staff_upload_a_file_bad_ones_are_refused_with_their_faults(client, lyon_world):
    _steering_client(client)
    url = reverse("observatory:import")
    bad = SimpleUploadedFile("rsa.csv", b"code,indicator,vintage,value\n69259,foyers_rsa,2024,12%\n")
    page = client.post(url, {"file": bad}).content.decode()
    assert "ligne 2, colonne « value »" in page and "rien n’a été écrit" in page
    good = SimpleUploadedFile("rsa.csv", b"code,indicator,vintage,value\n69259,foyers_rsa,2024,1200\n")
    client.post(url, {"file": good, "dry_run": "on"})
    assert not IndicatorValue.objects.exists()
    good.seek(0)
    client.post(url, {"file": good})
    assert IndicatorValue.objects.get().value == 1200


def test_the_import_page_is_refused_to_other_accounts(client, lyon_world):
    client.force_login(make_user())
    assert client.get(reverse("observatory:import")).status_code == 403
