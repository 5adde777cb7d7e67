# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-services test-e2e lint format bench setup migrate seed browser clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Serves the embedded default (SQLite, in-process tasks and scheduler) on http://127.0.0.1:8000
run: seed
	DJANGO_DEBUG=1 INPROCESS_SCHEDULER=1 $(VENV)/bin/daphne -b $(HOST) -p $(PORT) asgi:application

# The whole suite on the embedded default; services tests run too when DATABASE_URL/REDIS_URL are set.
test: setup
	$(PY) -m pytest -q; status=$$?; [ $$status -eq 5 ] && { echo "no tests ran"; exit 1; }; exit $$status
	$(MAKE) test-e2e

# Real-browser tests, in their own pytest run (pytest-playwright and pytest-asyncio clash).
test-e2e: setup browser
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q -m e2e tests/e2e; status=$$?; \
	  [ $$status -eq 5 ] && { echo "no browser tests ran"; exit 1; }; exit $$status

browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every benchmark under bench/, each against a baseline from the same run. FULL=1 for full sizes.
bench: migrate
	$(PY) -m bench $(if $(FULL),--full,)

clean:
	rm -rf $(VENV) var
