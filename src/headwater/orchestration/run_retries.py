"""Run retries: a failed run is re-executed from failure as a new QUEUED run.

With ``run_retries: {enabled: true}`` in ``headwater.yaml``, :meth:`RunRetries.process` (run by
the daemon's ``run_monitoring`` loop) reads the RUN_FAILURE events stored since its cursor and,
for each failed run that has retries left, submits a retry:

- retries left: the run's ``headwater/retry_number`` (0 for an original run) is below its
  ``headwater/max_retries`` tag, else ``run_retries.max_retries``; Dagster's ``dagster/*`` tags
  are read too;
- with ``retry_on_asset_or_op_failure: false`` (setting or tag), only runs that failed for
  another reason than a failed step (a worker that died, a start timeout) are retried;
- the retry re-executes from failure: its asset selection is the failed run's minus the assets
  of the steps that succeeded (an op job, which has no asset selection, runs whole again); it
  keeps the failed run's job, code location, config and tags, and is linked by
  ``parent_run_id``/``root_run_id`` (also as tags) and ``headwater/retry_number``.

The retry's run id is derived from the failed run's id, so a failure processed twice (a daemon
killed before it saved its cursor, two daemons) still makes one retry.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from typing import TYPE_CHECKING

from headwater.errors import StorageError
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.orchestration.reexecution import PARENT_RUN_TAG, ROOT_RUN_TAG
from headwater.orchestration.run_tags import (
    MAX_RETRIES_TAG,
    RETRY_NUMBER_TAG,
    RETRY_ON_ASSET_OR_OP_FAILURE_TAG,
    bool_tag,
    int_tag,
)
from headwater.storage.records import EventRecordsFilter, Run, RunStatus

if TYPE_CHECKING:
    from headwater.execution.plan.run_snapshot import RunPlanSnapshot
    from headwater.instance.daemon_settings import RunRetriesConfig
    from headwater.instance.instance import Instance

logger = logging.getLogger("headwater.daemon.run_retries")

_RETRY_NAMESPACE = uuid.UUID("5b0d6a1e-3c1f-4c53-9a0e-2f7f2f6c7a10")
#: At most this many failure events per tick (the rest are read at the next tick).
BATCH = 100


def retry_run_id(run_id: str) -> str:
    """The id of the retry of ``run_id`` (the same for every caller).

    Example:
        >>> retry_run_id("abc") == retry_run_id("abc")
        True
    """
    return str(uuid.uuid5(_RETRY_NAMESPACE, f"retry-of:{run_id}"))


class RunRetries:
    """Submits retries of failed runs, reading failures in order from a cursor.

    Args:
        instance: where the runs are.
        config: the settings; the instance's ``run_retries:`` by default.
        cursor: the storage id of the last RUN_FAILURE event already handled; ``None`` starts
            after the newest one (failures from before the first start, or while retries are
            disabled, are not retried).

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     RunRetries(instance).process()
        []
    """

    def __init__(
        self,
        instance: Instance,
        config: RunRetriesConfig | None = None,
        cursor: int | None = None,
    ) -> None:
        self.instance = instance
        self.config = config or instance.config.run_retries
        self.cursor = cursor

    def process(self) -> list[Run]:
        """Submit the retries the failures since the cursor call for; moves the cursor.

        Returns:
            The retry runs submitted by this call.
        """
        if self.cursor is None or not self.config.enabled:
            self.cursor = self._newest_failure()  # failures while disabled are not retried
            return []
        records = self.instance.get_event_records(
            EventRecordsFilter(event_type=EventType.RUN_FAILURE, after_cursor=self.cursor),
            limit=BATCH,
            ascending=True,
        )
        submitted = []
        for record in records:
            retry = self._maybe_retry(record.event_log_entry.run_id)
            if retry is not None:
                submitted.append(retry)
            self.cursor = record.storage_id
        return submitted

    def _newest_failure(self) -> int:
        newest = self.instance.get_event_records(
            EventRecordsFilter(event_type=EventType.RUN_FAILURE), limit=1
        )
        return newest[0].storage_id if newest else 0

    def _maybe_retry(self, run_id: str) -> Run | None:
        run = self.instance.get_run_by_id(run_id)
        if run is None or run.status is not RunStatus.FAILURE:
            return None
        number = int_tag(run.tags, RETRY_NUMBER_TAG, 0) or 0
        allowed = int_tag(run.tags, MAX_RETRIES_TAG, self.config.max_retries) or 0
        if number >= allowed:
            return None
        on_step_failure = bool_tag(
            run.tags, RETRY_ON_ASSET_OR_OP_FAILURE_TAG, self.config.retry_on_asset_or_op_failure
        )
        if not on_step_failure and self._a_step_failed(run_id):
            logger.info("Run %s failed in a step; not retried (retry_on_asset_or_op_failure "
                        "is false).", run_id)  # fmt: skip
            return None
        return submit_retry(self.instance, run, number + 1)

    def _a_step_failed(self, run_id: str) -> bool:
        return bool(self.instance.all_logs(run_id, of_type=EventType.STEP_FAILURE))


def from_failure_selection(instance: Instance, run: Run) -> frozenset[AssetKey] | None:
    """The assets a re-execution of ``run`` from failure materializes: the run's selection
    minus the assets materialized by its steps that succeeded (``None`` for an op job)."""
    if run.asset_selection is None:
        return None
    logs = instance.all_logs(
        run.run_id, of_type={EventType.STEP_SUCCESS, EventType.ASSET_MATERIALIZATION}
    )
    succeeded = {e.step_key for e in logs if e.event_type is EventType.STEP_SUCCESS}
    done = {
        e.asset_key
        for e in logs
        if e.event_type is EventType.ASSET_MATERIALIZATION
        and e.asset_key is not None
        and e.step_key in succeeded
    }
    left = run.asset_selection - done
    return left or run.asset_selection


def submit_retry(instance: Instance, run: Run, retry_number: int) -> Run | None:
    """Submit the retry of the failed ``run`` as a QUEUED run (``None`` if it exists already).

    The retry is created NOT_STARTED, then queued by a conditional update (RUN_ENQUEUED), so a
    daemon killed in between leaves a run the next attempt queues, never a second retry.

    Args:
        instance: where to store it.
        run: the failed run.
        retry_number: 1 for the first retry of the original run.

    Returns:
        The new run, or ``None`` when the retry was submitted before.
    """
    root = run.root_run_id or run.run_id
    tags = {
        **run.tags,
        PARENT_RUN_TAG: run.run_id,
        ROOT_RUN_TAG: root,
        RETRY_NUMBER_TAG: str(retry_number),
    }
    retry_id = retry_run_id(run.run_id)
    existing = instance.get_run_by_id(retry_id)
    if existing is None:
        selection = from_failure_selection(instance, run)
        try:
            instance.create_run(
                run_id=retry_id,
                job_name=run.job_name,
                run_config=run.run_config,
                tags=tags,
                asset_selection=selection,
                status=RunStatus.NOT_STARTED,
                parent_run_id=run.run_id,
                root_run_id=root,
                job_origin=run.job_origin,
                plan_snapshot=_retry_snapshot(instance, run, selection, tags),
            )
        except StorageError:
            if instance.get_run_by_id(retry_id) is None:
                raise
            return None  # another daemon was faster
    elif existing.status is not RunStatus.NOT_STARTED:
        return None  # submitted before (another daemon, or before a crash)
    retry = instance.submit_run(retry_id)
    logger.info("Run %s failed; submitted retry %d as run %s.", run.run_id, retry_number,
                retry_id)  # fmt: skip
    return retry


def _retry_snapshot(
    instance: Instance, run: Run, selection: frozenset[AssetKey] | None, tags: dict[str, str]
) -> RunPlanSnapshot | None:
    """The failed run's plan snapshot, narrowed to ``selection`` and with the retry's tags."""
    snapshot = instance.get_run_plan_snapshot(run)
    if snapshot is None:
        return None
    checks = snapshot.asset_check_selection
    if checks is not None and selection is not None:
        checks = tuple(c for c in checks if c.asset_key in selection)
    return dataclasses.replace(
        snapshot,
        asset_selection=snapshot.asset_selection if selection is None else tuple(sorted(selection)),
        asset_check_selection=checks,
        tags=tags,
    )
