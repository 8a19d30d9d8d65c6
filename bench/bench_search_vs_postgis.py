"""Figure: Relais's engine against the way data·inclusion answers a search (PostGIS), side by side.

Same offer (scripts/generate_national_offer.py: 100,000 structures, 140,000 services, seeded), same
queries (bench_search.queries: the words of bench/search_queries.py, thématiques, profiles, places),
one run:

- **Relais**: `engine.search()` in process on the offer index (ranked, explained, eligibility assessed);
- **data·inclusion's way**: what its `/api/v1/search/services` does in PostgreSQL with PostGIS, as
  described in docs/api.md — the services whose eligibility zone holds the person's commune (or that
  have none), with one of the thématiques, one of the person's publics or `tous-publics`, on site within
  50 km or remote, ordered by distance; a count query and a page query of 20, as its paginator runs.
  Both sides get the same place (the commune the engine resolved), the same thématiques (those the
  engine read from the words) and the publics the profile says the person belongs to.

PostGIS (Debian: `apt-get install postgresql-15-postgis-3`) must be available in the PostgreSQL server
of BENCH_POSTGIS_URL (default postgres://postgres@127.0.0.1:5432/relais_bench_postgis; the database is
created if missing, its table `bench_services` replaced). Without PostGIS the bench says so and stops:
`make test` never needs it.

    .venv/bin/python bench/bench_search_vs_postgis.py [--queries 300] [--services 140000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "scripts"))

import bench_search as B  # noqa: E402  (configures Django for the engine, like bench_search.py)
import generate_national_offer as G  # noqa: E402
import psycopg  # noqa: E402
from django.utils import translation  # noqa: E402

from relais.matching.eligibility import publics_facts  # noqa: E402
from relais.matching.engine import search  # noqa: E402
from relais.matching.index import OfferIndex  # noqa: E402
from relais.matching.lexicon import default_lexicon  # noqa: E402
from relais.matching.places import CommuneTable  # noqa: E402
from relais.matching.types import CommuneInfo, ServiceRecord  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/relais_bench_postgis"
RADIUS_M = 50_000
PAGE = 20

FILTERS = """
    thematiques && %(thematiques)s
    AND (zone IS NULL OR zone && %(zone)s)
    AND (cardinality(%(publics)s::text[]) = 0 OR publics && %(publics)s OR publics @> ARRAY['tous-publics'])
    AND (modes @> ARRAY['a-distance'] OR ST_DWithin(geog, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(radius)s))
