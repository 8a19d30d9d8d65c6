"""docs/security.md, section "Input hardening": the table of fuzzers and attack tests says how many cases each
runs (targets × cases per target); this test recounts them from the test code and the OpenAPI document, so the
table stays true when a test changes."""

import importlib
import math
import re
from pathlib import Path

from relais.api import api

SECURITY_DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
ROW = re.compile(r"^\| `(?P<test>[^`]+)` \| (?P<what>[^|]+) \| (?P<targets>\d+) \| (?P<each>\d+) \| (?P<total>\d+) \|$")
# Schemathesis fuzzers: the OpenAPI tags of the operations each one includes.
FUZZER_TAGS = {
    "relais/offer/tests/test_api_fuzz.py": {"offre", "référentiels"},
    "relais/rights/tests/test_api_fuzz.py": {"droits", "recherche"},
    "relais/referrals/tests/test_api_fuzz.py": {"orientations"},
}


def rows() -> list[dict]:
    text = SECURITY_DOC.read_text(encoding="utf-8")
    section = text.split("## Input hardening", 1)[1].split("\n## ", 1)[0]
    found = [match.groupdict() for line in section.splitlines() if (match := ROW.match(line.strip()))]
    assert found, "no table rows found under ## Input hardening"
    return found


def _module(path: str):
    return importlib.import_module(path.removesuffix(".py").replace("/", "."))


def _cases(function) -> int:
    """How many test items pytest makes of a function: the product of its parametrize lists."""
    marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
    return math.prod(len(m.args[1]) for m in marks) if marks else 1


def _operations(tags: set[str]) -> int:
    paths = api.get_openapi_schema()["paths"]
    return sum(1 for item in paths.values() for op in item.values() if tags & set(op.get("tags", [])))


def recount(test: str, targets: int) -> tuple[int, int]:
    """(targets, cases per target) of one row: `path::function` (a fuzzer or one attack test) or `path` (a file of
    attack tests, each item a case)."""
    path, _, name = test.partition("::")
    module = _module(path)
    functions = [getattr(module, name)] if name else [getattr(module, n) for n in dir(module) if n.startswith("test_")]
    examples = [getattr(f, "_hypothesis_internal_use_settings", None) for f in functions]
    if name and examples[0] is not None:
        each = examples[0].max_examples
        return (_operations(FUZZER_TAGS[path]) if path in FUZZER_TAGS else targets), each
    return sum(_cases(f) for f in functions), 1


def test_the_input_hardening_table_counts_what_the_tests_run(settings, db):  # db: fuzz modules load their schema
    # Some fuzz modules import relais.wsgi: no warm-up of the law and the search index for counting.
    settings.RELAIS_RIGHTS_WARMUP = settings.RELAIS_SEARCH_WARMUP = False
    for row in rows():
        targets, each, total = int(row["targets"]), int(row["each"]), int(row["total"])
        assert (targets, each) == recount(row["test"], targets), row["test"]
        assert total == targets * each, row["test"]
