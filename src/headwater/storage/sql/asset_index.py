"""The asset index: the latest events per asset and per partition, kept up to date on write.

A row of ``asset_keys`` is *known* while ``last_event_storage_id`` is set; a wipe clears it.
Upserts only ever move an entry forward (to a larger storage id), so concurrent writers whose
transactions commit out of storage-id order cannot move it backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.sql.dml import Insert

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.sql.dialect import Excluded, chunked, greatest, max_params, upsert
from headwater.storage.sql.rows import KIND_COLUMNS, MAT, OBS, PLANNED, index_rows
from headwater.storage.sql.schema import asset_keys, asset_partitions, event_logs

#: The events that make up an asset's history; wiping the asset deletes them.
HISTORY_EVENTS = (MAT, OBS, PLANNED, EventType.ASSET_CHECK_EVALUATION)

_A = asset_keys.c
_KIND_COLUMNS = KIND_COLUMNS


def update_index(
    conn: Connection,
    dialect: str,
    events: Sequence[EventLogEntry],
    ids: Sequence[int],
    bodies: Sequence[str],
    now: float,
) -> None:
    """Fold a batch of just-inserted events into the asset index."""
    rows = index_rows(events, ids, bodies, now)
    for kind, asset_rows in rows.assets.items():
        conn.execute(_asset_upsert(dialect, kind), asset_rows)
    for kind, partition_rows in rows.partitions.items():
        conn.execute(_partition_upsert(dialect, kind), partition_rows)
    if rows.planned:
        conn.execute(_planned_partition_upsert(dialect), rows.planned)
    for key, run_id in rows.failed.items():
        stmt = update(asset_keys).where(_A.asset_key == key).values(last_failed_run_id=run_id)
        conn.execute(stmt)


@cache  # statements are immutable; building one (its `excluded` alias) is slow
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


@cache
def _partition_upsert(dialect: str, kind: EventType) -> Insert:
    id_column = _KIND_COLUMNS[kind][0]
    return upsert(
        dialect,
        asset_partitions,
        index_elements=["asset_key", "partition"],
        set_=lambda ex: {id_column: ex[id_column], "updated_timestamp": ex.updated_timestamp},
        where=lambda ex: func.coalesce(asset_partitions.c[id_column], 0) < ex[id_column],
    )


@cache
def _planned_partition_upsert(dialect: str) -> Insert:
    column = asset_partitions.c.last_planned_storage_id
    return upsert(
        dialect,
        asset_partitions,
        index_elements=["asset_key", "partition"],
        set_=lambda ex: {
            "last_planned_storage_id": ex.last_planned_storage_id,
            "last_planned_run_id": ex.last_planned_run_id,
            "updated_timestamp": ex.updated_timestamp,
        },
        where=lambda ex: func.coalesce(column, 0) < ex.last_planned_storage_id,
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
                    "last_planned_storage_id": None,
                    "last_planned_run_id": None,
                    "updated_timestamp": now,
                },
            )
            row[column] = int(storage_id)
    planned_ids = (
        select(func.max(c.id))
        .where(c.asset_key.in_(keys), c.event_type == PLANNED.value, c.partition.is_not(None))
        .group_by(c.asset_key, c.partition)
    )
    for key, partition, storage_id, run_id in conn.execute(
        select(c.asset_key, c.partition, c.id, c.run_id).where(c.id.in_(planned_ids))
    ):
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
        row["last_planned_storage_id"] = int(storage_id)
        row["last_planned_run_id"] = run_id or None
    for row in found.values():
        row.setdefault("last_planned_storage_id", None)
        row.setdefault("last_planned_run_id", None)
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
