"""Sharing a result list or a fiche: the e-mail lists the page's first results and the link, in the sender's
language; the link never carries the person's answers; nothing about the recipient is written or logged."""

import logging
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from relais.observatory.models import SearchTrace
from relais.offer.models import Service

SEARCH = "lieu=69383&besoins=manger&age=30&situations=rsa&genre=femme&trace=abc&page=2"
RESIDENT = "besoin=manger&lieu=69383&age=19&enfants=2&maintenant=on"
FRIEND = "ami@example.org"


def post(client, url, ip="127.0.0.1", **data):
    return client.post(url, {"canal": "courriel", "courriel": FRIEND, **data}, REMOTE_ADDR=ip)


def first_results_on_the_page(client, url) -> list[str]:
    html = unescape(client.get(url).content.decode())
    return re.findall(
        r'<li class="result card" id="resultat-\d+">\s*<h3><span class="result-number">\d+</span> <a [^>]+>([^<]+)</a>',
        html,
    )


def test_the_e_mail_lists_the_first_five_results_of_the_professionals_search_and_the_link(client, offer):
    shown = first_results_on_the_page(client, "/recherche/?" + SEARCH.replace("&page=2", ""))
    response = post(client, "/partager/recherche/?" + SEARCH)
    assert response.status_code == 200 and "L’e-mail est parti." in response.content.decode()
    [message] = mail.outbox
    assert message.to == [FRIEND] and not message.cc and not message.bcc
    assert message.subject == "Des services près de Lyon 3e Arrondissement (Relais)"
    listed = re.findall(r"^\d\. (.+?) \(", message.body, re.M)
    assert listed == shown[:5]
    # which services tie for the fifth place depends on their ids (the tie-break): each listed one is checked
    for name in listed:
        service = Service.objects.get(nom=name)
        assert f"Toute la fiche : http://127.0.0.1:8000/offre/services/{service.pk}/" in message.body
    assert message.body.count("   Adresse : ") == 5 and message.body.count("   Téléphone : ") == 5
    link = re.search(r"À jour à tout moment : (\S+)", message.body)[1]
    assert link.startswith("http://127.0.0.1:8000/recherche/?")  # RELAIS_SITE_URL, never the request's Host
    assert parse_qs(urlsplit(link).query) == {
        "lieu": ["Lyon 3e Arrondissement (69383)"],
        "thematiques": ["equipement-et-alimentation--alimentation"],
    }
    assert "Et 3 autres services" in message.body


def test_the_residents_list_is_shared_with_the_need_and_place_only(client, offer):
    shown = first_results_on_the_page(client, "/trouver-de-l-aide/?" + RESIDENT)
    post(client, "/partager/trouver-de-l-aide/?" + RESIDENT)
    [message] = mail.outbox
    assert re.findall(r"^\d\. (.+?) \(", message.body, re.M) == shown[:5]
    link = re.search(r"À jour à tout moment : (\S+)", message.body)[1]
    assert parse_qs(urlsplit(link).query) == {
        "besoin": ["manger"],
        "lieu": ["Lyon 3e Arrondissement (69383)"],
        "maintenant": ["on"],
    }
    for answer in ("age", "enfants", "19"):
        assert answer not in link


def test_the_fiche_de_services_is_shared_with_its_services_and_without_a_first_name(client, offer):
    query = f"lieu=69383&besoins=manger&age=30&prenom=Samia&selection={offer.youth.pk}&selection={offer.grocery.pk}"
    response = client.get("/partager/fiche/?" + query)
    assert response.status_code == 200
    post(client, "/partager/fiche/?" + query)
    [message] = mail.outbox
    assert re.findall(r"^\d\. (.+?) \(", message.body, re.M) == ["Point jeunes", "Épicerie solidaire des Tilleuls"]
    assert "Samia" not in message.body and "Samia" not in message.subject
    link = re.search(r"À jour à tout moment : (\S+)", message.body)[1]
    assert parse_qs(urlsplit(link).query) == {
        "lieu": ["Lyon 3e Arrondissement (69383)"],
        "thematiques": ["equipement-et-alimentation--alimentation"],
        "selection": [offer.youth.pk, offer.grocery.pk],
    }


def test_a_service_fiche_is_shared_with_its_address_phone_hours_and_link(client, offer):
    post(client, f"/partager/service/{offer.restaurant.pk}/")
    [message] = mail.outbox
    assert message.subject == "Repas du midi (Relais)"
    assert "1. Repas du midi (Restaurant social)" in message.body
    assert "Horaires habituels : Du lundi au dimanche : 11 h 30 – 13 h 30" in message.body
    assert f"http://127.0.0.1:8000/offre/services/{offer.restaurant.pk}/" in message.body


def test_the_message_is_in_the_senders_language(client, offer):
    response = post(client, f"/en/partager/service/{offer.restaurant.pk}/")
    assert response.status_code == 200
    [message] = mail.outbox
    assert "Hello," in message.body and "Usual opening hours:" in message.body
    assert f"http://127.0.0.1:8000/en/offre/services/{offer.restaurant.pk}/" in message.body


