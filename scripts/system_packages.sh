#!/usr/bin/env bash
# The Debian packages Relais needs, installed when missing: `make run` and `make serve` ask for "run",
# `make test` and .ci/run for "test", `make serve-prod` for "prod" (nginx). As root, missing ones are installed with apt-get; otherwise this
# prints the one command to run and fails.
#
#   bash scripts/system_packages.sh run|test|prod
set -euo pipefail
purpose=${1:-run}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3 || true)}
CHROMIUM=${RELAIS_CHROMIUM:-/usr/bin/chromium}

need=()
{ [ -n "$PYTHON" ] && "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; } || need+=(python3 python3-venv)
command -v msgfmt >/dev/null || need+=(gettext)  # compilemessages
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint (PDF)
{ fc-list 2>/dev/null | grep -qi dejavu || [ -d /usr/share/fonts/truetype/dejavu ]; } || need+=(fonts-dejavu-core)
case "$purpose" in
  run) ;;
  test | prod)
    [ "$purpose" = prod ] || [ -x "$CHROMIUM" ] || need+=(chromium)  # browser and accessibility tests
    { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || need+=(nginx)  # the production topology
    ;;
  *)
    echo "usage: bash scripts/system_packages.sh run|test|prod" >&2
    exit 2
    ;;
esac

((${#need[@]})) || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the system packages Relais needs: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Relais needs these system packages; run: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
