#!/usr/bin/env bash
# The production server: granian (WSGI), one worker process per core, a few threads each.
# Each worker loads relais.wsgi, which builds the search index and the rights engine (warm-up)
# before the worker accepts its first connection. Settings come from the environment
# (docs/environment.md): set at least RELAIS_PRODUCTION=1, RELAIS_SECRET_KEY, DATABASE_URL,
# RELAIS_ALLOWED_HOSTS and RELAIS_DEMO=0. Why granian and not gunicorn: docs/adr/0005-production-server.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
workers=${RELAIS_WORKERS:-$(nproc)}
threads=${RELAIS_THREADS:-4}
$PY manage.py collectstatic --no-input -v 0
$PY manage.py compilemessages --ignore .venv -v 0
exec .venv/bin/granian --interface wsgi relais.wsgi:application \
  --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --workers "$workers" --blocking-threads "$threads" --backpressure "$threads" \
  --no-ws --respawn-failed-workers "$@"
