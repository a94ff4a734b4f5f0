"""The SQLite hot path: what every run does, as plain SQL on a ``sqlite3`` connection.

A run opens storage, inserts itself, stores each step's events and reads itself back. On
SQLite those calls run here, on the driver, with no SQLAlchemy import (about a third of the
import time of ``headwater materialize``) and no statement compilation. The statements are the
SQLite text of the Core statements in ``runs``, ``events``, ``asset_index`` and ``checks``; the
rows come from :mod:`headwater.storage.sql.rows`, shared with the Core path, and a test stores
the same events both ways and compares every table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence

from headwater.events.records import EventLogEntry
from headwater.storage.records import Run, RunStatus, RunWorkerHeartbeat
from headwater.storage.revisions import VERSION_TABLE
from headwater.storage.sql import rows
from headwater.storage.sql.rows import KIND_COLUMNS, MAT, OBS, PLANNED

_INSERT_RUN = (
    "INSERT INTO runs (run_id, job_name, status, run_body, create_timestamp, update_timestamp)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
_INSERT_RUN_TAG = "INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)"
_SELECT_RUN = "SELECT run_id, status, run_body FROM runs WHERE run_id = ?"
_INSERT_EVENT = (
    f"INSERT INTO event_logs ({', '.join(rows.EVENT_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in rows.EVENT_COLUMNS)})"
)
_INSERT_SNAPSHOT = (
    "INSERT INTO snapshots (snapshot_id, kind, body, create_timestamp) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (snapshot_id) DO NOTHING"
)
_SELECT_SNAPSHOT = "SELECT body FROM snapshots WHERE snapshot_id = ?"
_UPSERT_HEARTBEAT = (
    "INSERT INTO run_worker_heartbeats (run_id, pid, hostname, timestamp) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (run_id) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,"
    " timestamp = excluded.timestamp"
)
_SELECT_HEARTBEATS = "SELECT run_id, pid, hostname, timestamp FROM run_worker_heartbeats"
_SET_FAILED_RUN = "UPDATE asset_keys SET last_failed_run_id = ? WHERE asset_key = ?"
_INSERT_CHECK = (
    "INSERT INTO asset_check_executions (asset_key, check_name, partition, run_id, passed,"
    " evaluation_event_storage_id, create_timestamp) VALUES (:asset_key, :check_name,"
    " :partition, :run_id, :passed, :evaluation_event_storage_id, :create_timestamp)"
)


def _asset_upsert(id_column: str, body_column: str | None, sets_run: bool) -> str:
    # Mirrors asset_index._asset_upsert: the entry only moves forward, the run id is kept when
    # the event has none.
    columns = ["asset_key", "last_event_storage_id"]
    sets = [
        "last_event_storage_id = max(coalesce(asset_keys.last_event_storage_id, 0),"
        " excluded.last_event_storage_id)"
    ]
    if body_column is not None:
        columns += [id_column, body_column]
        sets += [f"{c} = excluded.{c}" for c in (id_column, body_column)]
    if sets_run:
        columns.append("last_run_id")
        sets.append("last_run_id = coalesce(excluded.last_run_id, asset_keys.last_run_id)")
    columns.append("updated_timestamp")
    sets.append("updated_timestamp = excluded.updated_timestamp")
    return (
        f"INSERT INTO asset_keys ({', '.join(columns)})"
        f" VALUES ({', '.join(':' + c for c in columns)})"
        f" ON CONFLICT (asset_key) DO UPDATE SET {', '.join(sets)}"
        f" WHERE coalesce(asset_keys.{id_column}, 0) < excluded.{id_column}"
    )


def _partition_upsert(columns: Sequence[str], id_column: str) -> str:
    all_columns = ["asset_key", "partition", *columns, "updated_timestamp"]
    sets = [f"{c} = excluded.{c}" for c in (*columns, "updated_timestamp")]
    return (
        f"INSERT INTO asset_partitions ({', '.join(all_columns)})"
        f" VALUES ({', '.join(':' + c for c in all_columns)})"
        f" ON CONFLICT (asset_key, partition) DO UPDATE SET {', '.join(sets)}"
        f" WHERE coalesce(asset_partitions.{id_column}, 0) < excluded.{id_column}"
    )


_ASSET_UPSERTS = {
    MAT: _asset_upsert(*KIND_COLUMNS[MAT], sets_run=True),
    OBS: _asset_upsert(*KIND_COLUMNS[OBS], sets_run=False),
    PLANNED: _asset_upsert("last_event_storage_id", None, sets_run=True),
}
_PARTITION_UPSERTS = {
    kind: _partition_upsert([KIND_COLUMNS[kind][0]], KIND_COLUMNS[kind][0]) for kind in (MAT, OBS)
}
_PLANNED_UPSERT = _partition_upsert(
    ["last_planned_storage_id", "last_planned_run_id"], "last_planned_storage_id"
)


def read_revision(conn: sqlite3.Connection) -> str | None:
    """The stored schema revision, or ``None`` when the database has no revision table."""
    try:
        row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return None if row is None else str(row[0])


def is_empty(conn: sqlite3.Connection) -> bool:
    """Whether the database has no tables at all (a new file or memory)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is None


