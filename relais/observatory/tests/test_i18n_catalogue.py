"""The observatory's own English catalogue: every string of the app translated, none fuzzy."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.test_i18n import entries

APP = Path(settings.BASE_DIR) / "relais" / "observatory"
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """makemessages over a copy of the app (it writes into the locale folder it finds)."""
    tree = tmp_path_factory.mktemp("observatory") / "observatory"
    shutil.copytree(APP, tree, ignore=shutil.ignore_patterns("__pycache__", "data", "*.mo"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree)
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    return entries((tree / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())


def test_every_string_of_the_observatory_is_in_its_catalogue_translated_and_not_fuzzy(extracted):
    committed = {e["msgid"]: e for e in entries(CATALOGUE.read_text())}
    assert len(extracted) > 100
    missing = sorted({e["msgid"] for e in extracted} - set(committed))
    assert not missing, f"{len(missing)} string(s) missing from {CATALOGUE}: {missing[:10]}"
    untranslated = [e["msgid"] for e in extracted if not all(committed[e["msgid"]]["msgstr"])]
    fuzzy = [m for m, e in committed.items() if "fuzzy" in e["flags"]]
    assert not untranslated and not fuzzy, (untranslated[:10], fuzzy[:10])


def test_the_observatory_answers_in_english():
    with translation.override("en"):
        assert translation.gettext("Observatoire des solidarités") == "Solidarity observatory"
        assert translation.gettext("Portraits de territoire") == "Territory portraits"
