"""The weight the interactive map adds to a page: the vendored files it loads, and its data.

    .venv/bin/python bench/bench_map_weight.py

- The files `web/partials/map_assets.html` loads (the vendored Leaflet and Leaflet.markercluster, our
  `web/map.js`): bytes as served, and gzipped (level 9, as WhiteNoise compresses them in production; the
  Brotli files it also writes are smaller). Loaded once, then cached by the browser.
- The map's data on the page (the json_script element): on the professional search around Lyon 3e with
  the ten results of a page, and on a service fiche; bytes and gzipped bytes, next to the page's HTML.
  The offer is made up (the small offer of the page tests) on the shipped referential of Lyon and Metz
  (its commune contours are what the outlines weigh), in a fresh SQLite database under var/bench/.
Figures go to docs/performance.md ("Maps").
"""

import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from databases import fresh_database  # noqa: E402

ASSETS = ROOT / "relais" / "web" / "templates" / "web" / "partials" / "map_assets.html"


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def static_files() -> list[tuple[str, int, int]]:
    rows = []
    for name in re.findall(r"\{% static '([^']+)' %\}", ASSETS.read_text(encoding="utf-8")):
        data = (ROOT / "relais" / "web" / "static" / name).read_bytes()
        rows.append((name, len(data), gzipped(data)))
    return rows


def payload(html: str, element_id: str) -> bytes:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return found.group(1).encode()


def main():
    os.environ["DATABASE_URL"] = fresh_database("map_weight", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from relais.matching import runtime
    from relais.matching.tests.pages import load_communes
    from relais.territories.models import Commune
    from tests.factories import make_service, make_structure

    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_communes()
    lyon3, lyon7 = Commune.objects.get(code="69383"), Commune.objects.get(code="69387")
    villeurbanne = Commune.objects.get(code="69266")
    food = ["equipement-et-alimentation--alimentation"]
    for n, commune in enumerate([lyon3, lyon3, lyon3, lyon7, lyon7, villeurbanne, villeurbanne, lyon3, lyon7, lyon3]):
        structure = make_structure(nom=f"Structure {n}", commune_obj=commune)
        make_service(
            structure,
            nom=f"Aide alimentaire {n}",
            thematiques=food,
            latitude=commune.latitude + 0.002 * n,
            longitude=commune.longitude - 0.002 * n,
        )
    fiche_service = make_service(make_structure(nom="Centre social", commune_obj=lyon3), nom="Épicerie solidaire")
    runtime.reset()

    client = Client()
    print("Files loaded by a page with a map (once; then cached):\n")
    print("| file | bytes | gzipped |\n| --- | ---: | ---: |")
    total, total_gz = 0, 0
    for name, size, gz in static_files():
        print(f"| `{name}` | {size:,} | {gz:,} |")
        total, total_gz = total + size, total_gz + gz
    print(f"| **total** | **{total:,}** | **{total_gz:,}** |")

    print("\nThe map's data in the page:\n")
    print("| page | HTML | of which the map's data | data gzipped |\n| --- | ---: | ---: | ---: |")
    pages = [
        ("search around Lyon 3e (10 results)", "/recherche/?lieu=69383&besoins=manger", "carte-donnees"),
        ("resident results around Lyon 3e", "/trouver-de-l-aide/?besoin=manger&lieu=69383", "carte-donnees"),
        ("service fiche", f"/offre/services/{fiche_service.pk}/", "carte-lieu-donnees"),
    ]
    for label, url, element_id in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        data = payload(html, element_id)
        print(f"| {label} | {len(html.encode()):,} | {len(data):,} | {gzipped(data):,} |")


if __name__ == "__main__":
    main()
