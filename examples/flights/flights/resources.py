"""Resources of the flights project: one DuckDB file holds every table, Python's and dbt's.

The file is ``$FLIGHTS_DUCKDB_PATH`` if set, else ``<HEADWATER_HOME>/flights.duckdb`` (with
``HEADWATER_HOME`` defaulting to ``.headwater``, like the headwater instance itself). dbt
reads the same path from ``FLIGHTS_DUCKDB_PATH`` in ``transform/profiles.yml``; the ``dbt``
resource sets it for every dbt process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from headwater.integrations.dbt import DbtCliResource
from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource

SCHEMA = "public"
"""Schema of every table: asset keys have a single component."""

DUCKDB_POOL = "duckdb"
"""The concurrency pool of every asset step that opens the DuckDB file: give it a limit of 1
(``headwater instance concurrency set duckdb 1``) wherever steps may run at once (the daemon,
Dask), since two processes cannot open one DuckDB file together."""

TRANSFORM_DIR = Path(__file__).resolve().parents[1] / "transform"
"""The dbt project."""


def default_database_path() -> str:
    """The DuckDB file the project uses when nothing else is given."""
    configured = os.environ.get("FLIGHTS_DUCKDB_PATH")
    if configured:
        return configured
    return str(Path(os.environ.get("HEADWATER_HOME") or ".headwater") / "flights.duckdb")


def dbt_env(database: str) -> dict[str, str]:
    """The environment dbt needs for ``database``: its absolute path as FLIGHTS_DUCKDB_PATH.

    dbt compares the profile it is run with to the one the project was parsed with; parsing
    with the same path lets each run re-parse only what changed.
    """
    return {"FLIGHTS_DUCKDB_PATH": str(Path(database).absolute())}


def build_resources(database: str | None = None) -> dict[str, Any]:
    """The resources of the project, all pointing at one DuckDB file.

    Args:
        database: path of the DuckDB file (default: :func:`default_database_path`).

    Returns:
        ``io_manager`` (stores every Python asset's DataFrame as table ``public.<asset>`` and
        loads dbt's tables the same way), ``duckdb`` (a connection for SQL) and ``dbt`` (the
        dbt project in ``transform/``, on the same file).
    """
    path = str(Path(database or default_database_path()).absolute())
    return {
        "io_manager": DuckDBPandasIOManager(database=path, schema=SCHEMA),
        "duckdb": DuckDBResource(database=path),
        "dbt": DbtCliResource(project_dir=str(TRANSFORM_DIR), env=dbt_env(path)),
    }


def table(asset_name: str) -> str:
    """The table an asset is stored in, for SQL: ``table("flights_daily")``."""
    return f"{SCHEMA}.{asset_name}"
