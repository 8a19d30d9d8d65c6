"""Questionnaire length: how many screens and questions each golden household goes through.

    .venv/bin/python bench/bench_questionnaire_length.py [--json]

For every golden household (relais/rights/tests/test_golden_households.py, invented), a resident who
chose « Toutes les aides » walks the questionnaire with the household's answers: each step is the real
step form (relais.rights.views.steps.form_for) built from the answers given so far, the path is the real
one (relais.rights.questionnaire.next_step), so a step or a question the earlier answers make pointless
is not counted. Screens = question steps shown (the choice of aids and the recap excluded); questions =
form fields shown on them (an income counts with its « since » and « until » months).

A throwaway in-memory SQLite database holds the golden communes (tests/factories.py), so the place is
resolved as on the site. Prints one line per household and the totals; the figures go in
docs/performance.md ("Questionnaire length").
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from relais.rights.tests.test_golden_households import HOUSEHOLDS  # noqa: E402
from relais.rights.tests.test_questionnaire_length import make_communes, walk  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    make_communes()
    rows = {}
    for name, household in HOUSEHOLDS.items():
        path = walk(household)
        rows[name] = (len(path), sum(n for _s, n in path), path)
    if "--json" in sys.argv:
        print(json.dumps({n: {"screens": s, "questions": k} for n, (s, k, _p) in rows.items()}, indent=1))
        return
    for name, (screens, questions, path) in rows.items():
        detail = " ".join(f"{s}:{n}" for s, n in path)
        print(f"{name:48} screens {screens:3}  questions {questions:4}   {detail}")
    screens = sum(r[0] for r in rows.values())
    questions = sum(r[1] for r in rows.values())
    print(
        f"TOTAL {len(rows)} households: screens {screens} (mean {screens / len(rows):.1f}), "
        f"questions {questions} (mean {questions / len(rows):.1f})"
    )


if __name__ == "__main__":
    main()
