"""Backfills in the background: one step of a backfill the daemon drives through the run queue.

A backfill launched with a code location (``headwater backfill launch --background``) is not
executed by the process that launched it. The daemon's backfill loop calls
:func:`advance_backfill` for it at every tick, which reads where it stands from the runs
tagged with its id (:func:`~headwater.orchestration.backfills.status.backfill_run_statuses`)
and then:

- queues a run for each request not run yet whose upstream requests succeeded, in plan order
  (through the location's code server, which validates and records it: the run queue then
  starts it under the instance's concurrency limits), at most ``max_runs`` per call;
- stores the backfill ``COMPLETED_SUCCESS`` / ``COMPLETED_FAILED`` once every request has
  settled; a cancel (``CANCELING``) cancels its queued runs and becomes ``CANCELED`` once none
  is in progress.

Nothing is kept in memory between calls: a daemon killed at any point resumes the backfill
from the stored runs, so a request whose run exists (queued, running or done) is never
submitted again, and no partition runs twice. How partitions are grouped into runs is the
plan's (each asset's ``BackfillPolicy``, fixed at launch).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.errors import CodeServerUnavailableError, HeadwaterError
from headwater.orchestration.backfills.status import BackfillPartitionStatus
from headwater.storage.backfill_records import (
    BACKFILL_ID_TAG,
    BackfillRunRequest,
    BulkActionStatus,
    PartitionBackfill,
)
from headwater.storage.records import RunsFilter, RunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.orchestration.code_server_client import CodeServerClient

logger = logging.getLogger("headwater.orchestration.backfills")

__all__ = ["BackfillStep", "advance_backfill", "location_name"]

#: Runs one call queues at most (a plan of thousands of runs is queued over several ticks).
MAX_RUNS_PER_STEP = 50

_P = BackfillPartitionStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillStep:
    """What one :func:`advance_backfill` call did.

    Attributes:
        status: the backfill's status afterwards.
        queued: ids of the runs it queued.
        canceled: ids of queued runs it canceled (the backfill is being canceled).
    """

    status: BulkActionStatus
    queued: tuple[str, ...] = ()
    canceled: tuple[str, ...] = ()


def location_name(backfill: PartitionBackfill) -> str | None:
    """The name of the code location a background backfill runs in (``None``: not one)."""
    if backfill.location is None:
        return None
    return str(backfill.location.get("location_name"))


def advance_backfill(
    instance: Instance,
    backfill: PartitionBackfill,
    client: CodeServerClient | None,
    *,
    max_runs: int = MAX_RUNS_PER_STEP,
) -> BackfillStep:
    """Move a background backfill on by one step (see the module).

    Args:
        instance: the instance holding the backfill and its runs.
        backfill: a ``REQUESTED`` or ``CANCELING`` backfill with a ``location``.
        client: the code server of its location (``None``: not loaded now; nothing is
            queued, the backfill waits).
        max_runs: the most runs to queue in this call.

    Returns:
        A :class:`BackfillStep`.

    Raises:
        CodeServerUnavailableError: the code server did not answer (the next call retries).
    """
    from headwater.orchestration.backfills.status import backfill_run_statuses

    statuses = backfill_run_statuses(instance, backfill)
    in_progress = [s for s in statuses if s.status is _P.IN_PROGRESS]
    if backfill.status is BulkActionStatus.CANCELING:
        canceled = _cancel_queued(instance, backfill)
        if len(canceled) < len(in_progress):
            return BackfillStep(status=backfill.status, canceled=canceled)
        return BackfillStep(status=_store(instance, backfill, BulkActionStatus.CANCELED),
                            canceled=canceled)  # fmt: skip
    pending = [s for s in statuses if s.status is _P.PENDING]
    if not pending and not in_progress:
        success = all(s.status is _P.SUCCEEDED for s in statuses)
        final = BulkActionStatus.COMPLETED_SUCCESS if success else BulkActionStatus.COMPLETED_FAILED
        return BackfillStep(status=_store(instance, backfill, final))
    if client is None:
        return BackfillStep(status=backfill.status)
    ready = [s for s in pending
             if all(statuses[d].status is _P.SUCCEEDED for d in s.request.depends_on)]  # fmt: skip
    queued: list[str] = []
    for item in ready[:max_runs]:
        try:
            queued.append(_queue(instance, backfill, item.request, client))
        except CodeServerUnavailableError:
            raise
        except HeadwaterError as exc:  # its assets or partitions no longer exist
            error = f"The run of {item.request.describe()} could not be created: {exc}"
            logger.error("Backfill %s failed: %s", backfill.backfill_id, error)
            status = _store(instance, backfill, BulkActionStatus.FAILED, error=error)
            return BackfillStep(status=status, queued=tuple(queued))
    return BackfillStep(status=backfill.status, queued=tuple(queued))


def _queue(
    instance: Instance, backfill: PartitionBackfill, request: BackfillRunRequest,
    client: CodeServerClient,
) -> str:  # fmt: skip
    body: dict[str, Any] = {
        "origin": dict(backfill.location or {}),
        "instance_home": str(instance.root_directory),
        "asset_selection": [list(key.path) for key in request.asset_keys],
        "tags": {**backfill.tags, BACKFILL_ID_TAG: backfill.backfill_id},
        "queued": True,
    }
    if request.partition_key is not None:
        body["partition_key"] = request.partition_key
    elif (rng := request.partition_range) is not None:
        body["partition_key_range"] = [rng.start, rng.end]
    answer: Mapping[str, Any] = client.launch_run(body)
    return str(answer["run_id"])


def _cancel_queued(instance: Instance, backfill: PartitionBackfill) -> tuple[str, ...]:
    from headwater.orchestration.termination import terminate_run

    queued = instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill.backfill_id},
                                          statuses=[RunStatus.QUEUED]))  # fmt: skip
    canceled = []
    for run in queued:
        if terminate_run(instance, run.run_id).run.status is RunStatus.CANCELED:
            canceled.append(run.run_id)
    return tuple(canceled)


def _store(
    instance: Instance, backfill: PartitionBackfill, status: BulkActionStatus,
    error: str | None = None,
) -> BulkActionStatus:  # fmt: skip
    current = instance.get_backfill(backfill.backfill_id) or backfill
    if current.status is BulkActionStatus.CANCELING and status is not BulkActionStatus.CANCELED:
        return current.status  # canceled meanwhile: the next step finishes the cancel
    instance.update_backfill(current.with_status(status, error=error))
    return status
