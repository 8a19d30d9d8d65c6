"""The vendored Leaflet and Leaflet.markercluster (scripts/vendor_leaflet.sh): every file is the one its
SOURCE.md lists, with its licence; nothing else is there; the pages load them from the site itself."""

import hashlib
import re
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parent.parent / "relais" / "web" / "static" / "vendor"
PACKAGES = {"leaflet": "1.9.4", "leaflet.markercluster": "1.5.3"}


def listed(folder: Path) -> dict[str, str]:
    text = (folder / "SOURCE.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \| \d+ \|$", text, flags=re.MULTILINE))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_vendored_file_is_the_one_its_source_note_lists(package):
    folder = VENDOR / package
    files = listed(folder)
    assert "LICENSE" in files and any(name.endswith(".js") for name in files)
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "SOURCE.md"}
    assert present == set(files), "files not listed in SOURCE.md, or listed but missing"
    for name, sha256 in files.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha256, name


@pytest.mark.parametrize(("package", "version"), sorted(PACKAGES.items()))
def test_the_source_note_names_the_package_its_version_and_the_tarballs_checksums(package, version):
    text = (VENDOR / package / "SOURCE.md").read_text(encoding="utf-8")
    assert f"`npm pack {package}@{version}`" in text
    assert re.search(r"integrity `sha512-[A-Za-z0-9+/=]{88}`", text)
    script = (VENDOR.parent.parent.parent.parent / "scripts" / "vendor_leaflet.sh").read_text(encoding="utf-8")
    assert f'"{package}|{version}|' in script  # the script re-fetches this very version


def test_the_vendored_script_names_the_version_it_says():
    assert 't.version="1.9.4"' in (VENDOR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