def insert_run(conn: sqlite3.Connection, run: Run, now: float) -> None:
    """Insert a run and its tags (raises ``sqlite3.IntegrityError`` for a duplicate id)."""
    conn.execute(
        _INSERT_RUN,
        (run.run_id, run.job_name, run.status.value, rows.run_to_body(run), now, now),
    )
    if run.tags:
        conn.executemany(_INSERT_RUN_TAG, [(run.run_id, k, v) for k, v in run.tags.items()])


def select_run(conn: sqlite3.Connection, run_id: str) -> Run | None:
    """The run with ``run_id``, or ``None``."""
    row = conn.execute(_SELECT_RUN, (run_id,)).fetchone()
    return None if row is None else rows.run_from_body(*row)


def store_events(
    conn: sqlite3.Connection, events: Sequence[EventLogEntry], bodies: Sequence[str], now: float
) -> list[int]:
    """Insert events, fold them into the asset and check indexes, move run statuses.

    Runs inside the caller's ``BEGIN IMMEDIATE`` transaction: the write lock makes the batch's
    AUTOINCREMENT ids consecutive, ending at ``last_insert_rowid()``.
    """
    conn.executemany(
        _INSERT_EVENT, [rows.event_columns(e, body) for e, body in zip(events, bodies, strict=True)]
    )
    last = int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])
    ids = list(range(last - len(events) + 1, last + 1))
    index = rows.index_rows(events, ids, bodies, now)
    for kind, asset_rows in index.assets.items():
        conn.executemany(_ASSET_UPSERTS[kind], asset_rows)
    for kind, partition_rows in index.partitions.items():
        conn.executemany(_PARTITION_UPSERTS[kind], partition_rows)
    if index.planned:
        conn.executemany(_PLANNED_UPSERT, index.planned)
    for key, run_id in index.failed.items():
        conn.execute(_SET_FAILED_RUN, (run_id, key))
    checks = rows.check_evaluation_rows(events, ids, now)
    if checks:
        conn.executemany(_INSERT_CHECK, checks)
    for event in events:
        if event.run_id and event.event_type in rows.RUN_EVENT_STATUS:
            values = rows.status_values(event.event_type, event.timestamp, now)
            sets = ", ".join(f"{column} = :{column}" for column in values)
            conn.execute(
                f"UPDATE runs SET {sets} WHERE run_id = :run_id", {**values, "run_id": event.run_id}
            )
    return ids


def insert_snapshot(
    conn: sqlite3.Connection, snapshot_id: str, kind: str, body: str, now: float
) -> None:
    """Insert a snapshot unless its id exists."""
    conn.execute(_INSERT_SNAPSHOT, (snapshot_id, kind, body, now))


def select_snapshot(conn: sqlite3.Connection, snapshot_id: str) -> str | None:
    """The JSON body of a snapshot, or ``None``."""
    row = conn.execute(_SELECT_SNAPSHOT, (snapshot_id,)).fetchone()
    return None if row is None else str(row[0])


def update_status_if(
    conn: sqlite3.Connection,
    run_id: str,
    expected: Collection[RunStatus],
    new: RunStatus,
    now: float,
) -> bool:
    """Set the run's status to ``new`` if it is one of ``expected``; whether it was."""
    marks = ", ".join("?" for _ in expected)
    cursor = conn.execute(
        "UPDATE runs SET status = ?, update_timestamp = ?"
        f" WHERE run_id = ? AND status IN ({marks})",
        (new.value, now, run_id, *(s.value for s in expected)),
    )
    return cursor.rowcount == 1


def upsert_heartbeat(conn: sqlite3.Connection, heartbeat: RunWorkerHeartbeat) -> None:
    """Insert or replace a run worker's heartbeat."""
    row = (heartbeat.run_id, heartbeat.pid, heartbeat.hostname, heartbeat.timestamp)
    conn.execute(_UPSERT_HEARTBEAT, row)


def select_heartbeats(
    conn: sqlite3.Connection, run_ids: Sequence[str] | None
) -> dict[str, RunWorkerHeartbeat]:
    """The heartbeats of ``run_ids`` (all when ``None``), by run id."""
    if run_ids is None:
        rows = conn.execute(_SELECT_HEARTBEATS).fetchall()
    else:
        rows = []
        unique = list(dict.fromkeys(run_ids))
        for start in range(0, len(unique), 900):
            chunk = unique[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            query = f"{_SELECT_HEARTBEATS} WHERE run_id IN ({marks})"
            rows += conn.execute(query, chunk).fetchall()
    return {
        run_id: RunWorkerHeartbeat(run_id=run_id, pid=pid, hostname=hostname, timestamp=ts)
        for run_id, pid, hostname, ts in rows
    }
