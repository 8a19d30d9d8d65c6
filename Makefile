# Relais: the developers' entry point. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/relais
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve serve-prod setup setup-runtime system-run system-test system-prod demo test lint types format bench lock messages clean

# Two lock files with hashes (docs/adr/0009-house-rules.md): requirements.txt (runtime, what `make serve`
# installs) and requirements-dev.txt (tests and tools, added by `make run` and `make test`). --no-deps: the
# locks pin the whole tree; `pip check` then proves it consistent.
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes --no-deps

system-run:
	@bash scripts/system_packages.sh run

system-test:
	@bash scripts/system_packages.sh test

$(VENV)/.runtime: requirements.txt | system-run
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	$(PY) -m pip check
	@touch $@

$(VENV)/.installed: $(VENV)/.runtime requirements-dev.txt
	$(PIP_INSTALL) -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip check
	@touch $@

define prepare
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore '.venv' -v 0
	$(PY) manage.py migrate --no-input -v 0
endef

setup: system-run $(VENV)/.installed
	$(prepare)

setup-runtime: system-run $(VENV)/.runtime
	$(prepare)

demo: setup
	$(PY) manage.py load_territories
	$(PY) manage.py load_observatory
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_plan

run: demo
	@echo "Relais serves the demo on http://$(HOST):$(PORT)/ (demo accounts: see README.md)"
	@# the batch screening worker (/droits/depistage/) runs beside the server and stops with it
	RELAIS_DEBUG=1 $(PY) manage.py run_screening_jobs --warm-up & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	RELAIS_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

serve: setup-runtime
	@bash scripts/serve.sh

system-prod:
	@bash scripts/system_packages.sh prod

serve-prod: system-prod setup  # nginx + app servers + PostgreSQL (docs/adr/0012-production-topology.md)
	@bash scripts/topology.sh start

test: system-test $(VENV)/.installed
	@bash scripts/test.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/typecheck.py
	$(PY) manage.py makemigrations --check --dry-run

types: $(VENV)/.installed
	$(PY) scripts/typecheck.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore '.venv' --ignore 'var' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv'

bench: demo
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Regenerates both lock files with uv from the .in files, keeping every pin that still fits (no needless
# upgrade); `make lock LOCK_FLAGS="--upgrade-package django"` upgrades one package.
LOCK_FLAGS ?=
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--overrides requirements-overrides.txt --custom-compile-command "make lock" $(LOCK_FLAGS)

lock: $(VENV)/.installed
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf var $(VENV)
