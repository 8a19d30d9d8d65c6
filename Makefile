# Relais: the developers' entry point. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/relais
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve setup demo test lint format bench lock messages clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore '.venv' -v 0
	$(PY) manage.py migrate --no-input -v 0

demo: setup
	$(PY) manage.py load_territories
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_plan

run: demo
	@echo "Relais serves the demo on http://$(HOST):$(PORT)/ (demo accounts: see README.md)"
	@# the batch screening worker (/droits/depistage/) runs beside the server and stops with it
	RELAIS_DEBUG=1 $(PY) manage.py run_screening_jobs & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	RELAIS_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

serve: setup
	@bash scripts/serve.sh

test: $(VENV)/.installed
	@bash scripts/test.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore '.venv' --ignore 'var' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv'

bench: demo
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lock:
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip freeze | grep -v '^-e' > requirements.txt

clean:
	rm -rf var $(VENV)