def test_the_sharing_page_shows_what_will_be_sent_and_a_way_back(client, offer):
    response = client.get("/partager/recherche/?" + SEARCH)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce qui sera envoyé" in html
    shown = first_results_on_the_page(client, "/recherche/?" + SEARCH.replace("&page=2", ""))
    previewed = re.findall(r"<h3>\d\. ([^<]+)</h3>", html)
    assert len(shown) > 5 and previewed == shown[:5]
    assert 'href="/recherche/?lieu=69383&besoins=manger&age=30&situations=rsa&genre=femme#resultats"' in html
    assert 'name="courriel"' in html and 'name="telephone"' not in html  # no SMS gateway in the tests
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_confirmation_leads_back_to_the_results(client, offer):
    html = unescape(post(client, "/partager/trouver-de-l-aide/?" + RESIDENT).content.decode())
    assert f'<a href="/trouver-de-l-aide/?{RESIDENT}">Revenir aux résultats</a>' in html


def test_a_bad_address_is_named_on_the_page_and_nothing_is_sent(client, offer):
    response = client.post(f"/partager/service/{offer.grocery.pk}/", {"canal": "courriel", "courriel": "ami@"})
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert '<a href="#id_courriel">Adresse e-mail du destinataire</a>' in html  # the error summary
    assert "« ami@ » n’est pas une adresse complète" in html
    assert mail.outbox == []


def test_a_form_without_its_csrf_token_is_refused(offer):
    response = post(Client(enforce_csrf_checks=True), f"/partager/service/{offer.grocery.pk}/")
    assert response.status_code == 403 and mail.outbox == []


def test_a_robot_filling_the_honeypot_is_told_it_is_sent_and_nothing_leaves(client, offer):
    response = post(client, f"/partager/service/{offer.grocery.pk}/", site_web="https://promo.example")
    assert response.status_code == 200 and mail.outbox == []


def test_an_unknown_service_is_not_found_and_a_search_without_results_has_nothing_to_share(client, offer):
    assert client.get("/partager/service/test--inconnu/").status_code == 404
    assert post(client, "/partager/service/test--inconnu/").status_code == 404
    for url in ("/partager/recherche/?lieu=Lyonn&besoins=manger", "/partager/trouver-de-l-aide/?besoin=manger"):
        response = client.get(url)
        assert response.status_code == 400 and "Rien à partager" in response.content.decode()
    assert post(client, "/partager/recherche/?lieu=Lyonn&besoins=manger").status_code == 400
    assert mail.outbox == []


def test_one_ip_may_share_a_few_times_an_hour_then_is_told_to_wait(client, offer, settings):
    settings.RELAIS_SHARE_PER_HOUR = 2
    url = f"/partager/service/{offer.grocery.pk}/"
    statuses = [post(client, url, courriel=f"ami{n}@example.org").status_code for n in range(3)]
    assert statuses == [200, 200, 429] and len(mail.outbox) == 2
    refused = unescape(post(client, url, courriel="autre@example.org").content.decode())
    assert "Trop d’envois depuis cette connexion ou vers ce destinataire" in refused
    assert post(client, url, ip="10.1.2.3").status_code == 200  # another connection


