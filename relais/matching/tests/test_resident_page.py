"""The resident's path, /trouver-de-l-aide/: a need, a place, the places that can help, in plain words."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from relais.observatory.models import SearchTrace

URL = "/trouver-de-l-aide/"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def get(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response, unescape(response.content.decode())


def test_step_one_asks_only_for_the_need_with_big_buttons_and_own_words(client, offer):
    response, html = get(client)
    assert response.context["step"] == "besoin"
    assert "Étape 1 sur 3" in html and 'name="besoin" value="manger"' in html and 'name="mots"' in html
    assert 'name="age"' not in html and 'name="lieu"' not in html
    assert "3919" in html  # emergency numbers on the first step


def test_step_two_asks_only_for_the_place_and_carries_the_need(client, offer):
    response, html = get(client, besoin="manger")
    assert response.context["step"] == "lieu"
    assert "Étape 2 sur 3" in html and 'name="lieu"' in html
    assert '<input type="hidden" name="besoin" value="manger">' in html
    assert 'name="age"' not in html


def test_step_three_shows_places_explained_in_everyday_words(client, offer):
    response, html = get(client, besoin="manger", lieu="Lyon 3e")
    assert response.context["step"] == "resultats"
    assert response.context["results"]
    assert "Il accueille les habitants de Lyon 3e Arrondissement." in html
    assert "Zone d’éligibilité" not in html and "Orientation possible par Relais" not in html
    assert "Appeler le 04 72 00 00 01" in html


def test_only_the_questions_that_settle_a_result_to_check_are_offered(client, offer):
    response, _html = get(client, besoin="manger", lieu="69383")
    assert "age" in response.context["ask_fields"]  # the youth desk takes 16 to 25
    assert ("homeless", "sans domicile") in response.context["ask_situations"]  # the restaurant is for emergencies
    assert "genre" not in response.context["ask_fields"]


def test_answering_a_question_updates_the_same_trace(client, offer):
    response, html = get(client, besoin="manger", lieu="69383")
    token = response.context["response"].extra["trace_token"]
    assert f'name="trace" value="{token}"' in html
    again, _ = get(client, besoin="manger", lieu="69383", age="20", trace=token)
    assert SearchTrace.objects.count() == 1
    assert SearchTrace.objects.get().categories == ["jeune"]
    youth = next(r for r in again.context["response"].results if r.service.id == offer.youth.id)
    assert "age_unknown" not in {reason.code for reason in youth.to_check}


def test_an_unknown_need_key_goes_back_to_step_one_with_a_message(client, offer):
    response, html = get(client, besoin="licorne", lieu="69383")
    assert response.context["step"] == "besoin"
    assert "Besoin « licorne » inconnu" in html


def test_a_postal_code_that_is_also_an_insee_code_is_read_as_a_postal_code_with_a_link_to_the_other(client, offer):
    response, html = get(client, besoin="manger", lieu="69100")
    assert response.context["step"] == "resultats"
    assert response.context["response"].place.commune.code == "69266"  # Villeurbanne, not Irigny
    [warning] = response.context["warnings"]
    [link] = warning.suggestions
    assert link.label == "Vous cherchiez Irigny (code commune 69100) ?"
    assert "Vous cherchiez Irigny (code commune 69100) ?</a>" in html
    query = {k: v[0] for k, v in parse_qs(urlsplit(link.url).query).items()}
    chosen, _ = get(client, **query)
    assert chosen.context["response"].place.commune.code == "69100"


def test_the_english_page_reads_english_words_and_explains_in_english_words(client, offer):
    with translation.override("en"):
        response, _html = get(client, "/en/trouver-de-l-aide/", mots="I need food tonight", lieu="69383")
    assert response.context["step"] == "resultats"
    found = response.context["response"]
    assert found.needs[0].thematique == "equipement-et-alimentation--alimentation"
    assert found.when == "tonight"
    assert 'lang="en"' in response.content.decode()


def test_violence_words_show_the_emergency_numbers_with_the_results(client, offer):
    response, html = get(client, besoin="violences", lieu="69383")
    assert response.context["response"].urgent
    assert "En cas d’urgence, appelez" in html and 'href="tel:3919"' in html
    assert response.context["results"][0].service.id == offer.helpline.id


def test_the_home_page_and_every_header_link_to_both_orientation_pages(client, db):
    home = client.get("/").content.decode()
    assert home.count('href="/trouver-de-l-aide/"') >= 2 and home.count('href="/recherche/"') >= 2
    header = client.get("/offre/").content.decode().split("</header>")[0]
    assert 'href="/trouver-de-l-aide/"' in header and 'href="/recherche/"' in header


def test_an_arrondissement_typed_the_short_way_is_a_commune_not_an_address(client, offer):
    response, html = get(client, besoin="manger", lieu="Lyon 3")
    place = response.context["response"].place
    assert place.commune.code == "69383"
    assert "approximatives" not in html


# --- no silent refusal: every step that refuses says what to do -------------------------------------


def test_an_empty_need_stays_on_step_one_with_a_message(client, offer):
    response, html = get(client, mots="")
    assert response.context["step"] == "besoin"
    assert "Écrivez votre besoin en quelques mots" in html
    assert 'href="#id_mots"' in html  # the error summary links to the field


def test_an_empty_commune_stays_on_step_two_with_a_message(client, offer):
    response, html = get(client, besoin="manger", lieu="")
    assert response.context["step"] == "lieu"
    assert "Écrivez votre commune ou votre code postal" in html and 'href="#id_lieu"' in html


def test_words_the_lexicon_does_not_know_are_refused_at_step_one_before_the_commune(client, offer):
    response, html = get(client, mots="zzqx blorf")
    assert response.context["step"] == "besoin"
    assert "Nous n’avons reconnu aucun besoin" in html
    assert 'name="lieu"' not in html


def test_the_shared_link_carries_the_search_only_never_the_persons_answers(client, offer):
    response, html = get(
        client, besoin="manger", lieu="69383", age="30", enfants="2", situations="rsa", maintenant="on", trace="abc"
    )
    link = re.search(r'<a href="([^"]+)" class="share-link">lien vers ces résultats</a>', html)[1]
    assert parse_qs(urlsplit(link).query) == {
        "besoin": ["manger"],
        "lieu": ["Lyon 3e Arrondissement (69383)"],
        "maintenant": ["on"],
    }
    assert "data-print" in html
