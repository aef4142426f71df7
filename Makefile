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
# The base map is world-atlas's Natural Earth 1:10m land, so the map needs no tile server.
$(VENDOR)/.stamp: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/images
	cp $(ASSETS)/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp $(ASSETS)/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape.min.js
	cp $(ASSETS)/node_modules/leaflet/dist/leaflet.js $(ASSETS)/node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp $(ASSETS)/node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp $(ASSETS)/node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/topojson-client.min.js
	cp $(ASSETS)/node_modules/world-atlas/land-10m.json $(VENDOR)/land-10m.json
	touch $(VENDOR)/.stamp

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
$(BROWSER):
	apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

assets: $(VENDOR)/.stamp

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
