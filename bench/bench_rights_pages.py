"""Rights pages a person waits for, warm: the results page and the professional summary (HTML and PDF).

    .venv/bin/python bench/bench_rights_pages.py [--n 10] [--profile results|summary|pdf]

A throwaway in-memory SQLite database (Lyon 3e and one helping service, tests/factories.py), the law
built and one request of each page made first (warm), then --n requests of each through Django's test
client: median and max in milliseconds, for new answers (the engine runs) and for the same answers again
(reload, summary after results, PDF: the result is remembered a few minutes in memory). --profile prints the 25 slowest functions of one page (cProfile).
Figures go in docs/performance.md ("Rights pages").
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from relais.rights.system import tax_benefit_system  # noqa: E402
from relais.rights.views import resident  # noqa: E402
from relais.rights.views.results import ACCESS_TO_RIGHTS  # noqa: E402
from tests.factories import make_commune, make_service, make_structure, make_user  # noqa: E402

PAGES = {
    "results": "/droits/resultats/?exemple=famille",
    "summary": "/droits/synthese/?exemple=famille",
    "pdf": "/droits/synthese.pdf?exemple=famille",
}


def main() -> None:
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 10
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else ""
    setup_test_environment()
    call_command("migrate", verbosity=0)
    lyon3 = make_commune("69383")
    make_service(make_structure(nom="Maison des droits (démo)", commune_obj=lyon3), thematiques=[ACCESS_TO_RIGHTS])
    client = Client()
    client.force_login(make_user())
    started = time.perf_counter()
    tax_benefit_system()
    print(f"law built in {time.perf_counter() - started:.1f} s")
    for name, url in PAGES.items():
        started = time.perf_counter()
        status = client.get(url).status_code
        print(f"first {name}: {1000 * (time.perf_counter() - started):.0f} ms (HTTP {status})")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(PAGES[profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    for fresh in (True, False):
        for name, url in PAGES.items():
            times = []
            for _ in range(n):
                if fresh:  # new answers: the simulation runs (the results of the same answers are remembered)
                    resident._results.clear()
                started = time.perf_counter()
                client.get(url)
                times.append(1000 * (time.perf_counter() - started))
            kind = "new answers" if fresh else "same answers again"
            print(f"warm {name}, {kind}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms ({n})")


if __name__ == "__main__":
    main()
