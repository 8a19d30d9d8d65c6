#!/usr/bin/env bash
# The whole suite: lint, dependencies, SQLite, PostgreSQL, browser. With CI set, every part is required;
# without it, the PostgreSQL and browser parts run when available and say clearly when skipped. The
# dependency audit needs an advisory service: unreachable, it is skipped and listed, CI or not.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/relais}
CHROMIUM=${RELAIS_CHROMIUM:-/usr/bin/chromium}
skipped=()
failed=0

# Each step's wall time is printed at the end (docs/performance.md records them: the budget is 20 minutes on 2 cores).
durations=()
current=""
started=$SECONDS
finish_step() { [ -n "$current" ] && durations+=("$(printf '%6ss  %s' $((SECONDS - started)) "$current")"); current=""; }
step() { finish_step; current="$*"; started=$SECONDS; echo; echo "=== $*"; }

mkdir -p var  # the default SQLite database lives there: makemigrations --check reads its history
step "lint (ruff, import layers, types, makemigrations --check)"
.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache \
  && $PY scripts/typecheck.py && $PY manage.py makemigrations --check --dry-run -v 0 || failed=1

step "dependencies (pip check, pip-audit of requirements.txt and requirements-dev.txt)"
# pip check works offline. The advisory audit needs PyPI's JSON API or OSV: where neither answers, it is
# listed as SKIPPED with the reason, in CI too (an audit that could not run proves nothing either way).
# Any advisory not accepted in scripts/accepted-advisories.toml, or a package it could not audit, fails.
$PY -m pip check || failed=1
audit_out=$($PY scripts/audit_dependencies.py 2>&1); rc=$?
echo "$audit_out"
if [ "$rc" = 75 ]; then
  skipped+=("dependency audit (pip-audit): ${audit_out#dependency audit not possible here: }")
elif [ "$rc" != 0 ]; then
  failed=1
fi

step "compile translations"
$PY manage.py compilemessages --ignore .venv -v 0 || failed=1

step "law freshness (check_law: overdue parameters must be updated or reviewed in relais/rights/law_updates.toml)"
$PY manage.py check_law || failed=1

step "suite on SQLite"
$PY -m pytest -m "not browser" -n 2 -q --durations=10 || failed=1

pg_ok=0
if $PY - "$PG_URL" <<'PYEOF' 2>/dev/null; then pg_ok=1; fi
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname="postgres", connect_timeout=3).close()
PYEOF
if [ "$pg_ok" = 1 ]; then
  step "suite on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $PY -m pytest -m "not browser" -n 2 -q || failed=1
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is required in CI and does not answer at $PG_URL"; failed=1
else
  skipped+=("PostgreSQL suite: no server answers at $PG_URL")
fi

if [ -x "$CHROMIUM" ]; then
  step "browser tests (headless Chromium, axe-core)"
  $PY -m pytest -m browser -q -p no:xdist; rc=$?
  if [ "$rc" = 5 ]; then echo "no browser test collected"; [ -n "${CI:-}" ] && failed=1
  elif [ "$rc" != 0 ]; then failed=1; fi
elif [ -n "${CI:-}" ]; then
  echo "Chromium is required in CI and is missing at $CHROMIUM"; failed=1
else
  skipped+=("browser tests: no Chromium at $CHROMIUM (apt-get install chromium)")
fi

finish_step
echo
echo "Durations (wall time, $(nproc) cores):"
for d in "${durations[@]}"; do echo "$d"; done
printf '%6ss  total\n' "$SECONDS"
echo
if ((${#skipped[@]})); then
  echo "SKIPPED (not run on this machine):"
  for s in "${skipped[@]}"; do echo "  - $s"; done
fi
if [ "$failed" = 0 ]; then echo "make test: all parts passed"; else echo "make test: FAILED"; fi
exit $failed
