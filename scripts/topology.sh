#!/usr/bin/env bash
# The production topology on one machine: nginx (Debian's) in front of several app servers (granian,
# scripts/serve.sh), PostgreSQL behind them with two roles. docs/adr/0012-production-topology.md.
#
#   scripts/topology.sh start            # database + roles, migrations, app servers, nginx; prints the address
#   scripts/topology.sh stop             # stops nginx and the app servers it started (not PostgreSQL)
#   scripts/topology.sh status
#   scripts/topology.sh kill-app N       # SIGKILL app server N (1-based): what a crash looks like
#   scripts/topology.sh start-app N      # (re)start app server N: nginx skips it until it answers
#
# Needs: `make setup` done (the virtualenv), `nginx` (apt-get install nginx: its own service on port 80
# is not used), a PostgreSQL server where PG_ADMIN_URL may create roles and databases. Everything it runs
# is in TOPOLOGY_DIR (pid files, logs, the rendered nginx.conf, nginx's temporary files, the secret key).
# Settings (docs/environment.md "Used by the tools"):
#   PORT (8080) and HOST (127.0.0.1): where nginx listens      RELAIS_APP_SERVERS (2), RELAIS_APP_PORT (8101…)
#   PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres)  TOPOLOGY_DB (relais_topology)
#   TOPOLOGY_DIR (var/topology)   TOPOLOGY_DEMO (0; 1 loads the territories and the demo, RELAIS_DEMO on)
# The database gets two roles: TOPOLOGY_DB_owner owns the tables and runs the migrations,
# TOPOLOGY_DB_app is what the app servers connect as (DML only, `manage.py grant_app_role`).
# Passwords: none here (PostgreSQL trusts loopback on these machines); on a server, give both roles a
# password and put it in the URLs (OWNER_URL, APP_URL may be set instead of PG_ADMIN_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
DIR=$(realpath -m "${TOPOLOGY_DIR:-var/topology}")
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}
SERVERS=${RELAIS_APP_SERVERS:-2}
APP_PORT=${RELAIS_APP_PORT:-8101}
DB=${TOPOLOGY_DB:-relais_topology}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_SERVER=${PG_ADMIN_URL%/*}
PG_HOSTPART=${PG_SERVER#*@}
OWNER_URL=${OWNER_URL:-postgres://${DB}_owner@${PG_HOSTPART}/${DB}}
APP_URL=${APP_URL:-postgres://${DB}_app@${PG_HOSTPART}/${DB}}

say() { echo "topology: $*"; }

app_env() {
  export RELAIS_PRODUCTION=1 RELAIS_DEBUG=0
  export RELAIS_SECRET_KEY=${RELAIS_SECRET_KEY:-$(cat "$DIR/secret_key")}
  export RELAIS_DEMO=${TOPOLOGY_DEMO:-0}
  export RELAIS_ALLOWED_HOSTS=${RELAIS_ALLOWED_HOSTS:-127.0.0.1,localhost}
  export RELAIS_CLIENT_IP_HEADER=X-Forwarded-For  # set by nginx (deploy/nginx/relais.conf)
  export RELAIS_DB_CONN_MAX_AGE=${RELAIS_DB_CONN_MAX_AGE:-60}
  export RELAIS_MEDIA_ROOT=${RELAIS_MEDIA_ROOT:-$ROOT/var/media}  # shared by every app server (one disk here)
}

secret_key() {
  if [ ! -s "$DIR/secret_key" ]; then
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(64))" >"$DIR/secret_key")
  fi
}

database() {
  local psql=(psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt)
  for role in "${DB}_owner" "${DB}_app"; do
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" ]; then
      "${psql[@]}" -c "CREATE ROLE \"$role\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
    fi
  done
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$DB\" OWNER \"${DB}_owner\""
  fi
  "${psql[@]}" -c "REVOKE ALL ON DATABASE \"$DB\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"$DB\" TO \"${DB}_app\""
  say "migrations as ${DB}_owner, grants to ${DB}_app"
  DATABASE_URL=$OWNER_URL "$PY" manage.py migrate --no-input -v 0
  if [ "${TOPOLOGY_DEMO:-0}" = 1 ]; then
    DATABASE_URL=$OWNER_URL "$PY" manage.py load_territories -v 0 >/dev/null
    DATABASE_URL=$OWNER_URL "$PY" manage.py load_demo -v 0 >/dev/null
  fi
  DATABASE_URL=$OWNER_URL "$PY" manage.py grant_app_role "${DB}_app"
}

static_fresh() {  # the manifest is newer than every static source and than the pinned packages (their static files)
  local manifest=$ROOT/var/static/staticfiles.json
  [ -f "$manifest" ] && [ ! "$ROOT/requirements.txt" -nt "$manifest" ] &&
    [ -z "$(find "$ROOT/relais" -path '*/static/*' -newer "$manifest" -print -quit)" ]
}

app_pid() { cat "$DIR/app$1.pid" 2>/dev/null || true; }

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

wait_http() {  # URL, seconds, pid to watch
  local deadline=$((SECONDS + $2))
  until "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" "$1" 2>/dev/null; do
    if ! alive "$3"; then say "process $3 died, see $DIR/*.log"; return 1; fi
    if ((SECONDS > deadline)); then say "$1 did not answer in $2 s"; return 1; fi
    sleep 0.5
  done
}

nginx_pid() { cat "$DIR/nginx.run.pid" 2>/dev/null || true; }

reload_nginx() {  # render with the servers listed in DOWN marked down, then a graceful reload
  if alive "$(nginx_pid)"; then
    render_nginx
    kill -HUP "$(nginx_pid)"
    sleep 1
  fi
}

start_app() {
  local n=$1 port=$((APP_PORT + $1 - 1))
  if alive "$(app_pid "$n")"; then say "app server $n already runs"; return 0; fi
  # granian listens before its worker has loaded the app (warm-up: about a minute): until it answers,
  # nginx must not send it requests, which would wait in its backlog. Marked down, then up again.
  DOWN="$n" reload_nginx
  app_env
  DATABASE_URL=$APP_URL RELAIS_SERVE_PREPARED=1 RELAIS_WORKERS=${RELAIS_WORKERS:-1} \
    RELAIS_BACKPRESSURE=${RELAIS_BACKPRESSURE:-64} HOST=127.0.0.1 PORT=$port \
    setsid bash scripts/serve.sh >>"$DIR/app$n.log" 2>&1 </dev/null &
  echo $! >"$DIR/app$n.pid"
  wait_http "http://127.0.0.1:$port/api/v1/openapi.json" 300 "$!"
  DOWN="" reload_nginx
  say "app server $n on 127.0.0.1:$port (pid $(app_pid "$n"))"
}

kill_app() {
  local pid
  pid=$(app_pid "$1")
  if alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; fi
  rm -f "$DIR/app$1.pid"
}

render_nginx() {
  local upstreams="" n
  for ((n = 1; n <= SERVERS; n++)); do
    local state=""
    [[ " ${DOWN:-} " == *" $n "* ]] && state=" down"
    upstreams+="        server 127.0.0.1:$((APP_PORT + n - 1)) max_fails=1 fail_timeout=3s$state;"$'\n'
  done
  mkdir -p "$DIR/nginx"
  UPSTREAMS=$upstreams "$PY" - "$ROOT/deploy/nginx/relais.conf" "$DIR/nginx/nginx.conf" <<PYEOF
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
values = {"LISTEN": "$HOST:$PORT", "PREFIX": "$DIR/nginx", "STATIC_ROOT": "$ROOT/var/static",
          "UPSTREAMS": os.environ["UPSTREAMS"].rstrip("\n"), "MAX_CONN_PER_IP": "${TOPOLOGY_MAX_CONN_PER_IP:-256}"}
for name, value in values.items():
    text = text.replace(f"@{name}@", value)
left = re.findall(r"@[A-Z_]+@", "\n".join(line.split("#")[0] for line in text.splitlines()))
assert not left, f"placeholders left: {left}"
open(sys.argv[2], "w", encoding="utf-8").write(text)
PYEOF
  "$NGINX" -t -q -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
}

start_nginx() {
  if alive "$(nginx_pid)"; then say "nginx already runs"; return 0; fi
  DOWN="" render_nginx
  setsid "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" -g "daemon off;" \
    >>"$DIR/nginx.log" 2>&1 </dev/null &
  echo $! >"$DIR/nginx.run.pid"
  wait_http "http://$HOST:$PORT/api/v1/openapi.json" 30 "$!"
  say "nginx on http://$HOST:$PORT/ (pid $!)"
}

stop() {
  local pid
  pid=$(nginx_pid)
  if alive "$pid"; then kill -QUIT "$pid"; fi
  rm -f "$DIR/nginx.run.pid"
  for f in "$DIR"/app*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if alive "$pid"; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"; fi
    rm -f "$f"
  done
  say "stopped"
}

status() {
  local n
  for ((n = 1; n <= SERVERS; n++)); do
    if alive "$(app_pid "$n")"; then say "app server $n runs (pid $(app_pid "$n"))"; else say "app server $n is down"; fi
  done
  if alive "$(nginx_pid)"; then say "nginx runs on $HOST:$PORT"; else say "nginx is down"; fi
}

mkdir -p "$DIR/nginx"
chmod 0755 "$DIR" "$DIR/nginx"  # nginx's workers run as nobody when started as root: they write temporary files there
case "${1:-}" in
  start)
    secret_key
    database
    if static_fresh; then
      say "static files up to date (var/static/staticfiles.json)"
    else  # production storage: hashed and compressed copies, a manifest (about 2 minutes on 2 cores)
      (app_env && "$PY" manage.py collectstatic --no-input -v 0)
    fi
    "$PY" manage.py compilemessages --ignore .venv -v 0
    for ((n = 1; n <= SERVERS; n++)); do start_app "$n" & done
    wait
    for ((n = 1; n <= SERVERS; n++)); do alive "$(app_pid "$n")" || { say "app server $n failed"; stop; exit 1; }; done
    start_nginx
    ;;
  stop) stop ;;
  status) status ;;
  kill-app) kill_app "${2:?app server number}" ;;
  start-app) secret_key; start_app "${2:?app server number}" ;;
  render) render_nginx && echo "$DIR/nginx/nginx.conf" ;;
  *) echo "usage: $0 start|stop|status|kill-app N|start-app N|render" >&2; exit 2 ;;
esac
