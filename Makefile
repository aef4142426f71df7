# The two commands a newcomer needs: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck imports unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy src

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	. scripts/postgres-env.sh && $(BIN)/pytest -n 2

test: lint typecheck imports unit

bench: $(STAMP)
	. scripts/postgres-env.sh && $(BIN)/python benchmarks/ingest_million.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache demo-output