"""
COUNT_SQL = f"SELECT count(*) FROM bench_services WHERE {FILTERS}"
PAGE_SQL = f"""
SELECT id, ST_Distance(geog, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS metres
FROM bench_services WHERE {FILTERS}
ORDER BY metres NULLS LAST, id LIMIT {PAGE}
"""


def postgis_connection(url: str):
    """A connection to the bench database with PostGIS, or None (and the reason printed)."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url[: -len(parsed.path)] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone():
                print(
                    "PostGIS is not installed in this PostgreSQL server: bench skipped.\n"
                    "Install it with: apt-get install postgresql-15-postgis-3 (Debian 12), then run again."
                )
                return None
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL is not reachable at {admin} ({exc}): bench skipped.")
        return None
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return conn


def offer(services: int) -> tuple[list[dict], dict[str, dict]]:
    structures, out = {}, []
    for kind, record in G.generate(max(1, services * 100 // 140), services):
        if kind == "structures":
            structures[record["id"]] = record
        else:
            out.append(record)
    return out, structures


def engine_records(services: list[dict], structures: dict[str, dict]) -> list[ServiceRecord]:
    def t(value):
        return tuple(value or ())

    return [
        ServiceRecord(
            id=s["id"],
            structure_id=s["structure_id"],
            structure_name=structures[s["structure_id"]]["nom"],
            name=s["nom"],
            thematiques=t(s["thematiques"]),
            publics=t(s["publics"]),
            zone_eligibilite=t(s["zone_eligibilite"]) or None,
            modes_accueil=t(s["modes_accueil"]),
            frais=s["frais"] or "",
            type=s["type"] or "",
            latitude=s["latitude"],
            longitude=s["longitude"],
            code_insee=s["code_insee"] or "",
            commune=s["commune"] or "",
            adresse=s["adresse"] or "",
            telephone=s["telephone"] or "",
            courriel=s["courriel"] or "",
            horaires=s["horaires_accueil"] or "",
            modes_mobilisation=t(s["modes_mobilisation"]),
            mobilisable_par=t(s["mobilisable_par"]),
            source=s["source"],
        )
        for s in services
    ]


def load_postgis(conn, services: list[dict]) -> float:
    started = time.perf_counter()
    conn.execute("DROP TABLE IF EXISTS bench_services")
    conn.execute(
        "CREATE TABLE bench_services (id text PRIMARY KEY, thematiques text[], publics text[], zone text[],"
        " modes text[], geog geography(Point, 4326))"
    )
    with conn.cursor() as cursor, cursor.copy("COPY bench_services FROM STDIN") as copy:
        for s in services:
            point = None
            if s["latitude"] is not None and s["longitude"] is not None:
                point = f"SRID=4326;POINT({s['longitude']} {s['latitude']})"
            copy.write_row(
                (s["id"], s["thematiques"], s["publics"] or [], s["zone_eligibilite"], s["modes_accueil"], point)
            )
    conn.execute("CREATE INDEX ON bench_services USING gist (geog)")
    conn.execute("CREATE INDEX ON bench_services USING gin (thematiques)")
    conn.execute("ANALYZE bench_services")
    return time.perf_counter() - started


def postgis_params(response, profile, table: CommuneTable) -> dict:
    place = response.place
    commune = table.get(place.commune.code)
    publics = sorted(p for p, fact in publics_facts(profile).items() if fact is True and p != "tous-publics")
    return {
        "thematiques": sorted({m.thematique for m in response.needs}),
        "zone": sorted(commune.zone_codes) if commune else [place.commune.code],
        "publics": publics,
        "lat": place.latitude,
        "lon": place.longitude,
        "radius": RADIUS_M,
    }


def percentile(values: list[float], p: float) -> float:
    return B.percentile(values, p)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--services", type=int, default=140_000)
    args = parser.parse_args()
    conn = postgis_connection(os.environ.get("BENCH_POSTGIS_URL", DEFAULT_URL))
    if conn is None:
        return 0
    translation.activate("fr")
    default_lexicon()
    communes: list[CommuneInfo] = B.load_communes()[0]
    table = CommuneTable(communes)
    services, structures = offer(args.services)
    index = OfferIndex(engine_records(services, structures), table)
    load_s = load_postgis(conn, services)
    print(f"{len(services):,} services (scripts/generate_national_offer.py), {len(communes):,} communes")
    print(
        f"Python {platform.python_version()}, {conn.execute('SELECT version()').fetchone()[0].split(' on ')[0]}, "
        f"PostGIS {conn.execute('SELECT postgis_lib_version()').fetchone()[0]}; {os.cpu_count()} CPU, "
        f"load average {os.getloadavg()[0]:.1f} at start; PostGIS table loaded and indexed in {load_s:.1f} s"
    )
    mix = B.queries(communes, args.queries + 20)
    engine_ms, postgis_ms, engine_total, postgis_total, skipped = [], [], [], [], 0
    for i, (place, needs, profile, constraints) in enumerate(mix):
        now = B.NOW
        started = time.perf_counter()
        response = search(index, place, needs, profile, constraints, now=now)
        engine_time = (time.perf_counter() - started) * 1000
        if not response.ok or not response.needs:
            skipped += 1
            continue
        params = postgis_params(response, profile, table)
        started = time.perf_counter()
        total = conn.execute(COUNT_SQL, params).fetchone()[0]
        conn.execute(PAGE_SQL, params).fetchall()
        postgis_time = (time.perf_counter() - started) * 1000
        if i < 20:  # warm-up of both sides
            continue
        engine_ms.append(engine_time)
        postgis_ms.append(postgis_time)
        engine_total.append(response.total)
        postgis_total.append(total)
    print(f"{len(engine_ms)} queries measured ({skipped} refused by the engine and left out of both)")
    print(f"{'':>28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'results':>8}")
    for label, times, totals in (
        ("Relais engine (in process)", engine_ms, engine_total),
        ("PostGIS, data·inclusion way", postgis_ms, postgis_total),
    ):
        print(
            f"{label:>28} {percentile(times, 0.5):>8.2f} {percentile(times, 0.95):>8.2f} "
            f"{statistics.mean(times):>8.2f} {statistics.mean(totals):>8.1f}"
        )
    ratio_p50 = percentile(postgis_ms, 0.5) / percentile(engine_ms, 0.5)
    ratio_p95 = percentile(postgis_ms, 0.95) / percentile(engine_ms, 0.95)
    print(f"ratio PostGIS / Relais: {ratio_p50:.1f}× at p50, {ratio_p95:.1f}× at p95 (goal: at least 10×)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end (2 CPU shared with other processes)")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
