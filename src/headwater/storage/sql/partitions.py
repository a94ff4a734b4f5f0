"""Data access for dynamic partitions: the ``dynamic_partitions`` table.

Keys are listed in the order they were first added (the table's autoincrement ``id``, never
reused). Adding keys ignores those that already exist, so adding is idempotent and safe to
repeat after a crash.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, select

from headwater.storage.sql.dialect import _dialect_insert, chunked
from headwater.storage.sql.schema import dynamic_partitions

_D = dynamic_partitions.c
# Rows per executemany call: bounds the memory of the parameter list, not a database limit.
_ROWS_PER_BATCH = 10_000


def add_partitions(
    conn: Connection, dialect: str, name: str, keys: Sequence[str], now: float
) -> None:
    """Add ``keys`` to the dynamic partitions ``name``, skipping keys that already exist.

    Rows go through the driver's ``executemany`` of a one-row ``INSERT ... ON CONFLICT DO
    NOTHING``, in batches of :data:`_ROWS_PER_BATCH`: each statement binds three values, far
    under SQLite's variable limit, so any number of keys can be added in one call (100,000 in
    about a second on SQLite). Multi-row ``VALUES`` statements were measured slower: SQLAlchemy
    compiles each one anew.

    Args:
        conn: a connection inside a write transaction.
        dialect: the dialect name.
        name: the dynamic partitions definition's name.
        keys: the keys, in order; duplicates in ``keys`` are added once.
        now: the creation timestamp to store.
    """
    unique = list(dict.fromkeys(keys))
    if not unique:
        return
    stmt = _dialect_insert(dialect, dynamic_partitions).on_conflict_do_nothing(
        index_elements=["partitions_def_name", "partition"]
    )
    for chunk in chunked(unique, _ROWS_PER_BATCH):
        rows = [
            {"partitions_def_name": name, "partition": k, "create_timestamp": now} for k in chunk
        ]
        conn.execute(stmt, rows)


def delete_partition(conn: Connection, name: str, key: str) -> None:
    """Delete one key of the dynamic partitions ``name`` (nothing happens if it is missing)."""
    conn.execute(
        delete(dynamic_partitions).where(_D.partitions_def_name == name, _D.partition == key)
    )


def get_partitions(conn: Connection, name: str) -> list[str]:
    """The keys of the dynamic partitions ``name`` in the order they were added."""
    stmt = select(_D.partition).where(_D.partitions_def_name == name).order_by(_D.id)
    return list(conn.execute(stmt).scalars())


def has_partition(conn: Connection, name: str, key: str) -> bool:
    """Whether ``key`` is one of the dynamic partitions ``name`` (one unique-index lookup)."""
    stmt = select(_D.id).where(_D.partitions_def_name == name, _D.partition == key).limit(1)
    return conn.execute(stmt).first() is not None
