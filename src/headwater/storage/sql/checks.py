"""Data access for asset check evaluations: an index row per ``ASSET_CHECK_EVALUATION`` event.

Rows point at their event; reads join the event log, so evaluations whose events were deleted
(a deleted run, a wiped asset) disappear without maintenance here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.keys import AssetCheckKey, AssetKey
from headwater.storage.sql.rows import check_evaluation_rows
from headwater.storage.sql.schema import asset_check_executions, event_logs

_C = asset_check_executions.c


def index_evaluations(
    conn: Connection, events: Sequence[EventLogEntry], ids: Sequence[int], now: float
) -> None:
    """Add a row for every check evaluation among just-inserted events."""
    rows = check_evaluation_rows(events, ids, now)
    if rows:
        conn.execute(asset_check_executions.insert(), rows)


def select_evaluations(
    conn: Connection, check_key: AssetCheckKey, limit: int | None = None
) -> list[EventLogRecord]:
    """Evaluation events of ``check_key``, newest first."""
    stmt = (
        select(event_logs.c.id, event_logs.c.body)
        .join(asset_check_executions, event_logs.c.id == _C.evaluation_event_storage_id)
        .where(
            _C.asset_key == check_key.asset_key.to_user_string(),
            _C.check_name == check_key.name,
        )
        .order_by(_C.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        EventLogRecord(storage_id=int(row.id), event_log_entry=EventLogEntry.from_json(row.body))
        for row in conn.execute(stmt)
    ]


def select_latest_evaluations(conn: Connection) -> dict[AssetCheckKey, EventLogRecord]:
    """The latest evaluation event of every check that has one, in one query (rows whose event
    was deleted with its run do not count, as in :func:`select_evaluations`)."""
    latest = (
        select(func.max(_C.id))
        .join(event_logs, event_logs.c.id == _C.evaluation_event_storage_id)
        .group_by(_C.asset_key, _C.check_name)
    )
    stmt = (
        select(event_logs.c.id, event_logs.c.body, _C.asset_key, _C.check_name)
        .join(asset_check_executions, event_logs.c.id == _C.evaluation_event_storage_id)
        .where(_C.id.in_(latest))
    )
    out: dict[AssetCheckKey, EventLogRecord] = {}
    for row in conn.execute(stmt):
        key = AssetCheckKey(AssetKey.from_user_string(row.asset_key), row.check_name)
        out[key] = EventLogRecord(storage_id=int(row.id),
                                  event_log_entry=EventLogEntry.from_json(row.body))  # fmt: skip
    return out
