"""The SQL implementation of :class:`~headwater.storage.base.Storage` shared by every backend.

Backends build the engine; all SQL lives in :mod:`headwater.storage.sql` (tables in
``schema``, data access in ``runs``, ``events`` and ``asset_index``, dialect differences in
``dialect``). SQLite storage runs the few calls of every run on the driver instead
(``sqlite_hot_path``, with rows from ``rows`` shared with this implementation) and uses this
class for everything else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from headwater.errors import RunNotFoundError, StorageError
from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.keys import AssetCheckKey, AssetKey
from headwater.storage import base
from headwater.storage.backfill_records import BulkActionStatus, PartitionBackfill
from headwater.storage.daemon_records import DaemonHeartbeat
from headwater.storage.maintenance import RetentionPolicy, StorageInfo, VacuumReport
from headwater.storage.records import (
    AssetPartitionStatus,
    AssetRecord,
    AssetRecordsFilter,
    EventRecordsFilter,
    EventRecordsResult,
    Run,
    RunRecord,
    RunsFilter,
    RunStatus,
    RunWorkerHeartbeat,
)
from headwater.storage.sql import asset_index, asset_reads, partitions, run_workers, runs
from headwater.storage.sql import backfills as backfill_rows
from headwater.storage.sql import checks as check_rows
from headwater.storage.sql import concurrency as concurrency_rows
from headwater.storage.sql import daemon_heartbeats as heartbeat_rows
from headwater.storage.sql import events as event_log
from headwater.storage.sql.automation_storage import AutomationSqlMethods
from headwater.storage.sql.dialect import WRITE_OPTION
from headwater.storage.sql.instigator_storage import InstigatorSqlMethods
from headwater.storage.sql.schema import (
    asset_check_executions,
    asset_condition_evaluations,
    asset_keys,
    asset_partitions,
    backfills,
    concurrency_limits,
    concurrency_slots,
    daemon_heartbeats,
    dynamic_partitions,
    event_logs,
    freshness_states,
    instigator_run_keys,
    instigator_states,
    instigator_ticks,
    run_tags,
    run_worker_heartbeats,
    snapshots,
)
from headwater.storage.sql.schema import runs as runs_table


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        raise StorageError(f"The storage database failed: {exc.orig}") from exc


class SqlStorage(InstigatorSqlMethods, AutomationSqlMethods, base.Storage):
    """Run and event log storage on any SQLAlchemy engine of a supported dialect.

    Args:
        engine: an engine whose database already has the headwater schema (backends such as
            :class:`~headwater.storage.sqlite.SqliteStorage` create or upgrade it on open).
        serialize: let one thread at a time use the engine (for engines whose threads share a
            single connection, such as an in-memory SQLite database).
        lock: the lock to serialize with, when it is shared with other users of the engine's
            connection (implies ``serialize``).

    Example:
        >>> from headwater.storage.sqlite import SqliteStorage
        >>> with SqliteStorage.in_memory() as storage:
        ...     storage.get_runs_count()
        0
    """

    #: The statements inserting events (a dialect's storage may return more than the ids).
    _event_inserts: event_log.EventInserts = event_log.INSERTS

    def __init__(
        self,
        engine: Engine,
        *,
        serialize: bool = False,
        lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._dialect = engine.dialect.name
        if lock is None:
            lock = threading.RLock() if serialize else nullcontext()
        self._lock = lock

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def __enter__(self) -> SqlStorage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._lock, _translate_errors(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._lock, _translate_errors(), self._write_engine.begin() as conn:
            yield conn

    # -- runs ------------------------------------------------------------------------------
    def add_run(self, run: Run) -> Run:
        """Insert a new run.

        Raises:
            StorageError: if a run with the same id exists.
        """
        try:
            with self._write() as conn:
                runs.insert_run(conn, self._dialect, run, time.time())
        except StorageError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise StorageError(
                    f"A run with id {run.run_id!r} already exists; use a new run id."
                ) from exc.__cause__
            raise
        return run

    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run, or ``None``."""
        with self._read() as conn:
            row = conn.execute(select(runs_table).where(runs_table.c.run_id == run_id)).first()
        return runs.run_from_row(row) if row is not None else None

    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[Run]:
        """Runs matching ``filters``, newest first unless ``ascending``."""
        with self._read() as conn:
            rows = runs.select_run_rows(conn, self._dialect, filters, cursor, limit, ascending)
        return [runs.run_from_row(row) for row in rows]

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        ascending: bool = False,
        order_by: str | None = None,
    ) -> list[RunRecord]:
        """Like :meth:`get_runs` with timestamps, ordered by ``order_by``.

        Raises:
            StorageError: if ``order_by`` is not a run timestamp column.
        """
        order = None if order_by == "create_timestamp" else order_by
        with self._read() as conn:
            rows = runs.select_run_rows(
                conn, self._dialect, filters, cursor, limit, ascending, order_by=order
            )
        return [runs.record_from_row(row) for row in rows]

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs match."""
        with self._read() as conn:
            return runs.count_runs(conn, self._dialect, filters)

    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        """Add or overwrite tags of a run.

        Raises:
            RunNotFoundError: if the run does not exist.
        """
        with self._write() as conn:
            found = runs.add_run_tags(conn, self._dialect, run_id, tags, time.time())
        if not found:
            raise RunNotFoundError(f"Cannot tag run {run_id!r}: no such run.")

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events; the asset index forgets events of the run."""
        c = event_logs.c
        with self._write() as conn:
            keys = conn.execute(
                select(c.asset_key)
                .distinct()
                .where(c.run_id == run_id, c.asset_key.is_not(None))
                .where(c.event_type.in_([t.value for t in asset_index.HISTORY_EVENTS]))
            ).scalars()
            affected = list(keys)
            runs.delete_run(conn, run_id)
            run_workers.delete_heartbeat(conn, run_id)
            if affected:
                asset_index.rebuild(conn, self._dialect, affected, time.time())

    def update_run_status_if(
        self,
        run_id: str,
        expected: RunStatus | Collection[RunStatus],
        new: RunStatus,
        *,
        event: EventLogEntry | None = None,
    ) -> bool:
        """Move the run to ``new`` only if its status is (one of) ``expected``; store ``event``
        in the same transaction when it moved. Returns whether it moved."""
        statuses = [expected] if isinstance(expected, RunStatus) else list(expected)
        now = time.time()
        with self._write() as conn:
            moved = run_workers.update_status_if(conn, run_id, statuses, new, now)
            if moved and event is not None:
                self._store(conn, [event], [event.to_json()], now)
        return moved

    # -- snapshots and heartbeats ------------------------------------------------------------
    def add_snapshot(self, snapshot_id: str, kind: str, body: str) -> None:
        """Store a snapshot once (an existing ``snapshot_id`` is left as it is)."""
        with self._write() as conn:
            run_workers.add_snapshot(conn, self._dialect, snapshot_id, kind, body, time.time())

    def get_snapshot(self, snapshot_id: str) -> str | None:
        """The JSON body of a snapshot, or ``None``."""
        with self._read() as conn:
            return run_workers.get_snapshot(conn, snapshot_id)

    def record_run_worker_heartbeat(self, heartbeat: RunWorkerHeartbeat) -> None:
        """Store the latest heartbeat of a run's worker."""
        with self._write() as conn:
            run_workers.record_heartbeat(conn, self._dialect, heartbeat)

    def get_run_worker_heartbeats(
        self, run_ids: Sequence[str] | None = None
    ) -> dict[str, RunWorkerHeartbeat]:
        """The latest worker heartbeats of ``run_ids`` (all when ``None``), by run id."""
        with self._read() as conn:
            return run_workers.get_heartbeats(conn, self._dialect, run_ids)

    # -- events ----------------------------------------------------------------------------
    def store_events(self, events: Sequence[EventLogEntry]) -> list[int]:
        """Persist ``events`` in one transaction and return their storage ids.

        Also updates the asset index and, for RUN_* events, the run's status and times.
        Either every event of the batch is stored or none is.

        Raises:
            StorageError: if the database fails; nothing of the batch is stored.
        """
        if not events:
            return []
        bodies = [e.to_json() for e in events]
        now = time.time()
        with self._write() as conn:
            return self._store(conn, events, bodies, now)

    def _store(
        self, conn: Connection, events: Sequence[EventLogEntry], bodies: list[str], now: float
    ) -> list[int]:
        ids = event_log.insert_events(conn, events, bodies, self._event_inserts)
        asset_index.update_index(conn, self._dialect, events, ids, bodies, now)
        check_rows.index_evaluations(conn, events, ids, now)
        for event in events:
            if event.run_id and event.event_type in runs.RUN_EVENT_STATUS:
                runs.update_status(conn, event.run_id, event.event_type, event.timestamp, now)
        return ids

    def get_logs_for_run(
        self,
        run_id: str,
        cursor: int | None = None,
        of_type: EventType | set[EventType] | None = None,
        limit: int | None = None,
    ) -> list[EventLogRecord]:
        """A run's events in storage order, after storage id ``cursor``."""
        types = [of_type] if isinstance(of_type, EventType) else of_type
        query = event_log.EventQuery(
            run_id=run_id, event_types=sorted(types) if types is not None else None, after_id=cursor
        )
        with self._read() as conn:
            return event_log.select_events(conn, self._dialect, query, limit=limit)

    def get_event_records(
        self,
        event_records_filter: EventRecordsFilter,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[EventLogRecord]:
        """Events matching the filter, newest first unless ``ascending``."""
        f = event_records_filter
        query = event_log.EventQuery(
            event_types=[f.event_type],
            asset_key=f.asset_key,
            partitions=f.asset_partitions,
            after_id=f.after_cursor,
            before_id=f.before_cursor,
            after_timestamp=f.after_timestamp,
            before_timestamp=f.before_timestamp,
            run_ids=f.run_ids,
        )
        with self._read() as conn:
            return event_log.select_events(
                conn, self._dialect, query, limit=limit, ascending=ascending
            )

    def fetch_events(
        self,
        event_type: EventType,
        records_filter: AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of one asset's events of ``event_type``.

        ``cursor`` is the ``cursor`` of the previous page (a storage id as a string).

        Raises:
            StorageError: if ``cursor`` is not a cursor this storage returned.
        """
        f = records_filter
        after, before = f.after_storage_id, f.before_storage_id
        if cursor is not None:
            position = _parse_cursor(cursor)
            if ascending:
                after = position if after is None else max(after, position)
            else:
                before = position if before is None else min(before, position)
        query = event_log.EventQuery(
            event_types=[event_type],
            asset_key=f.asset_key,
            partitions=f.asset_partitions,
            after_id=after,
            before_id=before,
            after_timestamp=f.after_timestamp,
            before_timestamp=f.before_timestamp,
            run_ids=f.run_ids,
        )
        with self._read() as conn:
            found = event_log.select_events(
                conn, self._dialect, query, limit=limit + 1, ascending=ascending
            )
        page = found[:limit]
        next_cursor = str(page[-1].storage_id) if page else cursor
        return EventRecordsResult(records=page, cursor=next_cursor, has_more=len(found) > limit)

    # -- asset checks ----------------------------------------------------------------------
    def get_asset_check_evaluation_records(
        self, check_key: AssetCheckKey, limit: int | None = None
    ) -> list[EventLogRecord]:
        """``ASSET_CHECK_EVALUATION`` events of ``check_key``, newest first."""
        with self._read() as conn:
            return check_rows.select_evaluations(conn, check_key, limit)

    def get_latest_asset_check_evaluation_records(
        self, check_keys: Sequence[AssetCheckKey]
    ) -> dict[AssetCheckKey, EventLogRecord]:
        """The latest evaluation event of each of ``check_keys`` that has one, in one query."""
        wanted = set(check_keys)
        if not wanted:
            return {}
        with self._read() as conn:
            found = check_rows.select_latest_evaluations(conn)
        return {key: record for key, record in found.items() if key in wanted}

    # -- asset index -----------------------------------------------------------------------
    def get_latest_materialization_records(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, EventLogRecord]:
        """The latest materialization of each key that has one (all keys when ``None``)."""
        with self._read() as conn:
            return asset_reads.latest_materializations(conn, self._dialect, asset_keys)

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> list[AssetRecord]:
        """Index entries of the given (or all) known assets, sorted by key."""
        with self._read() as conn:
            return asset_reads.asset_records(conn, self._dialect, asset_keys)

    def get_asset_keys(
        self,
        prefix: Sequence[str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[AssetKey]:
        """Known asset keys sorted by their ``a/b`` string; ``cursor`` is such a string."""
        with self._read() as conn:
            return asset_reads.asset_key_page(conn, prefix, limit, cursor)

    def get_materialized_partitions(self, asset_key: AssetKey) -> set[str]:
        """The partitions of ``asset_key`` materialized at least once."""
        with self._read() as conn:
            return asset_reads.materialized_partitions(conn, asset_key)

    def get_asset_partition_statuses(self, asset_key: AssetKey) -> dict[str, AssetPartitionStatus]:
        """Materialized, failed and in-progress partitions of ``asset_key``."""
        with self._read() as conn:
            return asset_reads.partition_statuses(conn, asset_key)

    def get_latest_materialization_records_by_partition(
        self, asset_key: AssetKey
    ) -> dict[str, EventLogRecord]:
        """The latest materialization of each materialized partition of ``asset_key``."""
        with self._read() as conn:
            return asset_reads.latest_by_partition(conn, asset_key)

    def wipe_asset(self, asset_key: AssetKey) -> None:
        """Delete the asset's materializations, observations, planned and check events and
        clear its index entry; step events of its runs stay in the run logs."""
        with self._write() as conn:
            asset_index.wipe(conn, asset_key, time.time())

    # -- dynamic partitions ----------------------------------------------------------------
    def add_dynamic_partitions(
        self, partitions_def_name: str, partition_keys: Sequence[str]
    ) -> None:
        """Add keys in one transaction, ignoring those that already exist."""
        with self._write() as conn:
            partitions.add_partitions(
                conn, self._dialect, partitions_def_name, partition_keys, time.time()
            )

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        """Delete one key (nothing happens if it does not exist)."""
        with self._write() as conn:
            partitions.delete_partition(conn, partitions_def_name, partition_key)

    def get_dynamic_partitions(self, partitions_def_name: str) -> list[str]:
        """The keys of ``partitions_def_name`` in the order they were first added."""
        with self._read() as conn:
            return partitions.get_partitions(conn, partitions_def_name)

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether ``partition_key`` exists."""
        with self._read() as conn:
            return partitions.has_partition(conn, partitions_def_name, partition_key)

    # -- backfills -------------------------------------------------------------------------
    def add_backfill(self, backfill: PartitionBackfill) -> None:
        """Insert a new backfill.

        Raises:
            StorageError: if a backfill with the same id exists.
        """
        try:
            with self._write() as conn:
                backfill_rows.insert_backfill(conn, backfill, time.time())
        except StorageError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise StorageError(
                    f"A backfill with id {backfill.backfill_id!r} already exists; use a new id."
                ) from exc.__cause__
            raise

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        """The backfill, or ``None``."""
        with self._read() as conn:
            return backfill_rows.select_backfill(conn, backfill_id)

    def get_backfill_status(self, backfill_id: str) -> BulkActionStatus | None:
        """Only the status of a backfill, or ``None``."""
        with self._read() as conn:
            return backfill_rows.select_status(conn, backfill_id)

    def get_backfills(
        self,
        status: BulkActionStatus | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[PartitionBackfill]:
        """Backfills newest first, optionally of one status, after the backfill id ``cursor``."""
        with self._read() as conn:
            return backfill_rows.select_backfills(conn, status, limit, cursor)

    def update_backfill(self, backfill: PartitionBackfill) -> None:
        """Replace the stored backfill of the same id.

        Raises:
            StorageError: if no backfill has that id.
        """
        with self._write() as conn:
            found = backfill_rows.update_backfill(conn, backfill, time.time())
        if not found:
            raise StorageError(
                f"Cannot update backfill {backfill.backfill_id!r}: no such backfill; add it "
                "with add_backfill first."
            )

    # -- daemon heartbeats -----------------------------------------------------------------
    def claim_daemon_heartbeat(
        self,
        heartbeat: DaemonHeartbeat,
        *,
        expired_before: float,
        replacing: str | None = None,
    ) -> DaemonHeartbeat:
        """Write ``heartbeat`` unless another live daemon holds its loop; the row afterwards."""
        with self._write() as conn:
            return heartbeat_rows.claim(conn, self._dialect, heartbeat, expired_before, replacing)

    def get_daemon_heartbeats(self) -> list[DaemonHeartbeat]:
        """Every loop's heartbeat, sorted by loop name."""
        with self._read() as conn:
            return heartbeat_rows.select_all(conn)

    def release_daemon_heartbeat(self, loop_name: str, daemon_id: str) -> bool:
        """Delete the heartbeat of ``loop_name`` if ``daemon_id`` holds it."""
        with self._write() as conn:
            return heartbeat_rows.release(conn, loop_name, daemon_id)

    # -- concurrency pools -----------------------------------------------------------------
    def set_concurrency_limit(self, pool: str, limit: int) -> None:
        """Set (or replace) how many steps of ``pool`` may execute at once, across runs."""
        with self._write() as conn:
            concurrency_rows.set_limit(conn, self._dialect, pool, limit, time.time())

    def delete_concurrency_limit(self, pool: str) -> bool:
        """Remove the limit of ``pool``; whether it had one."""
        with self._write() as conn:
            return concurrency_rows.delete_limit(conn, pool)

    def get_concurrency_limits(self) -> dict[str, int]:
        """Pool -> limit, for every pool whose limit was set."""
        with self._read() as conn:
            return concurrency_rows.limits(conn)

    def claim_concurrency_slot(self, pool: str, limit: int, run_id: str, step_key: str) -> bool:
        """Take a slot of ``pool`` for the step if fewer than ``limit`` are taken; atomic."""
        with self._write() as conn:
            return concurrency_rows.claim(
                conn, self._dialect, pool=pool, limit=limit, run_id=run_id, step_key=step_key,
                now=time.time(),
            )  # fmt: skip

    def release_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Free the step's slot of ``pool``; whether it held one."""
        with self._write() as conn:
            return concurrency_rows.release(conn, pool, run_id, step_key)

    def release_run_concurrency_slots(self, run_id: str) -> int:
        """Free every slot held by steps of ``run_id``; how many."""
        with self._write() as conn:
            return concurrency_rows.release_run(conn, run_id)

    def get_concurrency_slots(self, pool: str | None = None) -> list[tuple[str, str, str, float]]:
        """``(pool, run_id, step_key, claim_timestamp)`` of every taken slot, oldest first."""
        with self._read() as conn:
            return concurrency_rows.slots(conn, pool)

    # -- maintenance -----------------------------------------------------------------------
    def storage_info(self) -> StorageInfo:
        """What the database is and holds: kind, location, revision, row counts, size."""
        from headwater.storage.sql.maintenance import storage_info

        with self._read() as conn:
            return storage_info(conn)

    def vacuum(
        self,
        policy: RetentionPolicy,
        *,
        now: float | None = None,
        dry_run: bool = False,
        time_limit: float | None = None,
    ) -> VacuumReport:
        """Delete what ``policy`` no longer keeps, in short transactions; what was deleted."""
        from headwater.storage.sql.retention import vacuum

        # Between transactions: SQLite writers waiting for the lock sleep in steps of up to
        # 50 ms (its busy handler), so the pause must outlast one for them to get the lock;
        # PostgreSQL writers are not blocked by the deletes, the pause spreads the WAL writes.
        pause = 0.06 if self._dialect == "sqlite" else 0.005
        return vacuum(
            self._read, self._write, policy,
            now=time.time() if now is None else now, dry_run=dry_run, pause_seconds=pause,
            time_limit=time_limit,
        )  # fmt: skip

    # -- lifecycle -------------------------------------------------------------------------
    def wipe(self) -> None:
        """Delete every run, event, index entry, dynamic partition, backfill, snapshot,
        heartbeat, concurrency limit, schedule and sensor state, automation evaluation and
        freshness state."""
        tables = (
            asset_condition_evaluations,
            freshness_states,
            instigator_run_keys,
            instigator_ticks,
            instigator_states,
            concurrency_slots,
            concurrency_limits,
            daemon_heartbeats,
            run_worker_heartbeats,
            snapshots,
            asset_check_executions,
            backfills,
            dynamic_partitions,
            asset_partitions,
            asset_keys,
            event_logs,
            run_tags,
            runs_table,
        )
        with self._write() as conn:
            for table in tables:
                conn.execute(delete(table))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


def _parse_cursor(cursor: str) -> int:
    try:
        return int(cursor)
    except ValueError:
        raise StorageError(
            f"Invalid event cursor {cursor!r}: pass the `cursor` of a previous result."
        ) from None
