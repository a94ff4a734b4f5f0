"""Data access for what runs outside the calling process: plan snapshots, worker heartbeats and
the conditional status update that claims a run.

Functions take an open SQLAlchemy connection; the SQLite hot path
(:mod:`headwater.storage.sql.sqlite_hot_path`) has the same statements on the driver.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Connection, delete, select, update

from headwater.storage.records import RunStatus, RunWorkerHeartbeat
from headwater.storage.sql.dialect import _dialect_insert, chunked, max_params, upsert
from headwater.storage.sql.schema import run_worker_heartbeats, runs, snapshots

_H = run_worker_heartbeats.c


def add_snapshot(
    conn: Connection, dialect: str, snapshot_id: str, kind: str, body: str, now: float
) -> None:
    """Insert a snapshot unless one with ``snapshot_id`` exists (content-addressed: same id,
    same body)."""
    stmt = _dialect_insert(dialect, snapshots).on_conflict_do_nothing(
        index_elements=["snapshot_id"]
    )
    conn.execute(
        stmt, {"snapshot_id": snapshot_id, "kind": kind, "body": body, "create_timestamp": now}
    )


def get_snapshot(conn: Connection, snapshot_id: str) -> str | None:
    """The JSON body of a snapshot, or ``None``."""
    stmt = select(snapshots.c.body).where(snapshots.c.snapshot_id == snapshot_id)
    return conn.execute(stmt).scalar()


def update_status_if(
    conn: Connection, run_id: str, expected: Collection[RunStatus], new: RunStatus, now: float
) -> bool:
    """Set a run's status to ``new`` only if it is one of ``expected`` (one statement: of two
    concurrent callers, exactly one sees ``True``)."""
    stmt = (
        update(runs)
        .where(runs.c.run_id == run_id, runs.c.status.in_([s.value for s in expected]))
        .values(status=new.value, update_timestamp=now)
    )
    return bool(conn.execute(stmt).rowcount)


def record_heartbeat(conn: Connection, dialect: str, heartbeat: RunWorkerHeartbeat) -> None:
    """Insert or replace the heartbeat of ``heartbeat.run_id``."""
    stmt = upsert(
        dialect,
        run_worker_heartbeats,
        index_elements=["run_id"],
        set_=lambda ex: {"pid": ex.pid, "hostname": ex.hostname, "timestamp": ex.timestamp},
    )
    conn.execute(
        stmt,
        {
            "run_id": heartbeat.run_id,
            "pid": heartbeat.pid,
            "hostname": heartbeat.hostname,
            "timestamp": heartbeat.timestamp,
        },
    )


def get_heartbeats(
    conn: Connection, dialect: str, run_ids: Sequence[str] | None
) -> dict[str, RunWorkerHeartbeat]:
    """The heartbeats of ``run_ids`` (every run's when ``None``), by run id."""
    rows = []
    if run_ids is None:
        rows = list(conn.execute(select(run_worker_heartbeats)))
    else:
        for chunk in chunked(list(dict.fromkeys(run_ids)), max_params(dialect)):
            if chunk:
                stmt = select(run_worker_heartbeats).where(_H.run_id.in_(chunk))
                rows.extend(conn.execute(stmt))
    return {
        row.run_id: RunWorkerHeartbeat(
            run_id=row.run_id, pid=row.pid, hostname=row.hostname, timestamp=row.timestamp
        )
        for row in rows
    }


def delete_heartbeat(conn: Connection, run_id: str) -> None:
    """Forget a run's heartbeat (the run is deleted)."""
    conn.execute(delete(run_worker_heartbeats).where(_H.run_id == run_id))
