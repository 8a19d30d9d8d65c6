"""An empty result explains itself: what removed the places that meet the need, when they open, their
phones, the emergency numbers when the need is urgent, and a wider search one filter at a time."""

import datetime as dt
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import translation

from relais.matching.tests.pages import ALIM
from relais.offer.hours import PARIS
from tests.factories import make_commune, make_service, make_structure

NIGHT = dt.datetime(2026, 3, 4, 23, 0, tzinfo=PARIS)  # a Wednesday night
API = "/api/v1/search/services"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.fixture
def night():
    with time_machine.travel(NIGHT, tick=False):
        yield


@pytest.fixture
def day_places(db):
    make_commune()
    structure = make_structure(nom="Épicerie du quartier", telephone="04 78 00 00 02")
    return [make_service(structure, thematiques=[ALIM], horaires_accueil="Mo-Fr 09:00-12:00") for _ in range(3)]


def test_open_now_at_night_counts_the_closed_places_in_the_api(client, night, day_places):
    body = client.get(API, {"code_commune": "69383", "thematiques": ALIM, "open_now": "true"}).json()
    assert body["items"] == []
    empty = body["relais"]["empty"]
    assert {"code": "closed_now", "count": 3, "label": "fermés en ce moment"} in empty["causes"]
    assert empty["relax"] == [{"filter": "open_now", "label": "Voir aussi les lieux fermés en ce moment", "count": 3}]
    first = empty["reopenings"][0]
    assert first["next_open"].startswith("2026-03-05T09:00") and first["telephone"] == "04 78 00 00 02"


def test_a_search_with_results_has_no_empty_explanation(client, night, day_places):
    body = client.get(API, {"code_commune": "69383", "thematiques": ALIM}).json()
    assert body["items"] and body["relais"]["empty"] is None


def test_an_urgent_empty_search_gives_the_emergency_numbers_in_the_api(client, night, db):
    make_commune()
    body = client.get(API, {"code_commune": "69383", "q": "je dors dans la rue ce soir", "open_now": "true"}).json()
    assert body["items"] == [] and body["relais"]["urgent"]
    assert "115" in [n["number"] for n in body["relais"]["empty"]["emergency_numbers"]]


def test_the_resident_page_explains_an_empty_open_now_search_and_offers_to_lift_the_filter(client, offer, night):
    response = client.get("/trouver-de-l-aide/", {"besoin": "manger", "lieu": "Lyon 3e", "maintenant": "on"})
    html = unescape(response.content.decode())
    assert response.context["results"] == []
    assert "fermés en ce moment" in html and "Quand ils ouvrent" in html
    assert "essayez avec d’autres mots" not in html.lower()
    [link] = response.context["relax"]
    query = parse_qs(urlsplit(link.url).query)
    assert "maintenant" not in query and query["besoin"] == ["manger"] and query["lieu"] == ["Lyon 3e"]
    assert link.count and link.url.replace("&", "&amp;") in response.content.decode()


def test_the_professional_page_explains_an_empty_search_filter_by_filter(client, offer, night):
    response = client.get(
        "/recherche/", {"lieu": "69383", "thematiques": ALIM, "ouvert": "maintenant", "gratuit": "on"}
    )
    html = unescape(response.content.decode())
    assert response.context["results"] == []
    assert "fermés en ce moment" in html
    labels = [link.label for link in response.context["relax"]]
    assert "Voir aussi les lieux fermés en ce moment" in labels
    reopen = next(link for link in response.context["relax"] if "fermés" in link.label)
    assert "ouvert" not in parse_qs(urlsplit(reopen.url).query)


def test_the_api_names_the_parameter_to_drop_for_a_remote_only_search(client, night, day_places):
    params = {"code_commune": "69383", "thematiques": ALIM, "modes_accueil": "a-distance"}
    empty = client.get(API, params).json()["relais"]["empty"]
    assert empty["relax"] == [
        {"filter": "modes_accueil", "label": "Voir les lieux sur place et à distance", "count": None}
    ]
