"""Retention: delete old runs and old log events in short transactions.

Every delete is one small write transaction (a few thousand rows at most, sized so that it
lasts about :data:`TARGET_BATCH_MS`), with a pause between transactions so that writers waiting
for SQLite's lock get it. What is never deleted is described in
:mod:`headwater.storage.maintenance`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, func, not_, select

from headwater.events.types import EventType
from headwater.storage.backfill_records import BACKFILL_ID_TAG, BulkActionStatus
from headwater.storage.maintenance import SECONDS_PER_DAY, RetentionPolicy, VacuumReport
from headwater.storage.records import RunStatus
from headwater.storage.sql.asset_index import HISTORY_EVENTS
from headwater.storage.sql.schema import (
    asset_keys,
    asset_partitions,
    backfills,
    concurrency_slots,
    event_logs,
    run_tags,
    run_worker_heartbeats,
    runs,
)

#: How long one delete transaction should last, in milliseconds.
TARGET_BATCH_MS = 20.0
_MIN_BATCH, _MAX_BATCH, _FIRST_BATCH = 100, 5_000, 500
_RUNS_PER_CHUNK = 200

_HISTORY = sorted(t.value for t in HISTORY_EVENTS)
_RUN_EVENTS = sorted(t.value for t in EventType if t.value.startswith("RUN_"))
_FINISHED = sorted(s.value for s in (RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED))

Open = Callable[[], AbstractContextManager[Connection]]


@dataclass(slots=True)
class _Progress:
    dry_run: bool
    runs: int = 0
    events: int = 0
    batches: int = 0
    longest_ms: float = 0.0
    batch_size: int = _FIRST_BATCH
    deadline: float | None = None
    complete: bool = True

    def out_of_time(self) -> bool:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.complete = False
        return not self.complete

    def timed(self, seconds: float) -> None:
        ms = seconds * 1000
        self.batches += 1
        self.longest_ms = max(self.longest_ms, ms)
        if ms > TARGET_BATCH_MS:
            self.batch_size = max(_MIN_BATCH, self.batch_size // 2)
        elif ms < TARGET_BATCH_MS / 3:
            self.batch_size = min(_MAX_BATCH, self.batch_size * 2)


def vacuum(
    read: Open,
    write: Open,
    policy: RetentionPolicy,
    *,
    now: float,
    dry_run: bool,
    pause_seconds: float,
    time_limit: float | None = None,
) -> VacuumReport:
    """Apply ``policy`` (see :meth:`headwater.storage.base.Storage.vacuum`)."""
    started = time.perf_counter()
    progress = _Progress(dry_run=dry_run)
    if time_limit is not None:
        progress.deadline = time.monotonic() + time_limit
    if policy.runs_days is not None:
        cutoff = now - policy.runs_days * SECONDS_PER_DAY
        _purge_runs(read, write, cutoff, policy.keep_failed, progress, pause_seconds)
    if policy.event_logs_days is not None:
        cutoff = now - policy.event_logs_days * SECONDS_PER_DAY
        _purge_events(read, write, cutoff, progress, pause_seconds)
    return VacuumReport(
        dry_run=dry_run,
        runs_deleted=progress.runs,
        events_deleted=progress.events,
        batches=progress.batches,
        longest_batch_ms=round(progress.longest_ms, 1),
        seconds=round(time.perf_counter() - started, 3),
        complete=progress.complete,
    )


def _finished_before(cutoff: float) -> ColumnElement[bool]:
    ended = func.coalesce(runs.c.end_time, runs.c.update_timestamp)
    return and_(runs.c.status.in_(_FINISHED), ended < cutoff)


def _named_by_index() -> list[ColumnElement[bool]]:
    """Runs the asset index points at, and runs of a backfill that may still be resumed (a
    resume re-executes the requests without a successful run): never deleted."""
    a, p, t, b = asset_keys.c, asset_partitions.c, run_tags.c, backfills.c
    of_open_backfill = exists().where(
        t.run_id == runs.c.run_id,
        t.key == BACKFILL_ID_TAG,
        b.backfill_id == t.value,
        b.status != BulkActionStatus.COMPLETED_SUCCESS.value,
    )
    return [
        not_(exists().where(a.last_run_id == runs.c.run_id)),
        not_(exists().where(a.last_failed_run_id == runs.c.run_id)),
        not_(exists().where(p.last_planned_run_id == runs.c.run_id)),
        not_(of_open_backfill),
    ]


def _purge_runs(
    read: Open, write: Open, cutoff: float, keep_failed: bool, progress: _Progress, pause: float
) -> None:
    conditions = [_finished_before(cutoff), *_named_by_index()]
    if keep_failed:
        conditions.append(runs.c.status != RunStatus.FAILURE.value)
    after = 0
    while not progress.out_of_time():
        query = (
            select(runs.c.id, runs.c.run_id)
            .where(*conditions, runs.c.id > after)
            .order_by(runs.c.id)
            .limit(_RUNS_PER_CHUNK)
        )
        with read() as conn:
            chunk = conn.execute(query).all()
        if not chunk:
            return
        after = chunk[-1].id
        run_ids = [row.run_id for row in chunk]
        _delete_events(read, write, run_ids, _HISTORY, progress, pause)
        if progress.out_of_time():
            return  # the runs' remaining rows go next time
        progress.runs += len(run_ids)
        if progress.dry_run:
            continue
        started = time.perf_counter()
        with write() as conn:
            for table in (run_tags, run_worker_heartbeats, concurrency_slots):
                conn.execute(delete(table).where(table.c.run_id.in_(run_ids)))
            conn.execute(delete(runs).where(runs.c.run_id.in_(run_ids)))
        progress.timed(time.perf_counter() - started)


def _purge_events(
    read: Open, write: Open, cutoff: float, progress: _Progress, pause: float
) -> None:
    kept = [*_HISTORY, *_RUN_EVENTS]
    e = event_logs.c
    has_purgeable = exists().where(e.run_id == runs.c.run_id, e.event_type.not_in(kept))
    after = 0
    while not progress.out_of_time():
        query = (
            select(runs.c.id, runs.c.run_id)
            .where(_finished_before(cutoff), runs.c.id > after, has_purgeable)
            .order_by(runs.c.id)
            .limit(_RUNS_PER_CHUNK)
        )
        with read() as conn:
            chunk = conn.execute(query).all()
        if not chunk:
            return
        after = chunk[-1].id
        _delete_events(read, write, [row.run_id for row in chunk], kept, progress, pause)


def _delete_events(
    read: Open,
    write: Open,
    run_ids: Sequence[str],
    kept: Sequence[str],
    progress: _Progress,
    pause: float,
) -> None:
    e = event_logs.c
    matching = and_(e.run_id.in_(run_ids), e.event_type.not_in(kept))
    if progress.dry_run:
        with read() as conn:
            progress.events += int(
                conn.execute(
                    select(func.count()).select_from(event_logs).where(matching)
                ).scalar_one()
            )
        return
    after_id = 0  # keyset: a batch never rescans the rows the previous ones deleted
    while True:
        size = progress.batch_size
        batch = select(e.id).where(matching, e.id > after_id).order_by(e.id).limit(size)
        started = time.perf_counter()
        with write() as conn:
            deleted = (
                conn.execute(
                    delete(event_logs).where(e.id.in_(batch.scalar_subquery())).returning(e.id)
                )
                .scalars()
                .all()
            )
        progress.timed(time.perf_counter() - started)
        progress.events += len(deleted)
        if len(deleted) < size or progress.out_of_time():
            return
        after_id = max(deleted)
        _between_batches(read, pause)


def _between_batches(read: Open, pause: float) -> None:
    # SQLite: copy the WAL into the database here, outside any lock (a PASSIVE checkpoint
    # blocks no writer), instead of leaving it to whichever writer's commit crosses the
    # auto-checkpoint threshold next: the writers keep short commits while vacuum writes a lot.
    with read() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    if pause:
        time.sleep(pause)
