"""The place typed on the search page and in the search API: bounded at the edge, answered in bounded time."""

import time

import pytest

from relais.matching import runtime
from relais.matching.tests.test_search_api import ALIM, errors_by_param, lyon  # noqa: F401 -- fixture
from relais.matching.tests.test_search_api import get as api_get

CPU_BUDGET_SECONDS = 0.1
PAGE = "/recherche/"


def test_the_api_refuses_a_commune_over_100_characters_naming_the_parameter(client, lyon):  # noqa: F811
    error = errors_by_param(api_get(client, code_commune="x" * 101, thematiques=ALIM))["code_commune"]
    assert "100" in error["msg"] and "code_commune" in error["msg"]


def test_the_page_refuses_a_place_over_200_characters_naming_the_field(client, lyon):  # noqa: F811
    response = client.get(PAGE, {"lieu": "y" * 201, "besoins": "manger"})
    assert response.status_code == 200
    assert "Lieu de vie de la personne" in response.content.decode()
    assert "200" in response.context["errors"][0]["message"]


@pytest.mark.parametrize("lieu", ["é" * 200, "Saint " * 33, "a b c d e f g h i j " * 10, "x" * 100])
def test_an_unknown_place_of_the_longest_accepted_length_costs_less_than_the_cpu_budget(client, lyon, lieu):  # noqa: F811
    runtime.reset()
    client.get(PAGE, {"lieu": "Villeurbane", "besoins": "manger"})  # builds this process's index once
    started = time.process_time()
    response = client.get(PAGE, {"lieu": lieu, "besoins": "manger"})
    assert time.process_time() - started < CPU_BUDGET_SECONDS
    assert response.status_code == 200 and response.context["errors"]
