# Two commands: `make run` (the service with demo data) and `make test` (the whole suite).
# Both set everything up on a fresh machine: virtualenv, Python and npm packages, assets.

# Python 3.11, the distribution's build first where it has one with venv: Debian's, like the
# official image the Dockerfile starts from, is built with profile-guided optimisation and LTO,
# and pyenv's default build is not. The same pages cost 8-15% more CPU on pyenv's
# (docs/performance.md, "Twenty-sixth round"). `make PYTHON=...` chooses another; an existing
# .venv keeps the interpreter it was made with (remove .venv to change it).
DISTRO_PYTHON := /usr/bin/python3.11
PYTHON ?= $(shell $(DISTRO_PYTHON) -c 'import ensurepip, venv' 2>/dev/null && echo $(DISTRO_PYTHON) \
	|| command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# Python packages come only from the hashed lock, as wheels (nothing is built with unhashed build
# tools), then the project itself without dependencies (docs/operations.md, "Dependencies"). A
# new lock means a new install: the stamp's name is the lock's checksum.
LOCK := requirements/test.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: setup run test lint assets clean lock bench

setup: $(STAMP) node_modules/.installed static/dist/css/app.css

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation .
	rm -rf build *.egg-info
	rm -f $(VENV)/.installed-*
	touch $@

# Rewrite the locks from pyproject.toml (and requirements/*.in) with uv, itself installed from
# its own hashed lock. Pins already in the locks are kept unless LOCK_ARGS says otherwise:
# `make lock LOCK_ARGS=--upgrade` or `make lock LOCK_ARGS="--upgrade-package celery"`.
# The app lock (the Dockerfile's) is constrained to the test lock, so both hold the same versions.
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/uv.txt
	$(UV_COMPILE) requirements/uv.in -o requirements/uv.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra test -o requirements/test.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in -c requirements/test.txt \
		-o requirements/app.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/css/app.css: node_modules/.installed static/src/build.mjs $(shell find static/src -type f)
	npm run --silent build

assets: node_modules/.installed
	npm run --silent build

# Web, worker and beat share the development settings (SQLite in WAL mode, email to var/mail
# with one line each on the console). The web server listens on PORT (default 8000); honcho
# gives the first process of the Procfile (web) that port.
run: export DJANGO_SETTINGS_MODULE = safeguarding.settings.dev
run: export DEBUG = true
run: export SERVICE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile -p $(PORT)

# The suite runs in two parts: the unit tests spread over TEST_WORKERS processes (pytest-xdist;
# each has a test database of its own), then the browser journeys and the real-worker tests one
# at a time (they share the broker's queue, and each journey wants the machine's attention).
# PYTEST_ARGS goes to both; a part that PYTEST_ARGS leaves empty (exit 5) is not a failure.
# JUNIT=path/name writes path/name-unit.xml and path/name-journeys.xml.
TEST_WORKERS ?= 2
test: setup
	$(PY) manage.py check --settings=safeguarding.settings.test
	$(PY) manage.py makemigrations --check --dry-run --settings=safeguarding.settings.test
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser and not real_services" \
		$(if $(JUNIT),--junitxml=$(JUNIT)-unit.xml) $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/pytest -m "browser or real_services" \
		$(if $(JUNIT),--junitxml=$(JUNIT)-journeys.xml) $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The benchmark (docs/performance.md): seeds BENCH_DATABASE_URL (a database with "bench" in
# its name; default case_reviews_benchdata on the local PostgreSQL) at BENCH_SCALE, starts
# gunicorn as the Dockerfile does and a worker, drives the key pages with 8 connections, times
# the chase and the files, and writes var/bench/results-scale-<N>.json and .md.
BENCH_SCALE ?= 1
bench: setup
	$(PY) -m safeguarding.bench.run --scale $(BENCH_SCALE) $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/dist var
