"""Figures of the observatory (docs/performance.md): portrait page and PDF of the Métropole de Lyon, choropleth,
a national-size Insee import, the incremental unmet-needs rollup.

Its own database (SQLite in var/bench/, or --postgres URL: database relais_bench_observatory), the real
referential (load_territories: every commune of France) and the shipped Insee data (load_observatory).

    .venv/bin/python bench/bench_observatory.py
    .venv/bin/python bench/bench_observatory.py --postgres postgres://postgres@127.0.0.1:5432 --traces 1000000
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from databases import fresh_database  # noqa: E402  (bench/ is on sys.path when a bench runs)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL without database name (default: SQLite)")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--traces", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=35_000, help="rows of the synthetic national Insee file")
    return parser.parse_args()


def prepare_database(args) -> str:
    return fresh_database("observatory", args.postgres)


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]


def bench_pages(client, requests: int) -> None:
    url = "/observatoire/portrait/epci/200046977/"
    client.get(url)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"portrait Métropole de Lyon (page, warm, {requests} req.): median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms"
    )
    pdf = "/observatoire/portrait/epci/200046977/portrait.pdf"
    started = time.perf_counter()
    client.get(pdf)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(pdf)
        warm.append(time.perf_counter() - started)
    print(
        f"portrait Métropole de Lyon (PDF): first {cold:.2f} s (WeasyPrint and fonts loading), then median "
        f"{statistics.median(warm):.2f} s, max {max(warm):.2f} s, {len(response.content) / 1024:.0f} KB"
    )
    started = time.perf_counter()
    response = client.get("/observatoire/indicateur/taux_pauvrete/?territoire=epci:200046977")
    print(
        f"indicator page, Métropole de Lyon (poverty rate, map + table + ranking): {(time.perf_counter() - started) * 1000:.0f} ms"
    )


def bench_choropleth() -> None:
    from relais.observatory import charts
    from relais.territories.models import Commune

    with_contour = Commune.objects.filter(contour__isnull=False).count()
    rng = random.Random(1)
    side = 187  # 187 × 187 ≈ 34,969 synthetic communes of ~20 vertices (the referential's median)
    areas = []
    for i in range(side * side):
        x, y = 2 + (i % side) * 0.05, 42 + (i // side) * 0.05
        ring = [[x + 0.02 + 0.02 * math.cos(k / 3), y + 0.02 + 0.02 * math.sin(k / 3)] for k in range(20)]
        ring.append(ring[0])
        value = rng.random() * 40
        areas.append(
            charts.Area(str(i), f"c{i}", {"type": "Polygon", "coordinates": [ring]}, value, "value", f"{value:.1f}")
        )
    started = time.perf_counter()
    breaks = charts.classes([a.value for a in areas], "quantiles")
    svg = charts.choropleth(areas, breaks, "bench", "bench")
    first = time.perf_counter() - started
    areas = [charts.Area(a.code, a.name, a.geometry, rng.random() * 40, "value", "") for a in areas]  # new values
    started = time.perf_counter()
    breaks = charts.classes([a.value for a in areas], "quantiles")
    svg = charts.choropleth(areas, breaks, "bench", "bench")
    elapsed = time.perf_counter() - started
    print(f"choropleth, first drawing of these contours (projection and paths, then cached): {first:.2f} s")
    print(
        f"choropleth of {len(areas)} synthetic communes (20 vertices each; the referential has contours for {with_contour} only): "
        f"{elapsed:.2f} s, {len(svg.encode()) / 1e6:.2f} MB"
    )
    started = time.perf_counter()
    breaks = charts.classes([a.value for a in areas], "jenks")
    print(f"Jenks classes over {len(areas)} values (sampled to 250): {time.perf_counter() - started:.2f} s")


def bench_import(rows: int) -> None:
    from relais.observatory import importers
    from relais.territories.models import Commune

    codes = list(Commune.objects.values_list("code", flat=True).order_by("code"))[:rows]
    columns = [
        "P22_POP",
        "P16_POP",
        "SUPERF",
        "P22_MEN",
        "NBMENFISC21",
        "MED21",
        "TP6021",
        "PIMP21",
        "P22_LOG",
        "P22_LOGVAC",
        "P22_CHOM1564",
        "P22_ACT1564",
    ] + [f"EXTRA{i}" for i in range(27)]
    rng = random.Random(2)
    lines = [";".join(["CODGEO", *columns])]
    for code in codes:
        lines.append(
            ";".join(
                [code]
                + [("s" if rng.random() < 0.05 else f"{rng.random() * 1000:.1f}".replace(".", ",")) for _ in columns]
            )
        )
    content = "\n".join(lines).encode()
    started = time.perf_counter()
    plan = importers.parse_file("national.csv", content)
    parsed = time.perf_counter() - started
    importers.apply(plan)
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import of a national Insee file ({len(codes)} communes × {len(columns) + 1} columns = {len(codes) * len(columns)} cells, "
        f"{len(plan.cells)} kept by the catalogue): {total:.1f} s (parse {parsed:.1f} s), peak RSS {peak:.0f} MB, faults {len(plan.faults)}"
    )


def bench_rollup(traces: int) -> None:
    import datetime as dt

    from relais.observatory.models import SearchTrace
    from relais.observatory.signals import rollup_unmet_needs
    from relais.territories.models import Commune

    codes = list(Commune.objects.filter(epci_id="200046977").values_list("code", flat=True))
    thematiques = ["logement-hebergement", "famille", "sante", "alimentation", "numerique", "emploi"]
    rng = random.Random(3)
    start = dt.date(2026, 1, 1)
    started = time.perf_counter()
    batch = []
    for _n in range(traces):
        batch.append(
            SearchTrace(
                day=start + dt.timedelta(days=rng.randrange(300)),
                commune_code=rng.choice(codes),
                thematiques=rng.sample(thematiques, rng.randint(1, 2)),
                channel="pro",
                eligible=rng.choice([0, 0, 1, 3]),
                to_check=0,
                total=3,
                words_not_understood=rng.random() < 0.1,
            )
        )
        if len(batch) == 20000:
            SearchTrace.objects.bulk_create(batch)
            batch = []
    SearchTrace.objects.bulk_create(batch)
    print(f"{traces} traces written in {time.perf_counter() - started:.0f} s (set-up)")
    started = time.perf_counter()
    cells, _until = rollup_unmet_needs(until=start + dt.timedelta(days=299))
    print(f"unmet-needs rollup, first run over {traces} traces: {time.perf_counter() - started:.1f} s ({cells} cells)")
    day = start + dt.timedelta(days=300)
    SearchTrace.objects.bulk_create(
        [
            SearchTrace(
                day=day, commune_code=codes[0], thematiques=["sante"], channel="pro", eligible=0, to_check=0, total=0
            )
            for _ in range(traces // 300)
        ]
    )
    started = time.perf_counter()
    rollup_unmet_needs(until=day)
    print(
        f"unmet-needs rollup, incremental (one more day, {traces // 300} traces): {(time.perf_counter() - started) * 1000:.0f} ms"
    )


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    started = time.perf_counter()
    call_command("load_observatory", stdout=open(os.devnull, "w"))
    print(f"database: {connection.vendor}; load_observatory (first run): {time.perf_counter() - started:.1f} s")
    bench_pages(Client(), args.requests)
    bench_choropleth()
    bench_rollup(args.traces)
    bench_import(args.rows)


if __name__ == "__main__":
    main()
