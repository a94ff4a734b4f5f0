"""Data access for backfills: the ``backfills`` table.

The backfill (its assets, partitions, tags and plan of runs) is JSON in ``body``; its status
and timestamps are columns, so listing backfills by status is one indexed query that parses
only the rows it returns.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from headwater.storage.backfill_records import (
    BulkActionStatus,
    PartitionBackfill,
    backfill_from_json,
    backfill_to_json,
)
from headwater.storage.sql.schema import backfills

_B = backfills.c


def insert_backfill(conn: Connection, backfill: PartitionBackfill, now: float) -> None:
    """Insert a new backfill row (an existing id raises ``IntegrityError``).

    A backfill without timestamps gets ``now`` for both.
    """
    created = backfill.create_timestamp or now
    conn.execute(
        insert(backfills).values(
            backfill_id=backfill.backfill_id,
            status=backfill.status.value,
            body=backfill_to_json(backfill),
            create_timestamp=created,
            update_timestamp=backfill.update_timestamp or created,
        )
    )


def update_backfill(conn: Connection, backfill: PartitionBackfill, now: float) -> bool:
    """Replace the stored backfill with the same id; whether it existed.

    The creation timestamp is kept; the update timestamp becomes ``now``.
    """
    result = conn.execute(
        update(backfills)
        .where(_B.backfill_id == backfill.backfill_id)
        .values(status=backfill.status.value, body=backfill_to_json(backfill), update_timestamp=now)
    )
    return bool(result.rowcount)


def select_backfill(conn: Connection, backfill_id: str) -> PartitionBackfill | None:
    """The backfill with ``backfill_id``, or ``None``."""
    row = conn.execute(select(backfills).where(_B.backfill_id == backfill_id)).first()
    return None if row is None else backfill_from_row(row)


def select_status(conn: Connection, backfill_id: str) -> BulkActionStatus | None:
    """The status of the backfill with ``backfill_id``, or ``None``."""
    value = conn.execute(select(_B.status).where(_B.backfill_id == backfill_id)).scalar()
    return None if value is None else BulkActionStatus(value)


def select_backfills(
    conn: Connection,
    status: BulkActionStatus | None,
    limit: int | None,
    cursor: str | None,
) -> list[PartitionBackfill]:
    """Backfills newest first, optionally of one status, after the backfill id ``cursor``.

    A cursor naming no stored backfill yields an empty page.
    """
    stmt = select(backfills).order_by(_B.id.desc())
    if status is not None:
        stmt = stmt.where(_B.status == status.value)
    if cursor is not None:
        position = select(_B.id).where(_B.backfill_id == cursor).scalar_subquery()
        stmt = stmt.where(_B.id < position)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [backfill_from_row(row) for row in conn.execute(stmt)]


def backfill_from_row(row: Any) -> PartitionBackfill:
    """Rebuild a :class:`PartitionBackfill` from a ``backfills`` row."""
    return backfill_from_json(
        row.body,
        backfill_id=row.backfill_id,
        status=row.status,
        create_timestamp=row.create_timestamp,
        update_timestamp=row.update_timestamp,
    )
