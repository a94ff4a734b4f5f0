"""Data access for asset check evaluations: an index row per ``ASSET_CHECK_EVALUATION`` event.

Rows point at their event; reads join the event log, so evaluations whose events were deleted
(a deleted run, a wiped asset) disappear without maintenance here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.keys import AssetCheckKey
from headwater.storage.sql.schema import asset_check_executions, event_logs

_C = asset_check_executions.c


def index_evaluations(
    conn: Connection, events: Sequence[EventLogEntry], ids: Sequence[int], now: float
) -> None:
    """Add a row for every check evaluation among just-inserted events."""
    rows: list[dict[str, Any]] = [
        {
            "asset_key": event.asset_key.to_user_string(),
            "check_name": str(event.data["check_name"]),
            "partition": event.partition,
            "run_id": event.run_id or None,
            "passed": bool(event.data.get("passed")),
            "evaluation_event_storage_id": storage_id,
            "create_timestamp": now,
        }
        for event, storage_id in zip(events, ids, strict=True)
        if event.event_type is EventType.ASSET_CHECK_EVALUATION
        and event.asset_key is not None
        and "check_name" in event.data
    ]
    if not rows:
        return
    if conn.dialect.name == "sqlite":  # once per step with checks: skip statement compilation
        columns = list(rows[0])
        sql = (
            f"INSERT INTO asset_check_executions ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        conn.exec_driver_sql(sql, [tuple(r[c] for c in columns) for r in rows])
        return
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
