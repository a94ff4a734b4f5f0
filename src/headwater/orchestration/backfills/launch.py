"""Backfills: launch, execute in this process, cancel and resume.

A backfill is planned once (:func:`~headwater.orchestration.backfills.plan.plan_backfill`) and
stored with its plan; :func:`execute_backfill` then runs the plan's requests in order, each as
a normal run tagged ``headwater/backfill=<id>``. Whether a request is done is read back from
those runs, so a backfill interrupted by a crash resumes where it stopped without re-running a
partition that succeeded.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.declarations.partitions.base import PartitionKeyRange
from headwater.errors import BackfillNotFoundError, HeadwaterError, InvalidInvocationError
from headwater.orchestration.backfills.plan import plan_backfill
from headwater.orchestration.backfills.status import (
    BackfillPartitionStatus,
    BackfillRunStatus,
    latest_runs_by_request,
)
from headwater.orchestration.backfills.target import make_target
from headwater.storage.backfill_records import (
    BACKFILL_ID_TAG,
    BackfillRunRequest,
    BulkActionStatus,
    PartitionBackfill,
    make_backfill_id,
)
from headwater.storage.records import RunsFilter, RunStatus

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions
    from headwater.events.records import EventLogEntry
    from headwater.execution.plan.origin import CodeLocationOrigin
    from headwater.instance.instance import Instance

#: Called with the position and request of a run about to start.
RunStartHook = Callable[[int, BackfillRunRequest], None]
#: Called when a request is settled: succeeded (now or in an earlier attempt), failed, skipped.
RunEndHook = Callable[[BackfillRunStatus], None]

_UNFINISHED_RUN_STATUSES = [
    RunStatus.QUEUED,
    RunStatus.NOT_STARTED,
    RunStatus.STARTING,
    RunStatus.STARTED,
    RunStatus.CANCELING,
]
_CANCEL = (BulkActionStatus.CANCELING, BulkActionStatus.CANCELED)


def launch_backfill(
    defs: Definitions,
    selection: Any,
    *,
    instance: Instance,
    partition_keys: Sequence[str] | None = None,
    partition_key_range: PartitionKeyRange | None = None,
    all_partitions: bool = False,
    tags: Mapping[str, str] | None = None,
    location: CodeLocationOrigin | None = None,
) -> PartitionBackfill:
    """Plan a backfill and store it with status ``REQUESTED`` (nothing runs yet).

    Args:
        defs: the definitions.
        selection: the assets: an ``AssetSelection``, a selection string or keys/assets.
        instance: the :class:`~headwater.Instance` to store it in.
        partition_keys / partition_key_range / all_partitions: the partitions (exactly one),
            as in :func:`~headwater.orchestration.backfills.plan.plan_backfill`.
        tags: tags added to every run of the backfill.
        location: the origin of the code location ``defs`` come from, to run the backfill
            in the background: the daemon (serving that location) submits its runs through
            the run queue (:mod:`~headwater.orchestration.backfills.background`).

    Returns:
        The stored :class:`~headwater.PartitionBackfill`; run it with :func:`execute_backfill`
        (or let the daemon run it, given ``location``).

    Raises:
        InvalidSelectionError: unknown or no materializable assets.
        PartitionError: missing, unknown or reversed partitions (naming the asset and key).

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, PartitionKeyRange, asset,
        ...     execute_backfill, launch_backfill)
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events() -> int:
        ...     return 1
        >>> defs = Definitions(assets=[events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events+", instance=instance,
        ...     partition_key_range=PartitionKeyRange("2024-01-01", "2024-01-07"),
        ... )
        >>> backfill.status, len(backfill.run_requests)
        (<BulkActionStatus.REQUESTED: 'REQUESTED'>, 7)
        >>> execute_backfill(defs, backfill.backfill_id, instance).status
        <BulkActionStatus.COMPLETED_SUCCESS: 'COMPLETED_SUCCESS'>
        >>> instance.dispose()
    """
    target = make_target(partition_keys, partition_key_range, all_partitions)
    run_tags = _check_tags(tags)
    requests = plan_backfill(
        defs,
        selection,
        partition_keys=partition_keys,
        partition_key_range=partition_key_range,
        all_partitions=all_partitions,
        dynamic_partitions_store=instance,
    )
    now = time.time()
    backfill = PartitionBackfill(
        backfill_id=make_backfill_id(),
        asset_selection=tuple(dict.fromkeys(k for r in requests for k in r.asset_keys)),
        partition_keys=target.partition_keys,
        partition_range=target.partition_range,
        all_partitions=target.all_partitions,
        tags=run_tags,
        create_timestamp=now,
        update_timestamp=now,
        run_requests=tuple(requests),
        location=None if location is None else location.to_dict(),
    )
    instance.add_backfill(backfill)
    return backfill


def execute_backfill(
    defs: Definitions,
    backfill_id: str,
    instance: Instance,
    *,
    resources: Mapping[str, Any] | None = None,
    listeners: list[Callable[[EventLogEntry], None]] | None = None,
    on_run_start: RunStartHook | None = None,
    on_run_end: RunEndHook | None = None,
) -> PartitionBackfill:
    """Run the remaining requests of a ``REQUESTED`` backfill in order, in this process.

    Requests whose latest run succeeded are not run again (so executing a backfill after a
    crash resumes it). A failed run does not stop the backfill: later partitions of the same
    assets still run, and runs that load partitions of a failed (or skipped) run are skipped.
    Between runs, a cancel request (status ``CANCELING``/``CANCELED``) stops the backfill.

    Args:
        defs: the definitions the backfill was planned from.
        backfill_id: the backfill's id.
        instance: the :class:`~headwater.Instance` holding it.
        resources: resources overriding the definitions' ones.
        listeners: receive every event of every run (live progress).
        on_run_start: called with ``(position, request)`` before each run starts.
        on_run_end: called with a :class:`BackfillRunStatus` as each request settles.

    Returns:
        The backfill as stored at the end: ``COMPLETED_SUCCESS``, ``COMPLETED_FAILED`` or
        ``CANCELED`` (a backfill that was not ``REQUESTED``, or that the daemon runs in the
        background, is returned unchanged, except that ``CANCELING`` becomes ``CANCELED``).

    Raises:
        BackfillNotFoundError: no backfill has that id.
        HeadwaterError: a run could not start (its assets or partitions no longer exist);
            the backfill is then stored as ``FAILED`` with the error.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, asset, execute_backfill,
        ...     launch_backfill)
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events(context) -> int:
        ...     if context.partition_key == "2024-01-02":
        ...         raise ValueError("source file missing")
        ...     return 1
        >>> defs = Definitions(assets=[events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events", instance=instance,
        ...     partition_keys=["2024-01-01", "2024-01-02", "2024-01-03"],
        ... )
        >>> done = execute_backfill(
        ...     defs, backfill.backfill_id, instance,
        ...     on_run_end=lambda status: print(status.request.describe(), status.status.value),
        ... )
        events [2024-01-01] SUCCEEDED
        events [2024-01-02] FAILED
        events [2024-01-03] SUCCEEDED
        >>> done.status
        <BulkActionStatus.COMPLETED_FAILED: 'COMPLETED_FAILED'>
        >>> instance.dispose()
    """
    backfill = get_backfill_or_raise(instance, backfill_id)
    if backfill.status is BulkActionStatus.CANCELING:
        return _store(instance, backfill, BulkActionStatus.CANCELED)
    if backfill.status is not BulkActionStatus.REQUESTED or backfill.location is not None:
        return backfill  # finished, or the daemon's to run (in the background)
    runner = _Runner(defs, backfill, instance, resources, listeners)
    statuses: list[BackfillRunStatus] = []
    for index, request in enumerate(backfill.run_requests):
        settled = runner.settled(index, request, statuses)
        if settled is None:
            if _cancel_requested(instance, backfill_id):
                return _store(instance, backfill, BulkActionStatus.CANCELED)
            if on_run_start is not None:
                on_run_start(index, request)
            settled = runner.run(index, request)
        statuses.append(settled)
        if on_run_end is not None:
            on_run_end(settled)
    if _cancel_requested(instance, backfill_id):
        return _store(instance, backfill, BulkActionStatus.CANCELED)
    success = all(s.status is BackfillPartitionStatus.SUCCEEDED for s in statuses)
    final = BulkActionStatus.COMPLETED_SUCCESS if success else BulkActionStatus.COMPLETED_FAILED
    return _store(instance, backfill, final)


def resume_backfill(
    defs: Definitions,
    backfill_id: str,
    instance: Instance,
    *,
    resources: Mapping[str, Any] | None = None,
    listeners: list[Callable[[EventLogEntry], None]] | None = None,
    on_run_start: RunStartHook | None = None,
    on_run_end: RunEndHook | None = None,
) -> PartitionBackfill:
    """Make a backfill ``REQUESTED`` again and execute what did not succeed.

    Works on a backfill interrupted by a crash, one that completed with failures (its failed
    and skipped runs are retried), a ``FAILED`` one and a canceled one. Partitions whose run
    succeeded are never run again. A backfill that was running in the background continues
    in this process (the daemon no longer drives it). Arguments are those of
    :func:`execute_backfill`.

    Returns:
        The backfill as stored at the end (a ``COMPLETED_SUCCESS`` one is returned as is).

    Raises:
        BackfillNotFoundError: no backfill has that id.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, asset, execute_backfill,
        ...     launch_backfill, resume_backfill)
        >>> missing = {"2024-01-02"}
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events(context) -> int:
        ...     if context.partition_key in missing:
        ...         raise ValueError("source file missing")
        ...     return 1
        >>> defs = Definitions(assets=[events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events", instance=instance, partition_keys=["2024-01-01", "2024-01-02"]
        ... )
        >>> execute_backfill(defs, backfill.backfill_id, instance).status
        <BulkActionStatus.COMPLETED_FAILED: 'COMPLETED_FAILED'>
        >>> missing.clear()  # the file arrived: run what did not succeed (only 2024-01-02)
        >>> resume_backfill(
        ...     defs, backfill.backfill_id, instance,
        ...     on_run_start=lambda position, request: print("run", request.describe()),
        ... ).status
        run events [2024-01-02]
        <BulkActionStatus.COMPLETED_SUCCESS: 'COMPLETED_SUCCESS'>
        >>> instance.dispose()
    """
    backfill = get_backfill_or_raise(instance, backfill_id)
    if backfill.status is BulkActionStatus.COMPLETED_SUCCESS:
        return backfill
    if backfill.status is not BulkActionStatus.REQUESTED or backfill.location is not None:
        again = dataclasses.replace(backfill, status=BulkActionStatus.REQUESTED, error=None,
                                    location=None)  # fmt: skip
        instance.update_backfill(again)
    return execute_backfill(
        defs,
        backfill_id,
        instance,
        resources=resources,
        listeners=listeners,
        on_run_start=on_run_start,
        on_run_end=on_run_end,
    )


def cancel_backfill(instance: Instance, backfill_id: str) -> PartitionBackfill:
    """Ask a backfill to stop: no new run starts; a run in progress finishes.

    The backfill becomes ``CANCELING`` while one of its runs is in progress (the process
    executing it marks it ``CANCELED`` once that run ends), else ``CANCELED`` at once. A
    backfill that already finished is returned unchanged.

    Args:
        instance: the :class:`~headwater.Instance` holding the backfill.
        backfill_id: the backfill's id.

    Returns:
        The backfill as stored now.

    Raises:
        BackfillNotFoundError: no backfill has that id.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, asset, cancel_backfill,
        ...     execute_backfill, launch_backfill)
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events() -> int:
        ...     return 1
        >>> defs = Definitions(assets=[events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events", instance=instance, partition_keys=["2024-01-01", "2024-01-02"]
        ... )
        >>> cancel_backfill(instance, backfill.backfill_id).status  # no run in progress
        <BulkActionStatus.CANCELED: 'CANCELED'>
        >>> execute_backfill(defs, backfill.backfill_id, instance).status  # nothing runs
        <BulkActionStatus.CANCELED: 'CANCELED'>
        >>> instance.dispose()
    """
    backfill = get_backfill_or_raise(instance, backfill_id)
    if backfill.status is not BulkActionStatus.REQUESTED:
        return backfill
    running = instance.get_runs_count(
        RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}, statuses=_UNFINISHED_RUN_STATUSES)
    )
    status = BulkActionStatus.CANCELING if running else BulkActionStatus.CANCELED
    return _store(instance, backfill, status)


def get_backfill_or_raise(instance: Instance, backfill_id: str) -> PartitionBackfill:
    """The stored backfill.

    Raises:
        BackfillNotFoundError: naming the id and how to list backfills.
    """
    backfill: PartitionBackfill | None = instance.get_backfill(backfill_id)
    if backfill is None:
        raise BackfillNotFoundError(
            f"No backfill with id {backfill_id!r} in this instance; list backfills with "
            "`headwater backfill list`."
        )
    return backfill


class _Runner:
    """Runs the requests of one backfill through the definitions' asset job."""

    def __init__(
        self,
        defs: Definitions,
        backfill: PartitionBackfill,
        instance: Instance,
        resources: Mapping[str, Any] | None,
        listeners: list[Callable[[EventLogEntry], None]] | None,
    ) -> None:
        self.backfill = backfill
        self.instance = instance
        self.resources = resources
        self.listeners = listeners
        self.job = defs.get_implicit_global_asset_job_def()
        self.tags = {**backfill.tags, BACKFILL_ID_TAG: backfill.backfill_id}
        self.previous = latest_runs_by_request(instance, backfill)

    def settled(
        self, index: int, request: BackfillRunRequest, before: list[BackfillRunStatus]
    ) -> BackfillRunStatus | None:
        """The status of a request that needs no run (done earlier, or skipped), else None."""
        prior = self.previous.get(index)
        if prior is not None and prior.status is RunStatus.SUCCESS:
            return BackfillRunStatus(
                index=index, request=request, status=BackfillPartitionStatus.SUCCEEDED, run=prior
            )
        succeeded = BackfillPartitionStatus.SUCCEEDED
        if any(before[d].status is not succeeded for d in request.depends_on):
            return BackfillRunStatus(
                index=index, request=request, status=BackfillPartitionStatus.SKIPPED
            )
        return None

    def run(self, index: int, request: BackfillRunRequest) -> BackfillRunStatus:
        """Execute one request as a run; a run that cannot start fails the backfill."""
        try:
            result = self.job.execute_in_process(
                instance=self.instance,
                resources=self.resources,
                tags=self.tags,
                asset_selection=list(request.asset_keys),
                partition_key=request.partition_key,
                partition_key_range=request.partition_range,
                raise_on_error=False,
                listeners=self.listeners,
            )
        except HeadwaterError as exc:
            _store(
                self.instance,
                self.backfill,
                BulkActionStatus.FAILED,
                error=f"The run of {request.describe()} could not start: {exc}",
            )
            raise
        status = (
            BackfillPartitionStatus.SUCCEEDED if result.success else BackfillPartitionStatus.FAILED
        )
        return BackfillRunStatus(index=index, request=request, status=status, run=result.run)


def _cancel_requested(instance: Instance, backfill_id: str) -> bool:
    status = instance.get_backfill_status(backfill_id)
    return status is None or status in _CANCEL


def _store(
    instance: Instance,
    backfill: PartitionBackfill,
    status: BulkActionStatus,
    *,
    error: str | None = None,
) -> PartitionBackfill:
    instance.update_backfill(backfill.with_status(status, error=error))
    return get_backfill_or_raise(instance, backfill.backfill_id)


def _check_tags(tags: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(tags or {})
    for key, value in out.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise InvalidInvocationError(
                f"Backfill tags must map strings to strings, got {key!r}: {value!r}."
            )
    if BACKFILL_ID_TAG in out:
        raise InvalidInvocationError(
            f"The tag {BACKFILL_ID_TAG!r} is set by headwater to the backfill's id; remove it."
        )
    return out
