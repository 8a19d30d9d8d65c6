"""English ships as the second language: every string of the interface has its translation.

The catalogue is extracted again from the sources (makemessages, into a copy of the locale folder),
so a string added without translation, or a translation left fuzzy, fails here with its text.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "relais" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(po_text: str) -> list[dict]:
    """The entries of a .po file: msgid, msgstr (all forms), flags; the header is left out."""
    found, current, key = [], None, None
    for line in po_text.splitlines() + [""]:
        if not line.strip():
            if current and current.get("msgid"):
                found.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgid": "", "msgstr": [], "obsolete": False}
        if line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("msgid "):
            key, current["msgid"] = "msgid", _unquote(line[6:])
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"') and key == "msgid":
            current["msgid"] += _unquote(line)
        elif line.startswith('"') and key == "msgstr":
            current["msgstr"][-1] += _unquote(line)
    return [e for e in found if not e["obsolete"]]


def _unquote(text: str) -> str:
    return text.strip()[1:-1]


SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}
SKIPPED_DIRS = {".git", ".venv", "var", ".hypothesis", ".ruff_cache", "node_modules", "__pycache__", "data"}


def _not_sources(folder: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name in SKIPPED_DIRS or ((Path(folder) / name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """`make messages` run over a copy of the sources and of the committed catalogue.

    A copy, because makemessages writes into every `locale` folder it meets on its way."""
    tree = tmp_path_factory.mktemp("sources") / "tree"
    shutil.copytree(ROOT, tree, ignore=_not_sources)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree)
        patch.setattr(settings, "LOCALE_PATHS", [str(tree / "relais" / "locale")])
        call_command("makemessages", locale=["en"], ignore_patterns=[".venv", "var"], no_obsolete=True, verbosity=0)
    found = entries((tree / "relais" / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    assert len(found) > 1000, f"makemessages found only {len(found)} strings: did it read the sources?"
    return found


def test_every_string_of_the_sources_is_in_the_english_catalogue(extracted):
    committed = {e["msgid"] for e in entries(CATALOGUE.read_text())}
    missing = sorted({e["msgid"] for e in extracted} - committed)
    assert not missing, f"{len(missing)} string(s) missing from {CATALOGUE} (make messages): {missing[:20]}"


def test_every_string_is_translated_and_none_is_fuzzy(extracted):
    untranslated = [e["msgid"] for e in extracted if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in extracted if "fuzzy" in e["flags"]]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_the_compiled_catalogue_answers_in_english():
    with translation.override("en"):
        assert translation.gettext("Mot de passe") == "Password"
