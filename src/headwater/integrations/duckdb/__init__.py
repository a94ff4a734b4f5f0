"""DuckDB integration: a pandas IO manager and a connection resource.

Needs the ``duckdb`` extra (``pip install headwater[duckdb]``: duckdb, pandas, pyarrow).
Importing this package does not import them; they load when a connection is opened.

Example:
    >>> import pandas as pd
    >>> from headwater import asset, materialize
    >>> from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource
    >>> @asset
    ... def orders() -> pd.DataFrame:
    ...     return pd.DataFrame({"id": [1, 2, 3], "amount": [10.0, 5.5, 7.25]})
    >>> @asset(deps=[orders])
    ... def big_orders(duckdb: DuckDBResource) -> None:
    ...     with duckdb.get_connection() as conn:
    ...         conn.execute("CREATE OR REPLACE TABLE public.big_orders AS "
    ...                      "SELECT * FROM public.orders WHERE amount > 6")
    >>> resources = {
    ...     "io_manager": DuckDBPandasIOManager(database="warehouse.duckdb"),
    ...     "duckdb": DuckDBResource(database="warehouse.duckdb"),
    ... }
    >>> materialize([orders, big_orders], resources=resources).success
    True
    >>> with resources["duckdb"].get_connection() as conn:
    ...     conn.execute("SELECT id FROM public.big_orders ORDER BY id").fetchall()
    [(1,), (3,)]
"""

from __future__ import annotations

from headwater.integrations.duckdb.io_manager import DuckDBPandasIOManager as DuckDBPandasIOManager
from headwater.integrations.duckdb.resource import DuckDBResource as DuckDBResource

__all__ = ["DuckDBPandasIOManager", "DuckDBResource"]
