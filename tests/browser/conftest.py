"""Browser tests: run them with `make test` (or `pytest -m browser -p no:xdist`).

The fixtures (browser, context, page, log_in, assert_accessible) live in tests/browser/fixtures.py,
a plugin of the root conftest.py, so that browser tests in the domain folders share them.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, even one that forgets its marker."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
