"""The abstract storage interface every backend implements (and the conformance suite tests)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.keys import AssetCheckKey, AssetKey
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
from headwater.storage.live_events import LiveEventsMixin
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

if TYPE_CHECKING:  # backfill records import partitions, which the hot path never needs
    from headwater.storage.automation_records import (
        ConditionEvaluationRecord,
        FreshnessStateRecord,
    )
    from headwater.storage.backfill_records import BulkActionStatus, PartitionBackfill
    from headwater.storage.daemon_records import DaemonHeartbeat
    from headwater.storage.maintenance import RetentionPolicy, StorageInfo, VacuumReport


class RunStorage(ABC):
    """Stores runs and their tags."""

    @abstractmethod
    def add_run(self, run: Run) -> Run:
        """Insert a new run; raises ``StorageError`` if the run id exists."""

    @abstractmethod
    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run, or ``None``."""

    @abstractmethod
    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[Run]:
        """Runs matching ``filters``, newest first unless ``ascending``; ``cursor`` is a run id
        after which to continue (exclusive)."""

    @abstractmethod
    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        ascending: bool = False,
        order_by: str | None = None,
    ) -> list[RunRecord]:
        """Like :meth:`get_runs` with timestamps; ``order_by`` names the ordering column
        (``create_timestamp`` (default), ``update_timestamp``, ``start_time``, ``end_time``)."""

    @abstractmethod
    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs match."""

    @abstractmethod
    def add_run_tags(self, run_id: str, tags: Mapping[str, str]) -> None:
        """Add or overwrite tags of a run."""

    @abstractmethod
    def delete_run(self, run_id: str) -> None:
        """Delete a run and all its events (and its worker heartbeat)."""

    @abstractmethod
    def update_run_status_if(
        self,
        run_id: str,
        expected: RunStatus | Collection[RunStatus],
        new: RunStatus,
        *,
        event: EventLogEntry | None = None,
    ) -> bool:
        """Move the run to ``new`` only if its status is (one of) ``expected``: one conditional
        update, so of two callers racing for a run exactly one gets ``True`` (this is how a
        run is claimed). With ``event``, the event is stored in the same transaction when, and
        only when, the status moved. Returns whether it moved (``False`` for a missing run)."""

    @abstractmethod
    def add_snapshot(self, snapshot_id: str, kind: str, body: str) -> None:
        """Store a content-addressed JSON document once: adding an existing ``snapshot_id``
        again does nothing. ``kind`` says what it describes (``"run_plan"``, ...)."""

    @abstractmethod
    def get_snapshot(self, snapshot_id: str) -> str | None:
        """The JSON body of a snapshot, or ``None``."""

    @abstractmethod
    def record_run_worker_heartbeat(self, heartbeat: RunWorkerHeartbeat) -> None:
        """Store the latest heartbeat of a run's worker (replacing the previous one)."""

    @abstractmethod
    def get_run_worker_heartbeats(
        self, run_ids: Sequence[str] | None = None
    ) -> dict[str, RunWorkerHeartbeat]:
        """The latest worker heartbeat of each of ``run_ids`` that has one (of every run when
        ``None``), by run id."""


