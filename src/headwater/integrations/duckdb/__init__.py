"""DuckDB integration: a pandas IO manager and a connection resource.

Needs the ``duckdb`` extra (``pip install headwater[duckdb]``: duckdb, pandas, pyarrow).
Importing this package does not import them; they load when a connection is opened.

Example:
    >>> from headwater import Definitions
    >>> from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource
    >>> resources = {
    ...     "io_manager": DuckDBPandasIOManager(database="warehouse.duckdb"),
    ...     "duckdb": DuckDBResource(database="warehouse.duckdb"),
    ... }
"""

from __future__ import annotations

from headwater.integrations.duckdb.io_manager import DuckDBPandasIOManager as DuckDBPandasIOManager
from headwater.integrations.duckdb.resource import DuckDBResource as DuckDBResource

__all__ = ["DuckDBPandasIOManager", "DuckDBResource"]
