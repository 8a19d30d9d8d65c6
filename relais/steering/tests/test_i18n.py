"""The steering app ships its own English catalogue (relais/steering/locale/en): every string of the app is in
it, translated, none fuzzy. The catalogue is extracted again from a copy of the app's sources, as
tests/test_i18n.py does for the project's catalogue."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.test_i18n import _not_sources, entries

APP = Path(settings.BASE_DIR) / "relais" / "steering"
CATALOGUE = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    tree = tmp_path_factory.mktemp("steering") / "steering"
    shutil.copytree(APP, tree, ignore=_not_sources)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree)
        patch.setattr(settings, "LOCALE_PATHS", [])
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    found = entries((tree / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    assert len(found) > 300, f"makemessages found only {len(found)} strings in the steering app"
    return found


def test_every_string_of_the_steering_app_is_in_its_english_catalogue(extracted):
    committed = {e["msgid"] for e in entries(CATALOGUE.read_text())}
    missing = sorted({e["msgid"] for e in extracted} - committed)
    assert not missing, f"{len(missing)} string(s) missing from {CATALOGUE}: {missing[:20]}"


def test_every_string_of_the_steering_app_is_translated_and_none_is_fuzzy(extracted):
    untranslated = [e["msgid"] for e in extracted if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in extracted if "fuzzy" in e["flags"]]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_the_compiled_steering_catalogue_answers_in_english():
    with translation.override("en"):
        assert translation.gettext("Tableau de bord") == "Dashboard"
