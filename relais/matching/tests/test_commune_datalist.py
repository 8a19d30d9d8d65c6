"""Commune suggestions without JavaScript: the place fields carry a <datalist> of the covered territory's
communes, written by the server, and every option reads back as its commune."""

import re
from html import unescape

import pytest
from django.utils import translation

from relais.matching import runtime
from relais.territories import coverage
from relais.territories.models import Commune
from relais.territories.places import read_place
from tests.factories import make_commune, make_epci

OPTION = re.compile(r'<option value="([^"]+)">([^<]*)</option>')


@pytest.fixture(autouse=True)
def _fresh_coverage():
    coverage.reset()
    with translation.override("fr"):
        yield
    coverage.reset()


def _datalist(html: str, list_id: str) -> list[tuple[str, str]]:
    block = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', html, re.S)
    assert block, f"no datalist {list_id}"
    return [(unescape(value), label) for value, label in OPTION.findall(block[1])]


def test_the_covered_communes_are_every_commune_and_arrondissement_of_the_covered_epcis_and_nothing_else(offer):
    make_commune("13055", "Marseille", epci=make_epci("200054807", "Aix-Marseille-Provence"))
    coverage.reset()
    options = {option.value: option.postal_codes for option in coverage.covered_communes()}
    arrondissements = [f"{c.name} ({c.code})" for c in Commune.objects.filter(parent__epci="200046977")]
    assert len(arrondissements) == 9 and set(arrondissements) <= set(options)
    communes = Commune.objects.filter(epci__in=["200046977", "200039865"], parent__isnull=True)
    assert {f"{c.name} ({c.code})" for c in communes} <= set(options)
    assert len(options) == communes.count() + len(arrondissements)  # 58 + 46 communes, 9 arrondissements
    assert options["Lyon 8e Arrondissement (69388)"] == "69008"
    assert options["Villeurbanne (69266)"] == "69100"
    assert "Metz (57463)" in options
    assert not any("Marseille" in value for value in options)
    values = list(options)
    assert values.index("Écully (69081)") < values.index("Francheville (69089)")  # accents do not sort last


@pytest.mark.parametrize(("url", "params"), [("/recherche/", {}), ("/trouver-de-l-aide/", {"besoin": "manger"})])
def test_the_search_pages_list_the_covered_communes_in_the_place_fields_datalist(client, offer, url, params):
    html = client.get(url, params).content.decode()
    assert 'list="id_lieu-communes"' in html
    options = _datalist(html, "id_lieu-communes")
    assert ("Lyon 3e Arrondissement (69383)", "69003") in options
    assert len(options) > 100  # the Métropole de Lyon and Metz Métropole


def test_each_option_of_the_datalist_reads_back_as_its_commune_without_a_question(client, offer):
    runtime.reset()
    table = runtime.get_places()
    for option in coverage.covered_communes():
        reading = read_place(option.value, table)
        code = option.value.rsplit("(", 1)[1].rstrip(")")
        assert reading.found is not None and reading.found.code == code, option.value
    response = client.get("/recherche/", {"lieu": "Lyon 8e Arrondissement (69388)", "besoins": "manger"})
    assert response.context["response"].place.commune.code == "69388"
    assert not response.context["response"].problems
