"""The SQLite write path of ``store_events``: the same statements, run on the driver directly.

Storing a step's events is the hottest write of headwater (once per step). Through SQLAlchemy's
Connection it costs about four times what SQLite itself needs, so on SQLite the batch runs on
the pooled DBAPI connection: each SQLAlchemy Core statement is compiled once (and cached), then
executed with ``executemany``. The data-access functions are unchanged: they receive a
:class:`SqliteWriteConnection`, which offers the two methods they use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.elements import ClauseElement

from headwater.errors import StorageError

_Compiled = tuple[str, tuple[str, ...], Mapping[str, Any]]
_CACHE: dict[tuple[int, tuple[str, ...]], tuple[ClauseElement, _Compiled]] = {}


class _Result:
    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def scalar_one(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise StorageError("Expected one row from the storage database, got none.")
        return row[0]


class SqliteWriteConnection:
    """Runs Core statements and plain SQL on a raw ``sqlite3`` connection in a transaction."""

    __slots__ = ("_raw", "dialect")

    def __init__(self, raw: sqlite3.Connection, dialect: Dialect) -> None:
        self._raw = raw
        self.dialect = dialect

    def execute(self, statement: ClauseElement, parameters: Any = None) -> _Result:
        """Execute a Core statement, once per row when ``parameters`` is a list of dicts."""
        rows: list[Mapping[str, Any]]
        if parameters is None:
            rows = []
        elif isinstance(parameters, Mapping):
            rows = [parameters]
        else:
            rows = list(parameters)
        sql, names, defaults = self._compile(statement, tuple(rows[0]) if rows else ())
        if not rows:
            return _Result(self._raw.execute(sql, tuple(defaults[n] for n in names)))
        batch = [tuple(row[n] if n in row else defaults[n] for n in names) for row in rows]
        if len(batch) == 1:
            return _Result(self._raw.execute(sql, batch[0]))
        return _Result(self._raw.executemany(sql, batch))

    def exec_driver_sql(self, sql: str, parameters: Any = None) -> _Result:
        """Execute plain SQL (``?`` placeholders); a list of tuples runs it once per tuple."""
        if isinstance(parameters, list):
            return _Result(self._raw.executemany(sql, parameters))
        return _Result(self._raw.execute(sql, parameters or ()))

    def _compile(self, statement: ClauseElement, keys: tuple[str, ...]) -> _Compiled:
        cache_key = (id(statement), keys)
        hit = _CACHE.get(cache_key)
        if hit is not None and hit[0] is statement:
            return hit[1]
        compiled = statement.compile(dialect=self.dialect, column_keys=list(keys))
        names = tuple(getattr(compiled, "positiontup", None) or ())
        result: _Compiled = (compiled.string, names, dict(compiled.params))
        if keys:  # statements executed with rows are the cached, reused ones
            _CACHE[cache_key] = (statement, result)  # the statement is kept: its id stays valid
        return result


@contextmanager
def sqlite_write_transaction(engine: Engine) -> Iterator[SqliteWriteConnection]:
    """A ``BEGIN IMMEDIATE`` transaction on a pooled connection, committed on success and rolled
    back (then re-raised as :class:`StorageError` for database errors) on failure."""
    fairy = engine.raw_connection()
    try:
        raw = fairy.driver_connection
        if not isinstance(raw, sqlite3.Connection):
            raise StorageError("The SQLite write path needs a sqlite3 connection.")
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield SqliteWriteConnection(raw, engine.dialect)
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StorageError(f"The storage database failed: {exc}") from exc
    finally:
        fairy.close()
