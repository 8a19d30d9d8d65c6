"""Compiled translations for the test run: on a fresh clone the .mo files do not exist yet (they are built, not
committed), and tests of English pages would fail. conftest.py compiles them once before the tests when a .mo
file is missing or older than its .po, or stops with the command to run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ".venv/bin/python manage.py compilemessages --ignore .venv"


def stale_catalogues(root: Path) -> list[Path]:
    """The .po files under `root` whose .mo is missing or older."""
    stale = []
    for po in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        if ".venv" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def ensure_compiled(root: Path = ROOT) -> str | None:
    """Compile stale catalogues with Django's compilemessages; None when done, else what to run instead."""
    stale = stale_catalogues(root / "relais")
    if not stale:
        return None
    command = [sys.executable, "manage.py", "compilemessages", "--ignore", ".venv", "-v", "0"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    still = stale_catalogues(root / "relais")
    if result.returncode != 0 or still:
        names = ", ".join(str(po.relative_to(root)) for po in still or stale)
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        return (
            f"translations not compiled ({names}: {reason[0]}); run: {COMMAND} (needs gettext: apt-get install gettext)"
        )
    return None