class EventLogStorage(ABC):
    """Stores events and keeps the asset index up to date."""

    @abstractmethod
    def store_events(self, events: Sequence[EventLogEntry]) -> list[int]:
        """Persist ``events`` in one transaction and return their storage ids.

        Also updates the asset index (latest materialization/observation per asset and per
        partition) and, for RUN_* events, the run's status and start/end times.
        """

    @abstractmethod
    def get_logs_for_run(
        self,
        run_id: str,
        cursor: int | None = None,
        of_type: EventType | set[EventType] | None = None,
        limit: int | None = None,
    ) -> list[EventLogRecord]:
        """A run's events in order; ``cursor`` is a storage id after which to continue."""

    @abstractmethod
    def get_event_records(
        self,
        event_records_filter: EventRecordsFilter,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[EventLogRecord]:
        """Events matching the filter, newest first unless ``ascending``."""

    @abstractmethod
    def fetch_events(
        self,
        event_type: EventType,
        records_filter: AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of one asset's events of ``event_type`` (materializations or observations)."""

    @abstractmethod
    def get_latest_materialization_records(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, EventLogRecord]:
        """The latest materialization of each key (all known keys when ``None``), from the
        asset index in one query."""

    @abstractmethod
    def get_asset_check_evaluation_records(
        self, check_key: AssetCheckKey, limit: int | None = None
    ) -> list[EventLogRecord]:
        """``ASSET_CHECK_EVALUATION`` events of one check, newest first (at most ``limit``);
        evaluations of deleted runs and wiped assets are gone."""

    @abstractmethod
    def get_latest_asset_check_evaluation_records(
        self, check_keys: Sequence[AssetCheckKey]
    ) -> dict[AssetCheckKey, EventLogRecord]:
        """The latest ``ASSET_CHECK_EVALUATION`` event of each of ``check_keys`` that has one
        (one query, however many checks: what a page of 10,000 assets and their checks needs)."""

    @abstractmethod
    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> list[AssetRecord]:
        """Index entries of the given (or all) assets."""

    @abstractmethod
    def get_asset_keys(
        self,
        prefix: Sequence[str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[AssetKey]:
        """Known asset keys (not wiped), sorted."""

    @abstractmethod
    def get_materialized_partitions(self, asset_key: AssetKey) -> set[str]:
        """The partitions of ``asset_key`` materialized at least once (from the partition index)."""

    @abstractmethod
    def get_asset_partition_statuses(self, asset_key: AssetKey) -> dict[str, AssetPartitionStatus]:
        """Materialized, failed and in-progress partitions of ``asset_key`` from the index
        (partitions never planned nor materialized are absent: they are missing)."""

    @abstractmethod
    def get_latest_materialization_records_by_partition(
        self, asset_key: AssetKey
    ) -> dict[str, EventLogRecord]:
        """The latest materialization of each materialized partition of ``asset_key``."""

    @abstractmethod
    def wipe_asset(self, asset_key: AssetKey) -> None:
        """Forget an asset's events: its history and index entry are removed."""


class DynamicPartitionsStorage(ABC):
    """Stores the keys of dynamic partitions definitions, in the order they were added."""

    @abstractmethod
    def add_dynamic_partitions(
        self, partitions_def_name: str, partition_keys: Sequence[str]
    ) -> None:
        """Add keys in one transaction; keys that already exist are ignored (they keep their
        place), and any number of keys may be added at once."""

    @abstractmethod
    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        """Delete one key; deleting a missing key does nothing."""

    @abstractmethod
    def get_dynamic_partitions(self, partitions_def_name: str) -> list[str]:
        """The keys of ``partitions_def_name`` in the order they were first added."""

    @abstractmethod
    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether ``partition_key`` exists (one indexed lookup)."""


class BackfillStorage(ABC):
    """Stores backfills: their status, what they cover and their plan of runs."""

    @abstractmethod
    def add_backfill(self, backfill: PartitionBackfill) -> None:
        """Insert a new backfill; raises ``StorageError`` if its id exists."""

    @abstractmethod
    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        """The backfill, or ``None``."""

    @abstractmethod
    def get_backfill_status(self, backfill_id: str) -> BulkActionStatus | None:
        """Only the status of a backfill (one indexed lookup, no parsing), or ``None``."""

    @abstractmethod
    def get_backfills(
        self,
        status: BulkActionStatus | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[PartitionBackfill]:
        """Backfills newest first, optionally only those in ``status``; ``cursor`` is a
        backfill id after which to continue (exclusive)."""

    @abstractmethod
    def update_backfill(self, backfill: PartitionBackfill) -> None:
        """Replace the stored backfill of the same id (status, plan, tags, error) and set its
        update timestamp; raises ``StorageError`` if it does not exist."""


class DaemonStorage(ABC):
    """Stores the heartbeat of each daemon loop (one row per loop name)."""

    @abstractmethod
    def claim_daemon_heartbeat(
        self,
        heartbeat: DaemonHeartbeat,
        *,
        expired_before: float,
        replacing: str | None = None,
    ) -> DaemonHeartbeat:
        """Write ``heartbeat`` for its loop unless another daemon holds the loop; atomic.

        The stored row is replaced when there is none, when it belongs to the same
        ``daemon_id``, to the daemon ``replacing`` names, or when its timestamp is older than
        ``expired_before`` (epoch seconds). A ``None`` ``last_error`` or ``cursor`` keeps the
        stored one. Returns the row as stored afterwards: the caller holds the loop when its
        ``daemon_id`` is the caller's.
        """

    @abstractmethod
    def get_daemon_heartbeats(self) -> list[DaemonHeartbeat]:
        """Every loop's heartbeat, sorted by loop name."""

    @abstractmethod
    def release_daemon_heartbeat(self, loop_name: str, daemon_id: str) -> bool:
        """Delete the heartbeat of ``loop_name`` if ``daemon_id`` holds it; whether it did."""

    def data_version(self) -> int | None:
        """A number that changes whenever the database changed through another connection
        (cheap to read: the daemon reads it often to react to new work at once), or ``None``
        when the backend cannot tell (the daemon then polls at its intervals)."""
        return None


class ConcurrencyStorage(ABC):
    """Stores the slot limits of concurrency pools and the slots steps hold."""

    @abstractmethod
    def set_concurrency_limit(self, pool: str, limit: int) -> None:
        """Set (or replace) how many steps of ``pool`` may execute at once, across runs."""

    @abstractmethod
    def delete_concurrency_limit(self, pool: str) -> bool:
        """Remove the limit of ``pool`` (back to the default); whether it had one."""

    @abstractmethod
    def get_concurrency_limits(self) -> dict[str, int]:
        """Pool -> limit, for every pool whose limit was set."""

    @abstractmethod
    def claim_concurrency_slot(self, pool: str, limit: int, run_id: str, step_key: str) -> bool:
        """Take a slot of ``pool`` for the step if fewer than ``limit`` are taken; atomic, so
        two claimers never both take the last slot. A step already holding one keeps it."""

    @abstractmethod
    def release_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Free the step's slot of ``pool``; whether it held one."""

    @abstractmethod
    def release_run_concurrency_slots(self, run_id: str) -> int:
        """Free every slot held by steps of ``run_id``; how many were freed."""

    @abstractmethod
    def get_concurrency_slots(self, pool: str | None = None) -> list[tuple[str, str, str, float]]:
        """``(pool, run_id, step_key, claim_timestamp)`` of every taken slot (of ``pool``),
        oldest first."""


class InstigatorStorage(ABC):
    """Stores the state, tick history and claimed run keys of schedules and sensors (see
    :mod:`headwater.storage.instigator_records`)."""

    @abstractmethod
    def get_instigator_state(self, instigator: InstigatorId) -> InstigatorState | None:
        """The stored state of the schedule or sensor, or ``None`` when nothing was written."""

    @abstractmethod
    def get_instigator_states(
        self,
        instigator_type: InstigatorType | None = None,
        location_name: str | None = None,
    ) -> list[InstigatorState]:
        """Every stored state (of that kind, of that code location), sorted by kind, location
        and name."""

    @abstractmethod
    def update_instigator_state(
        self,
        instigator: InstigatorId,
        *,
        status: InstigatorStatus | Keep | None = KEEP,
        cursor: str | Keep | None = KEEP,
        last_tick_timestamp: float | Keep | None = KEEP,
    ) -> InstigatorState:
        """Write the given fields (those left at ``KEEP``, the default, keep their stored
        value; a new row starts with ``None`` for each) and return the state afterwards."""

    @abstractmethod
    def add_tick(self, tick: InstigatorTick) -> InstigatorTick:
        """Store a new tick; the tick with its ``tick_id``."""

    @abstractmethod
    def update_tick(self, tick: InstigatorTick) -> None:
        """Replace the stored tick ``tick.tick_id`` (status, end, runs, error, cursors).

        Raises:
            StorageError: no tick has that id.
        """

    @abstractmethod
    def get_ticks(
        self,
        instigator: InstigatorId,
        *,
        limit: int | None = None,
        statuses: Collection[TickStatus] | None = None,
        after: float | None = None,
        before: float | None = None,
    ) -> list[InstigatorTick]:
        """Ticks of the schedule or sensor, newest first; ``after``/``before`` bound the tick
        timestamp (exclusive)."""

    @abstractmethod
    def claim_run_key(self, instigator: InstigatorId, run_key: str, run_id: str) -> str:
        """Record that ``run_key`` of the schedule or sensor launches ``run_id``, unless the
        key is recorded already: atomic, so two daemons never both claim one key. Returns the
        run id recorded for the key (``run_id`` when this call claimed it)."""

    @abstractmethod
    def get_run_ids_for_run_keys(
        self, instigator: InstigatorId, run_keys: Collection[str]
    ) -> dict[str, str]:
        """Run key -> run id, for the keys of ``run_keys`` already claimed."""


class MaintenanceStorage(ABC):
    """Describes the database and applies retention."""

    @abstractmethod
    def storage_info(self) -> StorageInfo:
        """What the storage is and holds: kind, location (password masked), schema revision,
        row count of every table, size on disk."""

    @abstractmethod
    def vacuum(
        self,
        policy: RetentionPolicy,
        *,
        now: float | None = None,
        dry_run: bool = False,
        time_limit: float | None = None,
    ) -> VacuumReport:
        """Delete the runs and events ``policy`` no longer keeps, in short transactions.

        Never deletes asset history (materializations, observations, planned
        materializations, check evaluations) nor a run the asset index names; a deleted run
        is removed with its tags, heartbeats and concurrency slots.

        Args:
            policy: what to keep.
            now: the time the ages are measured from (default: now), in epoch seconds.
            dry_run: count what would be deleted, delete nothing.
            time_limit: stop after about this many seconds (the report says it is not
                complete; the next vacuum continues); ``None``: no limit.

        Returns:
            What was (or would be) deleted and how long the longest transaction took.
        """


class AutomationStorage(ABC):
    """Stores automation condition evaluations and each asset's freshness state (see
    :mod:`headwater.storage.automation_records`)."""

    @abstractmethod
    def add_condition_evaluations(self, records: Sequence[ConditionEvaluationRecord]) -> None:
        """Store evaluations (one row each) in one transaction."""

    @abstractmethod
    def get_condition_evaluations(
        self, asset_key: AssetKey, *, limit: int | None = None
    ) -> list[ConditionEvaluationRecord]:
        """The asset's stored evaluations, newest first (at most ``limit``)."""

    @abstractmethod
    def delete_condition_evaluations(self, before_timestamp: float) -> int:
        """Delete evaluations older than ``before_timestamp`` (epoch seconds); how many."""

    @abstractmethod
    def set_freshness_state(self, record: FreshnessStateRecord) -> FreshnessStateRecord | None:
        """Store the asset's freshness state, replacing its previous one; the previous one
        (``None`` when there was none)."""

    @abstractmethod
    def get_freshness_states(
        self, asset_keys: Sequence[AssetKey] | None = None
    ) -> dict[AssetKey, FreshnessStateRecord]:
        """The stored freshness state of each of ``asset_keys`` (all when ``None``) that has
        one."""


class Storage(
    RunStorage,
    EventLogStorage,
    DynamicPartitionsStorage,
    BackfillStorage,
    DaemonStorage,
    ConcurrencyStorage,
    InstigatorStorage,
    AutomationStorage,
    MaintenanceStorage,
    LiveEventsMixin,
    ABC,
):
    """One object providing run, event log, dynamic partitions, backfill and daemon heartbeat
    storage (what :class:`Instance` composes), live delivery of a run's events
    (:meth:`wait_for_run_events`, :meth:`follow_run_events`) and the instance's maintenance
    (:meth:`storage_info`, :meth:`vacuum`)."""

    @abstractmethod
    def dispose(self) -> None:
        """Release connections."""

    @abstractmethod
    def wipe(self) -> None:
        """Delete every run, event, index entry, dynamic partition, backfill, snapshot and
        heartbeat."""
