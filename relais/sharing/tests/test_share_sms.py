"""Sharing by SMS: offered only when a gateway is set, to French mobiles; the text goes through the HTTP
gateway (a real HTTP server on loopback here), short, with the link; a failing gateway is said, not logged."""

import logging
from html import unescape

from relais.sharing.tests.test_share_page import first_results_on_the_page

MOBILE = "06 12 34 56 78"


def send_sms(client, url, number=MOBILE):
    return client.post(url, {"canal": "sms", "telephone": number})


def test_the_list_goes_to_the_gateway_as_one_short_text_with_the_link(client, offer, sms_gateway):
    response = send_sms(client, "/partager/trouver-de-l-aide/?besoin=manger&lieu=69383&age=19")
    assert response.status_code == 200 and "Le SMS est parti." in unescape(response.content.decode())
    [message] = sms_gateway.received
    assert message["auth"] == "Bearer jeton-de-test"
    assert message["json"]["to"] == "+33612345678" and message["json"]["sender"] == "Relais"
    lines = message["json"]["text"].split("\n")
    assert lines[0] == "Relais : Des lieux qui peuvent aider près de Lyon 3e Arrondissement"
    assert [line[:3] for line in lines[1:4]] == ["1. ", "2. ", "3. "]
    # the first three of the page (which services tie depends on their ids), each with its address
    shown = first_results_on_the_page(client, "/trouver-de-l-aide/?besoin=manger&lieu=69383&age=19")
    assert [line[3:].split(" – ")[0] for line in lines[1:4]] == shown[:3]
    assert all("Lyon" in line for line in lines[1:4])
    assert lines[4].startswith("Et ") and lines[4].endswith(" autres :")
    assert lines[5] == "http://127.0.0.1:8000/trouver-de-l-aide/?besoin=manger&lieu=Lyon+3e+Arrondissement+%2869383%29"
    assert len(message["json"]["text"]) < 1000


def test_a_service_fiche_goes_by_sms_too(client, offer, sms_gateway):
    send_sms(client, f"/partager/service/{offer.restaurant.pk}/")
    [message] = sms_gateway.received
    assert message["json"]["text"] == (
        "Relais : Repas du midi\n"
        "1. Repas du midi – 1 rue de la Paix, 69007 Lyon 7e Arrondissement – Du lundi au dimanche : 11 h 30 – 13 h 30\n"
        f"http://127.0.0.1:8000/offre/services/{offer.restaurant.pk}/"
    )


def test_only_a_french_mobile_is_texted_and_the_field_is_named(client, offer, sms_gateway):
    for number in ("04 72 00 00 00", "+44 7700 900123"):
        response = send_sms(client, f"/partager/service/{offer.grocery.pk}/", number)
        html = unescape(response.content.decode())
        assert response.status_code == 400
        assert '<a href="#id_telephone">Numéro de portable du destinataire</a>' in html
    assert sms_gateway.received == []


def test_a_failing_gateway_is_said_on_the_page_and_the_number_is_in_no_log(client, offer, sms_gateway, caplog):
    sms_gateway.status = 500
    caplog.set_level(logging.DEBUG)
    response = send_sms(client, f"/partager/service/{offer.grocery.pk}/")
    assert response.status_code == 503 and "L’envoi n’a pas abouti" in unescape(response.content.decode())
    assert len(sms_gateway.received) == 1
    assert "sharing a service by sms failed: HTTPError" in caplog.text
    for secret in (MOBILE, "+33612345678", "612345678"):
        assert secret not in caplog.text


def test_without_a_gateway_sms_is_neither_offered_nor_sent(client, offer, settings, sms_outbox):
    settings.RELAIS_SMS_BACKEND = ""
    for url in (f"/offre/services/{offer.grocery.pk}/", f"/partager/service/{offer.grocery.pk}/"):
        html = unescape(client.get(url).content.decode())
        assert "Envoyer par SMS" not in html and 'name="telephone"' not in html and "#par-sms" not in html
    response = send_sms(client, f"/partager/service/{offer.grocery.pk}/")
    assert response.status_code == 400 and "L’envoi par SMS n’est pas proposé ici" in unescape(
        response.content.decode()
    )
    assert sms_outbox == []


def test_with_a_gateway_every_block_offers_sms(client, offer, sms_gateway):
    for url in (
        f"/offre/services/{offer.grocery.pk}/",
        "/recherche/?lieu=69383&besoins=manger",
        "/trouver-de-l-aide/?besoin=manger&lieu=69383",
        f"/recherche/fiche/?lieu=69383&besoins=manger&selection={offer.grocery.pk}",
    ):
        html = unescape(client.get(url).content.decode())
        assert "Envoyer par SMS</a>" in html and "#par-sms" in html, url
    html = unescape(client.get(f"/partager/service/{offer.grocery.pk}/").content.decode())
    assert 'id="par-sms"' in html and 'name="telephone"' in html


def test_all_senders_together_send_at_most_the_day_s_text_messages(client, offer, sms_outbox, settings):
    """Text messages are paid: past RELAIS_SHARE_SMS_PER_DAY (all senders), SMS are refused, e-mail still goes."""
    settings.RELAIS_SMS_BACKEND = "relais.sms.LocmemBackend"
    settings.RELAIS_SHARE_SMS_PER_DAY = 2
    url = f"/partager/service/{offer.grocery.pk}/"
    numbers = ["06 12 34 56 01", "06 12 34 56 02", "06 12 34 56 03"]
    statuses = [
        client.post(url, {"canal": "sms", "telephone": n}, REMOTE_ADDR=f"10.9.0.{i}").status_code
        for i, n in enumerate(numbers)
    ]
    assert statuses == [200, 200, 429] and len(sms_outbox) == 2
    email = client.post(url, {"canal": "courriel", "courriel": "ami@example.org"}, REMOTE_ADDR="10.9.0.9")
    assert email.status_code == 200
