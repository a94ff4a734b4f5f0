"""Data access for daemon heartbeats: the ``daemon_heartbeats`` table (one row per loop)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, or_, select

from headwater.storage.daemon_records import DaemonHeartbeat, info_from_json, info_to_json
from headwater.storage.sql.dialect import Excluded, upsert
from headwater.storage.sql.schema import daemon_heartbeats

_H = daemon_heartbeats.c


def claim(
    conn: Connection,
    dialect: str,
    heartbeat: DaemonHeartbeat,
    expired_before: float,
    replacing: str | None,
) -> DaemonHeartbeat:
    """Write ``heartbeat`` unless another live daemon holds its loop; the row afterwards.

    One statement (an upsert whose update is conditional), so two daemons claiming at once
    cannot both win: the row is replaced only when it belongs to the same daemon, to the daemon
    ``replacing`` names, or to one whose heartbeat is older than ``expired_before``.
    """
    hb = heartbeat

    def set_(ex: Excluded) -> dict[str, Any]:
        return {
            "daemon_id": ex.daemon_id,
            "timestamp": ex.timestamp,
            "info": ex.info,
            "last_error": func.coalesce(ex.last_error, _H.last_error),
            "last_error_timestamp": func.coalesce(ex.last_error_timestamp, _H.last_error_timestamp),
            "cursor": func.coalesce(ex.cursor, _H.cursor),
        }

    def where(ex: Excluded) -> Any:
        conditions = [_H.daemon_id == ex.daemon_id, _H.timestamp < expired_before]
        if replacing is not None:
            conditions.append(_H.daemon_id == replacing)
        return or_(*conditions)

    stmt = upsert(dialect, daemon_heartbeats, index_elements=["loop_name"], set_=set_, where=where)
    conn.execute(
        stmt,
        {
            "loop_name": hb.loop_name,
            "daemon_id": hb.daemon_id,
            "timestamp": hb.timestamp,
            "last_error": hb.last_error,
            "last_error_timestamp": hb.last_error_timestamp if hb.last_error is not None else None,
            "cursor": hb.cursor,
            "info": info_to_json(hb.info),
        },
    )
    row = conn.execute(select(daemon_heartbeats).where(_H.loop_name == hb.loop_name)).one()
    return _from_row(row)


def select_all(conn: Connection) -> list[DaemonHeartbeat]:
    """Every heartbeat row, by loop name."""
    rows = conn.execute(select(daemon_heartbeats).order_by(_H.loop_name)).all()
    return [_from_row(row) for row in rows]


def release(conn: Connection, loop_name: str, daemon_id: str) -> bool:
    """Delete the row of ``loop_name`` if ``daemon_id`` holds it; whether it did."""
    result = conn.execute(
        delete(daemon_heartbeats).where(_H.loop_name == loop_name, _H.daemon_id == daemon_id)
    )
    return bool(result.rowcount)


def _from_row(row: Any) -> DaemonHeartbeat:
    return DaemonHeartbeat(
        loop_name=row.loop_name,
        daemon_id=row.daemon_id,
        timestamp=row.timestamp,
        last_error=row.last_error,
        last_error_timestamp=row.last_error_timestamp,
        cursor=row.cursor,
        info=info_from_json(row.info),
    )