def test_one_recipient_gets_a_few_messages_an_hour_whoever_sends_them(client, offer, settings):
    settings.RELAIS_SHARE_PER_RECIPIENT_PER_HOUR = 2
    url = f"/partager/service/{offer.grocery.pk}/"
    statuses = [post(client, url, ip=f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429] and len(mail.outbox) == 2
    assert post(client, url, courriel="AMI@example.org ", ip="10.0.0.9").status_code == 429  # same address
    assert post(client, url, courriel="autre@example.org", ip="10.0.0.9").status_code == 200


def test_a_sender_over_their_own_quota_does_not_use_up_the_recipient_s(client, offer, settings):
    """Refused posts from one connection never count against the address: it stays reachable for others."""
    settings.RELAIS_SHARE_PER_HOUR, settings.RELAIS_SHARE_PER_RECIPIENT_PER_HOUR = 1, 3
    url = f"/partager/service/{offer.grocery.pk}/"
    assert post(client, url, ip="10.6.6.6").status_code == 200
    assert [post(client, url, ip="10.6.6.6").status_code for _ in range(5)] == [429] * 5
    assert [post(client, url, ip=f"10.0.1.{n}").status_code for n in range(2)] == [200, 200]
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("address", ["a@\u3002example.org", "a@" + "\u00e4" * 64 + ".org", "a@\uffff.org"])
def test_an_address_the_mail_cannot_encode_is_refused_with_the_field_named(client, offer, address):
    response = post(client, f"/partager/service/{offer.grocery.pk}/", courriel=address)
    assert response.status_code == 400
    assert "Adresse e-mail du destinataire" in unescape(response.content.decode())
    assert mail.outbox == []


def test_one_ipv6_subscriber_is_one_sender_whatever_address_of_its_64_it_uses(client, offer, settings):
    settings.RELAIS_SHARE_PER_HOUR = 2
    url = f"/partager/service/{offer.grocery.pk}/"
    statuses = [
        post(client, url, ip=f"2001:db8:5:6::{n}", courriel=f"ami{n}@example.org").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert post(client, url, ip="2001:db8:5:7::1", courriel="ami9@example.org").status_code == 200


def test_a_failing_mail_server_says_so_and_never_logs_the_address(client, offer, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there: connection refused
    caplog.set_level(logging.DEBUG)
    response = post(client, f"/partager/service/{offer.grocery.pk}/")
    assert response.status_code == 503 and "L’envoi n’a pas abouti" in unescape(response.content.decode())
    assert "sharing a service by courriel failed" in caplog.text
    assert FRIEND not in caplog.text


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_nothing_is_written_and_the_recipient_is_in_no_log(client, offer, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        for url in ("/partager/recherche/?" + SEARCH, "/partager/trouver-de-l-aide/?" + RESIDENT):
            assert post(client, url).status_code == 200
            assert client.post(url, {"canal": "sms", "telephone": "06 12 34 56 78"}).status_code == 200
        assert post(client, "/partager/service/test--inconnu/").status_code == 404
        assert post(client, f"/partager/service/{offer.grocery.pk}/", courriel="ami@").status_code == 400
    writes = [q["sql"] for q in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert row_counts() == before
    assert SearchTrace.objects.count() == 0  # sharing runs the search again, untraced
    assert len(mail.outbox) == 2 and len(sms_outbox) == 2
    assert "shared a recherche by courriel (recipient not logged)" in caplog.text
    for secret in (FRIEND, "06 12 34 56 78", "+33612345678", "612345678"):
        assert secret not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "/recherche/?lieu=69383&besoins=manger",
        "/trouver-de-l-aide/?besoin=manger&lieu=69383",
        "/recherche/fiche/?lieu=69383&besoins=manger&selection={grocery}",
        "/offre/services/{grocery}/",
    ],
)
def test_every_result_list_and_fiche_has_the_share_block_and_print(client, offer, url):
    html = unescape(client.get(url.format(grocery=offer.grocery.pk)).content.decode())
    assert '<section class="share no-print" aria-labelledby="share-title">' in html
    assert "/static/web/print.js" in html and "data-print hidden" in html
    assert 'data-copy="share-link-field"' in html and 'class="share-link"' in html
    assert "Envoyer par e-mail" in html and "Envoyer par SMS" not in html


def test_the_copy_link_of_the_professionals_search_leaves_out_the_persons_answers(client, offer):
    html = unescape(client.get("/recherche/?" + SEARCH.replace("&page=2", "")).content.decode())
    link = re.search(r'<a href="([^"]+)" class="share-link">', html)[1]
    assert parse_qs(urlsplit(link).query) == {
        "lieu": ["Lyon 3e Arrondissement (69383)"],
        "thematiques": ["equipement-et-alimentation--alimentation"],
    }
    field = re.search(r'<input type="text" id="share-link-field" value="([^"]+)"', html)[1]
    assert field == link


STRANGER = "Votre colis est bloque payez 1e sur https://evil.example"


@pytest.mark.parametrize(
    "path",
    [
        "/partager/recherche/?lieu=69383&besoins=manger&x={t}",
        "/partager/recherche/?lieu=69383&besoins=manger {t}",
        "/partager/recherche/?lieu=12 rue Paul Bert 69003 Lyon&besoins=manger",
        "/partager/fiche/?lieu=69383&besoins=manger&selection={youth}&selection={t}",
        "/partager/trouver-de-l-aide/?besoin=manger&lieu=69383&mots=manger {t}",
        "/partager/trouver-de-l-aide/?besoin=manger&lieu=69383&x={t}",
    ],
)
def test_no_text_typed_reaches_the_message_only_what_the_search_understood(client, offer, path):
    """A stranger's words (a phishing line) or the person's own (an address, their situation) typed in the
    query string never travel: the link is rebuilt from the commune, the thématiques and checked filters."""
    response = post(client, path.format(t=STRANGER, youth=offer.youth.pk))
    assert response.status_code == 200, response.content.decode()[:300]
    [message] = mail.outbox
    for word in ("colis", "evil", "payez", "Paul Bert", "12 rue"):
        assert word not in message.body and word not in message.subject
    link = re.search(r"À jour à tout moment : (\S+)", message.body)[1]
    assert len(link) < 400
    assert set(parse_qs(urlsplit(link).query)) <= {"besoin", "lieu", "thematiques", "selection", "langues"}


def test_coordinates_are_shared_as_their_commune(client, offer):
    post(client, "/partager/recherche/?lat=45.7597&lon=4.8422&besoins=manger")
    [message] = mail.outbox
    link = re.search(r"À jour à tout moment : (\S+)", message.body)[1]
    query = parse_qs(urlsplit(link).query)
    assert "lat" not in query and "lon" not in query and "45.7597" not in link
    assert query["lieu"][0].endswith(")") and "(" in query["lieu"][0]
