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
	@echo "== 1/3 the unpartitioned sources: raw CSV tables and hourly weather"
	cd examples/flights && ../../$(BIN)/headwater materialize --select "group:raw or weather_hourly"
	@echo "== 2/3 backfill of 2013: 365 days of flights_daily in one run, then 12 months"
	cd examples/flights && ../../$(BIN)/headwater asset materialize \
		--select "flights_daily or delays_by_carrier_month" --partition-range 2013-01-01...2013-12-31
	@echo "== 3/3 whole-year analytics and the report"
	cd examples/flights && ../../$(BIN)/headwater materialize --job refresh_analytics
	cd examples/flights && ../../$(BIN)/headwater asset partitions flights_daily
	@echo ""
	@echo "Done. Results:"
	@echo "  DuckDB database : $(HEADWATER_HOME)/flights.duckdb"
	@echo "  Report          : $(HEADWATER_HOME)/reports/flights_report.md"
	@echo "  Partitions      : $(BIN)/headwater asset partitions -d examples/flights flights_daily"
	@echo "  Backfills       : $(BIN)/headwater backfill list"
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
