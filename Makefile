# Newsarchive: `make run` sets everything up and serves the demo archive; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run setup data test test-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed  ## virtualenv, database, static files
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

data: setup  ## load the seed and demo fixtures into an empty archive (indexed as they load)
	$(BIN)/python manage.py load_demo

run: data  ## serve the archive on http://$(HOST):$(PORT)/, with the two background job workers beside it
	$(BIN)/python manage.py worker --queue-name default & worker=$$!; \
	nice -n 10 $(BIN)/python manage.py worker --queue-name merges & merger=$$!; \
	trap 'kill $$worker $$merger 2>/dev/null; wait $$worker $$merger' EXIT INT TERM; \
	$(BIN)/gunicorn newsarchive.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test-deps: $(VENV)/.installed-dev
	@# Only what is missing: a machine whose Node.js comes from elsewhere (with its own npm)
	@# cannot also take Debian's npm package.
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	  if [ -n "$$missing" ]; then \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json  ## the HTML checker and axe-core
	npm ci --no-audit --no-fund --silent

test: test-deps  ## the whole suite: unit, search, pages, browser
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data node_modules
