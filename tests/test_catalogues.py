"""Plain `pytest` on a fresh clone compiles the translations first (conftest.py, tests/catalogues.py)."""

import os
import shutil

from tests.catalogues import ROOT, ensure_compiled, stale_catalogues


def catalogue(root, mo_age=None):
    po = root / "relais" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    shutil.copy(ROOT / "relais" / "locale" / "en" / "LC_MESSAGES" / "django.po", po)
    if mo_age is not None:
        mo = po.with_suffix(".mo")
        mo.write_bytes(b"")
        stat = po.stat()
        os.utime(mo, (stat.st_atime, stat.st_mtime + mo_age))
    return po


def test_a_missing_mo_file_is_stale(tmp_path):
    po = catalogue(tmp_path)
    assert stale_catalogues(tmp_path) == [po]


def test_an_mo_file_older_than_its_po_is_stale_and_a_newer_one_is_not(tmp_path):
    older, newer = tmp_path / "a", tmp_path / "b"
    assert stale_catalogues(older) == [] and stale_catalogues(newer) == []
    po = catalogue(older, mo_age=-60)
    catalogue(newer, mo_age=60)
    assert stale_catalogues(older) == [po]
    assert stale_catalogues(newer) == []


def test_the_test_run_starts_with_every_catalogue_of_the_project_compiled():
    assert stale_catalogues(ROOT / "relais") == []
    assert ensure_compiled() is None
