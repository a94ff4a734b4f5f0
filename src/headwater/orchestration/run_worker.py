"""The run worker: executes one stored run, in the process ``headwater run-worker RUN_ID`` is.

It loads the run's code location from the run's origin, plans the run again from its plan
snapshot and executes it through the run driver, as the stored run (no new run is created);
while it works, a thread records a heartbeat (timestamp and pid) every
``run_monitoring.heartbeat_interval_seconds``. A location that fails to import, or a plan that
no longer fits the definitions, fails the run with an ENGINE_EVENT carrying the error and a
RUN_FAILURE. SIGTERM (``headwater run terminate``) interrupts the running step: the step and the
run record it, and the run ends CANCELED.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any

from headwater.errors import RunNotFoundError
from headwater.execution.step.lifecycle import error_data
from headwater.storage.records import Run, RunStatus

if TYPE_CHECKING:
    from headwater.execution.plan.run_snapshot import RunPlanSnapshot
    from headwater.instance.instance import Instance

logger = logging.getLogger(__name__)


class RunTerminated(KeyboardInterrupt):
    """Raised in the worker's main thread when it receives SIGTERM: interrupts the running
    step (a ``KeyboardInterrupt``, so that ``except Exception`` in user code does not catch it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerOutcome:
    """How a run worker ended.

    Attributes:
        run: the run as stored at the end.
        exit_code: 0 when the run succeeded, 1 when it failed or was canceled, 2 when the
            worker refused to run it (unknown, already started or finished).
        message: a sentence for the worker's log.
    """

    run: Run | None
    exit_code: int
    message: str


def execute_run_worker(instance: Instance, run_id: str) -> WorkerOutcome:
    """Execute the stored run ``run_id`` in this process, with heartbeats; never raises for a
    failure of the run itself (it is recorded).

    Args:
        instance: the instance the run is stored in (``HEADWATER_HOME`` of the launcher).
        run_id: a run created with an origin and a plan snapshot (``create_run_for_job``), in
            status STARTING (launched), QUEUED or NOT_STARTED (run by hand).

    Returns:
        The outcome (``exit_code`` 0 only when the run succeeded).

    Example:
        >>> # outcome = execute_run_worker(Instance.get(), run_id)
        >>> # outcome.run.status
        >>> # <RunStatus.SUCCESS: 'SUCCESS'>
    """
    run = instance.get_run_by_id(run_id)
    if run is None:
        return WorkerOutcome(run=None, exit_code=2, message=f"No run with id {run_id!r}.")
    refused = _claim(instance, run)
    if refused is not None:
        return refused
    with _heartbeats(instance, run_id), _terminate_on_sigterm():
        try:
            _execute(instance, run)
        except KeyboardInterrupt as interrupt:
            instance.report_run_canceled(run, f"The run worker was interrupted ({interrupt}).")
        except Exception as exc:  # loading or planning failed: the run never started
            _fail(instance, run, exc)
    final = instance.get_run_by_id(run_id)
    status = final.status if final is not None else RunStatus.FAILURE
    return WorkerOutcome(
        run=final,
        exit_code=0 if status is RunStatus.SUCCESS else 1,
        message=f"Run {run_id} finished: {status.value}.",
    )


def _claim(instance: Instance, run: Run) -> WorkerOutcome | None:
    """Take the run for this worker, or say why not."""
    from headwater.events.types import EventType
    from headwater.instance.run_lifecycle import NOT_YET_STARTED, run_event

    if run.status is RunStatus.STARTING:
        return None
    if run.status is RunStatus.CANCELING:
        instance.report_run_canceled(run, "The run was terminated before its worker started.")
        return WorkerOutcome(run=run, exit_code=1, message=f"Run {run.run_id} was canceled.")
    if run.status in NOT_YET_STARTED:
        event = run_event(run, EventType.RUN_STARTING, "Starting a run worker.")
        if instance.update_run_status_if(run.run_id, NOT_YET_STARTED, RunStatus.STARTING,
                                         event=event):  # fmt: skip
            return None
    current = instance.get_run_by_id(run.run_id) or run
    return WorkerOutcome(
        run=current,
        exit_code=2,
        message=f"Run {run.run_id} has status {current.status.value}; a run worker only "
        "executes a run that has not started.",
    )


def main(run_id: str) -> int:
    """``python -m headwater run-worker RUN_ID`` as the launcher starts it: the instance of
    ``HEADWATER_HOME``, the outcome's message on stderr; returns the exit code.

    ``headwater/__main__.py`` calls this directly for that exact command line, so that a worker
    does not import the whole command-line interface before it starts the run.
    """
    from headwater.errors import HeadwaterError
    from headwater.instance.instance import Instance

    try:
        instance = Instance.get()
    except HeadwaterError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 2
    try:
        outcome = execute_run_worker(instance, run_id)
    finally:
        instance.dispose()
    sys.stderr.write(outcome.message + "\n")
    return outcome.exit_code


def _execute(instance: Instance, run: Run) -> None:
    import functools

    from headwater.execution.executors.reconstructable import OriginJobLoader
    from headwater.execution.executors.resolve import executor_for_run
    from headwater.execution.run.in_process import run_job_in_process
    from headwater.instance.instance import Instance
    from headwater.orchestration.code_location import load_definitions_from_origin

    if run.job_origin is None:
        raise RunNotFoundError(
            f"Run {run.run_id} has no code location origin; a run worker cannot load its job."
        )
    snapshot = instance.get_run_plan_snapshot(run)
    if snapshot is None:
        raise RunNotFoundError(f"Run {run.run_id} has no stored plan snapshot to execute.")
    defs = load_definitions_from_origin(run.job_origin.location)
    job = _job(defs, snapshot)
    key_range = None
    if snapshot.partition_key_range is not None:
        from headwater.declarations.partitions.base import PartitionKeyRange

        key_range = PartitionKeyRange(*snapshot.partition_key_range)
    run_args: dict[str, Any] = {
        "run_config": snapshot.run_config,
        "tags": run.tags,
        "asset_selection": snapshot.selection_argument(),
        "op_selection": list(snapshot.op_selection) if snapshot.op_selection is not None else None,
        "partition_key": snapshot.partition_key,
        "partition_key_range": key_range,
    }
    # The job's executor (multiprocess by default): step workers load the job from the origin.
    executor = executor_for_run(
        job,
        instance=instance,
        run_args=run_args,
        job_loader=OriginJobLoader(load_definitions=load_definitions_from_origin,
                                   origin=run.job_origin.location, job_name=snapshot.job_name),
        instance_loader=functools.partial(Instance.from_path, str(instance.root_directory)),
        preload_modules=("headwater.instance.instance", "headwater.storage.sqlite"),
    )  # fmt: skip
    # keep_events=False: the worker's memory must not grow with the steps done.
    run_job_in_process(
        job, instance=instance, run=run, raise_on_error=False, executor=executor,
        keep_events=False, **run_args,
    )  # fmt: skip


def _job(defs: Any, snapshot: RunPlanSnapshot) -> Any:
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME

    if snapshot.job_name == IMPLICIT_ASSET_JOB_NAME:
        return defs.get_implicit_global_asset_job_def()
    return defs.get_job_def(snapshot.job_name)


def _fail(instance: Instance, run: Run, exc: Exception) -> None:
    error = error_data(exc)
    full = getattr(exc, "full_traceback", "")
    if full:
        error["traceback"] = full
    instance.report_engine_event(
        f"The run worker could not execute the run: {exc}",
        run,
        data={"error": error},
        level=logging.ERROR,
    )
    instance.report_run_failed(
        run, f"Execution of run for {run.job_name!r} failed before it started: {exc}",
        data={"error": error},
    )  # fmt: skip


@contextmanager
def _heartbeats(instance: Instance, run_id: str) -> Iterator[None]:
    """Record a heartbeat now and every interval until the block ends."""
    interval = instance.heartbeat_interval_seconds
    stop = threading.Event()
    instance.record_run_worker_heartbeat(run_id)

    def beat() -> None:
        while not stop.wait(interval):
            try:
                instance.record_run_worker_heartbeat(run_id)
            except Exception:  # a busy database must not kill the run; try again next time
                logger.exception("Could not record the heartbeat of run %s", run_id)

    thread = threading.Thread(target=beat, name=f"heartbeat-{run_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


@contextmanager
def _terminate_on_sigterm() -> Iterator[None]:
    """Turn the first SIGTERM into :class:`RunTerminated` in the main thread (later ones are
    ignored while the interruption is recorded)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if received.is_set():
            return
        received.set()
        raise RunTerminated("terminated: the run worker received SIGTERM")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
