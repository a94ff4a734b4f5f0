"""Terminating a run: CANCELING, SIGTERM to its worker's process group, CANCELED.

The worker, on SIGTERM, stops scheduling steps and interrupts the running one; the step and
the run record what happened (STEP_FAILURE marked ``interrupted``, RUN_CANCELED). A worker that
has not finished after the grace period is killed (SIGKILL to the group) and the run is marked
CANCELED here. A run that has not started yet is simply marked CANCELED.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from headwater.errors import RunNotFoundError
from headwater.instance.run_lifecycle import NOT_YET_STARTED
from headwater.storage.records import Run, RunStatus, RunWorkerHeartbeat

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

#: Seconds a worker has to finish after SIGTERM before it is killed.
DEFAULT_GRACE_SECONDS = 10.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TerminationResult:
    """What :func:`terminate_run` did.

    Attributes:
        run: the run as stored afterwards.
        changed: whether anything was done (``False``: the run had already finished).
        message: a sentence saying what happened, for people.
        killed: whether the worker had to be killed after the grace period.
    """

    run: Run
    changed: bool
    message: str
    killed: bool = False


def terminate_run(
    instance: Instance, run_id: str, *, grace_seconds: float = DEFAULT_GRACE_SECONDS
) -> TerminationResult:
    """Stop a run: cancel it if it has not started, else signal its worker and wait.

    Args:
        instance: where the run is stored.
        run_id: the run.
        grace_seconds: how long the worker has, after SIGTERM, to record the interruption and
            exit before it (and its process group) is killed.

    Returns:
        What was done; a finished run is left as it is (``changed`` is ``False``).

    Raises:
        RunNotFoundError: no such run.

    Example:
        >>> # result = terminate_run(instance, run_id)
        >>> # result.run.status
        >>> # <RunStatus.CANCELED: 'CANCELED'>
    """
    run = _get(instance, run_id)
    if run.is_finished:
        return TerminationResult(
            run=run, changed=False,
            message=f"Run {run_id} has already finished ({run.status.value}); nothing to do.",
        )  # fmt: skip
    if run.status in NOT_YET_STARTED and _cancel_unstarted(instance, run):
        return TerminationResult(
            run=_get(instance, run_id), changed=True,
            message=f"Run {run_id} had not started; it is canceled.",
        )  # fmt: skip
    instance.report_run_canceling(run)
    heartbeat = _wait_for_heartbeat(instance, run_id, grace_seconds)
    if heartbeat is None or not _signal(heartbeat, signal.SIGTERM):
        instance.report_run_canceled(run, "The run worker was not running; marked as canceled.")
        return TerminationResult(
            run=_get(instance, run_id), changed=True,
            message=f"Run {run_id}: no running worker was found; the run is marked canceled.",
        )  # fmt: skip
    finished = _wait_finished(instance, run_id, grace_seconds)
    if finished is not None:
        return TerminationResult(
            run=finished, changed=True,
            message=f"Run {run_id} was terminated ({finished.status.value}).",
        )  # fmt: skip
    _signal(heartbeat, signal.SIGKILL)
    instance.report_run_canceled(
        run, f"The run worker did not stop within {grace_seconds:g}s of SIGTERM; it was killed."
    )
    return TerminationResult(
        run=_get(instance, run_id), changed=True, killed=True,
        message=f"Run {run_id}: the worker did not stop within {grace_seconds:g}s and was "
        "killed; the run is canceled.",
    )  # fmt: skip


def _get(instance: Instance, run_id: str) -> Run:
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise RunNotFoundError(f"No run with id {run_id!r}; list runs with `headwater run list`.")
    return run


def _cancel_unstarted(instance: Instance, run: Run) -> bool:
    from headwater.events.types import EventType
    from headwater.instance.run_lifecycle import run_event

    event = run_event(run, EventType.RUN_CANCELED, "The run was canceled before it started.",
                      level=40)  # fmt: skip
    return instance.update_run_status_if(run.run_id, NOT_YET_STARTED, RunStatus.CANCELED,
                                         event=event)  # fmt: skip


def _wait_for_heartbeat(
    instance: Instance, run_id: str, timeout: float
) -> RunWorkerHeartbeat | None:
    # The launcher records the worker's pid right after starting it; a run just claimed may not
    # have it yet.
    deadline = time.monotonic() + timeout
    while True:
        heartbeat = instance.get_run_worker_heartbeat(run_id)
        run = instance.get_run_by_id(run_id)
        if heartbeat is not None or run is None or run.is_finished:
            return heartbeat
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def _signal(heartbeat: RunWorkerHeartbeat, signum: int) -> bool:
    """Send ``signum`` to the worker's process group; whether a worker got it."""
    if heartbeat.hostname != socket.gethostname() or not _is_worker(heartbeat):
        return False
    try:
        os.killpg(heartbeat.pid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    return True


def _is_worker(heartbeat: RunWorkerHeartbeat) -> bool:
    # Guard against a recycled pid: on Linux, the process must be this run's worker.
    if not sys.platform.startswith("linux"):
        return True
    try:
        with open(f"/proc/{heartbeat.pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
    except OSError:
        return False
    return b"run-worker" in argv and heartbeat.run_id.encode() in argv


def _wait_finished(instance: Instance, run_id: str, timeout: float) -> Run | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            return run
        time.sleep(0.05)
    return None
