"""Places: the time of an unknown commune, and the address geocoder's cache hit rate and fallback time.

    .venv/bin/python bench/bench_places.py [--runs 200]

- Resolving what a person typed (`relais.matching.places.resolve_place`, which calls the territories'
  resolver) on the whole of France (relais/territories/data/france-communes.csv.gz, ~35,000 communes and
  arrondissements): an unknown name (the closest names are suggested), a misspelt one, a postal code that
  is also a code Insee, an address; wall time p50/p95/max over --runs runs, and the CPU time.
- The geocoder (`relais.territories.geocoder`) against a local HTTP server on 127.0.0.1 speaking the
  address API's protocol: 2,000 look-ups drawn from 300 distinct addresses (a Zipf-like draw: a few
  addresses, e.g. a CCAS or a station, come often), answered in 20 ms by the server -> cache hit rate and
  the time of a hit and of a miss; then the server answers after 2 s with a timeout of 300 ms -> the time
  of a failing call (the fallback), and of a call while the geocoder pauses after 3 failures.
Figures go to docs/performance.md ("Places and addresses").
"""

import argparse
import csv
import gzip
import json
import os
import random
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.utils import translation  # noqa: E402

from relais.matching.places import CommuneTable, resolve_place  # noqa: E402
from relais.matching.types import CommuneInfo, Place  # noqa: E402
from relais.territories import geocoder  # noqa: E402

COMMUNES_CSV = ROOT / "relais" / "territories" / "data" / "france-communes.csv.gz"


def load_table() -> CommuneTable:
    rows = []
    with gzip.open(COMMUNES_CSV, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append(
                CommuneInfo(
                    code=row["code"],
                    name=row["name"],
                    latitude=float(row["latitude"]) if row["latitude"] else None,
                    longitude=float(row["longitude"]) if row["longitude"] else None,
                    departement=row["departement"],
                    epci=row["epci"] or None,
                    parent=row["parent"] or None,
                    postal_codes=tuple(p for p in row["postal_codes"].split(";") if p),
                    population=int(row["population"] or 0) or None,
                )
            )
    return CommuneTable(rows)


def timed(fn, runs: int) -> dict:
    wall = []
    cpu_start = time.process_time()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / runs
    wall.sort()
    return {
        "p50": statistics.median(wall) * 1000,
        "p95": wall[int(0.95 * (len(wall) - 1))] * 1000,
        "max": wall[-1] * 1000,
        "cpu": cpu * 1000,
    }


def bench_resolver(runs: int) -> None:
    start = time.perf_counter()
    table = load_table()
    print(f"table of {len(table):,} communes and arrondissements built in {time.perf_counter() - start:.2f} s")
    cases = {
        "unknown name « Atlantide-sur-Mer »": Place(commune="Atlantide-sur-Mer"),
        "misspelt « Villeurbane »": Place(commune="Villeurbane"),
        "known outside the territory « Marseille »": Place(commune="Marseille"),
        "postal code that is also a code Insee « 69003 »": Place(commune="69003"),
        "unknown code « 99999 »": Place(commune="99999"),
        "address « 12 rue Paul Bert 69003 Lyon »": Place(address="12 rue Paul Bert 69003 Lyon"),
        "300 characters of noise": Place(commune="zq" * 150),
    }
    print(f"\nresolve_place on the whole of France, {runs} runs each (ms)")
    print(f"{'case':<50} {'p50':>7} {'p95':>7} {'max':>7} {'cpu':>7}")
    with translation.override("fr"):
        for label, place in cases.items():
            figures = timed(lambda place=place: resolve_place(place, table), runs)
            print(f"{label:<50} " + " ".join(f"{figures[k]:7.2f}" for k in ("p50", "p95", "max", "cpu")))


class Api:
    delay = 0.02
    asked = 0


def serve() -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            Api.asked += 1
            time.sleep(Api.delay)
            body = json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [4.85, 45.76]},
                            "properties": {"label": "x", "score": 0.9, "type": "housenumber", "citycode": "69383"},
                        }
                    ],
                }
            ).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench_geocoder() -> None:
    server = serve()
    settings.RELAIS_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.RELAIS_GEOCODER_TIMEOUT = 0.3
    cache.clear()
    geocoder.reset()
    rng = random.Random(7)
    addresses = [f"{n} rue de la République 69003 Lyon" for n in range(1, 301)]
    weights = [1 / (rank + 1) for rank in range(len(addresses))]
    hits, misses = [], []
    for address in rng.choices(addresses, weights, k=2000):
        before = geocoder.stats.cache_hits
        start = time.perf_counter()
        geocoder.geocode(address)
        (hits if geocoder.stats.cache_hits > before else misses).append(time.perf_counter() - start)
    total = len(hits) + len(misses)
    print("\ngeocoder against a local server (20 ms per answer), 2,000 look-ups of 300 distinct addresses")
    print(f"cache hit rate: {len(hits) / total:.1%} ({len(hits)} hits, {len(misses)} calls to the server: {Api.asked})")
    print(f"hit p50: {statistics.median(hits) * 1000:.3f} ms; miss p50: {statistics.median(misses) * 1000:.1f} ms")

    Api.delay = 2.0
    failing, paused = [], []
    for n in range(10):
        start = time.perf_counter()
        geocoder.geocode(f"{n} avenue Lacassagne 69003 Lyon")
        (failing if n < geocoder.FAILURES_BEFORE_PAUSE else paused).append(time.perf_counter() - start)
    print("server answering after 2 s, timeout 300 ms:")
    print(f"fallback (failing call) p50: {statistics.median(failing) * 1000:.0f} ms, max {max(failing) * 1000:.0f} ms")
    print(
        f"while paused (after {geocoder.FAILURES_BEFORE_PAUSE} failures) p50: {statistics.median(paused) * 1e6:.0f} µs"
    )
    server.shutdown()
    server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    bench_resolver(args.runs)
    bench_geocoder()


if __name__ == "__main__":
    main()
