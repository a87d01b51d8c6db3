# Vigil: `make run` serves the embedded default, `make test` runs every check.
# Both set up from nothing: a virtualenv in .venv, packages from requirements*.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in e-mails and printed links: where `make run` serves.
PUBLIC_URL ?= http://$(HOST):$(PORT)
# The development settings `make run` uses, written to var/dev.env for every later
# `.venv/bin/python manage.py ...` in this checkout (manage.py reads it; the environment wins).
DEV_ENV := DJANGO_DEBUG=true VIGIL_PUBLIC_URL=$(PUBLIC_URL)

# The suite runs against this database; `make test TEST_DATABASE_URL=sqlite:///var/test.sqlite3` runs it on SQLite.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vigil
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The French catalogue: `make messages` collects every translatable string into locale/fr/LC_MESSAGES/django.po
# (tests/test_translations.py runs the same command and fails if it finds anything new) and compiles it.
MAKEMESSAGES := $(BIN)/python manage.py makemessages -l fr --no-location --no-obsolete --ignore=tests/* --ignore=bench/* --ignore=node_modules/* --ignore=var/*

.PHONY: run test lint check-services browser-deps messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run   - set up and serve Vigil with the Mali demo data on http://$(HOST):$(PORT)"
	@echo "make test  - set up and run lint, type checks and the whole test suite"
	@echo "make lint  - ruff, mypy and bandit only"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps node_modules/.installed
	@mkdir -p var/static
	@printf '%s\n' "# Written by make run: the development settings of this checkout, read by manage.py." \
		"# A variable set in the environment wins over its line here; make run rewrites this file." \
		$(DEV_ENV) > var/dev.env
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input -v 1
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo
	@echo "Vigil is serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Headless Chromium for the page tests, and gettext for the message catalogue, from Debian's packages.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium and gettext for the tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; }

messages: $(VENV)/.dev-deps
	DJANGO_SECRET_KEY=messages $(MAKEMESSAGES)
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

# Leaflet (served by Vigil from static/, no CDN) and axe-core (the accessibility tests), from npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SECRET_KEY=lint $(BIN)/mypy .
	# Any medium or high finding fails; one that is no risk carries `# nosec B<id>  # why` where it is.
	$(BIN)/bandit -c pyproject.toml -r . -q --severity-level medium

test: $(VENV)/.dev-deps node_modules/.installed browser-deps lint
	@mkdir -p var/static
	DJANGO_SECRET_KEY=test-only-secret DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
