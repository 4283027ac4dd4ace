# Two commands: `make run` (the service with demo data) and `make test` (the whole suite).
# Both set everything up on a fresh machine: virtualenv, Python and npm packages, assets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup run test lint assets clean

setup: $(STAMP) node_modules/.installed static/dist/css/app.css

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet ".[test]"
	rm -rf build *.egg-info
	rm -f $(VENV)/.installed-*
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/css/app.css: node_modules/.installed static/src/build.mjs $(shell find static/src -type f)
	npm run --silent build

assets: node_modules/.installed
	npm run --silent build

run: setup
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

test: setup
	$(PY) manage.py check --settings=safeguarding.settings.test
	$(PY) manage.py makemigrations --check --dry-run --settings=safeguarding.settings.test
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/dist var
