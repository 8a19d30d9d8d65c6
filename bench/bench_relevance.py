"""Top-3 relevance of the orientation search over the quality cases.

    .venv/bin/python bench/bench_relevance.py [--missed]

The share of cases whose first three results hold a relevant service by the case's own criteria: the
situations of relais/matching/tests/relevance.py (everyday words, FR and EN, Lyon and Metz, what would be
relevant written as thématiques) and the quality cases of test_quality_cases.py (their expected first
services), run against the hand-written test offer (tests/world.py). Prints the figure recorded in
docs/performance.md ("Orientation: relevance"); --missed lists the cases that missed.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django  # noqa: E402

django.setup()

from relais.matching.tests.relevance import SITUATIONS, measure  # noqa: E402
from relais.matching.tests.test_quality_cases import CASES  # noqa: E402
from relais.matching.tests.world import NOW, world_index  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="list the cases whose top 3 holds nothing relevant")
    args = parser.parse_args()
    index = world_index()
    start = time.perf_counter()
    hits, total, missed = measure(index, CASES, NOW)
    elapsed = time.perf_counter() - start
    print(f"situations: {len(SITUATIONS)}, quality cases: {len(CASES)}, measured: {total}")
    print(f"top-3 relevance: {hits}/{total} = {hits / total:.1%} ({elapsed:.2f} s)")
    if args.missed:
        for name in missed:
            print(f"  missed: {name}")


if __name__ == "__main__":
    main()
