"""The professional search page, /recherche/: inputs kept by filters, results, errors, selection, cost."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from relais.matching.tests.pages import ALIM
from relais.observatory.models import SearchTrace

URL = "/recherche/"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def checked(html: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" value="([^"]+)"[^>]*checked', html))


def test_the_empty_page_shows_the_form_and_no_results(client, offer):
    response, html = get(client)
    assert response.context["submitted"] is False
    assert 'name="lieu"' in html and 'name="besoins"' in html
    assert "Les services adaptés s’afficheront ici" in html
    assert not SearchTrace.objects.exists()


def test_a_search_lists_explained_results_with_a_map(client, offer):
    response, html = get(client, lieu="69383", besoins="manger")
    results = response.context["results"]
    assert results[0].service.structure_id == offer.grocery.structure_id  # the centre next door first
    assert offer.grocery.id in [s.service.id for s in results]
    assert "Besoins compris :" in html and "« Alimentation »" in html
    assert "Pourquoi ce service" in html and "Zone d’éligibilité" in html
    assert '<svg class="results-map' in html
    assert response.context["response"].place.commune.code == "69383"


def test_filters_and_profile_keep_every_input_when_the_results_update(client, offer):
    params = {
        "lieu": "69383",
        "besoins": "manger",
        "thematiques": [ALIM],
        "age": "34",
        "genre": "femme",
        "situations": ["rsa", "single_parent"],
        "gratuit": "on",
        "langues": ["ar"],
        "ouvert": "maintenant",
        "mode": "en-presentiel",
        "distance": "5",
    }
    response, html = get(client, **params)
    assert 'name="lieu" value="69383"' in html
    assert 'name="besoins" value="manger"' in html
    assert 'name="age" value="34"' in html
    assert checked(html, "thematiques") == {ALIM}
    assert checked(html, "situations") == {"rsa", "single_parent"}
    assert checked(html, "langues") == {"ar"}
    assert checked(html, "ouvert") == {"maintenant"}
    assert re.search(r'name="gratuit"[^>]*checked', html)
    assert re.search(r'<option value="femme" selected', html)
    assert re.search(r'<option value="5" selected', html)
    ids = [s.service.id for s in response.context["results"]]
    assert ids[0] == offer.grocery.id  # free, speaks Arabic, open now, within 5 km: the only sure one
    assert offer.restaurant.id not in ids  # closed at 10:00
    assert all(not s.eligible for s in response.context["results"][1:])  # languages not given: to check


def test_the_chinese_language_box_is_labelled_in_words(client, offer):
    _response, html = get(client)
    assert re.search(r'value="zh"[^>]*>\s*Chinois', html)


def test_a_selected_service_stays_checked_and_one_from_another_search_is_kept_apart(client, offer):
    response, html = get(client, lieu="69383", besoins="manger", selection=[offer.grocery.id, offer.helpline.id])
    assert checked(html, "selection") >= {offer.grocery.id, offer.helpline.id}
    assert [s.id for s in response.context["elsewhere"]] == [offer.helpline.id]
    assert "2 services retenus." in html


def test_an_unknown_commune_is_an_error_with_links_to_the_closest_names(client, offer):
    response, html = get(client, lieu="Villeurbane", besoins="manger")
    assert not response.context["show_results"]
    assert "Commune « Villeurbane » inconnue." in html
    links = response.context["suggestions"]["lieu"]
    assert links[0].label == "Villeurbanne (69266)"
    assert parse_qs(urlsplit(links[0].url).query)["lieu"] == ["Villeurbanne (69266)"]
    assert 'href="#id_lieu"' in html  # the error summary jumps to the field


def test_a_postal_code_that_is_also_an_insee_code_is_the_postal_code_with_the_other_reading_as_a_link(client, offer):
    response, html = get(client, lieu="69003", besoins="manger")
    assert response.context["show_results"]
    assert response.context["response"].place.commune.code == "69383"
    assert not response.context["form"].errors
    [warning] = response.context["warnings"]
    assert warning.message == "« 69003 » est le code postal de Lyon 3e Arrondissement (69383)."
    [link] = warning.suggestions
    assert link.label == "Vous cherchiez Albigny-sur-Saône (code commune 69003) ?"
    assert "Vous cherchiez Albigny-sur-Saône (code commune 69003) ?</a>" in unescape(html)
    chosen, _html = get(client, **{k: v[0] for k, v in parse_qs(urlsplit(link.url).query).items()})
    assert chosen.context["show_results"]
    assert chosen.context["response"].place.commune.code == "69003"


def test_a_contradictory_profile_names_the_age_field(client, offer):
    response, html = get(client, lieu="69383", besoins="manger", age="12", situations="rsa")
    assert "age" in response.context["form"].errors
    assert "12 ans et bénéficiaire du RSA" in unescape(html)
    assert not SearchTrace.objects.exists()


def test_zero_zero_says_the_point_is_far_from_any_commune(client, offer):
    response, html = get(client, lat="0", lon="0", besoins="manger")
    assert "loin de toute commune connue" in html
    assert "la latitude va de -90 à 90" not in html


def test_a_warm_search_costs_two_queries_the_trace_and_the_map_outlines(
    client, offer, django_assert_num_queries, settings
):
    settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS = 3600  # a slow machine must not see the periodic offer check
    get(client, lieu="69383", besoins="manger")  # builds the index
    with django_assert_num_queries(4):  # trace INSERT in a savepoint (SAVEPOINT, INSERT, RELEASE), outlines
        get(client, lieu="69383", besoins="dettes alimentation")


def test_changing_a_filter_updates_the_trace_of_the_same_search_instead_of_adding_one(client, offer):
    response, html = get(client, lieu="69383", besoins="manger")
    token = response.context["trace_token"]
    assert f'name="trace" value="{token}"' in html
    get(client, lieu="69383", besoins="manger", gratuit="on", age="30", trace=token)
    trace = SearchTrace.objects.get()
    assert trace.categories == ["adulte"] and trace.channel == "pro"
    get(client, lieu="69266", besoins="manger", trace=token)  # another place: another search
    assert SearchTrace.objects.count() == 2


def test_the_page_links_to_the_fiche_and_the_resident_version(client, offer):
    _response, html = get(client, lieu="69383", besoins="manger")
    assert f'formaction="{reverse("matching:fiche")}"' in html
    assert f'href="{reverse("matching:resident")}"' in html
