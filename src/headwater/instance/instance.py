"""The Instance: where headwater keeps its history (runs, events, asset index) and files.

Dagster name: ``DagsterInstance``. An instance lives in a directory, ``HEADWATER_HOME``
(default ``./.headwater``), which may hold a ``headwater.yaml``::

    storage:
      sqlite:
        base_dir: /var/lib/headwater   # default: HEADWATER_HOME; the database is history.db
    # or: storage: {postgres: {url: {env: HEADWATER_PG_URL}, pool_size: 10}}

The instance composes a :class:`~headwater.storage.base.Storage` and delegates every query to it.
Storage modules (and SQLAlchemy) are imported only when an instance is opened, so importing
this module stays cheap.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.events.records import EventLogEntry, EventLogRecord, materialization_data
from headwater.events.types import EventType
from headwater.instance.run_lifecycle import RunLifecycleMethods
from headwater.keys import AssetCheckKey, AssetKey
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
)

if TYPE_CHECKING:
    import tempfile

    from headwater.declarations.checks.definition import AssetCheckEvaluation
    from headwater.declarations.partitions.base import PartitionsDefinition
    from headwater.execution.plan.origin import JobOrigin
    from headwater.execution.plan.run_snapshot import RunPlanSnapshot
    from headwater.instance.config import InstanceConfig
    from headwater.storage.backfill_records import BulkActionStatus, PartitionBackfill
    from headwater.storage.base import Storage
    from headwater.storage.daemon_records import DaemonHeartbeat
    from headwater.storage.partition_status import AssetPartitionsSummary

#: The environment variable naming the instance directory.
HOME_ENV_VAR = "HEADWATER_HOME"


class Instance(RunLifecycleMethods):
    """Run and event history plus the directories runs write to.

    Open one with :meth:`get` (``HEADWATER_HOME``), :meth:`from_path` or :meth:`ephemeral`,
    and close it with :meth:`dispose` or a ``with`` block.

    Args:
        root_directory: the instance directory.
        storage: the run and event log storage.
        temp_dir: a temporary directory owned by the instance, removed on :meth:`dispose`.
        config: what ``headwater.yaml`` asks for; ``None``: every default.

    Example:
        >>> with Instance.ephemeral() as instance:
        ...     run = instance.create_run(job_name="my_job")
        ...     instance.get_run_by_id(run.run_id).status
        <RunStatus.NOT_STARTED: 'NOT_STARTED'>
    """

    def __init__(
        self,
        *,
        root_directory: str | os.PathLike[str],
        storage: Storage,
        temp_dir: tempfile.TemporaryDirectory[str] | None = None,
        config: InstanceConfig | None = None,
    ) -> None:
        self._root = Path(root_directory)
        self._storage = storage
        self._temp_dir = temp_dir
        self._config = config

    # -- opening and closing -------------------------------------------------------------
    @staticmethod
    def get() -> Instance:
        """The instance in ``$HEADWATER_HOME`` (default ``./.headwater``, created if missing).

        Returns:
            The instance, configured from ``headwater.yaml`` there if present.

        Raises:
            InvalidConfigError: if ``headwater.yaml`` is malformed or has unknown keys.
            StorageError: if the database cannot be opened.
        """
        home = Path(os.environ.get(HOME_ENV_VAR) or ".headwater").expanduser()
        home.mkdir(parents=True, exist_ok=True)
        return Instance.from_path(home)

    @staticmethod
    def from_path(directory: str | os.PathLike[str]) -> Instance:
        """The instance in ``directory`` (created if missing).

        Args:
            directory: the instance directory, holding an optional ``headwater.yaml``.

        Returns:
            The instance.

        Raises:
            InvalidConfigError: if ``headwater.yaml`` is malformed or has unknown keys.
            StorageError: if the database cannot be opened (a PostgreSQL server that does not
                answer, a schema behind this headwater's: run ``headwater instance migrate``).
        """
        from headwater.instance.config import load_instance_config
        from headwater.instance.storage_open import open_storage

        root = Path(directory).absolute()
        root.mkdir(parents=True, exist_ok=True)
        config = load_instance_config(root)
        storage = open_storage(config)
        return Instance(root_directory=root, storage=storage, config=config)

    @staticmethod
    def ephemeral() -> Instance:
        """An instance in memory with a temporary directory, both gone after :meth:`dispose`.

        Returns:
            The instance; use it in a ``with`` block (or call :meth:`dispose`).
        """
        import tempfile

        from headwater.storage.sqlite import SqliteStorage

        temp_dir = tempfile.TemporaryDirectory(prefix="headwater-")
        return Instance(
            root_directory=temp_dir.name, storage=SqliteStorage.in_memory(), temp_dir=temp_dir
        )

    def dispose(self) -> None:
        """Close storage connections and remove the temporary directory of an ephemeral instance."""
        self._storage.dispose()
        if self._temp_dir is not None:
            self._temp_dir.cleanup()
            self._temp_dir = None

    def __enter__(self) -> Instance:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    # -- directories and storage ---------------------------------------------------------
    @property
    def root_directory(self) -> Path:
        """The instance directory (``HEADWATER_HOME``)."""
        return self._root

    @property
    def storage_directory(self) -> Path:
        """Where IO managers store asset values by default (``root/storage``; may not exist yet)."""
        return self._root / "storage"

    @property
    def logs_directory(self) -> Path:
        """Where captured step logs go (``root/logs``; may not exist yet)."""
        return self._root / "logs"

    @property
    def storage(self) -> Storage:
        """The run and event log storage."""
        return self._storage

    @property
    def config(self) -> InstanceConfig:
        """What ``headwater.yaml`` asks for, defaults filled in (all defaults for an instance
        built without a file, such as :meth:`ephemeral`).

        Example:
            >>> with Instance.ephemeral() as instance:
            ...     instance.config.run_queue.max_concurrent_runs
            10
        """
        if self._config is None:
            from headwater.instance.config import InstanceConfig

            self._config = InstanceConfig(sqlite_path=self._root / "history.db")
        return self._config

    @property
    def is_ephemeral(self) -> bool:
        """Whether the instance disappears on :meth:`dispose`."""
        return self._temp_dir is not None

    @property
    def is_persistent(self) -> bool:
        """Whether the instance keeps its history after :meth:`dispose` (the opposite of
        :attr:`is_ephemeral`; an :func:`~headwater.instance_for_test` instance is persistent
        while its directory exists)."""
        return not self.is_ephemeral

    # -- runs ----------------------------------------------------------------------------
    def create_run(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        asset_selection: Iterable[AssetKey] | None = None,
        run_id: str | None = None,
        status: RunStatus = RunStatus.NOT_STARTED,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
        job_origin: JobOrigin | None = None,
        plan_snapshot: RunPlanSnapshot | None = None,
    ) -> Run:
        """Create and store a new run.

        Args:
            job_name: the job the run executes (``__ephemeral_asset_job__`` for ``materialize()``).
            run_config: the run config.
            tags: string tags.
            asset_selection: the asset keys the run materializes (``None`` for op jobs).
            run_id: the id to use; a new UUID4 string by default.
            status: the initial status (``QUEUED`` for runs submitted to the run queue).
            parent_run_id / root_run_id: the run this one re-executes, and its root.
            job_origin: where the run's job comes from (a run worker loads it from there).
            plan_snapshot: the run's plan as data; stored once (content-addressed) and
                referred to by the run's ``plan_snapshot_id``.

        Returns:
            The stored run.

        Raises:
            StorageError: if a run with ``run_id`` already exists.
        """
        import uuid

        run = Run(
            run_id=run_id or str(uuid.uuid4()),
            job_name=job_name,
            status=status,
            tags=dict(tags or {}),
            run_config=dict(run_config or {}),
            asset_selection=frozenset(asset_selection) if asset_selection is not None else None,
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
            job_origin=job_origin,
            plan_snapshot_id=None
            if plan_snapshot is None
            else self.add_run_plan_snapshot(plan_snapshot),
        )
        return self._storage.add_run(run)

    def add_run(self, run: Run) -> Run:
        """Store an already-built run (raises ``StorageError`` if its id exists)."""
        return self._storage.add_run(run)

    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run with ``run_id``, or ``None``."""
        return self._storage.get_run_by_id(run_id)

    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[Run]:
        """Runs matching ``filters``, newest first; ``cursor`` is the last run id already seen."""
        return self._storage.get_runs(filters, cursor=cursor, limit=limit, ascending=ascending)

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> list[RunRecord]:
        """Run records (runs with timestamps), ordered by ``order_by``.

        Args:
            filters: which runs.
            limit: at most this many.
            order_by: ``create_timestamp`` (default), ``update_timestamp``, ``start_time`` or
                ``end_time``; runs without the value sort as oldest.
            ascending: oldest first.
            cursor: the last run id already seen.

        Returns:
            The records.
        """
        return self._storage.get_run_records(
            filters, limit=limit, cursor=cursor, ascending=ascending, order_by=order_by
        )

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        """How many runs match ``filters``."""
        return self._storage.get_runs_count(filters)

    def get_run_ids(
        self, filters: RunsFilter | None = None, cursor: str | None = None, limit: int | None = None
    ) -> list[str]:
        """Ids of the runs matching ``filters``, newest first."""
        return [run.run_id for run in self.get_runs(filters, cursor=cursor, limit=limit)]

    def delete_run(self, run_id: str) -> None:
        """Delete a run and its events (the asset index forgets them)."""
        self._storage.delete_run(run_id)

    def add_run_tags(self, run_id: str, new_tags: Mapping[str, str]) -> None:
        """Add or overwrite tags of a run (raises ``RunNotFoundError`` for an unknown run)."""
        self._storage.add_run_tags(run_id, new_tags)

    # -- events --------------------------------------------------------------------------
    def store_event(self, entry: EventLogEntry) -> int:
        """Persist one event; returns its storage id."""
        return self._storage.store_events([entry])[0]

    def store_events(self, entries: Sequence[EventLogEntry]) -> list[int]:
        """Persist a batch of events in one transaction; returns their storage ids."""
        return self._storage.store_events(entries)

    def all_logs(
        self, run_id: str, of_type: EventType | set[EventType] | None = None
    ) -> list[EventLogEntry]:
        """Every event of a run in order, optionally only of the given type(s)."""
        records = self._storage.get_logs_for_run(run_id, of_type=of_type)
        return [record.event_log_entry for record in records]

    def get_records_for_run(
        self,
        run_id: str,
        cursor: str | int | None = None,
        of_type: EventType | set[EventType] | None = None,
        limit: int | None = None,
    ) -> EventRecordsResult:
        """A page of a run's events in order.

        Args:
            run_id: the run.
            cursor: the ``cursor`` of the previous page (a storage id), to continue after it.
            of_type: only events of this type or these types.
            limit: at most this many records.

        Returns:
            The records, the cursor to pass for the next page, and whether more may follow.
        """
        after = int(cursor) if cursor is not None else None
        found = self._storage.get_logs_for_run(
            run_id, cursor=after, of_type=of_type, limit=limit + 1 if limit is not None else None
        )
        page = found[:limit] if limit is not None else found
        next_cursor = str(page[-1].storage_id) if page else (None if after is None else str(after))
        return EventRecordsResult(
            records=page, cursor=next_cursor, has_more=limit is not None and len(found) > limit
        )

    def get_event_records(
        self,
        event_records_filter: EventRecordsFilter,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[EventLogRecord]:
        """Events matching the filter, newest first unless ``ascending``."""
        return self._storage.get_event_records(
            event_records_filter, limit=limit, ascending=ascending
        )

    def report_runless_asset_event(self, event: AssetMaterialization | AssetObservation) -> int:
        """Record a materialization or observation that happened outside any run.

        Args:
            event: the materialization or observation (e.g. of an external table).

        Returns:
            The storage id of the stored event (whose ``run_id`` is ``""``).
        """
        is_materialization = isinstance(event, AssetMaterialization)
        kind = "materialization" if is_materialization else "observation"
        entry = EventLogEntry(
            run_id="",
            timestamp=time.time(),
            event_type=(
                EventType.ASSET_MATERIALIZATION
                if is_materialization
                else EventType.ASSET_OBSERVATION
            ),
            message=f"Reported {kind} of {event.asset_key.to_user_string()}.",
            asset_key=event.asset_key,
            partition=event.partition,
            data=materialization_data(event),
        )
        return self.store_event(entry)

    # -- asset checks --------------------------------------------------------------------
    def get_latest_asset_check_evaluation(
        self, check_key: AssetCheckKey
    ) -> AssetCheckEvaluation | None:
        """The latest evaluation of ``check_key`` (``AssetCheckKey(asset_key, name)``), or
        ``None`` when it never ran."""
        found = self.get_asset_check_evaluations(check_key, limit=1)
        return found[0] if found else None

    def get_asset_check_evaluations(
        self, check_key: AssetCheckKey, limit: int | None = None
    ) -> list[AssetCheckEvaluation]:
        """Evaluations of ``check_key``, newest first (at most ``limit``).

        Example:
            >>> from headwater import AssetCheckKey
            >>> with Instance.ephemeral() as instance:
            ...     instance.get_asset_check_evaluations(AssetCheckKey(AssetKey("a"), "c"))
            []
        """
        from headwater.declarations.checks.definition import AssetCheckEvaluation

        records = self._storage.get_asset_check_evaluation_records(check_key, limit)
        return [
            AssetCheckEvaluation.from_event(
                check_key.asset_key,
                r.event_log_entry.data,
                run_id=r.event_log_entry.run_id,
                timestamp=r.event_log_entry.timestamp,
                storage_id=r.storage_id,
            )
            for r in records
        ]

    # -- assets --------------------------------------------------------------------------
    def get_latest_materialization_event(self, asset_key: AssetKey) -> EventLogEntry | None:
        """The latest materialization event of ``asset_key``, or ``None``."""
        record = self._storage.get_latest_materialization_records([asset_key]).get(asset_key)
        return record.event_log_entry if record is not None else None

    def get_latest_materialization_events(
        self, asset_keys: Sequence[AssetKey]
    ) -> dict[AssetKey, EventLogEntry | None]:
        """The latest materialization event of each key (``None`` where there is none)."""
        records = self._storage.get_latest_materialization_records(asset_keys)
        return {
            key: record.event_log_entry if (record := records.get(key)) is not None else None
            for key in asset_keys
        }

    def fetch_materializations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of an asset's materializations, newest first unless ``ascending``.

        Args:
            records_filter: the asset key, or an :class:`AssetRecordsFilter`.
            limit: page size.
            cursor: the ``cursor`` of the previous page.
            ascending: oldest first.

        Returns:
            The page, the cursor for the next page and whether more follow.
        """
        return self._storage.fetch_events(
            EventType.ASSET_MATERIALIZATION, _as_filter(records_filter), limit, cursor, ascending
        )

    def fetch_observations(
        self,
        records_filter: AssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """Like :meth:`fetch_materializations`, for observations."""
        return self._storage.fetch_events(
            EventType.ASSET_OBSERVATION, _as_filter(records_filter), limit, cursor, ascending
        )

    def get_latest_data_version_record(
        self,
        key: AssetKey,
        is_source: bool | None = None,
        partition_key: str | None = None,
    ) -> EventLogRecord | None:
        """The latest event recording a data version of ``key``.

        Args:
            key: the asset.
            is_source: ``True``: its latest observation (a source asset is observed);
                ``False``: its latest materialization; ``None``: the materialization, else
                the observation.
            partition_key: only events of this partition.

        Returns:
            The event record (its ``event_log_entry.data["data_version"]`` holds the version),
            or ``None`` when there is none.

        Example:
            >>> from headwater import Instance, asset, materialize
            >>> @asset
            ... def numbers() -> list[int]:
            ...     return [1]
            >>> with Instance.ephemeral() as instance:
            ...     _ = materialize([numbers], instance=instance)
            ...     instance.get_latest_data_version_record(numbers.key) is not None
            True
        """
        records_filter = AssetRecordsFilter(
            asset_key=key, asset_partitions=[partition_key] if partition_key is not None else None
        )
        kinds = {
            True: (EventType.ASSET_OBSERVATION,),
            False: (EventType.ASSET_MATERIALIZATION,),
            None: (EventType.ASSET_MATERIALIZATION, EventType.ASSET_OBSERVATION),
        }[is_source]
        for kind in kinds:
            page = self._storage.fetch_events(kind, records_filter, 1, None, False)
            if page.records:
                return page.records[0]
        return None

    def get_asset_keys(
        self,
        prefix: Sequence[str] | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[AssetKey]:
        """Known asset keys sorted by their ``a/b`` form; ``cursor`` is the last key seen."""
        return self._storage.get_asset_keys(prefix=prefix, limit=limit, cursor=cursor)

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> list[AssetRecord]:
        """Asset index entries of the given (or all) known assets."""
        return self._storage.get_asset_records(asset_keys)

    def has_asset_key(self, asset_key: AssetKey) -> bool:
        """Whether any materialization, observation or planned event of the asset is stored."""
        return bool(self._storage.get_asset_records([asset_key]))

    def get_materialized_partitions(self, asset_key: AssetKey) -> set[str]:
        """The partitions of ``asset_key`` that were materialized at least once."""
        return self._storage.get_materialized_partitions(asset_key)

    def get_stale_status(
        self, definitions: Any, asset_keys: Iterable[AssetKey] | None = None
    ) -> dict[AssetKey, Any]:
        """MISSING / STALE (with causes) / FRESH for each materializable asset of ``definitions``
        (or for ``asset_keys``); see :func:`headwater.execution.staleness.get_stale_status`."""
        from headwater.execution.staleness import get_stale_status

        return get_stale_status(definitions, self, asset_keys)

    def get_asset_partition_statuses(self, asset_key: AssetKey) -> dict[str, AssetPartitionStatus]:
        """Materialized, failed and in-progress partitions of ``asset_key`` (one indexed read;
        partitions absent from the result are missing)."""
        return self._storage.get_asset_partition_statuses(asset_key)

    def get_asset_partitions_summary(
        self, asset_key: AssetKey, partitions_def: PartitionsDefinition
    ) -> AssetPartitionsSummary:
        """Every partition of ``asset_key`` with its status, summarizable as ranges.

        Args:
            asset_key: the asset.
            partitions_def: its partitions definition (gives the keys and their order).

        Returns:
            An :class:`AssetPartitionsSummary` (``materialized``, ``failed``, ``in_progress``,
            ``missing``, ``counts()``, ``ranges()``).

        Example:
            >>> from headwater import StaticPartitionsDefinition
            >>> with Instance.ephemeral() as instance:
            ...     summary = instance.get_asset_partitions_summary(
            ...         AssetKey("sales"), StaticPartitionsDefinition(["eu", "us"])
            ...     )
            ...     summary.missing
            ['eu', 'us']
        """
        from headwater.storage.partition_status import AssetPartitionsSummary

        keys = partitions_def.get_partition_keys(dynamic_partitions_store=self)
        return AssetPartitionsSummary(keys, self.get_asset_partition_statuses(asset_key))

    def get_asset_partitions_status(
        self, asset_key: AssetKey, partitions_def: PartitionsDefinition
    ) -> AssetPartitionsSummary:
        """Deprecated name of :meth:`get_asset_partitions_summary` (warns)."""
        import warnings

        warnings.warn(
            "Instance.get_asset_partitions_status is renamed get_asset_partitions_summary; the "
            "old name will be removed.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.get_asset_partitions_summary(asset_key, partitions_def)

    def wipe_assets(self, asset_keys: Iterable[AssetKey]) -> None:
        """Forget the materialization/observation history of these assets."""
        for key in asset_keys:
            self._storage.wipe_asset(key)

    # -- dynamic partitions ----------------------------------------------------------------
    def add_dynamic_partitions(
        self, partitions_def_name: str, partition_keys: Sequence[str]
    ) -> None:
        """Add keys to a :class:`~headwater.DynamicPartitionsDefinition`, in one transaction.

        Keys that already exist are ignored and keep their place; new keys are listed after
        the existing ones, in the order given. Any number of keys may be added at once.

        Args:
            partitions_def_name: the definition's ``name``.
            partition_keys: the keys to add.

        Raises:
            DefinitionError: if a key is empty, not a string, or contains ``...`` or a
                control character (or ``partition_keys`` is a single string).

        Example:
            >>> with Instance.ephemeral() as instance:
            ...     instance.add_dynamic_partitions("customers", ["acme", "globex"])
            ...     instance.add_dynamic_partitions("customers", ["globex", "initech"])
            ...     instance.get_dynamic_partitions("customers")
            ['acme', 'globex', 'initech']
        """
        from headwater.declarations.partitions.dynamic import validate_dynamic_partition_keys

        keys = validate_dynamic_partition_keys(partition_keys, "add_dynamic_partitions")
        self._storage.add_dynamic_partitions(partitions_def_name, keys)

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        """Delete one key of a dynamic partitions definition (a missing key is ignored).

        The history of materializations of the deleted partition stays in the event log.

        Args:
            partitions_def_name: the definition's ``name``.
            partition_key: the key to delete.
        """
        self._storage.delete_dynamic_partition(partitions_def_name, partition_key)

    def get_dynamic_partitions(self, partitions_def_name: str) -> list[str]:
        """The keys of a dynamic partitions definition, in the order they were added.

        Args:
            partitions_def_name: the definition's ``name``.

        Returns:
            The keys (empty for a name nothing was added to).
        """
        return self._storage.get_dynamic_partitions(partitions_def_name)

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether ``partition_key`` is a key of the dynamic partitions definition.

        Args:
            partitions_def_name: the definition's ``name``.
            partition_key: the key.

        Returns:
            ``True`` if it was added and not deleted since.
        """
        return self._storage.has_dynamic_partition(partitions_def_name, partition_key)

    # -- backfills -------------------------------------------------------------------------
    def add_backfill(self, backfill: PartitionBackfill) -> None:
        """Store a new backfill (``launch_backfill`` does this for you).

        Raises:
            StorageError: if a backfill with the same id exists.
        """
        self._storage.add_backfill(backfill)

    def get_backfill(self, backfill_id: str) -> PartitionBackfill | None:
        """The backfill with ``backfill_id``, or ``None``.

        Example:
            >>> with Instance.ephemeral() as instance:
            ...     instance.get_backfill("abcdefgh") is None
            True
        """
        return self._storage.get_backfill(backfill_id)

    def get_backfill_status(self, backfill_id: str) -> BulkActionStatus | None:
        """Only the status of a backfill (cheap: no plan is read), or ``None``."""
        return self._storage.get_backfill_status(backfill_id)

    def get_backfills(
        self,
        status: BulkActionStatus | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> list[PartitionBackfill]:
        """Backfills, newest first.

        Args:
            status: only backfills in this :class:`~headwater.BulkActionStatus`.
            limit: at most this many.
            cursor: a backfill id; continue after it (the last id of the previous page).
        """
        return self._storage.get_backfills(status=status, limit=limit, cursor=cursor)

    def update_backfill(self, backfill: PartitionBackfill) -> None:
        """Replace the stored backfill of the same id (its update timestamp becomes now).

        Raises:
            StorageError: if no backfill has that id.
        """
        self._storage.update_backfill(backfill)

    # -- concurrency pools -----------------------------------------------------------------
    def set_concurrency_limit(self, pool: str, limit: int) -> None:
        """Let at most ``limit`` steps of ``pool`` execute at once, across every run.

        Args:
            pool: the pool name (``@asset(pool=...)``, ``@op(pool=...)``).
            limit: the number of slots, >= 1.

        Raises:
            InvalidInvocationError: ``limit`` is not an integer >= 1.

        Example:
            >>> with Instance.ephemeral() as instance:
            ...     instance.set_concurrency_limit("warehouse", 2)
            ...     instance.get_concurrency_limits()
            {'warehouse': 2}
        """
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            from headwater.errors import InvalidInvocationError

            raise InvalidInvocationError(
                f"The limit of pool {pool!r} must be an integer >= 1, got {limit!r}; "
                "delete_concurrency_limit() removes a limit."
            )
        self._storage.set_concurrency_limit(pool, limit)

    def delete_concurrency_limit(self, pool: str) -> bool:
        """Remove the limit set for ``pool`` (``concurrency.pools.default_limit`` applies
        again); whether it had one."""
        return self._storage.delete_concurrency_limit(pool)

    def get_concurrency_limits(self) -> dict[str, int]:
        """Pool -> limit, for every pool whose limit was set."""
        return self._storage.get_concurrency_limits()

    def get_concurrency_limit(self, pool: str) -> int | None:
        """The limit ``pool`` runs under: its own, else ``concurrency.pools.default_limit`` of
        ``headwater.yaml``, else ``None`` (unlimited)."""
        own = self._storage.get_concurrency_limits().get(pool)
        return own if own is not None else self.config.pool_default_limit

    def claim_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Take a slot of ``pool`` for a step, if one is free (always, for an unlimited pool).

        Returns:
            Whether the step holds a slot now (a step already holding one keeps it).
        """
        limit = self.get_concurrency_limit(pool)
        if limit is None:
            return True
        return self._storage.claim_concurrency_slot(pool, limit, run_id, step_key)

    def release_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> None:
        """Free the slot a step holds in ``pool`` (nothing happens if it holds none)."""
        self._storage.release_concurrency_slot(pool, run_id, step_key)

    def release_run_concurrency_slots(self, run_id: str) -> int:
        """Free every slot held by the steps of ``run_id`` (a run that ended or died); how
        many were freed."""
        return self._storage.release_run_concurrency_slots(run_id)

    def get_concurrency_slots(self, pool: str | None = None) -> list[tuple[str, str, str, float]]:
        """``(pool, run_id, step_key, claim_timestamp)`` of every taken slot (of ``pool``),
        oldest first."""
        return self._storage.get_concurrency_slots(pool)

    # -- daemon heartbeats -----------------------------------------------------------------
    def claim_daemon_heartbeat(
        self,
        heartbeat: DaemonHeartbeat,
        *,
        expired_before: float,
        replacing: str | None = None,
    ) -> DaemonHeartbeat:
        """Record a daemon loop's heartbeat, unless another daemon holds that loop.

        Args:
            heartbeat: the loop, the daemon id, the time, and optionally an error or cursor
                (``None`` keeps the stored one).
            expired_before: a heartbeat of another daemon older than this (epoch seconds) has
                expired and is replaced.
            replacing: the id of a daemon known to be dead, whose rows may be replaced now.

        Returns:
            The stored heartbeat afterwards: the caller holds the loop if its ``daemon_id`` is
            the caller's, else it names the daemon that does.

        Example:
            >>> from headwater.storage.daemon_records import DaemonHeartbeat
            >>> with Instance.ephemeral() as instance:
            ...     beat = DaemonHeartbeat(loop_name="run_queue", daemon_id="a", timestamp=100.0)
            ...     instance.claim_daemon_heartbeat(beat, expired_before=0.0).daemon_id
            ...     other = DaemonHeartbeat(loop_name="run_queue", daemon_id="b", timestamp=101.0)
            ...     instance.claim_daemon_heartbeat(other, expired_before=50.0).daemon_id
            'a'
            'a'
        """
        return self._storage.claim_daemon_heartbeat(
            heartbeat, expired_before=expired_before, replacing=replacing
        )

    def get_daemon_heartbeats(self) -> list[DaemonHeartbeat]:
        """The last heartbeat of every daemon loop, sorted by loop name (empty when no daemon
        ever ran on the instance)."""
        return self._storage.get_daemon_heartbeats()

    def release_daemon_heartbeat(self, loop_name: str, daemon_id: str) -> bool:
        """Forget the heartbeat of ``loop_name`` if ``daemon_id`` holds it (a daemon stopping
        cleanly releases the instance this way); returns whether it did."""
        return self._storage.release_daemon_heartbeat(loop_name, daemon_id)

    def wipe(self) -> None:
        """Delete every run, event, asset index entry, dynamic partition, backfill and daemon
        heartbeat of the instance."""
        self._storage.wipe()


def _as_filter(value: AssetKey | AssetRecordsFilter) -> AssetRecordsFilter:
    return AssetRecordsFilter(asset_key=value) if isinstance(value, AssetKey) else value
