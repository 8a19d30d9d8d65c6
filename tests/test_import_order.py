"""Every module that Django or a test may import first imports cleanly in a fresh process: no module
needs another to have been imported before it (relais/api.py once imported the routers at its bottom
while the routers imported helpers back from it; importing a router first raised ImportError)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts) for path in (ROOT / "relais").glob("*/api.py")
)


def import_first(module: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); import {module}; import relais.api; import relais.urls"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "relais.settings"}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_every_app_with_an_api_is_found():
    assert {"relais.offer.api", "relais.matching.api", "relais.rights.api", "relais.referrals.api"} <= set(API_MODULES)


@pytest.mark.parametrize("module", [*API_MODULES, "relais.apierrors", "relais.api"])
def test_each_api_module_imports_first_in_a_fresh_process(module):
    result = import_first(module)
    assert result.returncode == 0, f"importing {module} first fails:\n{result.stderr[-2000:]}"
