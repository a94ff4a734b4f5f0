"""Reads of the asset index: latest events per asset and per partition, known asset keys.

These are the queries behind "what is the state of 10,000 assets": one statement on the
``asset_keys`` table, records decoded lazily (see :mod:`.lazy_record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from headwater.events.records import EventLogRecord
from headwater.keys import AssetKey
from headwater.storage.records import AssetPartitionStatus, AssetRecord, RunStatus
from headwater.storage.sql.dialect import max_params
from headwater.storage.sql.lazy_record import StoredEventLogRecord
from headwater.storage.sql.schema import asset_keys, asset_partitions, event_logs, runs

_A = asset_keys.c

# From this many keys on, reading the whole index and filtering in Python beats an IN list
# (SQLite probes the index once per listed key, about three times the cost of scanning a row).
_SCAN_FROM = 1000


def _index_rows(
    conn: Connection,
    dialect: str,
    keys: Sequence[AssetKey] | None,
    columns: Sequence[Any],
    condition: ColumnElement[bool],
) -> list[tuple[AssetKey, Any]]:
    """``(key, row)`` of the index rows meeting ``condition``, for ``keys`` (or all)."""
    stmt = select(_A.asset_key, *columns).where(condition)
    if keys is None:
        return [(AssetKey.from_user_string(row[0]), row) for row in conn.execute(stmt).all()]
    wanted = {key.to_user_string(): key for key in keys}
    if not wanted:
        return []
    if len(wanted) < min(_SCAN_FROM, max_params(dialect)):
        stmt = stmt.where(_A.asset_key.in_(list(wanted)))
    get = wanted.get
    return [(key, row) for row in conn.execute(stmt).all() if (key := get(row[0])) is not None]


def latest_materializations(
    conn: Connection, dialect: str, keys: Sequence[AssetKey] | None
) -> dict[AssetKey, EventLogRecord]:
    """The latest materialization of each of ``keys`` (or of every asset) that has one."""
    new = StoredEventLogRecord.from_stored
    if dialect == "sqlite" and (keys is None or len(keys) >= _SCAN_FROM):
        # The "state of 10,000 assets" path: plain driver tuples, no SQLAlchemy Row objects.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            rows = cursor.execute(_SQLITE_LATEST).fetchall()
        finally:
            cursor.close()
        if keys is None:
            return {AssetKey.from_user_string(k): new(i, body) for k, i, body in rows}
        get = {key.to_user_string(): key for key in keys}.get
        return {key: new(i, body) for k, i, body in rows if (key := get(k)) is not None}
    columns = (_A.last_materialization_storage_id, _A.last_materialization)
    condition = _A.last_materialization_storage_id.is_not(None)
    index_rows = _index_rows(conn, dialect, keys, columns, condition)
    return {key: new(row[1], row[2]) for key, row in index_rows}


_SQLITE_LATEST = (
    "SELECT asset_key, last_materialization_storage_id, last_materialization FROM asset_keys"
    " WHERE last_materialization_storage_id IS NOT NULL"
)


def asset_records(
    conn: Connection, dialect: str, keys: Sequence[AssetKey] | None
) -> list[AssetRecord]:
    """Index entries of the known assets among ``keys`` (or all), sorted by key string."""
    columns = [c for c in asset_keys.c if c.name != "asset_key"]
    rows = _index_rows(conn, dialect, keys, columns, _A.last_event_storage_id.is_not(None))
    return [
        AssetRecord(
            asset_key=key,
            last_materialization_record=_record(
                row.last_materialization_storage_id, row.last_materialization
            ),
            last_observation_record=_record(row.last_observation_storage_id, row.last_observation),
            last_run_id=row.last_run_id,
            last_failed_run_id=row.last_failed_run_id,
            wipe_timestamp=row.wipe_timestamp,
        )
        for key, row in sorted(rows, key=lambda pair: str(pair[1].asset_key))
    ]


def asset_key_page(
    conn: Connection, prefix: Sequence[str] | None, limit: int | None, cursor: str | None
) -> list[AssetKey]:
    """Known asset keys in key-string order, after ``cursor`` (a key string), under ``prefix``."""
    stmt = select(_A.asset_key).where(_A.last_event_storage_id.is_not(None))
    if prefix:
        text = "/".join(prefix)
        under = func.substr(_A.asset_key, 1, len(text) + 1) == text + "/"
        stmt = stmt.where((_A.asset_key == text) | under)
    if cursor is not None:
        stmt = stmt.where(_A.asset_key > cursor)
    stmt = stmt.order_by(_A.asset_key)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [AssetKey.from_user_string(k) for k in conn.execute(stmt).scalars()]


def materialized_partitions(conn: Connection, key: AssetKey) -> set[str]:
    """The partitions of ``key`` that have been materialized at least once."""
    p = asset_partitions.c
    stmt = select(p.partition).where(
        p.asset_key == key.to_user_string(), p.last_materialization_storage_id.is_not(None)
    )
    return set(conn.execute(stmt).scalars())


def latest_by_partition(conn: Connection, key: AssetKey) -> dict[str, EventLogRecord]:
    """The latest materialization of each materialized partition of ``key``."""
    p = asset_partitions.c
    stmt = (
        select(p.partition, event_logs.c.id, event_logs.c.body)
        .join(event_logs, event_logs.c.id == p.last_materialization_storage_id)
        .where(p.asset_key == key.to_user_string())
    )
    return {
        partition: StoredEventLogRecord.from_stored(storage_id, body)
        for partition, storage_id, body in conn.execute(stmt)
    }


def _record(storage_id: int | None, body: str | None) -> EventLogRecord | None:
    if storage_id is None or body is None:
        return None
    return StoredEventLogRecord.from_stored(storage_id, body)


_IN_PROGRESS_RUN = frozenset(
    {
        RunStatus.QUEUED.value,
        RunStatus.NOT_STARTED.value,
        RunStatus.STARTING.value,
        RunStatus.STARTED.value,
        RunStatus.CANCELING.value,
    }
)


def partition_statuses(conn: Connection, asset_key: AssetKey) -> dict[str, AssetPartitionStatus]:
    """The status of every partition of ``asset_key`` that was ever planned or materialized.

    Two reads of the partition index (covered by ``idx_asset_partitions_status``): the
    partitions whose latest materialization is at least as recent as their latest plan are
    MATERIALIZED; for the others (usually few) the planning run decides: still running ->
    IN_PROGRESS, finished -> FAILED (the run did not materialize it).
    """
    p = asset_partitions.c
    key = p.asset_key == asset_key.to_user_string()
    mat, planned = p.last_materialization_storage_id, p.last_planned_storage_id
    settled = select(p.partition).where(
        key, mat.is_not(None), (planned.is_(None)) | (mat >= planned)
    )
    pending = (
        select(p.partition, mat.is_not(None), func.coalesce(runs.c.status, ""))
        .select_from(asset_partitions.outerjoin(runs, runs.c.run_id == p.last_planned_run_id))
        .where(key, planned > func.coalesce(mat, 0))
    )
    out: dict[str, AssetPartitionStatus] = dict.fromkeys(
        _scalars(conn, settled), AssetPartitionStatus.MATERIALIZED
    )
    for partition, has_mat, run_status in _rows(conn, pending):
        if run_status in _IN_PROGRESS_RUN:
            out[partition] = AssetPartitionStatus.IN_PROGRESS
        elif run_status == "":  # the planning run was deleted
            if has_mat:
                out[partition] = AssetPartitionStatus.MATERIALIZED
        else:
            out[partition] = AssetPartitionStatus.FAILED
    return out


def _rows(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    if conn.dialect.name != "sqlite":
        return [tuple(r) for r in conn.execute(stmt)]
    # 100,000 rows: plain driver tuples, no Row objects
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(str(compiled)).fetchall()  # type: ignore[no-any-return]
    finally:
        cursor.close()


def _scalars(conn: Connection, stmt: Any) -> Any:
    if conn.dialect.name != "sqlite":
        return conn.execute(stmt).scalars().all()
    return [row[0] for row in _rows(conn, stmt)]
