"""The run launcher: starts a ``headwater run-worker RUN_ID`` process for a run, detached.

A launched worker runs in a session (and process group) of its own, so that it survives the
process that launched it and ``headwater run terminate`` can signal it and everything it
started; its stdout and stderr go to ``<instance>/logs/<run id>/run-worker.out`` / ``.err``.
The run is claimed first, by one conditional status update (QUEUED or NOT_STARTED ->
STARTING), so a run is never started twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from headwater.errors import ExecutionError, InvalidInvocationError, RunNotFoundError
from headwater.events.types import EventType
from headwater.instance.run_lifecycle import NOT_YET_STARTED, run_event
from headwater.storage.records import Run, RunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

#: File names of a run worker's captured stdout / stderr, under ``logs/<run id>/``.
WORKER_STDOUT = "run-worker.out"
WORKER_STDERR = "run-worker.err"

# Workers this process started and has not yet seen exit (reaped on the next launch, so that a
# long-lived launcher, the daemon, leaves no zombie processes).
_children: dict[int, subprocess.Popen[bytes]] = {}
# Exit codes of the workers reaped so far (negative: killed by that signal), the latest only:
# run monitoring reads them to say how a worker ended.
_exited: dict[int, int] = {}
_EXITED_KEPT = 1000


def worker_command(run: Run) -> list[str]:
    """The command line of the worker of ``run``: its origin's Python, ``-m headwater
    run-worker RUN_ID``."""
    origin = run.job_origin
    python = origin.location.python_executable if origin is not None else sys.executable
    return [python, "-m", "headwater", "run-worker", run.run_id]


def worker_log_paths(instance: Instance, run_id: str) -> tuple[Path, Path]:
    """Where the worker of ``run_id`` writes its stdout and stderr."""
    directory = instance.logs_directory / run_id
    return directory / WORKER_STDOUT, directory / WORKER_STDERR


def launch_run(instance: Instance, run_id: str) -> int:
    """Claim a run that has not started and start its run worker; return the worker's pid.

    The run moves QUEUED/NOT_STARTED -> STARTING (with a RUN_STARTING event) in one
    conditional update; the worker is ``python -m headwater run-worker RUN_ID`` with the
    run origin's Python executable, in its working directory, with ``HEADWATER_HOME`` set to the
    instance directory, in a new session; its pid is recorded as the run's first worker
    heartbeat.

    Args:
        instance: a persistent instance (the worker opens the same directory).
        run_id: the run, created with its origin (``create_run_for_job``).

    Returns:
        The worker's process id (also its process group id).

    Raises:
        RunNotFoundError: no such run.
        InvalidInvocationError: the run has no origin, the instance is ephemeral, or the run
            was already claimed (it is not QUEUED or NOT_STARTED any more).
        ExecutionError: the worker process could not be started (the run is marked FAILURE).

    Example:
        >>> # run = create_run_for_job(instance, job, location=origin, queued=False)
        >>> # pid = launch_run(instance, run.run_id)
        >>> # wait_for_run(instance, run.run_id).status
        >>> # <RunStatus.SUCCESS: 'SUCCESS'>
    """
    reap_workers()
    run = _launchable(instance, run_id)
    starting = run_event(run, EventType.RUN_STARTING, "Launching a run worker.")
    if not instance.update_run_status_if(run_id, NOT_YET_STARTED, RunStatus.STARTING,
                                         event=starting):  # fmt: skip
        current = instance.get_run_by_id(run_id)
        status = current.status.value if current is not None else "deleted"
        raise InvalidInvocationError(
            f"Run {run_id} was not launched: it has status {status} (only a QUEUED or "
            "NOT_STARTED run can be launched, once)."
        )
    command = worker_command(run)
    try:
        process = _spawn(instance, run, command)
    except OSError as exc:
        instance.report_run_failed(
            run,
            f"Could not start the run worker ({' '.join(command)}): {exc}",
            data={"error": {"message": str(exc), "cls_name": type(exc).__name__}},
        )
        raise ExecutionError(f"Could not start the run worker of run {run_id}: {exc}") from exc
    _children[process.pid] = process
    instance.record_run_worker_heartbeat(run_id, pid=process.pid)
    instance.report_engine_event(
        f"Started the run worker (pid {process.pid}).",
        run,
        data={"pid": process.pid, "command": command},
    )
    return process.pid


def _launchable(instance: Instance, run_id: str) -> Run:
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise RunNotFoundError(f"No run with id {run_id!r}; list runs with `headwater run list`.")
    if run.job_origin is None:
        raise InvalidInvocationError(
            f"Run {run_id} has no code location origin, so no worker can load its job; only "
            "runs created from a code location (`headwater job launch`, create_run_for_job) "
            "can be launched."
        )
    if instance.is_ephemeral:
        raise InvalidInvocationError(
            "Cannot launch a run of an ephemeral instance: a worker process cannot open it. "
            "Use Instance.get() or Instance.from_path(...)."
        )
    return run


def _spawn(instance: Instance, run: Run, command: list[str]) -> subprocess.Popen[bytes]:
    assert run.job_origin is not None  # checked by _launchable
    stdout_path, stderr_path = worker_log_paths(instance, run.run_id)
    stdout_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HEADWATER_HOME": str(instance.root_directory)}
    with open(stdout_path, "ab") as out, open(stderr_path, "ab") as err:
        return subprocess.Popen(
            command,
            cwd=run.job_origin.location.working_directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
            close_fds=True,
        )


def reap_workers() -> list[int]:
    """Collect the exit status of workers this process launched that have exited (so none
    stays a zombie); returns their pids."""
    done = [pid for pid, process in list(_children.items()) if process.poll() is not None]
    for pid in done:
        process = _children.pop(pid, None)
        if process is not None and process.returncode is not None:
            _exited[pid] = process.returncode
    while len(_exited) > _EXITED_KEPT:
        del _exited[next(iter(_exited))]
    return done


def launched_worker_exit(pid: int) -> tuple[bool, int | None]:
    """Whether this process launched the worker ``pid``, and its exit code once it exited
    (negative: the signal that killed it; ``None`` while it runs or when not launched here).

    Example:
        >>> launched_worker_exit(0)
        (False, None)
    """
    process = _children.get(pid)
    if process is not None:
        return True, process.poll()
    code = _exited.get(pid)
    return code is not None, code


def wait_for_run(
    instance: Instance, run_id: str, *, timeout: float | None = None, poll_interval: float = 0.1
) -> Run:
    """Wait until a run has finished (SUCCESS, FAILURE or CANCELED) and return it.

    Args:
        instance: where the run is stored.
        run_id: the run.
        timeout: give up after this many seconds (``None``: wait as long as it takes).
        poll_interval: seconds between two reads of the run's status.

    Returns:
        The run as stored when it finished, or when ``timeout`` passed (check ``is_finished``).

    Raises:
        RunNotFoundError: no such run (or it was deleted while waiting).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        run = instance.get_run_by_id(run_id)
        if run is None:
            raise RunNotFoundError(f"No run with id {run_id!r} (was it deleted?).")
        if run.is_finished or (deadline is not None and time.monotonic() >= deadline):
            reap_workers()
            return run
        time.sleep(poll_interval)
