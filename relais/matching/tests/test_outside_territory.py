"""A place outside the territory: the pages say what Relais covers and still give the national numbers."""

from html import unescape

import pytest
from django.utils import translation

from relais.matching import runtime
from relais.territories import coverage
from tests.factories import make_commune, make_epci


@pytest.fixture(autouse=True)
def _french():
    coverage.reset()
    with translation.override("fr"):
        yield
    coverage.reset()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/recherche/", {"lieu": "Marseille", "besoins": "manger"}),
        ("/trouver-de-l-aide/", {"lieu": "Marseille", "besoin": "manger"}),
    ],
)
def test_an_unknown_commune_is_told_what_relais_covers_and_given_the_national_numbers(client, offer, url, params):
    response = client.get(url, params)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Relais couvre Metz Métropole et Métropole de Lyon" in html
    assert "Si « Marseille » est ailleurs, les services à distance restent ouverts à tous" in html
    assert 'href="tel:115"' in html


def test_a_known_commune_outside_the_territory_still_gets_remote_services_and_the_covered_area(client, offer):
    make_commune(
        "13055",
        "Marseille",
        postal_codes=["13001"],
        latitude=43.2965,
        longitude=5.3698,
        epci=make_epci("200054807", "Aix-Marseille-Provence"),
    )
    runtime.reset()
    response = client.get("/recherche/", {"lieu": "13055", "besoins": "violences conjugales"})
    html = unescape(response.content.decode())
    outside = response.context["outside"]
    assert outside is not None and outside.known
    assert "Marseille est hors du territoire de Relais, qui couvre Metz Métropole et Métropole de Lyon" in html
    assert 'href="tel:115"' in html
    assert [r.service.name for r in response.context["response"].results] == [offer.helpline.nom]  # à distance


def test_a_commune_inside_the_territory_gets_no_such_message(client, offer):
    response = client.get("/recherche/", {"lieu": "69003", "besoins": "manger"})
    assert response.context["outside"] is None
