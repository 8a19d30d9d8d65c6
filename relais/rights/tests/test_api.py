"""POST /api/v1/rights/simulate: a household in, rights with amounts, periods and explanations out."""

import pytest

from tests.factories import make_commune

URL = "/api/v1/rights/simulate"
HOUSEHOLD = {
    "mois": "2026-11",
    "commune": "69383",
    "logement": {"statut": "locataire", "loyer": 450},
    "personnes": [{"id": "lea", "role": "demandeur", "date_naissance": "2004-02", "situation": "chomeur"}],
}


@pytest.mark.django_db
def test_simulate_returns_national_benefits_and_local_aids_for_a_young_person_in_lyon(client, law):
    make_commune("69383")
    response = client.post(URL, HOUSEHOLD, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["legislation"]["version"] == "176.1.8" and body["mois"] == "2026-11"
    rsa = next(p for p in body["prestations"] if p["code"] == "rsa")
    assert rsa["montant"] == 0 and rsa["periodicite"] == "mensuelle" and rsa["explication"]
    rsj = next(a for a in body["aides_locales"] if a["id"] == "lyon-revenu-solidarite-jeunes")
    assert rsj["eligible"] and rsj["montant"] == 420 and rsj["a_verifier_avec_un_professionnel"]
    assert body["commune"]["epci"] == "200046977"


@pytest.mark.django_db
def test_simulate_names_the_person_and_field_of_bad_answers(client):
    make_commune("69383")
    bad = dict(HOUSEHOLD, personnes=[{"id": "lea", "role": "demandeur", "age": -3}])
    response = client.post(URL, bad, content_type="application/json")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["personne"] == "lea" and problem["param"] == "age"
    assert "lea" in problem["msg"]


@pytest.mark.django_db
def test_simulate_refuses_an_unknown_commune(client):
    response = client.post(URL, dict(HOUSEHOLD, commune="99999"), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["param"] == "commune"


@pytest.mark.django_db
def test_simulate_refuses_a_body_that_is_not_json(client):
    response = client.post(URL, "{pas du json", content_type="application/json")
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_openapi_documents_the_household_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/rights/simulate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "personnes" in body["properties"] and "$defs" not in str(body)
