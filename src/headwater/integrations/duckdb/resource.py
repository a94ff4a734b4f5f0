"""``DuckDBResource``: a DuckDB connection for assets that run SQL themselves.

duckdb is imported when a connection is opened, not when this module is imported.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from headwater.declarations.resources.configurable import ConfigurableResource
from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    import duckdb

__all__ = ["DuckDBResource", "connect"]

MEMORY = ":memory:"
# Another process holding the file's write lock is a transient condition (e.g. two workers of
# a multiprocess run); wait for it this long before giving up.
_LOCK_WAIT_SECONDS = 30.0


def connect(
    database: str, *, config: Mapping[str, Any] | None = None, create_parent: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB connection to ``database``, waiting while another process holds the lock.

    Args:
        database: a file path (relative paths are relative to the working directory) or
            ``":memory:"``.
        config: DuckDB settings passed to ``duckdb.connect(config=...)``.
        create_parent: create the file's directory if it does not exist.

    Returns:
        An open connection whose session time zone is UTC, so timestamps with a time zone
        round-trip the same on every machine.

    Raises:
        HeadwaterError: the file stayed locked by another process for 30 s, or cannot be opened.
    """
    import duckdb

    if database != MEMORY and create_parent:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    delay, deadline = 0.05, time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            conn = duckdb.connect(database, config=dict(config or {}))
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise HeadwaterError(f"Cannot open DuckDB database {database!r}: {exc}") from exc
            if time.monotonic() > deadline:
                raise HeadwaterError(
                    f"DuckDB database {database!r} stayed locked by another process for "
                    f"{_LOCK_WAIT_SECONDS:.0f} s ({exc}). Close the other program using it (a "
                    "DuckDB shell or notebook) or run the steps in one process."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    conn.execute("SET TimeZone = 'UTC'").fetchall()
    return conn


class DuckDBResource(ConfigurableResource):
    """A DuckDB database that assets query with SQL.

    Args:
        database: path of the database file (created on first use; relative paths are
            relative to the working directory), or ``":memory:"``.
        connection_config: DuckDB settings for each connection, e.g. ``{"threads": 2}``.

    Each :meth:`get_connection` opens a connection and closes it when the block exits, so a
    resource can be shared by many steps and processes. Use the same ``database`` as a
    :class:`~headwater.integrations.duckdb.DuckDBPandasIOManager` to query the tables it stores.

    Example:
        >>> from headwater import asset, materialize
        >>> @asset
        ... def flights(duckdb: DuckDBResource) -> None:
        ...     with duckdb.get_connection() as conn:
        ...         conn.execute("CREATE OR REPLACE TABLE flights AS SELECT * FROM (VALUES "
        ...                      "('JFK', 'LAX'), ('JFK', 'LAX'), ('EWR', 'SFO')) t(origin, dest)")
        >>> @asset(deps=[flights])
        ... def busiest_routes(duckdb: DuckDBResource) -> None:
        ...     with duckdb.get_connection() as conn:
        ...         conn.execute("CREATE OR REPLACE TABLE busiest AS "
        ...                      "SELECT origin, dest, count(*) AS n FROM flights "
        ...                      "GROUP BY ALL ORDER BY n DESC LIMIT 10")
        >>> duckdb = DuckDBResource(database="warehouse.duckdb")
        >>> materialize([flights, busiest_routes], resources={"duckdb": duckdb}).success
        True
        >>> with duckdb.get_connection() as conn:
        ...     conn.execute("SELECT * FROM busiest").fetchall()
        [('JFK', 'LAX', 2), ('EWR', 'SFO', 1)]
    """

    database: str
    connection_config: dict[str, Any] = Field(default_factory=dict)

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield an open connection; it is closed when the block exits.

        Raises:
            HeadwaterError: the database file cannot be opened (see :func:`connect`).
        """
        conn = connect(self.database, config=self.connection_config)
        try:
            yield conn
        finally:
            conn.close()
