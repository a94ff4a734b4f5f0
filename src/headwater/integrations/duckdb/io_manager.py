"""``DuckDBPandasIOManager``: stores pandas DataFrames as DuckDB tables.

An asset with key ``["analytics", "orders"]`` is stored as table ``analytics.orders``; a key
with one component uses the IO manager's ``schema`` (default ``"public"``). Values cross
between pandas and DuckDB as Arrow tables. duckdb, pandas and pyarrow are imported when a
value is stored or loaded, not when this module is imported.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import PrivateAttr

from headwater.declarations.io_managers.base import InputContext, OutputContext
from headwater.declarations.io_managers.builtin import ConfigurableIOManager
from headwater.errors import HeadwaterError, TypeCheckError
from headwater.integrations.duckdb.resource import MEMORY, connect
from headwater.metadata import MetadataValue, TableColumn, TableSchema

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["DuckDBPandasIOManager"]

_VIEW = "__headwater_output"
PARTITION_EXPR = "partition_expr"


@dataclass(frozen=True, slots=True)
class _Table:
    """Where one asset lives in the database."""

    schema: str
    name: str
    asset: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def sql(self, catalog: str) -> str:
        """The fully qualified name, quoted (a schema may share its name with the catalog)."""
        return f"{_quote(catalog)}.{_quote(self.schema)}.{_quote(self.name)}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# Dagster users write ``schema=...``. The field shadows pydantic's deprecated ``BaseModel.schema``
# classmethod, which pydantic warns about once, when the class is created. Field values live on
# instances, so ``manager.schema`` is the field and the shadowing is harmless.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "schema"', category=UserWarning)

    class _DuckDBIOManagerFields(ConfigurableIOManager):
        database: str
        schema: str = "public"  # type: ignore[assignment]


class DuckDBPandasIOManager(_DuckDBIOManagerFields):
    """Stores each asset's pandas DataFrame as a table in a DuckDB file and loads it back.

    Args:
        database: path of the DuckDB file (created on first write, with its directory;
            relative paths are relative to the working directory). ``":memory:"`` keeps the
            tables in this process only.
        schema: the schema of assets whose key has a single component (default ``"public"``).
            For a longer key the component before the last is the schema.

    Storing replaces the whole table (``CREATE OR REPLACE TABLE``) in one transaction, so a
    reader never sees a half-written table. The DataFrame index is not stored; call
    ``reset_index()`` first to keep it. A ``None`` output stores nothing.

    Partitioned assets need ``metadata={"partition_expr": "<SQL expression>"}``: storing a
    partition deletes the rows where the expression equals the partition key and inserts the
    new ones; loading a partition selects those rows. An upstream asset without
    ``partition_expr`` is loaded whole.

    Each stored output gets the metadata ``row_count`` (int), ``table`` (``schema.table``) and
    ``columns`` (a :class:`~headwater.TableSchema` with DuckDB's type names).

    Example:
        >>> import pandas as pd
        >>> from headwater import Definitions, asset, materialize
        >>> @asset(key_prefix="raw")
        ... def orders() -> pd.DataFrame:
        ...     return pd.DataFrame({"id": [1, 2], "amount": [10.0, 5.5]})
        >>> io_manager = DuckDBPandasIOManager(database="warehouse.duckdb")
        >>> result = materialize([orders], resources={"io_manager": io_manager})
        >>> metadata = result.asset_materializations_for_node("raw__orders")[0].metadata
        >>> metadata["table"].value, metadata["row_count"].value
        ('raw.orders', 2)
        >>> [(c.name, c.type) for c in metadata["columns"].value.columns]
        [('id', 'BIGINT'), ('amount', 'DOUBLE')]
        >>> defs = Definitions(assets=[orders], resources={"io_manager": io_manager})
        >>> defs.load_asset_value("raw/orders")
           id  amount
        0   1    10.0
        1   2     5.5

        ``orders`` is stored as table ``raw.orders`` in ``warehouse.duckdb``.
    """

    _memory: Any = PrivateAttr(default=None)

    # -- public API ---------------------------------------------------------------------------
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Store ``obj`` (a pandas DataFrame) as the asset's table.

        Raises:
            TypeCheckError: ``obj`` is not a pandas DataFrame (the message names the asset and
                the type received).
            HeadwaterError: a column cannot be converted, or a partitioned asset has no
                ``partition_expr`` metadata.
        """
        table = self._table(context)
        if obj is None:
            context.log.debug("Output of %s is None; nothing stored.", table.asset)
            return
        arrow = self._to_arrow(table, obj)
        with self._session() as (conn, catalog):
            conn.register(_VIEW, arrow)
            try:
                _run(conn, "BEGIN TRANSACTION")
                try:
                    self._write(conn, catalog, table, context, arrow.column_names)
                    _run(conn, "COMMIT")
                except BaseException:
                    _run(conn, "ROLLBACK")
                    raise
            finally:
                conn.unregister(_VIEW)
            columns = _run(conn, f"DESCRIBE {table.sql(catalog)}")
        context.add_output_metadata(
            {
                "row_count": MetadataValue.int(arrow.num_rows),
                "table": MetadataValue.text(table.qualified),
                "columns": MetadataValue.table_schema(
                    TableSchema(columns=[TableColumn(name=c[0], type=c[1]) for c in columns])
                ),
            }
        )

    def load_input(self, context: InputContext) -> pd.DataFrame:
        """Load the upstream asset's table (or one partition of it) as a DataFrame.

        Raises:
            HeadwaterError: the table does not exist yet (materialize the upstream asset first).
        """
        table = self._table(context)
        if self.database != MEMORY and not Path(self.database).exists():
            raise self._missing(table, partitioned=bool(context.asset_partition_keys))
        with self._session() as (conn, catalog):
            if not _table_exists(conn, catalog, table):
                raise self._missing(table, partitioned=bool(context.asset_partition_keys))
            query, params = f"SELECT * FROM {table.sql(catalog)}", []
            keys = list(context.asset_partition_keys)
            expr = _partition_expr(context) if keys else None
            if expr is not None:  # no expression: the upstream asset is not partitioned
                marks = ", ".join("?" for _ in keys)
                query, params = f"{query} WHERE ({expr}) IN ({marks})", keys
            # execute(), not sql(params=...): the latter is 10-40x slower on long IN lists.
            arrow = conn.execute(query, params).to_arrow_table()
        frame: pd.DataFrame = arrow.to_pandas()
        return frame

    # -- helpers ------------------------------------------------------------------------------
    def _table(self, context: OutputContext | InputContext) -> _Table:
        key = context.asset_key
        if key is None:
            step = getattr(context, "step_key", None) or "op"
            return _Table(self.schema, f"{step}__{context.name}", f"{step}.{context.name}")
        path = key.path
        schema = path[-2] if len(path) > 1 else self.schema
        return _Table(schema, path[-1], key.to_user_string())

    def _to_arrow(self, table: _Table, obj: Any) -> Any:
        import pandas as pd
        import pyarrow as pa

        if not isinstance(obj, pd.DataFrame):
            kind = f"{type(obj).__module__}.{type(obj).__qualname__}"
            raise TypeCheckError(
                f"DuckDBPandasIOManager cannot store the output of asset {table.asset!r}: it "
                f"stores pandas DataFrames, but the asset returned a {kind}. Return a "
                "pandas.DataFrame (e.g. pd.DataFrame(value)), or store this asset with another "
                "IO manager (@asset(io_manager_key=...))."
            )
        try:
            return pa.Table.from_pandas(obj, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            raise HeadwaterError(
                f"DuckDBPandasIOManager cannot store the output of asset {table.asset!r} as "
                f"table {table.qualified}: {exc}. Give each column a single type (e.g. "
                "df[col].astype(str))."
            ) from exc

    @staticmethod
    def _write(
        conn: duckdb.DuckDBPyConnection,
        catalog: str,
        table: _Table,
        context: OutputContext,
        columns: list[str],
    ) -> None:
        _run(conn, f"CREATE SCHEMA IF NOT EXISTS {_quote(catalog)}.{_quote(table.schema)}")
        target = table.sql(catalog)
        keys = list(context.asset_partition_keys)
        if not keys:
            _run(conn, f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM {_VIEW}")
            return
        expr = _partition_expr(context)
        if expr is None:
            raise HeadwaterError(
                f"Asset {table.asset!r} is partitioned but has no 'partition_expr' metadata, so "
                "DuckDBPandasIOManager cannot tell which rows belong to a partition. Add "
                "metadata={'partition_expr': '<column or SQL expression>'} to the asset."
            )
        _run(conn, f"CREATE TABLE IF NOT EXISTS {target} AS SELECT * FROM {_VIEW} LIMIT 0")
        marks = ", ".join("?" for _ in keys)
        _run(conn, f"DELETE FROM {target} WHERE ({expr}) IN ({marks})", keys)
        names = ", ".join(_quote(c) for c in columns)
        _run(conn, f"INSERT INTO {target} ({names}) SELECT {names} FROM {_VIEW}")

    @contextmanager
    def _session(self) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
        """An open connection and the name of its catalog (closed afterwards, except in memory)."""
        if self.database == MEMORY:
            if self._memory is None:  # one connection keeps the in-memory tables alive
                self._memory = connect(MEMORY)
            conn = self._memory
        else:
            conn = connect(self.database)
        try:
            yield conn, _run(conn, "SELECT current_database()")[0][0]
        finally:
            if conn is not self._memory:
                conn.close()

    def _missing(self, table: _Table, *, partitioned: bool = False) -> HeadwaterError:
        how = (
            f"headwater asset materialize --select '{table.asset}' --partition-range START...END"
            if partitioned
            else f"headwater materialize --select '{table.asset}+'"
        )
        return HeadwaterError(
            f"Asset {table.asset!r} has no table {table.qualified} in DuckDB database "
            f"{self.database!r}. Materialize {table.asset!r} first (e.g. {how}), or check that "
            "its IO manager uses this database."
        )


def _partition_expr(context: OutputContext | InputContext) -> str | None:
    """The asset's ``partition_expr`` metadata (for an input: the upstream asset's)."""
    if isinstance(context, OutputContext):
        metadata: Any = context.definition_metadata
    else:
        upstream = context.upstream_output
        metadata = upstream.definition_metadata if upstream is not None else context.metadata
    value = metadata.get(PARTITION_EXPR)
    expr = value.value if isinstance(value, MetadataValue) else value
    return str(expr) if expr else None


def _run(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    # duckdb 2 refuses new work on a connection while a result is not fully fetched.
    return conn.execute(sql, params).fetchall()


def _table_exists(conn: duckdb.DuckDBPyConnection, catalog: str, table: _Table) -> bool:
    rows = _run(
        conn,
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_schema = ? AND table_name = ?",
        [catalog, table.schema, table.name],
    )
    return bool(rows[0][0])
