import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_answers_in_french_with_the_demo_banner(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "données de démonstration" in body or "demo data" in body


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get(reverse("web:home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_unknown_page_answers_404_with_a_page(client):
    response = client.get("/nope/")
    assert response.status_code == 404
