"""The asset index: the latest events per asset and per partition, kept up to date on write.

A row of ``asset_keys`` is *known* while ``last_event_storage_id`` is set; a wipe clears it.
Upserts only ever move an entry forward (to a larger storage id), so concurrent writers whose
transactions commit out of storage-id order cannot move it backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.sql.dml import Insert

from headwater.definitions.keys import AssetKey
from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.storage.records import AssetRecord
from headwater.storage.sql.dialect import Excluded, chunked, greatest, max_params, upsert
from headwater.storage.sql.schema import asset_keys, asset_partitions, event_logs

MAT = EventType.ASSET_MATERIALIZATION
OBS = EventType.ASSET_OBSERVATION
PLANNED = EventType.ASSET_MATERIALIZATION_PLANNED

#: The events that make up an asset's history; wiping the asset deletes them.
HISTORY_EVENTS = (MAT, OBS, PLANNED, EventType.ASSET_CHECK_EVALUATION)

_A = asset_keys.c


_KIND_COLUMNS = {
    MAT: ("last_materialization_storage_id", "last_materialization"),
    OBS: ("last_observation_storage_id", "last_observation"),
}


def update_index(
    conn: Connection,
    dialect: str,
    events: Sequence[EventLogEntry],
    ids: Sequence[int],
    bodies: Sequence[str],
    now: float,
) -> None:
    """Fold a batch of just-inserted events into the asset index."""
    latest: dict[EventType, dict[str, dict[str, Any]]] = {MAT: {}, OBS: {}, PLANNED: {}}
    partitions: dict[EventType, dict[tuple[str, str], dict[str, Any]]] = {MAT: {}, OBS: {}}
    failed: dict[str, str] = {}
    for event, storage_id, body in zip(events, ids, bodies, strict=True):
        kind = event.event_type
        if event.asset_key is None:
            continue
        key = event.asset_key.to_user_string()
        if kind in latest:
            row: dict[str, Any] = {
                "asset_key": key,
                "last_event_storage_id": storage_id,
                "updated_timestamp": now,
            }
            if kind is not OBS:
                row["last_run_id"] = event.run_id or None
            if kind in _KIND_COLUMNS:
                id_column, body_column = _KIND_COLUMNS[kind]
                row[id_column] = storage_id
                row[body_column] = body
                if event.partition is not None:
                    partitions[kind][key, event.partition] = {
                        "asset_key": key,
                        "partition": event.partition,
                        id_column: storage_id,
                        "updated_timestamp": now,
                    }
            latest[kind][key] = row  # later events of the batch win
        elif kind is EventType.STEP_FAILURE and event.run_id:
            failed[key] = event.run_id
    for kind, rows in latest.items():
        if rows:
            conn.execute(_asset_upsert(dialect, kind), list(rows.values()))
    for kind, partition_rows in partitions.items():
        if partition_rows:
            conn.execute(_partition_upsert(dialect, kind), list(partition_rows.values()))
    for key, run_id in failed.items():
        stmt = update(asset_keys).where(_A.asset_key == key).values(last_failed_run_id=run_id)
        conn.execute(stmt)


def _asset_upsert(dialect: str, kind: EventType) -> Insert:
    """Upsert of ``asset_keys`` for one event kind; executed with rows keyed by column name."""
    id_column, body_column = _KIND_COLUMNS.get(kind, ("last_event_storage_id", None))

    def set_(ex: Excluded) -> dict[str, Any]:
        values: dict[str, Any] = {
            "last_event_storage_id": greatest(
                dialect, func.coalesce(_A.last_event_storage_id, 0), ex.last_event_storage_id
            ),
            "updated_timestamp": ex.updated_timestamp,
        }
        if body_column is not None:
            values[id_column] = ex[id_column]
            values[body_column] = ex[body_column]
        if kind is not OBS:
            values["last_run_id"] = func.coalesce(ex.last_run_id, _A.last_run_id)
        return values

    return upsert(
        dialect,
        asset_keys,
        index_elements=["asset_key"],
        set_=set_,
        where=lambda ex: func.coalesce(_A[id_column], 0) < ex[id_column],
    )


def _partition_upsert(dialect: str, kind: EventType) -> Insert:
    id_column = _KIND_COLUMNS[kind][0]
    return upsert(
        dialect,
        asset_partitions,
        index_elements=["asset_key", "partition"],
        set_=lambda ex: {id_column: ex[id_column], "updated_timestamp": ex.updated_timestamp},
        where=lambda ex: func.coalesce(asset_partitions.c[id_column], 0) < ex[id_column],
    )


def rebuild(conn: Connection, dialect: str, keys: Iterable[str], now: float) -> None:
    """Recompute the index entries of ``keys`` from the events that remain in the log.

    Used after events were deleted (a deleted run, a wiped asset). An asset none of whose
    asset events remain becomes unknown.
    """
    key_list = sorted(set(keys))
    for chunk in chunked(key_list, max_params(dialect) // 4):
        if not chunk:
            continue
        c = event_logs.c
        latest = conn.execute(
            select(c.asset_key, c.event_type, func.max(c.id))
            .where(c.asset_key.in_(chunk), c.event_type.in_([t.value for t in (MAT, OBS, PLANNED)]))
            .group_by(c.asset_key, c.event_type)
        ).all()
        by_key: dict[str, dict[str, int]] = {key: {} for key in chunk}
        for key, kind, storage_id in latest:
            by_key[key][kind] = int(storage_id)
        wanted = [i for ids in by_key.values() for i in ids.values()]
        rows = {
            r.id: r
            for ids in chunked(wanted, max_params(dialect))
            if ids
            for r in conn.execute(select(c.id, c.run_id, c.body).where(c.id.in_(ids)))
        }
        for key, ids in by_key.items():
            mat, obs, planned = (ids.get(t.value) for t in (MAT, OBS, PLANNED))
            last_run = max((i for i in (mat, planned) if i is not None), default=None)
            values = {
                "last_event_storage_id": max(ids.values(), default=None),
                "last_materialization_storage_id": mat,
                "last_materialization": rows[mat].body if mat is not None else None,
                "last_observation_storage_id": obs,
                "last_observation": rows[obs].body if obs is not None else None,
                "last_run_id": (rows[last_run].run_id or None) if last_run is not None else None,
                "updated_timestamp": now,
            }
            if values["last_event_storage_id"] is None:
                values["last_failed_run_id"] = None
            conn.execute(update(asset_keys).where(_A.asset_key == key).values(**values))
        conn.execute(delete(asset_partitions).where(asset_partitions.c.asset_key.in_(chunk)))
        _rebuild_partitions(conn, chunk, now)


def _rebuild_partitions(conn: Connection, keys: Sequence[str], now: float) -> None:
    c = event_logs.c
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, (column, _) in _KIND_COLUMNS.items():
        stmt = (
            select(c.asset_key, c.partition, func.max(c.id))
            .where(c.asset_key.in_(keys), c.event_type == kind.value, c.partition.is_not(None))
            .group_by(c.asset_key, c.partition)
        )
        for key, partition, storage_id in conn.execute(stmt):
            row = found.setdefault(
                (key, partition),
                {
                    "asset_key": key,
                    "partition": partition,
                    "last_materialization_storage_id": None,
                    "last_observation_storage_id": None,
                    "updated_timestamp": now,
                },
            )
            row[column] = int(storage_id)
    if found:
        conn.execute(asset_partitions.insert(), list(found.values()))


def wipe(conn: Connection, key: AssetKey, now: float) -> None:
    """Delete an asset's history events and partition entries and mark its entry wiped."""
    text = key.to_user_string()
    conn.execute(
        delete(event_logs).where(
            event_logs.c.asset_key == text,
            event_logs.c.event_type.in_([t.value for t in HISTORY_EVENTS]),
        )
    )
    conn.execute(delete(asset_partitions).where(asset_partitions.c.asset_key == text))
    conn.execute(
        update(asset_keys)
        .where(_A.asset_key == text)
        .values(
            last_event_storage_id=None,
            last_materialization_storage_id=None,
            last_materialization=None,
            last_observation_storage_id=None,
            last_observation=None,
            last_run_id=None,
            last_failed_run_id=None,
            wipe_timestamp=now,
            updated_timestamp=now,
        )
    )


