"""Reads of the asset index: latest events per asset and per partition, known asset keys.

These are the queries behind "what is the state of 10,000 assets": one statement on the
``asset_keys`` table, records decoded lazily (see :mod:`.lazy_record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from headwater.definitions.keys import AssetKey
from headwater.events.records import EventLogRecord
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

    One indexed read of the partition index joined to the runs of the latest planned
    materializations: a partition is MATERIALIZED when its latest materialization is at least
    as recent as its latest plan; otherwise its planning run decides: still running ->
    IN_PROGRESS, finished -> FAILED (the run did not materialize it).
    """
    p = asset_partitions.c
    # The run's status matters only when the partition's latest plan is newer than its latest
    # materialization; the subquery runs for those rows alone.
    run_status = (
        select(runs.c.status).where(runs.c.run_id == p.last_planned_run_id).scalar_subquery()
    )
    newer_plan = p.last_planned_storage_id > func.coalesce(p.last_materialization_storage_id, 0)
    stmt = select(
        p.partition,
        p.last_materialization_storage_id.is_not(None),
        case((newer_plan, func.coalesce(run_status, "")), else_=None),
    ).where(p.asset_key == asset_key.to_user_string())
    if conn.dialect.name == "sqlite":  # 100,000 rows: plain driver tuples, no Row objects
        compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            rows = cursor.execute(str(compiled)).fetchall()
        finally:
            cursor.close()
    else:
        rows = [tuple(r) for r in conn.execute(stmt)]
    out: dict[str, AssetPartitionStatus] = {}
    materialized, failed, running = (
        AssetPartitionStatus.MATERIALIZED,
        AssetPartitionStatus.FAILED,
        AssetPartitionStatus.IN_PROGRESS,
    )
    for partition, has_mat, run_status in rows:
        if run_status is None:  # no plan newer than the latest materialization
            if has_mat:
                out[partition] = materialized
        elif run_status in _IN_PROGRESS_RUN:
            out[partition] = running
        elif run_status == "":  # the planning run was deleted
            if has_mat:
                out[partition] = materialized
        else:
            out[partition] = failed
    return out
