# The README's commands. Everything installs into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HEADWATER_HOME ?= $(CURDIR)/.headwater

.PHONY: demo test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	cd examples/flights && ../../$(BIN)/headwater materialize -m flights.definitions
	@echo ""
	@echo "Done. Results:"
	@echo "  DuckDB database : $(HEADWATER_HOME)/flights.duckdb"
	@echo "  Report          : $(HEADWATER_HOME)/reports/flights_report.md"
	@echo "  Run history     : $(BIN)/headwater run list"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .headwater .pytest_cache .mypy_cache .ruff_cache