def latest_materializations(
    conn: Connection, dialect: str, keys: Sequence[AssetKey] | None
) -> dict[AssetKey, EventLogRecord]:
    """The latest materialization of each of ``keys`` (or of every asset) from the index."""
    stmt = select(_A.last_materialization_storage_id, _A.last_materialization).where(
        _A.last_materialization_storage_id.is_not(None)
    )
    result: dict[AssetKey, EventLogRecord] = {}
    for chunk in _key_chunks(dialect, keys):
        query = stmt if chunk is None else stmt.where(_A.asset_key.in_(chunk))
        for storage_id, body in conn.execute(query):
            entry = EventLogEntry.from_json(body)
            if entry.asset_key is not None:
                record = EventLogRecord(storage_id=storage_id, event_log_entry=entry)
                result[entry.asset_key] = record
    return result


def asset_records(
    conn: Connection, dialect: str, keys: Sequence[AssetKey] | None
) -> list[AssetRecord]:
    """Index entries of the known assets among ``keys`` (or all), sorted by key string."""
    stmt = select(asset_keys).where(_A.last_event_storage_id.is_not(None))
    rows: list[Any] = []
    for chunk in _key_chunks(dialect, keys):
        rows.extend(conn.execute(stmt if chunk is None else stmt.where(_A.asset_key.in_(chunk))))
    rows.sort(key=lambda r: str(r.asset_key))
    records = []
    for row in rows:
        mat = _record(row.last_materialization_storage_id, row.last_materialization)
        obs = _record(row.last_observation_storage_id, row.last_observation)
        # The event bodies keep the key's path exactly; the column holds its "a/b" form.
        key = next((r.asset_key for r in (mat, obs) if r is not None and r.asset_key), None)
        records.append(
            AssetRecord(
                asset_key=key or AssetKey.from_user_string(row.asset_key),
                last_materialization_record=mat,
                last_observation_record=obs,
                last_run_id=row.last_run_id,
                last_failed_run_id=row.last_failed_run_id,
                wipe_timestamp=row.wipe_timestamp,
            )
        )
    return records


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
        partition: EventLogRecord(storage_id=i, event_log_entry=EventLogEntry.from_json(body))
        for partition, i, body in conn.execute(stmt)
    }


def _key_chunks(dialect: str, keys: Sequence[AssetKey] | None) -> list[list[str] | None]:
    if keys is None:
        return [None]
    texts = list(dict.fromkeys(k.to_user_string() for k in keys))
    return [list(chunk) for chunk in chunked(texts, max_params(dialect))]


def _record(storage_id: int | None, body: str | None) -> EventLogRecord | None:
    if storage_id is None or body is None:
        return None
    return EventLogRecord(storage_id=storage_id, event_log_entry=EventLogEntry.from_json(body))
