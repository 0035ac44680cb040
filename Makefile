# Relief Check. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CASES ?= 5000
LOADTEST_DATABASE_URL ?= postgres://relief:relief@127.0.0.1:5432/reliefcheck_bench

.DEFAULT_GOAL := help
.PHONY: help install lock messages migrate demo run test lint format worker beat loadtest benchmarks clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# The exact versions come from requirements.lock (pip-compile, every file's hash checked); the
# project itself is installed editable on top, without dependencies and without build isolation
# (setuptools is in the lock), so nothing unpinned is fetched.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies, dev tools and the project

# pip-compile keeps the versions already in the lock unless asked: `make lock LOCK_ARGS=--upgrade`
# or LOCK_ARGS='--upgrade-package NAME'. A new nicknames, rapidfuzz or jellyfish can change who
# matches: run the matching benchmark (make benchmarks) before committing such a lock.
lock: $(STAMP) ## Write requirements.lock from pyproject.toml's ranges (runtime + dev, hashed)
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock $(LOCK_ARGS) \
		pyproject.toml

messages: $(STAMP) ## Compile the English and Spanish translations (locale/*.po -> .mo)
	$(BIN)/pybabel compile --domain django --directory locale --statistics

migrate: messages ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo cases once (skipped when already loaded)
	$(BIN)/python manage.py load_demo_cases --count $(DEMO_CASES)

run: demo ## Serve the site on http://127.0.0.1:8000 (HOST, PORT; also its SITE_URL), embedded default
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: messages ## Run the whole test suite (embedded default unless DATABASE_URL/REDIS_URL are set)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, format check and mypy (the modules pyproject's [tool.mypy] lists)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(STAMP) ## Run Celery beat for periodic jobs (needs REDIS_URL)
	$(BIN)/celery -A config beat --loglevel=INFO

loadtest: $(STAMP) ## Launch-day load test on loopback (LOADTEST_DATABASE_URL: a database named *bench*)
	$(BIN)/python benchmarks/load_test.py --database-url $(LOADTEST_DATABASE_URL)

benchmarks: $(STAMP) ## Run the import and matching benchmarks (slow)
	$(BIN)/python benchmarks/import_cases.py
	$(BIN)/python benchmarks/matching_eval.py

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3* staticfiles
