# The README's commands. Everything installs into .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# dbt lives in its own environment: dbt-core 1.10 pins pathspec<0.13, mypy 2 needs pathspec>=1,
# so one environment cannot hold both. headwater runs dbt as a subprocess, from this one.
DBT_VENV := .venv-dbt
DBT_STAMP := $(DBT_VENV)/.installed
export HEADWATER_HOME ?= $(CURDIR)/.headwater
export HEADWATER_DBT_EXECUTABLE ?= $(CURDIR)/$(DBT_VENV)/bin/dbt

.PHONY: demo demo-postgres test lint typecheck pytest bench compat-golden clean ui ui-build ui-test

# The web UI (ui/, React + TypeScript + Vite), built into the Python package from
# ui/package-lock.json. Rebuilt when a source file is newer than the built index.html.
UI_MODULES := ui/node_modules/.package-lock.json
UI_BUILT := src/headwater/webserver/static/index.html
UI_SOURCES := $(shell find ui/src ui/index.html ui/vite.config.ts ui/tsconfig.json -type f 2>/dev/null)

$(UI_MODULES): ui/package-lock.json ui/package.json
	cd ui && nice -n 10 npm ci --no-audit --no-fund --loglevel=error
	touch $(UI_MODULES)

$(UI_BUILT): $(UI_MODULES) $(UI_SOURCES)
	cd ui && nice -n 10 npm run --silent build

ui-build: $(UI_BUILT)

# The UI's component tests (vitest: the lineage model and layout on generated graphs).
ui-test: $(UI_MODULES)
	cd ui && nice -n 10 npm test --silent

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The [dbt] extra's requirements, read from pyproject.toml.
$(DBT_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DBT_VENV)
	$(DBT_VENV)/bin/pip install --quiet --upgrade pip
	$(DBT_VENV)/bin/pip install --quiet $$($(PYTHON) -c "import tomllib; \
		print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['dbt']))")
	touch $(DBT_STAMP)

demo: $(STAMP) $(DBT_STAMP) $(UI_BUILT)
	@echo "== 1/4 the unpartitioned sources: raw CSV tables (Python) and hourly weather (dbt), with their checks"
	cd examples/flights && ../../$(BIN)/headwater materialize --select "group:raw or weather_hourly"
	@echo "== 2/4 backfill of 2013: 365 days of the dbt model flights_daily in one run (and its tests), then 12 months"
	cd examples/flights && ../../$(BIN)/headwater asset materialize \
		--select "flights_daily or delays_by_carrier_month" --partition-range 2013-01-01...2013-12-31
	@echo "== 3/4 whole-year dbt marts and the report (Python)"
	cd examples/flights && ../../$(BIN)/headwater materialize --job refresh_analytics
	cd examples/flights && ../../$(BIN)/headwater asset partitions flights_daily
	@echo "== 4/4 again with --skip-unchanged: same code versions, same inputs, every step skipped"
	cd examples/flights && ../../$(BIN)/headwater materialize --job refresh_analytics --skip-unchanged
	cd examples/flights && ../../$(BIN)/headwater asset status
	@echo ""
	@echo "Done. Results:"
	@echo "  DuckDB database : $(HEADWATER_HOME)/flights.duckdb"
	@echo "  Report          : $(HEADWATER_HOME)/reports/flights_report.md"
	@echo "  dbt project     : examples/flights/transform (its logs: transform/target/headwater/)"
	@echo "  Partitions      : $(BIN)/headwater asset partitions -d examples/flights flights_daily"
	@echo "  Stale status    : $(BIN)/headwater asset status -d examples/flights"
	@echo "  Backfills       : $(BIN)/headwater backfill list"
	@echo "  Run history     : $(BIN)/headwater run list"
	@echo ""
	@echo "See it all in the web UI (lineage, assets, runs): make ui   (then open http://127.0.0.1:3000)"

# The same demo with the instance's history in PostgreSQL (database headwater_demo on the local
# server, created if absent; override with PG_DEMO_URL=postgresql://user:pw@host:port/db).
PG_DEMO_URL ?= postgresql://postgres@127.0.0.1:5432/headwater_demo
PG_DEMO_HOME := $(CURDIR)/.headwater-postgres

demo-postgres: $(STAMP) $(DBT_STAMP)
	@echo "== 0/4 PostgreSQL: $(PG_DEMO_URL) (created if absent); instance directory $(PG_DEMO_HOME)"
	$(BIN)/python scripts/ensure_postgres_database.py "$(PG_DEMO_URL)"
	mkdir -p $(PG_DEMO_HOME)
	printf 'storage:\n  postgres:\n    url: {env: HEADWATER_PG_URL}\n' > $(PG_DEMO_HOME)/headwater.yaml
	HEADWATER_PG_URL="$(PG_DEMO_URL)" HEADWATER_HOME=$(PG_DEMO_HOME) $(BIN)/headwater instance migrate
	HEADWATER_PG_URL="$(PG_DEMO_URL)" HEADWATER_HOME=$(PG_DEMO_HOME) $(MAKE) --no-print-directory demo
	HEADWATER_PG_URL="$(PG_DEMO_URL)" HEADWATER_HOME=$(PG_DEMO_HOME) $(BIN)/headwater instance info

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(DBT_STAMP) $(UI_BUILT)
	$(BIN)/pytest

test: lint typecheck ui-test pytest

bench: $(STAMP) $(DBT_STAMP) $(UI_BUILT)
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# The flights project's UI: `headwater dev` (webserver, daemon and code server, hot reload)
# until Ctrl-C stops everything it started.
ui: $(STAMP) $(DBT_STAMP) $(UI_BUILT)
	cd examples/flights && ../../$(BIN)/headwater dev --port 3000

# Golden transcripts of the differential suite, from real Dagster in its own .venv-dagster
# (created on first use; Dagster is never a dependency of headwater).
compat-golden:
	$(PYTHON) scripts/compat_golden.py

clean:
	rm -rf $(VENV) $(DBT_VENV) .headwater .headwater-postgres .pytest_cache .mypy_cache .ruff_cache
