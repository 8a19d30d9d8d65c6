"""The pure parts of scripts/build_territories.py (the full build needs npm and PyPI, so it is run by hand)."""

import csv
import gzip
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_territories.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_territories", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


README = """
| Année | Version du package | NPM |
|-------|--------------------|-----|
| 2026  | 6.0.0              | `npm install @etalab/decoupage-administratif@6.0.0` |
| 2025  | 5.3.0              | `npm install @etalab/decoupage-administratif@5.3.0` |

* [Population légale](https://www.insee.fr/fr/statistiques/8680726?sommaire=8681011) de l'INSEE
"""


def test_cog_vintage_is_read_from_the_package_readme_table(build):
    assert build.cog_year_from_readme(README, "6.0.0") == 2026
    assert build.cog_year_from_readme(README, "5.3.0") == 2025
    assert build.cog_year_from_readme(README, "7.0.0") is None


def test_population_vintage_comes_from_the_insee_page_the_readme_cites(build):
    year, label, url = build.population_vintage(README)
    assert year == 2023 and "2026" in label and url.endswith("/8680726")
    with pytest.raises(SystemExit, match="Unknown INSEE population page 1234"):
        build.population_vintage(README.replace("8680726", "1234"))


def test_rows_keep_current_communes_and_arrondissements_with_their_epci(build, tmp_path):
    npm = {
        "population_year": 2023,
        "epci": [{"code": "200046977", "membres": [{"code": "69123"}]}],
        "communes": [
            {
                "code": "69123",
                "nom": "Lyon",
                "type": "commune-actuelle",
                "departement": "69",
                "population": 10,
                "codesPostaux": ["69002", "69001"],
            },
            {
                "code": "69381",
                "nom": "Lyon 1er",
                "type": "arrondissement-municipal",
                "commune": "69123",
                "departement": "69",
                "population": 10,
                "codesPostaux": ["69001"],
            },
            {"code": "69232", "nom": "Ancienne", "type": "commune-deleguee", "departement": "69"},
            {"code": "98411", "nom": "Îles", "type": "commune-actuelle", "departement": "984"},
        ],
    }
    rows = build.build_rows(npm, contours={}, tolerance=0.0003, contour_codes=set())
    assert [r["code"] for r in rows] == ["69123", "69381", "98411"]
    lyon, lyon_1, iles = rows
    assert lyon["postal_codes"] == ["69001", "69002"] and lyon["epci"] == "200046977"
    assert (lyon_1["kind"], lyon_1["parent"], lyon_1["epci"]) == ("ARM", "69123", "200046977")
    assert iles["population"] is None and iles["population_year"] is None and iles["epci"] == ""

    path = tmp_path / "france.csv.gz"
    build.write_france_csv(rows, path)
    first = path.read_bytes()
    build.write_france_csv(rows, path)
    assert path.read_bytes() == first  # reproducible: no timestamp in the gzip header
    with gzip.open(path, "rt") as f:
        written = list(csv.DictReader(f))
    assert written[0]["postal_codes"] == "69001;69002" and written[2]["population"] == ""


def test_coordinates_are_rounded_to_five_decimals(build):
    assert build.round_coords([[[4.123456789, 45.987654321]]]) == [[[4.12346, 45.98765]]]
