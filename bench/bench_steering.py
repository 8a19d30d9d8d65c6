"""Figures: steering a large plan — import, dashboard p95 and SQL queries, point d'étape PDF.

A plan of 120 actions, each declined in 10 territories, each with 6 indicators holding 5 years of values
(yearly current values, plus an initial value and a target) for the whole plan and each territory:
720 indicators, about 55,000 values. It is written as the spreadsheet a collectivité would keep (XLSX),
imported through `relais.steering.importer` (timed), then the dashboard is requested through Django's
test client as a plan administrator (the whole stack but the network), and the point d'étape PDF rendered.

    .venv/bin/python bench/bench_steering.py
    .venv/bin/python bench/bench_steering.py --postgres postgres://postgres@127.0.0.1:5432/

A fresh database: SQLite under var/bench/ by default, or `relais_bench_steering` with --postgres. The
dashboard's query count is pinned in relais/steering/tests/test_pages.py.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from databases import fresh_database  # noqa: E402  (bench/ is on sys.path when a bench runs)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIONS, TERRITORIES, INDICATORS, YEARS = 120, 10, 6, 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--postgres", metavar="SERVER_URL", help="e.g. postgres://postgres@127.0.0.1:5432/")
    return parser.parse_args()


def prepare_database(args) -> str:
    return fresh_database("steering", args.postgres)


class Sheets(dict):
    """{sheet name: list of rows}, with openpyxl's create_sheet/append so the builder below reads the same."""

    def create_sheet(self, name):
        return self.setdefault(name, [])


def to_xlsx(sheets: dict) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(sheets: dict) -> dict[str, bytes]:
    import csv

    files = {}
    for name, rows in sheets.items():
        text = io.StringIO()
        csv.writer(text, delimiter=";").writerows(rows)
        files[f"{name}.csv"] = text.getvalue().encode()
    return files


