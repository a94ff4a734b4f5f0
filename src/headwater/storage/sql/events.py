"""Data access for the event log: functions taking an open SQLAlchemy connection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from sqlalchemy import ColumnElement, Connection, insert, select
from sqlalchemy.sql.dml import Insert

from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.sql.dialect import chunked, max_params
from headwater.storage.sql.lazy_record import StoredEventLogRecord
from headwater.storage.sql.rows import EVENT_COLUMNS, event_columns
from headwater.storage.sql.schema import event_logs


def insert_events(
    conn: Connection,
    events: Sequence[EventLogEntry],
    bodies: Sequence[str],
    statements: EventInserts | None = None,
) -> list[int]:
    """Insert events in order (one multi-row statement) and return their storage ids.

    ``statements``: the single-row and multi-row inserts to use (default :data:`INSERTS`); their
    first returned column must be the id (a dialect may return more, such as a notification).
    """
    one, many = statements or INSERTS
    rows = [
        dict(zip(EVENT_COLUMNS, event_columns(e, body), strict=True))
        for e, body in zip(events, bodies, strict=True)
    ]
    if len(rows) == 1:
        return [int(conn.execute(one, rows[0]).first()[0])]  # type: ignore[index]
    return [int(i) for i in conn.execute(many, rows).scalars()]


EventInserts = tuple[Insert, Insert]


def returning_inserts(*extra: ColumnElement[Any]) -> EventInserts:
    """The inserts of :func:`insert_events`, returning the id and then ``extra``."""
    return (
        insert(event_logs).returning(event_logs.c.id, *extra),
        insert(event_logs).returning(event_logs.c.id, *extra, sort_by_parameter_order=True),
    )


#: The event inserts of every dialect (PostgreSQL storage adds a notification to them).
INSERTS = returning_inserts()


def record_from_row(row: Any) -> EventLogRecord:
    """An :class:`EventLogRecord` from a row with ``id`` and ``body``."""
    return StoredEventLogRecord.from_stored(row.id, row.body)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventQuery:
    """Conditions on the event log (all optional; every given one must hold)."""

    event_types: Sequence[EventType] | None = None
    asset_key: AssetKey | None = None
    run_id: str | None = None
    run_ids: Sequence[str] | None = None
    partitions: Sequence[str] | None = None
    after_id: int | None = None
    before_id: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None

    def conditions(
        self, run_ids: Sequence[str] | None, partitions: Sequence[str] | None
    ) -> list[ColumnElement[bool]]:
        """WHERE clauses, with one chunk of ``run_ids`` / ``partitions`` in place of the lists."""
        c = event_logs.c
        conds: list[ColumnElement[bool]] = []
        if self.run_id is not None:
            conds.append(c.run_id == self.run_id)
        if self.asset_key is not None:
            conds.append(c.asset_key == self.asset_key.to_user_string())
        if self.event_types is not None:
            types = [t.value for t in self.event_types]
            conds.append(c.event_type == types[0] if len(types) == 1 else c.event_type.in_(types))
        if run_ids is not None:
            conds.append(c.run_id.in_(run_ids))
        if partitions is not None:
            conds.append(c.partition.in_(partitions))
        if self.after_id is not None:
            conds.append(c.id > self.after_id)
        if self.before_id is not None:
            conds.append(c.id < self.before_id)
        if self.after_timestamp is not None:
            conds.append(c.timestamp > self.after_timestamp)
        if self.before_timestamp is not None:
            conds.append(c.timestamp < self.before_timestamp)
        return conds


def _chunks(values: Sequence[str] | None, size: int) -> list[Sequence[str] | None]:
    if values is None:
        return [None]
    return list(chunked(list(dict.fromkeys(values)), size))


def select_events(
    conn: Connection,
    dialect: str,
    query: EventQuery,
    *,
    limit: int | None = None,
    ascending: bool = True,
) -> list[EventLogRecord]:
    """Events matching ``query`` ordered by storage id, at most ``limit`` of them.

    Long ``run_ids`` / ``partitions`` lists are split into several statements whose results
    are merged, so that no statement exceeds the dialect's bound-parameter limit.
    """
    size = max_params(dialect) // 2
    combos = list(product(_chunks(query.run_ids, size), _chunks(query.partitions, size)))
    order = event_logs.c.id.asc() if ascending else event_logs.c.id.desc()
    rows: list[Any] = []
    for run_ids, partitions in combos:
        stmt = (
            select(event_logs.c.id, event_logs.c.body)
            .where(*query.conditions(run_ids, partitions))
            .order_by(order)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        rows.extend(conn.execute(stmt).all())
    if len(combos) > 1:
        rows.sort(key=lambda r: int(r.id), reverse=not ascending)
        rows = rows[:limit] if limit is not None else rows
    return [record_from_row(row) for row in rows]
