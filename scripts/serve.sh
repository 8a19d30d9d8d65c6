#!/usr/bin/env bash
# One app server: granian (WSGI), one worker process per core, a few threads each.
# Each worker loads relais.wsgi, which builds the search index and the rights engine (warm-up)
# before the worker accepts its first connection. Settings come from the environment
# (docs/environment.md): set at least RELAIS_PRODUCTION=1, RELAIS_SECRET_KEY, DATABASE_URL,
# RELAIS_ALLOWED_HOSTS and RELAIS_DEMO=0. Why granian and not gunicorn: docs/adr/0005-production-server.md.
# In production it runs behind nginx, several of them: scripts/topology.sh (docs/adr/0012-production-topology.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
workers=${RELAIS_WORKERS:-$(nproc)}
threads=${RELAIS_THREADS:-4}
# Connections a worker serves at once. Behind nginx, set it well above the threads (topology.sh: 64):
# nginx's idle keep-alive connections then never take the slots, and requests wait for a thread.
backpressure=${RELAIS_BACKPRESSURE:-$threads}
if [ "${RELAIS_SERVE_PREPARED:-0}" != 1 ]; then  # topology.sh prepares once for all its app servers
  $PY manage.py collectstatic --no-input -v 0
  $PY manage.py compilemessages --ignore .venv -v 0
fi
# Production start-up guards (relais/production.py, relais/web/checks.py): say why, and do not start.
$PY manage.py check --deploy --database default --fail-level ERROR -v 0 >/dev/null
exec .venv/bin/granian --interface wsgi relais.wsgi:application \
  --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --workers "$workers" --blocking-threads "$threads" --backpressure "$backpressure" \
  --no-ws --respawn-failed-workers "$@"
