"""Run records and the filters used to query storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from headwater.events.records import EventLogEntry, EventLogRecord
from headwater.events.types import EventType
from headwater.execution.plan.origin import JobOrigin
from headwater.keys import AssetKey


class RunStatus(StrEnum):
    """The lifecycle of a run. Dagster name: ``DagsterRunStatus``."""

    QUEUED = "QUEUED"
    NOT_STARTED = "NOT_STARTED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"

    @property
    def is_finished(self) -> bool:
        """Whether the run has reached a terminal status."""
        return self in FINISHED_STATUSES


FINISHED_STATUSES = frozenset({RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED})


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """A run as stored: what was asked for and where it stands. Dagster name: ``DagsterRun``.

    Attributes:
        run_id: a UUID4 string.
        job_name: the job (``__ephemeral_asset_job__`` for ``materialize()``).
        status: the current :class:`RunStatus`.
        tags: string tags (``headwater/...`` tags are set by headwater).
        run_config: the run config as given.
        asset_selection: the selected asset keys, or ``None`` for op jobs.
        parent_run_id / root_run_id: set for re-executions.
        job_origin: where the run's job comes from (code location and job name), so that
            another process can load it: set for runs made from a code location (the CLI,
            launched runs), ``None`` for ``materialize()`` in a script. Dagster name:
            ``remote_job_origin``.
        plan_snapshot_id: the id of the snapshot of the run's plan (job, selection,
            partition, config, tags) stored once in the snapshots table.
    """

    run_id: str
    job_name: str
    status: RunStatus = RunStatus.NOT_STARTED
    tags: Mapping[str, str] = field(default_factory=dict)
    run_config: Mapping[str, Any] = field(default_factory=dict)
    asset_selection: frozenset[AssetKey] | None = None
    parent_run_id: str | None = None
    root_run_id: str | None = None
    job_origin: JobOrigin | None = None
    plan_snapshot_id: str | None = None

    def with_status(self, status: RunStatus) -> Run:
        """A copy with another status."""
        return Run(
            run_id=self.run_id,
            job_name=self.job_name,
            status=status,
            tags=self.tags,
            run_config=self.run_config,
            asset_selection=self.asset_selection,
            parent_run_id=self.parent_run_id,
            root_run_id=self.root_run_id,
            job_origin=self.job_origin,
            plan_snapshot_id=self.plan_snapshot_id,
        )

    @property
    def is_finished(self) -> bool:
        """Whether the run has reached a terminal status."""
        return self.status.is_finished

    @property
    def is_success(self) -> bool:
        """Whether the run succeeded."""
        return self.status is RunStatus.SUCCESS

    @property
    def is_failure(self) -> bool:
        """Whether the run failed."""
        return self.status is RunStatus.FAILURE

    @property
    def is_failure_or_canceled(self) -> bool:
        """Whether the run failed or was canceled."""
        return self.status in (RunStatus.FAILURE, RunStatus.CANCELED)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunWorkerHeartbeat:
    """The latest sign of life of the process executing a run (its run worker).

    Attributes:
        run_id: the run.
        pid: the worker's process id (also its process group id: the launcher starts it in a
            session of its own).
        hostname: the machine the worker runs on.
        timestamp: when the worker last reported, in seconds since the epoch.
    """

    run_id: str
    pid: int
    hostname: str
    timestamp: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecord:
    """A run plus storage bookkeeping (times in seconds since the epoch)."""

    storage_id: int
    run: Run
    create_timestamp: float
    update_timestamp: float
    start_time: float | None = None
    end_time: float | None = None

    @property
    def dagster_run(self) -> Run:
        """Alias of ``run`` for code written against Dagster."""
        return self.run


@dataclass(frozen=True, slots=True, kw_only=True)
class RunsFilter:
    """Which runs to return; every given field must match (AND).

    Args:
        run_ids: only these runs.
        job_name: only runs of this job.
        statuses: only runs in one of these statuses.
        tags: runs carrying every tag (a value may be a list: any of them).
        created_after / created_before: creation time bounds (epoch seconds or datetime).
    """

    run_ids: Sequence[str] | None = None
    job_name: str | None = None
    statuses: Sequence[RunStatus] | None = None
    tags: Mapping[str, str | Sequence[str]] | None = None
    created_after: Any = None
    created_before: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecordsFilter:
    """Which events to return from :meth:`EventLogStorage.get_event_records`.

    Args:
        event_type: required; the type of event.
        asset_key: only events of this asset.
        asset_partitions: only events of these partitions.
        after_cursor / before_cursor: storage id bounds (exclusive).
        after_timestamp / before_timestamp: time bounds (exclusive, epoch seconds).
        run_ids: only events of these runs.
    """

    event_type: EventType
    asset_key: AssetKey | None = None
    asset_partitions: Sequence[str] | None = None
    after_cursor: int | None = None
    before_cursor: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    run_ids: Sequence[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRecordsFilter:
    """Which materializations or observations of one asset to fetch."""

    asset_key: AssetKey
    asset_partitions: Sequence[str] | None = None
    after_storage_id: int | None = None
    before_storage_id: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    run_ids: Sequence[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecordsResult:
    """A page of event records and the cursor to fetch the next page."""

    records: Sequence[EventLogRecord]
    cursor: str | None
    has_more: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRecord:
    """What the asset index knows about one asset: its latest events."""

    asset_key: AssetKey
    last_materialization_record: EventLogRecord | None
    last_observation_record: EventLogRecord | None = None
    last_run_id: str | None = None
    last_failed_run_id: str | None = None
    wipe_timestamp: float | None = None

    @property
    def asset_entry(self) -> AssetRecord:
        """The record itself: headwater keeps in one flat record what code written for Dagster
        reads from ``record.asset_entry``."""
        return self

    @property
    def last_materialization(self) -> EventLogEntry | None:
        """The latest materialization event, or ``None``."""
        record = self.last_materialization_record
        return record.event_log_entry if record is not None else None

    @property
    def last_materialization_storage_id(self) -> int | None:
        """The storage id of the latest materialization, or ``None``."""
        record = self.last_materialization_record
        return record.storage_id if record is not None else None

    @property
    def last_observation(self) -> EventLogEntry | None:
        """The latest observation event, or ``None``."""
        record = self.last_observation_record
        return record.event_log_entry if record is not None else None


class AssetPartitionStatus(StrEnum):
    """Where one partition of an asset stands (a partition with no status is missing).

    Dagster has the same enum. All partitions of an asset together are an
    :class:`~headwater.AssetPartitionsSummary`.
    """

    MATERIALIZED = "MATERIALIZED"
    FAILED = "FAILED"
    IN_PROGRESS = "IN_PROGRESS"
