"""An address typed on the orientation pages: placed by the address API when configured, else at the
commune's centre with a word that distances are approximate."""

from html import unescape

import pytest
from django.utils import translation

from relais.territories.tests.test_geocoder import api  # noqa: F401 (the local address API fixture)

ADDRESS = "12 rue Paul Bert 69003 Lyon"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize("url", ["/recherche/", "/trouver-de-l-aide/"])
def test_without_a_geocoder_an_address_is_placed_at_its_commune_and_the_page_says_it_is_approximate(
    client, offer, settings, url
):
    settings.RELAIS_GEOCODER_URL = ""
    params = {"lieu": ADDRESS, "besoins": "manger"} if url == "/recherche/" else {"lieu": ADDRESS, "besoin": "manger"}
    response = client.get(url, params)
    place = response.context["response"].place
    assert (place.commune.code, place.precision) == ("69383", "commune")
    assert "depuis le centre de Lyon 3e Arrondissement" in unescape(response.content.decode())
    assert "elles sont approximatives" in unescape(response.content.decode())


def test_with_the_address_api_the_distances_start_from_the_address(client, offer, api):  # noqa: F811
    response = client.get("/recherche/", {"lieu": ADDRESS, "besoins": "manger"})
    place = response.context["response"].place
    assert (place.commune.code, place.precision) == ("69383", "coordinates")
    assert (place.latitude, place.longitude) == (45.7597, 4.8505)
    assert "approximatives" not in unescape(response.content.decode())
    assert [q["q"] for q in api.queries] == [ADDRESS]


def test_when_the_address_api_times_out_the_page_still_answers_from_the_commune(client, offer, api):  # noqa: F811
    api.delay = 1.0
    response = client.get("/recherche/", {"lieu": ADDRESS, "besoins": "manger"})
    assert response.status_code == 200
    assert response.context["response"].place.precision == "commune"
    assert "elles sont approximatives" in unescape(response.content.decode())
