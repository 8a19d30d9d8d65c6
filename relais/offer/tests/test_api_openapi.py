"""The published contract: /api/v1/openapi.json, the offline docs page, and docs/api.md."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from relais.offer import vocabularies as voc

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"

LISTING = {"sources", "code_departement", "code_commune", "page", "size"}
EXPECTED = {
    ("get", "/api/v1/structures"): LISTING | {"reseaux_porteurs"},
    ("get", "/api/v1/structures/{id}"): {"id"},
    ("get", "/api/v1/services"): LISTING | {"thematiques", "frais", "publics", "modes_accueil", "types"},
    ("get", "/api/v1/services/{id}"): {"id"},
} | {("get", f"/api/v1/doc/{name}"): set() for name in voc.BY_API_NAME}


def offer_operations(spec):
    return {
        (method, path): {p["name"] for p in operation.get("parameters", [])}
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if "offre" in operation.get("tags", []) or "référentiels" in operation.get("tags", [])
    }


def test_openapi_lists_every_offer_endpoint_with_every_parameter(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert offer_operations(response.json()) == EXPECTED


def test_openapi_documents_the_enums_and_the_error_responses(client):
    spec = client.get("/api/v1/openapi.json").json()
    services = spec["paths"]["/api/v1/services"]["get"]
    assert set(services["responses"]) == {"200", "422"}
    assert set(spec["paths"]["/api/v1/services/{id}"]["get"]["responses"]) == {"200", "404"}
    schemas = spec["components"]["schemas"]
    assert "sante" in schemas["ThematiqueOuCategorie"]["enum"]
    assert "sante--addictions" in schemas["ThematiqueOuCategorie"]["enum"]
    assert set(schemas["Frais"]["enum"]) == voc.values(voc.Frais)


def test_docs_page_works_offline_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html and "https://" not in html
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "cdn" not in csp


def test_docs_api_md_describes_every_endpoint_and_parameter():
    text = DOCS.read_text()
    for (_method, path), params in EXPECTED.items():
        assert f"`{path.removeprefix('/api/v1')}`" in text, path
        for param in params:
            assert f"`{param}`" in text, (path, param)
