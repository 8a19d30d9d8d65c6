"""The type-checked part only grows: scripts/typed-modules.txt keeps at least the pure cores checked on
2026-12-07, and every path it lists exists (`make lint` runs mypy on them: scripts/typecheck.py)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("typecheck", ROOT / "scripts" / "typecheck.py")
typecheck = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = typecheck
spec.loader.exec_module(typecheck)

FIRST_SET = {
    "relais/territories",
    "relais/rights/mapping.py",
    "relais/matching/eligibility.py",
    "relais/matching/explain.py",
    "relais/matching/ranking.py",
    "relais/matching/types.py",
    "relais/matching/validation.py",
}


def test_the_checked_modules_include_the_first_set():
    assert FIRST_SET <= set(typecheck.typed_paths())


def test_every_listed_path_exists():
    assert [p for p in typecheck.typed_paths() if not (ROOT / p).exists()] == []


def test_comments_and_blank_lines_are_not_paths(tmp_path):
    listing = tmp_path / "typed.txt"
    listing.write_text("# heading\n\nrelais/territories  # the referential\n  relais/rights/mapping.py\n")
    assert typecheck.typed_paths(listing) == ["relais/territories", "relais/rights/mapping.py"]
