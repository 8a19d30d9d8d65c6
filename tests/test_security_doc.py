"""docs/security.md stays true: its tables of attempts (fuzzers: endpoints × cases; security tests: cases)
are recomputed here from the test sources and the OpenAPI document, and must match row for row."""

import ast
import math
import re
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"


def table(title: str) -> list[list[str]]:
    """The rows of the first table under the heading `title` (cells stripped of backquotes)."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]  # header, separator
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows]


def module_settings(tree: ast.Module) -> dict[str, int]:
    """max_examples of module-level `NAME = settings(…, max_examples=N)` (also `settings(OTHER, max_examples=N)`)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for kw in node.value.keywords:
                if kw.arg == "max_examples" and isinstance(kw.value, ast.Constant):
                    found[node.targets[0].id] = kw.value.value
    return found


def module_constants(tree: ast.Module) -> dict[str, int]:
    """Module-level `NAME = <int>` constants (a fuzzer may give max_examples by name)."""
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, int)
    }


def max_examples(path: Path, test: str) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = module_settings(tree)
    constants = module_constants(tree)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == test)
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in named:
            return named[decorator.id]
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "settings":
            for kw in decorator.keywords:
                if kw.arg == "max_examples":
                    return constants[kw.value.id] if isinstance(kw.value, ast.Name) else kw.value.value
    raise AssertionError(f"{path}::{test}: no max_examples")


def schemathesis_tags(path: Path) -> list[str]:
    """The tags a schemathesis fuzzer includes: `.include(tag=…)` (a name or a list) or `.include(tag_regex=…)`
    (a regular expression, kept as `re:<pattern>`)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"\.include\(\s*tag=(.+?)\)", text, flags=re.S)
    if match is None:
        regex = re.search(r"\.include\(\s*tag_regex=(\"[^\"]*\"|'[^']*')", text)
        return [f"re:{ast.literal_eval(regex.group(1).strip())}"] if regex else []
    tags = ast.literal_eval(match.group(1).strip())
    return [tags] if isinstance(tags, str) else list(tags)


def _tagged(op_tags: list[str], tags: list[str]) -> bool:
    return any(any(re.search(tag[3:], t) for t in op_tags) if tag.startswith("re:") else tag in op_tags for tag in tags)


def operations_tagged(document: dict, tags: list[str]) -> int:
    return sum(
        1
        for operations in document["paths"].values()
        for op in operations.values()
        if _tagged(op.get("tags", []), tags)
    )


def cases(path: Path) -> int:
    """Test functions of a file, each times the product of its literal `parametrize` lists."""
    total = 0
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            sizes = [
                len(d.args[1].elts)
                for d in node.decorator_list
                if isinstance(d, ast.Call)
                and getattr(d.func, "attr", "") == "parametrize"
                and len(d.args) > 1
                and isinstance(d.args[1], ast.List | ast.Tuple)
            ]
            total += math.prod(sizes) if sizes else 1
    return total


def test_the_fuzzer_table_gives_each_fuzzer_its_real_endpoints_cases_and_attempts():
    document = Client().get("/api/v1/openapi.json").json()
    rows = table("Fuzzers")
    assert rows, "docs/security.md: no fuzzer rows"
    for file_and_test, _what, endpoints, per_endpoint, attempts in rows:
        file, test = file_and_test.split("::")
        path = ROOT / file
        tags = schemathesis_tags(path)
        expected_endpoints = operations_tagged(document, tags) if tags else 1
        expected_cases = max_examples(path, test)
        assert (int(endpoints), int(per_endpoint)) == (expected_endpoints, expected_cases), file_and_test
        assert int(attempts) == expected_endpoints * expected_cases, file_and_test


def test_every_fuzzer_of_the_suite_has_a_row():
    listed = {row[0].split("::")[0] for row in table("Fuzzers")}
    fuzzers = {str(p.relative_to(ROOT)) for p in ROOT.glob("relais/*/tests/test_*fuzz*.py")}
    assert fuzzers <= listed, f"add to docs/security.md: {sorted(fuzzers - listed)}"


def test_the_security_test_table_counts_the_cases_of_each_file():
    rows = table("Security tests")
    assert rows
    for file, _what, count in rows:
        assert int(count) == cases(ROOT / file), (
            f"{file}: docs/security.md says {count}, the file has {cases(ROOT / file)}"
        )
