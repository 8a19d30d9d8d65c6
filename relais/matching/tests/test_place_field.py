"""The place field: commune autocomplete (a JSON answer for the datalist) and the opt-in "near me" button."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def communes(client, q):
    response = client.get("/recherche/communes.json", {"q": q})
    assert response.status_code == 200
    return response.json()["communes"]


def test_the_autocomplete_answers_names_being_typed_and_postal_codes_with_their_other_reading(client, offer):
    assert communes(client, "villeurb")[0] == "Villeurbanne (69266)"
    assert communes(client, "69003") == ["Lyon 3e Arrondissement (69383)", "Albigny-sur-Saône (69003)"]
    assert communes(client, "v") == []


def test_the_autocomplete_answer_is_bounded_whatever_is_sent(client, offer):
    assert len(communes(client, "saint " * 2000)) <= 8
    assert client.post("/recherche/communes.json", {"q": "lyon"}).status_code == 405


@pytest.mark.parametrize("url", ["/recherche/", "/trouver-de-l-aide/?besoin=manger"])
def test_the_place_field_carries_its_datalist_and_a_near_me_button_hidden_without_javascript(client, offer, url):
    html = client.get(url).content.decode()
    assert 'list="id_lieu-communes"' in html and '<datalist id="id_lieu-communes"><option value=' in html
    assert 'data-communes-url="/recherche/communes.json"' in html
    assert '<p class="near-me" hidden><button type="button" data-near-me="id_lieu"' in html
    assert 'src="/static/matching/places.js"' in html


def test_rounded_coordinates_from_near_me_are_searched_like_typed_ones(client, offer):
    response = client.get("/recherche/", {"lieu": "45.760, 4.859", "besoins": "manger"})
    place = response.context["response"].place
    assert (place.commune.code, place.precision) == ("69383", "coordinates")
    assert (place.latitude, place.longitude) == (45.76, 4.859)
