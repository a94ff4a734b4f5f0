"""Data access for schedules and sensors: ``instigator_states``, ``instigator_ticks`` and
``instigator_run_keys`` (see :mod:`headwater.storage.instigator_records`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from headwater.storage.instigator_records import (
    KEEP,
    InstigatorId,
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    Keep,
    TickStatus,
)
from headwater.storage.sql.dialect import (
    Excluded,
    chunked,
    insert_ignoring_conflicts,
    max_params,
    upsert,
)
from headwater.storage.sql.schema import instigator_run_keys, instigator_states, instigator_ticks

_S = instigator_states.c
_T = instigator_ticks.c
_K = instigator_run_keys.c
_ID_COLUMNS = ("instigator_type", "location_name", "name")


def _id_values(instigator: InstigatorId) -> dict[str, str]:
    return {
        "instigator_type": str(instigator.instigator_type),
        "location_name": instigator.location_name,
        "name": instigator.name,
    }


def _is(table_columns: Any, instigator: InstigatorId) -> Any:
    return and_(
        table_columns.instigator_type == str(instigator.instigator_type),
        table_columns.location_name == instigator.location_name,
        table_columns.name == instigator.name,
    )


# -- states ----------------------------------------------------------------------------------
def get_state(conn: Connection, instigator: InstigatorId) -> InstigatorState | None:
    """The stored state of ``instigator``, or ``None``."""
    row = conn.execute(select(instigator_states).where(_is(_S, instigator))).first()
    return None if row is None else _state(row)


def get_states(
    conn: Connection, instigator_type: InstigatorType | None, location_name: str | None
) -> list[InstigatorState]:
    """Every stored state (of that kind, of that location), by kind, location and name."""
    stmt = select(instigator_states).order_by(_S.instigator_type, _S.location_name, _S.name)
    if instigator_type is not None:
        stmt = stmt.where(_S.instigator_type == str(instigator_type))
    if location_name is not None:
        stmt = stmt.where(_S.location_name == location_name)
    return [_state(row) for row in conn.execute(stmt)]


def update_state(
    conn: Connection,
    dialect: str,
    instigator: InstigatorId,
    now: float,
    *,
    status: InstigatorStatus | Keep | None,
    cursor: str | Keep | None,
    last_tick_timestamp: float | Keep | None,
) -> InstigatorState:
    """Write the fields not given as ``KEEP`` (creating the row); the state afterwards."""
    given: dict[str, Any] = {}
    if status is not KEEP:
        given["status"] = None if status is None else str(status)
    if cursor is not KEEP:
        given["cursor"] = cursor
    if last_tick_timestamp is not KEEP:
        given["last_tick_timestamp"] = last_tick_timestamp
    row = {"status": None, "cursor": None, "last_tick_timestamp": None, **given}

    def set_(ex: Excluded) -> dict[str, Any]:
        return {name: getattr(ex, name) for name in [*given, "update_timestamp"]}

    stmt = upsert(dialect, instigator_states, index_elements=_ID_COLUMNS, set_=set_)
    written = conn.execute(
        stmt.returning(*instigator_states.c),
        {**_id_values(instigator), **row, "update_timestamp": now},
    ).one()
    return _state(written)


def _state(row: Any) -> InstigatorState:
    return InstigatorState(
        instigator=_instigator(row),
        status=None if row.status is None else InstigatorStatus(row.status),
        cursor=row.cursor,
        last_tick_timestamp=row.last_tick_timestamp,
        update_timestamp=row.update_timestamp,
    )


def _instigator(row: Any) -> InstigatorId:
    return InstigatorId(
        instigator_type=InstigatorType(row.instigator_type),
        location_name=row.location_name,
        name=row.name,
    )


# -- ticks -----------------------------------------------------------------------------------
def _tick_values(tick: InstigatorTick) -> dict[str, Any]:
    return {
        "timestamp": tick.timestamp,
        "status": str(tick.status),
        "end_timestamp": tick.end_timestamp,
        "body": tick.body_json(),
    }


def add_tick(conn: Connection, tick: InstigatorTick) -> int:
    """Insert ``tick``; its storage id."""
    values = {**_id_values(tick.instigator), **_tick_values(tick)}
    return int(conn.execute(insert(instigator_ticks).values(values).returning(_T.id)).scalar_one())


def update_tick(conn: Connection, tick: InstigatorTick) -> bool:
    """Replace the stored tick ``tick.tick_id``; whether it exists."""
    stmt = update(instigator_ticks).where(_T.id == tick.tick_id).values(_tick_values(tick))
    return bool(conn.execute(stmt).rowcount)


def get_ticks(
    conn: Connection,
    instigator: InstigatorId,
    *,
    limit: int | None,
    statuses: Collection[TickStatus] | None,
    after: float | None,
    before: float | None,
) -> list[InstigatorTick]:
    """Ticks of ``instigator``, newest (highest id) first."""
    stmt = select(instigator_ticks).where(_is(_T, instigator)).order_by(_T.id.desc())
    if statuses is not None:
        stmt = stmt.where(_T.status.in_([str(s) for s in statuses]))
    if after is not None:
        stmt = stmt.where(_T.timestamp > after)
    if before is not None:
        stmt = stmt.where(_T.timestamp < before)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_tick(row) for row in conn.execute(stmt)]


def _tick(row: Any) -> InstigatorTick:
    return InstigatorTick(
        instigator=_instigator(row),
        timestamp=row.timestamp,
        status=TickStatus(row.status),
        tick_id=row.id,
        end_timestamp=row.end_timestamp,
        **InstigatorTick.body_fields(row.body),
    )


# -- run keys --------------------------------------------------------------------------------
def claim_run_key(
    conn: Connection, dialect: str, instigator: InstigatorId, run_key: str, run_id: str, now: float
) -> str:
    """Record that ``run_key`` launches ``run_id`` unless it is recorded already; the run id
    recorded for it afterwards (``run_id`` when this call claimed it)."""
    stmt = insert_ignoring_conflicts(
        dialect, instigator_run_keys, index_elements=[*_ID_COLUMNS, "run_key"]
    )
    values = {**_id_values(instigator), "run_key": run_key, "run_id": run_id,
              "create_timestamp": now}  # fmt: skip
    conn.execute(stmt, values)
    found = select(_K.run_id).where(_is(_K, instigator), _K.run_key == run_key)
    return str(conn.execute(found).scalar_one())


def run_ids_for_keys(
    conn: Connection, dialect: str, instigator: InstigatorId, run_keys: Collection[str]
) -> dict[str, str]:
    """Run key -> the run id it was claimed with, for the keys of ``run_keys`` claimed."""
    found: dict[str, str] = {}
    for chunk in chunked(sorted(set(run_keys)), max_params(dialect) - 8):
        stmt = select(_K.run_key, _K.run_id).where(_is(_K, instigator), _K.run_key.in_(chunk))
        found.update({row.run_key: row.run_id for row in conn.execute(stmt)})
    return found
