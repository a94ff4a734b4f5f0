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

:func:`resume_in_background` makes a failed, canceled or completed-with-failures background
backfill ``REQUESTED`` again: a request whose latest run failed before that moment (or that was
skipped because of one) is then pending again, while one that succeeded is never run again.

Nothing is kept in memory between calls: a daemon killed at any point resumes the backfill
from the stored runs, so a request whose run exists (queued, running or done) is never
submitted again, and no partition runs twice. How partitions are grouped into runs is the
plan's (each asset's ``BackfillPolicy``, fixed at launch).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.errors import CodeServerUnavailableError, HeadwaterError
from headwater.orchestration.backfills.status import BackfillPartitionStatus, BackfillRunStatus
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

__all__ = ["BackfillStep", "advance_backfill", "location_name", "resume_in_background"]

#: Runs one call queues at most (a plan of thousands of runs is queued over several ticks).
MAX_RUNS_PER_STEP = 50

_P = BackfillPartitionStatus
_BAD = (_P.FAILED, _P.SKIPPED)


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

    statuses = _retrying(instance, backfill_run_statuses(instance, backfill),
                        backfill.update_timestamp)  # fmt: skip
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


def resume_in_background(instance: Instance, backfill_id: str) -> PartitionBackfill:
    """Continue a background backfill that stopped: the daemon retries what did not succeed.

    A ``FAILED``, ``CANCELED`` or ``COMPLETED_FAILED`` backfill becomes ``REQUESTED`` again (its
    error cleared); the daemon's backfill loop then queues the runs of the requests that never
    ran, failed or were skipped. A backfill that is still ``REQUESTED``/``CANCELING`` or that
    completed successfully is returned unchanged.

    Args:
        instance: the instance holding the backfill.
        backfill_id: the backfill's id.

    Returns:
        The backfill as stored now.

    Raises:
        BackfillNotFoundError: no backfill has that id.
        InvalidInvocationError: the backfill was launched to run in its launching process (no
            code location): resume it with ``headwater backfill resume``.

    Example:
        >>> # resume_in_background(instance, "abcdefgh").status  -> REQUESTED
    """
    from headwater.errors import InvalidInvocationError
    from headwater.orchestration.backfills.launch import get_backfill_or_raise

    backfill = get_backfill_or_raise(instance, backfill_id)
    if backfill.location is None:
        raise InvalidInvocationError(
            f"Backfill {backfill_id} runs in the process that launched it, not in the "
            f"background: resume it with `headwater backfill resume {backfill_id}` and its "
            "code location (-m/-f/-w)."
        )
    if backfill.status not in _RESUMABLE:
        return backfill
    again = dataclasses.replace(backfill, status=BulkActionStatus.REQUESTED, error=None)
    instance.update_backfill(again)
    return get_backfill_or_raise(instance, backfill_id)


_RESUMABLE = (BulkActionStatus.FAILED, BulkActionStatus.CANCELED,
              BulkActionStatus.COMPLETED_FAILED)  # fmt: skip


def _retrying(
    instance: Instance, statuses: list[BackfillRunStatus], since: float
) -> list[BackfillRunStatus]:
    """The statuses with requests whose run failed before ``since`` (the backfill was last
    made REQUESTED then: nothing updates it while it runs) pending again, as their
    dependents that were skipped for them."""
    failed = [s.run.run_id for s in statuses if s.run is not None and s.status is _P.FAILED]
    if not failed:
        return statuses
    records = instance.get_run_records(RunsFilter(run_ids=failed))
    earlier = {r.run.run_id for r in records if r.create_timestamp < since}
    out: list[BackfillRunStatus] = []
    for item in statuses:
        retried = item.run is not None and item.run.run_id in earlier
        unblocked = item.status is _P.SKIPPED and not any(
            out[d].status in _BAD for d in item.request.depends_on
        )
        if retried or unblocked:
            item = dataclasses.replace(item, status=_P.PENDING)
        out.append(item)
    return out


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
