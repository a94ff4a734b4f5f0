"""Data access for runs and run tags: functions taking an open SQLAlchemy connection."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from headwater.errors import StorageError
from headwater.events.types import EventType
from headwater.storage.records import Run, RunRecord, RunsFilter, RunStatus
from headwater.storage.sql.dialect import chunked, max_params, upsert
from headwater.storage.sql.rows import RUN_EVENT_STATUS as RUN_EVENT_STATUS
from headwater.storage.sql.rows import run_from_body, run_to_body, status_values
from headwater.storage.sql.schema import event_logs, run_tags, runs

_ORDER_COLUMNS = {
    "id": runs.c.id,
    "create_timestamp": runs.c.create_timestamp,
    "update_timestamp": runs.c.update_timestamp,
    "start_time": runs.c.start_time,
    "end_time": runs.c.end_time,
}


def run_from_row(row: Any) -> Run:
    """Rebuild a :class:`Run` from a ``runs`` row (needs run_id, status, run_body)."""
    return run_from_body(row.run_id, row.status, row.run_body)


def record_from_row(row: Any) -> RunRecord:
    """Rebuild a :class:`RunRecord` from a full ``runs`` row."""
    return RunRecord(
        storage_id=row.id,
        run=run_from_row(row),
        create_timestamp=row.create_timestamp,
        update_timestamp=row.update_timestamp,
        start_time=row.start_time,
        end_time=row.end_time,
    )


def insert_run(conn: Connection, dialect: str, run: Run, now: float) -> None:
    """Insert a run and its tags."""
    conn.execute(
        insert(runs).values(
            run_id=run.run_id,
            job_name=run.job_name,
            status=run.status.value,
            run_body=run_to_body(run),
            create_timestamp=now,
            update_timestamp=now,
        )
    )
    if run.tags:
        conn.execute(
            insert(run_tags),
            [{"run_id": run.run_id, "key": k, "value": v} for k, v in run.tags.items()],
        )


def add_run_tags(
    conn: Connection, dialect: str, run_id: str, tags: Mapping[str, str], now: float
) -> bool:
    """Merge ``tags`` into a run's tags; returns ``False`` if the run does not exist."""
    # Write first so that SQLite takes the write lock before the read below.
    touched = conn.execute(
        update(runs).where(runs.c.run_id == run_id).values(update_timestamp=now)
    ).rowcount
    if not touched:
        return False
    if not tags:
        return True
    stored = conn.execute(select(runs.c.run_body).where(runs.c.run_id == run_id)).scalar_one()
    body = json.loads(stored)
    body["tags"] = {**(body.get("tags") or {}), **tags}
    conn.execute(
        update(runs)
        .where(runs.c.run_id == run_id)
        .values(run_body=json.dumps(body, separators=(",", ":"), default=str))
    )
    stmt = upsert(
        dialect, run_tags, index_elements=["run_id", "key"], set_=lambda ex: {"value": ex.value}
    )
    conn.execute(stmt, [{"run_id": run_id, "key": k, "value": v} for k, v in tags.items()])
    return True


def delete_run(conn: Connection, run_id: str) -> None:
    """Delete a run, its tags and its events."""
    conn.execute(delete(event_logs).where(event_logs.c.run_id == run_id))
    conn.execute(delete(run_tags).where(run_tags.c.run_id == run_id))
    conn.execute(delete(runs).where(runs.c.run_id == run_id))


def update_status(
    conn: Connection, run_id: str, event_type: EventType, timestamp: float, now: float
) -> None:
    """Move a run's status for a RUN_* event, recording start and end times."""
    values = status_values(event_type, timestamp, now)
    conn.execute(update(runs).where(runs.c.run_id == run_id).values(**values))


def _timestamp(value: Any) -> float:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return float(value)


def _conditions(
    filters: RunsFilter | None, run_ids: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    if filters is None:
        return []
    conds: list[ColumnElement[bool]] = []
    if run_ids is not None:
        conds.append(runs.c.run_id.in_(run_ids))
    if filters.job_name is not None:
        conds.append(runs.c.job_name == filters.job_name)
    if filters.statuses is not None:
        conds.append(runs.c.status.in_([RunStatus(s).value for s in filters.statuses]))
    for key, value in (filters.tags or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        conds.append(
            exists().where(
                run_tags.c.run_id == runs.c.run_id,
                run_tags.c.key == key,
                run_tags.c.value.in_(values),
            )
        )
    if filters.created_after is not None:
        conds.append(runs.c.create_timestamp > _timestamp(filters.created_after))
    if filters.created_before is not None:
        conds.append(runs.c.create_timestamp < _timestamp(filters.created_before))
    return conds


def _run_id_chunks(dialect: str, filters: RunsFilter | None) -> list[Sequence[str] | None]:
    if filters is None or filters.run_ids is None:
        return [None]
    return list(chunked(list(dict.fromkeys(filters.run_ids)), max_params(dialect)))


def select_run_rows(
    conn: Connection,
    dialect: str,
    filters: RunsFilter | None,
    cursor: str | None,
    limit: int | None,
    ascending: bool,
    order_by: str | None = None,
) -> list[Any]:
    """Rows of the runs matching ``filters``, ordered by ``order_by`` (default: creation order).

    ``cursor`` is the run id after which to continue (exclusive); a cursor naming no run yields
    no rows. Runs with no value in ``order_by`` (e.g. not yet started) sort as oldest.

    Raises:
        StorageError: if ``order_by`` is not a known column.
    """
    column = _ORDER_COLUMNS.get(order_by or "id")
    if column is None:
        raise StorageError(
            f"Cannot order runs by {order_by!r}: use one of {sorted(_ORDER_COLUMNS)}."
        )
    key: ColumnElement[Any] = runs.c.id if column is runs.c.id else func.coalesce(column, 0)

    def direction(c: ColumnElement[Any]) -> ColumnElement[Any]:
        return c.asc() if ascending else c.desc()

    rows: list[Any] = []
    chunks = _run_id_chunks(dialect, filters)
    for run_ids in chunks:
        stmt = select(runs).where(*_conditions(filters, run_ids))
        if cursor is not None:
            stmt = stmt.where(_after_cursor(key, column, cursor, ascending))
        stmt = stmt.order_by(direction(key), direction(runs.c.id))
        if limit is not None:
            stmt = stmt.limit(limit)
        rows.extend(conn.execute(stmt).all())
    if len(chunks) > 1:
        attr = order_by or "id"
        rows.sort(key=lambda r: (getattr(r, attr) or 0, r.id), reverse=not ascending)
        rows = rows[:limit] if limit is not None else rows
    return rows


def _after_cursor(
    key: ColumnElement[Any], column: ColumnElement[Any], cursor: str, ascending: bool
) -> ColumnElement[bool]:
    at = runs.c.run_id == cursor
    cursor_id = select(runs.c.id).where(at).scalar_subquery()
    if column is runs.c.id:
        return runs.c.id > cursor_id if ascending else runs.c.id < cursor_id
    cursor_key = select(key).where(at).scalar_subquery()
    if ascending:
        return or_(key > cursor_key, and_(key == cursor_key, runs.c.id > cursor_id))
    return or_(key < cursor_key, and_(key == cursor_key, runs.c.id < cursor_id))


def count_runs(conn: Connection, dialect: str, filters: RunsFilter | None) -> int:
    """How many runs match ``filters``."""
    total = 0
    for run_ids in _run_id_chunks(dialect, filters):
        stmt = select(func.count()).select_from(runs).where(*_conditions(filters, run_ids))
        total += conn.execute(stmt).scalar_one()
    return total
