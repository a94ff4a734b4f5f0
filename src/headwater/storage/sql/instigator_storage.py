"""The schedule and sensor part of :class:`~headwater.storage.sql.storage.SqlStorage`: the
methods of :class:`~headwater.storage.base.InstigatorStorage`, on the rows of
:mod:`headwater.storage.sql.instigators`."""

from __future__ import annotations

import time
from collections.abc import Collection
from contextlib import AbstractContextManager

from sqlalchemy import Connection

from headwater.errors import StorageError
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
from headwater.storage.sql import instigators as rows


class InstigatorSqlMethods:
    """Mixed into ``SqlStorage``, which provides ``_read``, ``_write`` and ``_dialect``."""

    _dialect: str

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover (SqlStorage's)

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover (SqlStorage's)

    def get_instigator_state(self, instigator: InstigatorId) -> InstigatorState | None:
        """The stored state of the schedule or sensor, or ``None``."""
        with self._read() as conn:
            return rows.get_state(conn, instigator)

    def get_instigator_states(
        self,
        instigator_type: InstigatorType | None = None,
        location_name: str | None = None,
    ) -> list[InstigatorState]:
        """Every stored state (of that kind, of that location)."""
        with self._read() as conn:
            return rows.get_states(conn, instigator_type, location_name)

    def update_instigator_state(
        self,
        instigator: InstigatorId,
        *,
        status: InstigatorStatus | Keep | None = KEEP,
        cursor: str | Keep | None = KEEP,
        last_tick_timestamp: float | Keep | None = KEEP,
    ) -> InstigatorState:
        """Write the fields not left at ``KEEP``; the state afterwards."""
        with self._write() as conn:
            return rows.update_state(
                conn, self._dialect, instigator, time.time(), status=status, cursor=cursor,
                last_tick_timestamp=last_tick_timestamp,
            )  # fmt: skip

    def add_tick(self, tick: InstigatorTick) -> InstigatorTick:
        """Store a new tick; the tick with its ``tick_id``."""
        from dataclasses import replace

        with self._write() as conn:
            return replace(tick, tick_id=rows.add_tick(conn, tick))

    def update_tick(self, tick: InstigatorTick) -> None:
        """Replace the stored tick ``tick.tick_id``.

        Raises:
            StorageError: no tick has that id.
        """
        with self._write() as conn:
            found = tick.tick_id is not None and rows.update_tick(conn, tick)
        if not found:
            raise StorageError(
                f"Cannot update tick {tick.tick_id!r} of {tick.instigator.describe()}: no such "
                "tick; store it with add_tick first."
            )

    def get_ticks(
        self,
        instigator: InstigatorId,
        *,
        limit: int | None = None,
        statuses: Collection[TickStatus] | None = None,
        after: float | None = None,
        before: float | None = None,
    ) -> list[InstigatorTick]:
        """Ticks of the schedule or sensor, newest first."""
        with self._read() as conn:
            return rows.get_ticks(
                conn, instigator, limit=limit, statuses=statuses, after=after, before=before
            )

    def claim_run_key(self, instigator: InstigatorId, run_key: str, run_id: str) -> str:
        """Claim ``run_key`` for ``run_id`` unless claimed; the run id that holds it."""
        with self._write() as conn:
            return rows.claim_run_key(conn, self._dialect, instigator, run_key, run_id,
                                      time.time())  # fmt: skip

    def get_run_ids_for_run_keys(
        self, instigator: InstigatorId, run_keys: Collection[str]
    ) -> dict[str, str]:
        """Run key -> run id, for the keys of ``run_keys`` already claimed."""
        with self._read() as conn:
            return rows.run_ids_for_keys(conn, self._dialect, instigator, run_keys)


__all__ = ["InstigatorSqlMethods"]
