# The README's commands. `make run` and `make test` each set up everything they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-python bench bench-load prod-check lint check install system-run system-test clean

# DEBUG is off unless asked for: the local targets ask for it (production never runs these).
run bench lint: export DJANGO_DEBUG := 1

run: install system-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --cases 300 --if-empty
	$(PY) manage.py seed_reviews_demo
	$(PY) manage.py seed_professionals_demo
	$(PY) manage.py seed_local_offer --if-empty
	$(PY) manage.py dev_up

test: install system-test test-python

# The suite alone, assuming set-up is done (CI calls it again with DATABASE_URL for PostgreSQL).
test-python:
	$(PY) -m pytest

bench: install
	$(PY) manage.py bench --cases 100000 --json

# The production shape (gunicorn, PostgreSQL, Redis, Celery worker and beat, DEBUG off), walked
# and stopped: docs/deployment.md.
prod-check: install
	scripts/prod-check

# 30 staff users and families at once against 100,000 cases on PostgreSQL (locust, headless).
bench-load: install
	$(PY) -m pip install --quiet -e '.[test,load]'
	scripts/bench-load

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

check: lint test

install: $(PY_STAMP) $(NODE_STAMP)

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 (sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Servers come from Debian packages; .ci/ensure-packages installs them when run as root,
# and otherwise says exactly what to install.
system-run:
	@.ci/ensure-packages redis-server
system-test:
	@.ci/ensure-packages redis-server chromium

clean:
	rm -rf $(VENV) node_modules .run staticfiles
