"""The JSON API answers in the language the client asks for; French when it asks for none."""

import pytest

pytestmark = pytest.mark.django_db

BAD = {"thematiques": "sante--addiction"}


def message(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["detail"][0]["msg"]


def test_an_api_error_is_in_french_by_default(client):
    assert message(client.get("/api/v1/services", BAD)).startswith("Paramètre « thematiques »")


def test_an_api_error_is_in_english_when_the_client_asks_for_english(client):
    response = client.get("/api/v1/services", BAD, headers={"accept-language": "en-GB,en;q=0.9"})
    assert message(response).startswith("Parameter “thematiques”"), message(response)
    assert "Accept-Language" in response["Vary"]


def test_pages_keep_the_language_of_their_address_whatever_the_browser_says(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200 and 'lang="fr"' in response.content.decode()
