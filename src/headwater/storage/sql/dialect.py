"""Everything that differs between the SQL dialects headwater supports (SQLite, PostgreSQL).

The rest of :mod:`headwater.storage.sql` is dialect-neutral SQLAlchemy Core and calls these
helpers for upserts, ``greatest`` and the number of bound parameters a statement may carry.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Table, func
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.dml import Insert

from headwater.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")

#: Execution option marking a write transaction (SQLite begins those with BEGIN IMMEDIATE, so a
#: writer takes the lock up front instead of failing to upgrade a read lock under contention).
WRITE_OPTION = "headwater_write"

Excluded = ReadOnlyColumnCollection[str, Any]

# SQLite >= 3.32 accepts 32,766 bound parameters per statement, older ones 999; psycopg 65,535.
# Keep a margin for the other parameters of the statement.
_SQLITE_MAX_PARAMS = 30_000 if sqlite3.sqlite_version_info >= (3, 32) else 900
_POSTGRES_MAX_PARAMS = 30_000


def max_params(dialect_name: str) -> int:
    """How many values an ``IN`` list of one statement may hold on this dialect."""
    return _SQLITE_MAX_PARAMS if dialect_name == "sqlite" else _POSTGRES_MAX_PARAMS


def chunked(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Split ``values`` into slices of at most ``size`` (one empty slice when it is empty)."""
    if not values:
        yield values
        return
    for start in range(0, len(values), size):
        yield values[start : start + size]


def upsert(
    dialect_name: str,
    table: Table,
    *,
    index_elements: Sequence[str],
    set_: Callable[[Excluded], Mapping[str, Any]],
    where: Callable[[Excluded], ColumnElement[bool]] | None = None,
) -> Insert:
    """An ``INSERT ... ON CONFLICT (index_elements) DO UPDATE`` statement.

    Args:
        dialect_name: ``"sqlite"`` or ``"postgresql"``.
        table: the table to insert into.
        index_elements: the columns of the unique constraint that may conflict.
        set_: given the ``excluded`` pseudo-row, the column values to set on conflict.
        where: given ``excluded``, the condition under which the conflicting row is updated.

    Returns:
        The statement, to execute with one parameter dict per row.

    Raises:
        StorageError: for a dialect headwater does not support.
    """
    stmt = _dialect_insert(dialect_name, table)
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=list(index_elements),
        set_=dict(set_(excluded)),
        where=where(excluded) if where is not None else None,
    )


def insert_ignoring_conflicts(
    dialect_name: str, table: Table, *, index_elements: Sequence[str]
) -> Insert:
    """An ``INSERT ... ON CONFLICT (index_elements) DO NOTHING`` statement (a row that exists
    already is left as it is).

    Raises:
        StorageError: for a dialect headwater does not support.
    """
    return _dialect_insert(dialect_name, table).on_conflict_do_nothing(
        index_elements=list(index_elements)
    )


def _dialect_insert(dialect_name: str, table: Table) -> sqlite.Insert | postgresql.Insert:
    # Imported here: the PostgreSQL dialect alone costs ~50 ms of import time.
    if dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    raise StorageError(
        f"Unsupported database dialect {dialect_name!r}: headwater supports sqlite and postgresql."
    )


def greatest(dialect_name: str, *values: ColumnElement[Any]) -> ColumnElement[Any]:
    """The largest of ``values`` (SQLite's scalar ``max``, PostgreSQL's ``greatest``).

    A NULL argument makes SQLite's ``max`` NULL but is ignored by ``greatest``; callers wrap
    nullable values in ``coalesce``.
    """
    if dialect_name == "sqlite":
        return func.max(*values)
    return func.greatest(*values)