def workbook(territory_slugs: list[str]) -> Sheets:
    """The plan as a spreadsheet, in the import's sheets and columns."""
    rng = random.Random(20261207)
    book = Sheets()
    sheet = book.create_sheet("plan")
    for row in (
        ["cle", "valeur"],
        ["identifiant", "bench"],
        ["nom", "Plan du banc d’essai"],
        ["territoires", ";".join(territory_slugs)],
    ):
        sheet.append(row)
    sheet = book.create_sheet("axes")
    sheet.append(["code", "intitule", "parent"])
    for axis in range(1, 5):
        sheet.append([str(axis), f"Axe {axis}", ""])
        for sub in range(1, 4):
            sheet.append([f"{axis}.{sub}", f"Sous-axe {axis}.{sub}", str(axis)])
    actions = book.create_sheet("actions")
    actions.append(
        [
            "code",
            "axe",
            "intitule",
            "pilote_nom",
            "pilote_fonction",
            "territoires",
            "statut",
            "meteo",
            "debut",
            "fin",
            "mode_avancement",
        ]
    )
    budgets = book.create_sheet("budgets")
    budgets.append(["action", "annee", "prevu", "depense"])
    indicators = book.create_sheet("indicateurs")
    indicators.append(["code", "nom", "unite", "periodicite", "actions"])
    values = book.create_sheet("valeurs")
    values.append(["indicateur", "territoire", "type", "date", "valeur"])
    statuses = ["en cours", "à venir", "réalisée", "en retard", "bloquée", ""]
    for n in range(1, ACTIONS + 1):
        code = f"A{n:03d}"
        actions.append(
            [
                code,
                f"{1 + n % 4}.{1 + n % 3}",
                f"Action {n}",
                f"Pilote {n}",
                "cheffe de projet",
                ";".join(territory_slugs),
                statuses[n % len(statuses)],
                "",
                "01/01/2022",
                f"31/12/{2026 + n % 3}",
                "indicators" if n % 2 else "steps",
            ]
        )
        for year in range(2022, 2022 + YEARS):
            budgets.append([code, year, rng.randint(1, 50) * 1000, rng.randint(0, 50) * 1000])
        for i in range(1, INDICATORS + 1):
            indicator = f"I{n:03d}-{i}"
            indicators.append([indicator, f"Indicateur {i} de l’action {n}", "personnes", "annuelle", code])
            for place in ["", *territory_slugs]:
                initial = rng.randint(0, 100)
                values.append([indicator, place, "initiale", "01/01/2022", initial])
                values.append([indicator, place, "cible", "31/12/2027", initial + rng.randint(10, 200)])
                for year in range(2022, 2022 + YEARS):
                    values.append([indicator, place, "actuelle", f"31/12/{year}", initial + rng.randint(0, 150)])
    return book


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from relais.steering import pdf, planfiles
    from relais.steering.importer import import_plan
    from relais.steering.models import Action, ActionTerritory, IndicatorValue, Plan
    from tests.factories import make_commune, make_territory, make_user

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    commune = make_commune()
    slugs = [make_territory(f"Territoire {n}", communes=[commune], slug=f"bench-t{n}").slug for n in range(TERRITORIES)]
    sheets = workbook(slugs)
    data = to_xlsx(sheets)
    csv_files = to_csv(sheets)

    started, cpu = time.perf_counter(), time.process_time()
    report = import_plan([planfiles.Source("bench.xlsx", lambda: io.BytesIO(data))], dry_run=False)
    import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok, [str(e) for e in report.errors[:10]]
    plan = Plan.objects.get(slug="bench")

    started, cpu = time.perf_counter(), time.process_time()
    report = import_plan([planfiles.Source("bench.xlsx", lambda: io.BytesIO(data))], dry_run=False)
    again_seconds, again_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok and report.counts["valeurs"]["unchanged"] == IndicatorValue.objects.count()

    started, cpu = time.perf_counter(), time.process_time()
    sources = [
        planfiles.Source(name, lambda content=content: io.BytesIO(content)) for name, content in csv_files.items()
    ]
    report = import_plan(sources, plan_slug="bench-csv", dry_run=False)
    csv_seconds, csv_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok, [str(e) for e in report.errors[:10]]

    admin = make_user(is_superuser=True, is_staff=False)
    client = Client()
    client.force_login(admin)
    url = f"/plan/{plan.slug}/tableau-de-bord/"
    for _ in range(5):
        assert client.get(url).status_code == 200
    timings, cpu_timings = [], []
    for _ in range(args.requests):
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    cpu_timings.sort()
    cpu_p95 = cpu_timings[int(0.95 * (len(cpu_timings) - 1))]

    started, cpu = time.perf_counter(), time.process_time()
    content, pages = pdf.point_d_etape(plan)
    pdf_seconds, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(
        f"engine: {connection.vendor}; python {platform.python_version()}; {platform.machine()}; {os.cpu_count()} CPU"
    )
    print(
        f"plan: {Action.objects.filter(plan=plan).count()} actions, {ActionTerritory.objects.filter(action__plan=plan).count()} "
        f"declinations, {plan.indicators.count()} indicators, "
        f"{IndicatorValue.objects.filter(indicator__plan=plan).count():,} values"
    )
    print()
    print("| figure | wall clock | CPU time of this process |")
    print("| --- | --- | --- |")
    print(f"| import of the XLSX ({len(data) / 1e6:.1f} MB) | {import_seconds:.2f} s | {import_cpu:.2f} s |")
    print(f"| the same XLSX again (everything unchanged) | {again_seconds:.2f} s | {again_cpu:.2f} s |")
    size = sum(len(c) for c in csv_files.values()) / 1e6
    print(f"| import of the same plan as CSV files ({size:.1f} MB) | {csv_seconds:.2f} s | {csv_cpu:.2f} s |")
    print(
        f"| dashboard p50 (warm, {len(timings)} requests) | {statistics.median(timings):.1f} ms | "
        f"{statistics.median(cpu_timings):.1f} ms |"
    )
    print(f"| dashboard p95 | {p95:.1f} ms | {cpu_p95:.1f} ms |")
    print(f"| SQL queries per dashboard request | {len(queries)} | |")
    print(f"| point d'étape PDF ({pages} pages, {len(content) / 1e6:.1f} MB) | {pdf_seconds:.2f} s | {pdf_cpu:.2f} s |")


if __name__ == "__main__":
    main()
