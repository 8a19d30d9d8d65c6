"""docs/api.md's table of the differences of /search/services from data·inclusion's stays true.

Each row's last column makes claims about the OpenAPI document; each claim is checked here."""

import re
from pathlib import Path

import pytest
from data_inclusion.schema import v1

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
PATH = "/api/v1/search/services"


def table_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- differences-table -->")[1].split("<!-- /differences-table -->")[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.strip().splitlines()]
    return [row for row in rows[2:] if row]  # header and separator left out


def claims() -> list[str]:
    return [claim for row in table_rows() for claim in row[-1].strip("`").split()]


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(document, schema["allOf"][0])
    if "anyOf" in schema:
        refs = [s for s in schema["anyOf"] if "$ref" in s or "properties" in s]
        if refs:
            return _resolve(document, refs[0])
    return schema


def _item(document: dict) -> dict:
    response = document["paths"][PATH]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = _resolve(document, response)
    return _resolve(document, page["properties"]["items"]["items"])


def _service(document: dict) -> dict:
    return _resolve(document, _item(document)["properties"]["service"])


def _parameters(document: dict) -> dict:
    return {p["name"]: p for p in document["paths"][PATH]["get"]["parameters"]}


def check(document: dict, claim: str) -> None:  # noqa: C901 - one branch per kind of claim
    kind, _, arg = claim.partition(":")
    parameters = _parameters(document)
    if kind == "optional":
        assert arg in parameters and not parameters[arg].get("required", False), claim
    elif kind == "param":
        assert arg in parameters, claim
    elif kind == "absent":
        assert arg not in parameters, claim
    elif kind in ("max", "default"):
        name, value = arg.split("=")
        schema = parameters[name]["schema"]
        assert schema.get("maximum" if kind == "max" else "default") == int(value), (claim, schema)
    elif kind == "fields":
        model = {"Service": v1.Service, "Structure": v1.Structure}[arg]
        service = _service(document)
        properties = (
            service["properties"]
            if arg == "Service"
            else _resolve(document, service["properties"]["structure"])["properties"]
        )
        assert set(model.model_fields) <= set(properties), (claim, set(model.model_fields) - set(properties))
    elif kind == "field":
        assert arg in _service(document)["properties"], claim
    elif kind == "item":
        assert arg in _item(document)["properties"], claim
    else:
        pytest.fail(f"unknown claim {claim!r} in docs/api.md")


def test_the_table_is_there_and_makes_claims():
    assert len(table_rows()) >= 10
    assert all(re.fullmatch(r"[a-z]+:[A-Za-z_=0-9]+", claim) for claim in claims())


@pytest.mark.parametrize("claim", claims())
def test_each_claimed_difference_or_equivalence_holds_in_the_openapi_document(openapi, claim):
    check(openapi, claim)


def test_a_false_claim_would_be_caught(openapi):
    for claim in ("absent:sources", "max:size=100", "optional:code_unknown", "field:no_such_field"):
        with pytest.raises((AssertionError, KeyError)):
            check(openapi, claim)
