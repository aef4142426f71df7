# The two commands a newcomer needs: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

ASSETS := src/linemap/web/assets
VENDOR := src/linemap/web/static/vendor
BROWSER := /usr/bin/chromium


.PHONY: setup assets demo test lint typecheck imports unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Front-end libraries come from the npm registry at build time, never a CDN, never committed.
$(VENDOR)/htmx.min.js: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp $(ASSETS)/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
$(BROWSER):
	apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

assets: $(VENDOR)/htmx.min.js

setup: $(STAMP) assets $(BROWSER)

demo: $(STAMP) assets
	$(BIN)/python scripts/demo.py

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy src

imports: $(STAMP)
	$(BIN)/lint-imports

unit: setup
	. scripts/postgres-env.sh && $(BIN)/pytest -n 2

test: lint typecheck imports unit

bench: $(STAMP)
	. scripts/postgres-env.sh && $(BIN)/python benchmarks/ingest_million.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache demo-output
