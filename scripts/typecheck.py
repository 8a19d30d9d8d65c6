"""The type check of `make lint`: mypy (settings in pyproject.toml) on the paths of scripts/typed-modules.txt.

    .venv/bin/python scripts/typecheck.py

Fails when any listed module has a type error, or when a listed path no longer exists (a module moved: list
its new path). The list is a ratchet: modules are added once they pass, never removed (docs/adr/0009-house-rules.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "scripts" / "typed-modules.txt"


def typed_paths(path: Path = LIST) -> list[str]:
    """The listed paths, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def main() -> int:
    paths = typed_paths()
    missing = [p for p in paths if not (ROOT / p).exists()]
    if missing:
        print(f"{LIST.name}: no such path: {', '.join(missing)} (a module moved? list its new path)")
        return 1
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / "var" / "mypy-cache"), *paths]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        print(f"type check: FAILED (the modules of {LIST.relative_to(ROOT)} must stay free of type errors)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
