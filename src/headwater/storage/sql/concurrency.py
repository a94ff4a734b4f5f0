"""Data access for concurrency pools: ``concurrency_limits`` (one row per pool with a limit) and
``concurrency_slots`` (one row per step holding a slot of a pool)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, literal, select, text

from headwater.storage.sql.dialect import upsert
from headwater.storage.sql.schema import concurrency_limits, concurrency_slots

_L = concurrency_limits.c
_S = concurrency_slots.c


def set_limit(conn: Connection, dialect: str, pool: str, limit: int, now: float) -> None:
    """Set (or replace) the slot limit of ``pool``."""
    stmt = upsert(
        dialect, concurrency_limits, index_elements=["pool"],
        set_=lambda ex: {"slot_limit": ex.slot_limit, "update_timestamp": ex.update_timestamp},
    )  # fmt: skip
    conn.execute(stmt, {"pool": pool, "slot_limit": limit, "update_timestamp": now})


def delete_limit(conn: Connection, pool: str) -> bool:
    """Remove the limit of ``pool``; whether it had one."""
    return bool(conn.execute(delete(concurrency_limits).where(_L.pool == pool)).rowcount)


def limits(conn: Connection) -> dict[str, int]:
    """Pool -> slot limit, for every pool with a limit set."""
    rows = conn.execute(select(_L.pool, _L.slot_limit).order_by(_L.pool)).all()
    return {row.pool: row.slot_limit for row in rows}


def claim(
    conn: Connection,
    dialect: str,
    *,
    pool: str,
    limit: int,
    run_id: str,
    step_key: str,
    now: float,
) -> bool:
    """Take a slot of ``pool`` for ``(run_id, step_key)`` if fewer than ``limit`` are taken.

    One conditional INSERT ... SELECT, so two claims cannot both take the last slot: on SQLite
    the write transaction serializes them; on PostgreSQL a transaction-level advisory lock on
    the pool does. A step that already holds a slot of the pool keeps it (True).
    """
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:pool))"), {"pool": pool})
    held = select(_S.id).where(_S.pool == pool, _S.run_id == run_id, _S.step_key == step_key)
    if conn.execute(held).first() is not None:
        return True
    taken = select(func.count()).select_from(concurrency_slots).where(_S.pool == pool)
    source = select(
        literal(pool), literal(run_id), literal(step_key), literal(now)
    ).where(taken.scalar_subquery() < limit)
    stmt = insert(concurrency_slots).from_select(
        ["pool", "run_id", "step_key", "claim_timestamp"], source
    )
    # RETURNING, not rowcount: drivers do not agree on the rowcount of INSERT ... SELECT.
    return conn.execute(stmt.returning(_S.id)).first() is not None


def release(conn: Connection, pool: str, run_id: str, step_key: str) -> bool:
    """Free the slot ``(run_id, step_key)`` holds in ``pool``; whether it held one."""
    result = conn.execute(
        delete(concurrency_slots).where(
            _S.pool == pool, _S.run_id == run_id, _S.step_key == step_key
        )
    )
    return bool(result.rowcount)


def release_run(conn: Connection, run_id: str) -> int:
    """Free every slot the steps of ``run_id`` hold (a run that ended or died); how many."""
    return int(conn.execute(delete(concurrency_slots).where(_S.run_id == run_id)).rowcount)


def slots(conn: Connection, pool: str | None = None) -> list[tuple[str, str, str, float]]:
    """``(pool, run_id, step_key, claim_timestamp)`` of every taken slot (of ``pool``)."""
    stmt = select(_S.pool, _S.run_id, _S.step_key, _S.claim_timestamp).order_by(_S.id)
    if pool is not None:
        stmt = stmt.where(_S.pool == pool)
    return [(r.pool, r.run_id, r.step_key, r.claim_timestamp) for r in conn.execute(stmt).all()]
