"""Where a backfill stands: the status of each of its runs and of each partition.

Statuses come from the runs tagged with the backfill's id (one query), matched to the
backfill's run requests by their assets and partition tags; nothing is rescanned from the
event log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from headwater.execution.run.in_process import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    PARTITION_TAG,
)
from headwater.storage.backfill_records import (
    BACKFILL_ID_TAG,
    BackfillRunRequest,
    PartitionBackfill,
    requests_by_key,
)
from headwater.storage.records import Run, RunsFilter, RunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


class BackfillPartitionStatus(StrEnum):
    """The status of one run request (and its partitions) within a backfill.

    ``PENDING``: not run yet; ``IN_PROGRESS``: its run has not finished; ``SUCCEEDED`` /
    ``FAILED``: its latest run succeeded / failed (or was canceled); ``SKIPPED``: not run
    because partitions it loads failed or were skipped.
    """

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


# When partitions of several groups share a key, the most telling status wins.
_PRECEDENCE = {
    BackfillPartitionStatus.FAILED: 4,
    BackfillPartitionStatus.SKIPPED: 3,
    BackfillPartitionStatus.IN_PROGRESS: 2,
    BackfillPartitionStatus.PENDING: 1,
    BackfillPartitionStatus.SUCCEEDED: 0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillRunStatus:
    """The status of one run request of a backfill and its latest run.

    Attributes:
        index: the request's position in the plan.
        request: the run request.
        status: its :class:`BackfillPartitionStatus`.
        run: its latest run, or ``None`` if it never ran.
    """

    index: int
    request: BackfillRunRequest
    status: BackfillPartitionStatus
    run: Run | None = None


def latest_runs_by_request(instance: Instance, backfill: PartitionBackfill) -> dict[int, Run]:
    """The latest run of each request of ``backfill`` that ran (one query for all runs)."""
    runs = instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill.backfill_id}))
    lookup = requests_by_key(backfill.run_requests)
    found: dict[int, Run] = {}
    for run in runs:  # newest first: the first run seen for a request is its latest
        index = lookup.get(run_request_key(run))
        if index is not None and index not in found:
            found[index] = run
    return found


def run_request_key(run: Run) -> tuple[frozenset[Any], str | None, str | None, str | None]:
    """What identifies the request a run executed: its assets and partition tags."""
    tags = run.tags
    return (
        frozenset(run.asset_selection or ()),
        tags.get(PARTITION_TAG),
        tags.get(PARTITION_RANGE_START_TAG),
        tags.get(PARTITION_RANGE_END_TAG),
    )


def status_of_run(run: Run) -> BackfillPartitionStatus:
    """The request status a run stands for."""
    if run.status is RunStatus.SUCCESS:
        return BackfillPartitionStatus.SUCCEEDED
    if run.status in (RunStatus.FAILURE, RunStatus.CANCELED):
        return BackfillPartitionStatus.FAILED
    return BackfillPartitionStatus.IN_PROGRESS


def backfill_run_statuses(
    instance: Instance, backfill: PartitionBackfill
) -> list[BackfillRunStatus]:
    """The status of every run request of ``backfill``, in plan order.

    Args:
        instance: the :class:`~headwater.Instance` holding the backfill's runs.
        backfill: the backfill.

    Returns:
        One :class:`BackfillRunStatus` per request; a request that never ran is ``SKIPPED``
        when a request it depends on failed or was skipped, else ``PENDING``.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, MonthlyPartitionsDefinition,
        ...     asset, execute_backfill, launch_backfill)
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events(context) -> int:
        ...     if context.partition_key == "2024-01-02":
        ...         raise ValueError("source file missing")
        ...     return 1
        >>> @asset(partitions_def=MonthlyPartitionsDefinition(start_date="2024-01-01"))
        ... def monthly_events(events: dict[str, int]) -> int:
        ...     return sum(events.values())
        >>> defs = Definitions(assets=[events, monthly_events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events+", instance=instance, partition_keys=["2024-01-01", "2024-01-02"]
        ... )
        >>> backfill = execute_backfill(defs, backfill.backfill_id, instance)
        >>> for item in backfill_run_statuses(instance, backfill):
        ...     print(item.request.describe(), item.status.value)
        events [2024-01-01] SUCCEEDED
        events [2024-01-02] FAILED
        monthly_events [2024-01-01] SKIPPED
        >>> instance.dispose()
    """
    runs = latest_runs_by_request(instance, backfill)
    out: list[BackfillRunStatus] = []
    bad = (BackfillPartitionStatus.FAILED, BackfillPartitionStatus.SKIPPED)
    for index, request in enumerate(backfill.run_requests):
        run = runs.get(index)
        if run is not None:
            status = status_of_run(run)
        elif any(out[d].status in bad for d in request.depends_on):
            status = BackfillPartitionStatus.SKIPPED
        else:
            status = BackfillPartitionStatus.PENDING
        out.append(BackfillRunStatus(index=index, request=request, status=status, run=run))
    return out


def backfill_partition_status(
    instance: Instance, backfill: PartitionBackfill
) -> dict[str, BackfillPartitionStatus]:
    """The status of each partition key of ``backfill``, in plan order.

    A key shared by several groups of assets (a daily and a monthly partition both named
    ``2024-01-01``) gets the most telling status among them: FAILED, then SKIPPED,
    IN_PROGRESS, PENDING, and SUCCEEDED only when every run covering it succeeded.

    Args:
        instance: the :class:`~headwater.Instance` holding the backfill's runs.
        backfill: the backfill (``instance.get_backfill(backfill_id)``).

    Returns:
        Partition key -> :class:`BackfillPartitionStatus`; unpartitioned runs are not included.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, Definitions, Instance, MonthlyPartitionsDefinition,
        ...     asset, backfill_partition_status, execute_backfill, launch_backfill)
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events(context) -> int:
        ...     if context.partition_key == "2024-01-02":
        ...         raise ValueError("source file missing")
        ...     return 1
        >>> @asset(partitions_def=MonthlyPartitionsDefinition(start_date="2024-01-01"))
        ... def monthly_events(events: dict[str, int]) -> int:
        ...     return sum(events.values())
        >>> defs = Definitions(assets=[events, monthly_events])
        >>> instance = Instance.ephemeral()
        >>> backfill = launch_backfill(
        ...     defs, "events+", instance=instance, partition_keys=["2024-01-01", "2024-01-02"]
        ... )
        >>> backfill = execute_backfill(defs, backfill.backfill_id, instance)
        >>> statuses = backfill_partition_status(instance, backfill)
        >>> statuses["2024-01-02"]
        <BackfillPartitionStatus.FAILED: 'FAILED'>
        >>> statuses["2024-01-01"]  # events succeeded, monthly_events [2024-01-01] was skipped
        <BackfillPartitionStatus.SKIPPED: 'SKIPPED'>
        >>> instance.dispose()
    """
    return merge_partition_statuses(backfill_run_statuses(instance, backfill))


def merge_partition_statuses(
    statuses: Iterable[BackfillRunStatus],
) -> dict[str, BackfillPartitionStatus]:
    """Partition key -> status over the given request statuses (see
    :func:`backfill_partition_status`)."""
    out: dict[str, BackfillPartitionStatus] = {}
    for item in statuses:
        for key in item.request.partition_keys:
            known = out.get(key)
            if known is None or _PRECEDENCE[item.status] > _PRECEDENCE[known]:
                out[key] = item.status
    return out


def compact_ranges(keys: Sequence[str], chosen: Mapping[str, Any], value: Any) -> list[str]:
    """The keys whose ``chosen`` value is ``value``, as ``first...last`` runs over ``keys``.

    Example:
        >>> compact_ranges(["a", "b", "c", "d"], {"a": 1, "b": 1, "c": 0, "d": 1}, 1)
        ['a...b', 'd']
    """
    out: list[str] = []
    start: str | None = None
    last: str | None = None
    for key in [*keys, None]:
        if key is not None and chosen.get(key) == value:
            start = key if start is None else start
            last = key
            continue
        if start is not None and last is not None:
            out.append(start if start == last else f"{start}...{last}")
        start = last = None
    return out
