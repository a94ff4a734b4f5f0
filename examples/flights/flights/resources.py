"""Resources of the flights project: one DuckDB file holds every table.

The file is ``$FLIGHTS_DUCKDB_PATH`` if set, else ``<HEADWATER_HOME>/flights.duckdb`` (with
``HEADWATER_HOME`` defaulting to ``.headwater``, like the headwater instance itself).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource

SCHEMA = "public"
"""Schema of every table: asset keys have a single component."""


def default_database_path() -> str:
    """The DuckDB file the project uses when nothing else is given."""
    configured = os.environ.get("FLIGHTS_DUCKDB_PATH")
    if configured:
        return configured
    return str(Path(os.environ.get("HEADWATER_HOME") or ".headwater") / "flights.duckdb")


def build_resources(database: str | None = None) -> dict[str, Any]:
    """The resources of the project, all pointing at one DuckDB file.

    Args:
        database: path of the DuckDB file (default: :func:`default_database_path`).

    Returns:
        ``io_manager`` (stores every asset's DataFrame as table ``public.<asset>``) and
        ``duckdb`` (a connection for assets that query those tables with SQL).
    """
    path = database or default_database_path()
    return {
        "io_manager": DuckDBPandasIOManager(database=path, schema=SCHEMA),
        "duckdb": DuckDBResource(database=path),
    }


def table(asset_name: str) -> str:
    """The table an asset is stored in, for SQL: ``table("flights_daily")``."""
    return f"{SCHEMA}.{asset_name}"
