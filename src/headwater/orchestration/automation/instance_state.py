"""What one automation tick reads from the instance, each read done once and kept.

Every read is one indexed query, made the first time a condition needs it: the asset index of
all evaluated assets at once (unpartitioned assets), the partition index of one partitioned
asset, the runs in progress, the backfills in progress, the materializations and observations
stored since the previous tick (one query from the cursor's storage id) and the runs that
produced them. Nothing here is per partition in Python beyond building the result sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.orchestration.automation.asset_view import AssetView
from headwater.orchestration.automation.subsets import EMPTY, UNPARTITIONED, Subset
from headwater.storage.records import (
    AssetPartitionStatus,
    AssetRecord,
    EventRecordsFilter,
    RunsFilter,
    RunStatus,
)

PARTITION_TAG = "headwater/partition"
RANGE_START_TAG = "headwater/asset_partition_range_start"
RANGE_END_TAG = "headwater/asset_partition_range_end"

IN_PROGRESS_STATUSES = (RunStatus.QUEUED, RunStatus.NOT_STARTED, RunStatus.STARTING,
                        RunStatus.STARTED, RunStatus.CANCELING)  # fmt: skip
_UPDATES = (EventType.ASSET_MATERIALIZATION, EventType.ASSET_OBSERVATION)


class InstanceState:
    """The instance as one tick sees it.

    Args:
        instance: the instance.
        keys: the assets the tick may read (their index rows are read in one query).
        after_storage_id: events with a larger storage id are "new" (``None``: the first
            tick, nothing is new).
    """

    def __init__(
        self, instance: Any, keys: Iterable[AssetKey], after_storage_id: int | None
    ) -> None:
        self.instance = instance
        self._keys = list(keys)
        self._after = after_storage_id
        self._records: dict[AssetKey, AssetRecord] | None = None
        self._statuses: dict[AssetKey, dict[str, AssetPartitionStatus]] = {}
        self._materialized: dict[AssetKey, set[str]] = {}
        self._runs: dict[AssetKey, list[tuple[str | None, str | None, str | None]]] | None = None
        self._running_ids: set[str] = set()
        self._backfills: dict[AssetKey, Any] | None = None
        self._updates: dict[AssetKey, dict[str | None, str]] | None = None
        self._selections: dict[str, frozenset[AssetKey] | None] = {}
        self._freshness: dict[AssetKey, str] | None = None
        self.latest_storage_id = after_storage_id

    # -- the asset index ----------------------------------------------------------------------
    def record(self, key: AssetKey) -> AssetRecord | None:
        """The asset's index entry (``None``: never materialized nor observed, or wiped)."""
        if self._records is None:
            found = self.instance.get_asset_records(self._keys) if self._keys else []
            self._records = {r.asset_key: r for r in found}
        return self._records.get(key)

    def statuses(self, view: AssetView) -> dict[str, AssetPartitionStatus]:
        """Materialized, failed and in-progress partitions of a partitioned asset."""
        found = self._statuses.get(view.key)
        if found is None:
            found = self._statuses[view.key] = self.instance.get_asset_partition_statuses(view.key)
        return found

    def materialized(self, view: AssetView) -> Subset:
        """Partitions materialized at least once (unpartitioned: materialized or observed)."""
        if view.order is None:
            record = self.record(view.key)
            present = record is not None and (
                record.last_materialization_record is not None
                or record.last_observation_record is not None
            )
            return UNPARTITIONED if present else EMPTY
        found = self._materialized.get(view.key)
        if found is None:
            found = self._materialized[view.key] = self.instance.get_materialized_partitions(
                view.key
            )
        return frozenset(found) & view.universe

    def failed(self, view: AssetView) -> Subset:
        """Partitions whose latest run planned but did not materialize them and has finished."""
        if view.order is None:
            record = self.record(view.key)
            failed = (
                record is not None
                and record.last_failed_run_id is not None
                and (record.last_failed_run_id == record.last_run_id)
            )
            return UNPARTITIONED if failed else EMPTY
        statuses = self.statuses(view)
        return frozenset(k for k, s in statuses.items() if s is AssetPartitionStatus.FAILED)

    # -- runs and backfills -------------------------------------------------------------------
    def run_in_progress(self, view: AssetView) -> Subset:
        """Partitions targeted by a run that is queued, starting or running."""
        if self._runs is None:
            self._runs = self._read_runs()
        found = self._runs.get(view.key, [])
        if view.order is None:
            record = self.record(view.key)
            planned = record is not None and record.last_run_id in self._running_ids
            return UNPARTITIONED if found or planned else EMPTY
        out: set[str | None] = set()
        for partition, start, end in found:
            if start is not None and end is not None and view.index is not None:
                lo, hi = view.index.get(start, 0), view.index.get(end, len(view.order) - 1)
                out.update(view.order[lo : hi + 1])
            elif partition is None:  # a run of the asset without a partition: all of it
                return view.universe
            else:
                out.add(partition)
        statuses = self.statuses(view)
        out.update(k for k, s in statuses.items() if s is AssetPartitionStatus.IN_PROGRESS)
        return frozenset(out) & view.universe

    def _read_runs(self) -> dict[AssetKey, list[tuple[str | None, str | None, str | None]]]:
        runs = self.instance.get_runs(RunsFilter(statuses=list(IN_PROGRESS_STATUSES)))
        out: dict[AssetKey, list[tuple[str | None, str | None, str | None]]] = {}
        for run in runs:
            self._running_ids.add(run.run_id)
            target = (run.tags.get(PARTITION_TAG), run.tags.get(RANGE_START_TAG),
                      run.tags.get(RANGE_END_TAG))  # fmt: skip
            for key in run.asset_selection or ():
                out.setdefault(key, []).append(target)
        return out

    def backfill_in_progress(self, view: AssetView) -> Subset:
        """Partitions targeted by a backfill that has not finished."""
        if self._backfills is None:
            from headwater.storage.backfill_records import BulkActionStatus

            self._backfills = {}
            for status in (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING):
                for backfill in self.instance.get_backfills(status=status):
                    for key in backfill.asset_selection:
                        self._backfills.setdefault(key, []).append(backfill)
        out: set[str | None] = set()
        for backfill in self._backfills.get(view.key, ()):
            if view.order is None or backfill.all_partitions:
                return view.universe
            if backfill.partition_keys is not None:
                out.update(backfill.partition_keys)
            elif backfill.partition_range is not None and view.index is not None:
                lo = view.index.get(backfill.partition_range.start, 0)
                hi = view.index.get(backfill.partition_range.end, len(view.order) - 1)
                out.update(view.order[lo : hi + 1])
        return frozenset(out) & view.universe

    # -- what changed since the previous tick -------------------------------------------------
    def updates(self, key: AssetKey) -> dict[str | None, str]:
        """Partition -> run id of each materialization or observation stored since the
        previous tick (empty on the first tick)."""
        if self._updates is None:
            self._updates = self._read_updates()
        return self._updates.get(key, {})

    def _read_updates(self) -> dict[AssetKey, dict[str | None, str]]:
        out: dict[AssetKey, dict[str | None, str]] = {}
        latest = self._after
        for event_type in _UPDATES:
            if self._after is None:
                newest = self.instance.get_event_records(EventRecordsFilter(event_type=event_type),
                                                         limit=1)  # fmt: skip
                latest = max([latest or 0, *(r.storage_id for r in newest)])
                continue
            records = self.instance.get_event_records(
                EventRecordsFilter(event_type=event_type, after_cursor=self._after), ascending=True
            )
            for record in records:
                key = record.asset_key
                if key is not None:
                    out.setdefault(key, {})[record.partition_key] = record.run_id
                latest = max(latest or 0, record.storage_id)
        self.latest_storage_id = latest
        return out

    def ensure_read(self) -> None:
        """Read what changed even if no condition asked (the cursor needs the storage id)."""
        if self._updates is None:
            self._updates = self._read_updates()

    def run_selection(self, run_id: str) -> frozenset[AssetKey] | None:
        """The assets a run targeted (``None``: unknown, or the whole job)."""
        if run_id not in self._selections:
            run = self.instance.get_run_by_id(run_id) if run_id else None
            self._selections[run_id] = None if run is None else run.asset_selection
        return self._selections[run_id]

    # -- checks and freshness -----------------------------------------------------------------
    def check_results(self, view: AssetView) -> list[bool]:
        """Whether each check of the asset passed its latest evaluation (checks never
        evaluated are left out)."""
        out = []
        for check_key in view.check_keys:
            latest = self.instance.get_latest_asset_check_evaluation(check_key)
            if latest is not None:
                out.append(bool(latest.passed))
        return out

    def freshness_state(self, key: AssetKey) -> str | None:
        """The asset's stored freshness state (``PASS``/``WARN``/``FAIL``/``UNKNOWN``), or
        ``None`` when none is stored."""
        if self._freshness is None:
            found = self.instance.storage.get_freshness_states()
            self._freshness = {k: r.state.value for k, r in found.items()}
        return self._freshness.get(key)
