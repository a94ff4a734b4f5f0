"""Run monitoring: runs whose worker died, that never started, or that run too long.

Each :meth:`RunMonitor.check` (one tick of the daemon's ``run_monitoring`` loop) looks at every
run in progress together with its run worker's heartbeat (written by the worker every
``run_monitoring.heartbeat_interval_seconds``):

- a STARTED run whose worker process is gone (on this machine: noticed at the next tick, with
  the exit signal when the daemon launched it), or whose last heartbeat is older than two
  intervals, fails: an ENGINE_EVENT names the cause, then RUN_FAILURE;
- a STARTING run whose worker exited, or that is still STARTING ``start_timeout_seconds``
  after it was claimed, fails the same way;
- a CANCELING run whose worker is gone ends CANCELED;
- a STARTED run older than its ``headwater/max_runtime`` tag (or
  ``run_monitoring.max_runtime_seconds``) is terminated;
- concurrency pool slots still held by a run that ended (its worker died in a step) are given
  back, with an ENGINE_EVENT.

Each status change is one conditional update from the status the monitor saw, stored with its
event, so a run that finished meanwhile is left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.orchestration.process_state import ProcessExit, process_exit, this_host
from headwater.orchestration.run_tags import MAX_RUNTIME_TAG, float_tag
from headwater.storage.records import Run, RunRecord, RunsFilter, RunStatus

if TYPE_CHECKING:
    from headwater.instance.daemon_settings import RunMonitoringConfig
    from headwater.instance.instance import Instance
    from headwater.storage.records import RunWorkerHeartbeat

logger = logging.getLogger("headwater.daemon.run_monitoring")

#: A worker heartbeat older than this many intervals means the worker is dead.
MISSED_HEARTBEATS = 2

#: ``terminate(instance, run_id, reason)``: stop a run that ran too long.
Terminator = Callable[["Instance", str, str], object]


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitorResult:
    """What one check did: the ids of the runs failed, canceled and terminated."""

    failed: tuple[str, ...] = ()
    canceled: tuple[str, ...] = ()
    terminated: tuple[str, ...] = ()


class RunMonitor:
    """Checks the runs in progress of an instance.

    Args:
        instance: where the runs are.
        config: the settings; the instance's ``run_monitoring:`` by default.
        terminate: stops a run past its maximum runtime, in a thread of its own (it may wait
            for the worker's grace period); by default
            :func:`headwater.orchestration.termination.terminate_run` (SIGTERM to the worker,
            which cancels the run; SIGKILL after the grace period).

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     RunMonitor(instance).check().failed
        ()
    """

    def __init__(
        self,
        instance: Instance,
        config: RunMonitoringConfig | None = None,
        *,
        terminate: Terminator | None = None,
    ) -> None:
        self.instance = instance
        self.config = config or instance.config.run_monitoring
        self._terminate = terminate
        self._terminated: set[str] = set()

    def check(self) -> MonitorResult:
        """Fail, cancel or terminate the runs in progress that need it.

        Returns:
            The runs acted upon.
        """
        now = time.time()
        self._release_slots_of_finished_runs()
        statuses = [RunStatus.STARTING, RunStatus.STARTED, RunStatus.CANCELING]
        records = self.instance.get_run_records(RunsFilter(statuses=statuses))
        if not records:
            self._terminated.clear()
            return MonitorResult()
        beats = self.instance.get_run_worker_heartbeats([r.run.run_id for r in records])
        failed: list[str] = []
        canceled: list[str] = []
        terminated: list[str] = []
        for record in records:
            run_id = record.run.run_id
            beat = beats.get(run_id)
            status = record.run.status
            if status is RunStatus.CANCELING:
                if self._cancel_if_worker_gone(record, beat):
                    canceled.append(run_id)
                continue
            cause = self._failure_cause(record, beat, now)
            if cause is not None:
                if self._fail(record, *cause):
                    failed.append(run_id)
            elif status is RunStatus.STARTED and self._too_long(record, now):
                terminated.append(run_id)
        self._terminated.intersection_update(r.run.run_id for r in records)
        return MonitorResult(
            failed=tuple(failed), canceled=tuple(canceled), terminated=tuple(terminated)
        )

    def _release_slots_of_finished_runs(self) -> None:
        """Give back the concurrency pool slots still held by runs that ended (a worker that
        died in a step never gave its slot back)."""
        holders = {run_id for _pool, run_id, _step, _at in self.instance.get_concurrency_slots()}
        if not holders:
            return
        for run in self.instance.get_runs(RunsFilter(run_ids=sorted(holders))):
            if run.is_finished:
                self._release_slots(run)

    # -- dead and stuck runs -------------------------------------------------------------------
    def _failure_cause(
        self, record: RunRecord, beat: RunWorkerHeartbeat | None, now: float
    ) -> tuple[str, dict[str, Any]] | None:
        """Why the run must fail (message, event data), or ``None`` while it is fine."""
        interval = self.config.heartbeat_interval_seconds
        if beat is not None:
            ended = _worker_exit(beat)
            if ended is not None:
                return _worker_gone(beat, ended)
        if record.run.status is RunStatus.STARTING:
            waited = now - record.update_timestamp
            timeout = self.config.start_timeout_seconds
            if waited > timeout:
                return (
                    f"The run was still STARTING {waited:.0f} s after it was dequeued "
                    f"(run_monitoring.start_timeout_seconds is {timeout:g}): its worker never "
                    "started.",
                    {"cause": "start_timeout", "timeout_seconds": timeout},
                )
            return None
        last = (
            beat.timestamp if beat is not None else (record.start_time or record.update_timestamp)
        )
        silent = now - last
        if silent > MISSED_HEARTBEATS * interval:
            where = f" (pid {beat.pid} on host {beat.hostname})" if beat is not None else ""
            return (
                f"The run worker{where} stopped heartbeating: its last heartbeat was "
                f"{silent:.1f} s ago, more than {MISSED_HEARTBEATS} intervals of {interval:g} s "
                "(run_monitoring.heartbeat_interval_seconds).",
                {
                    "cause": "heartbeat_timeout",
                    "seconds_since_heartbeat": round(silent, 3),
                    **({"pid": beat.pid, "hostname": beat.hostname} if beat is not None else {}),
                },
            )
        return None

    def _fail(self, record: RunRecord, message: str, data: Mapping[str, Any]) -> bool:
        run = record.run
        failure = _event(
            run.run_id,
            run.job_name,
            EventType.RUN_FAILURE,
            message,
            {"error": {"message": message, "cls_name": None}},
            level=40,
        )
        moved = self.instance.update_run_status_if(
            run.run_id, run.status, RunStatus.FAILURE, event=failure
        )
        if moved:
            # After the status moved, so that a run finishing meanwhile gets no stray event.
            self.instance.store_event(
                _event(run.run_id, run.job_name, EventType.ENGINE_EVENT, message, data, level=40)
            )
            logger.warning("Run %s failed: %s", run.run_id, message)
            self._kill_leftover(data)
            self._release_slots(run)
        return moved

    def _release_slots(self, run: Run) -> None:
        freed = self.instance.release_run_concurrency_slots(run.run_id)
        if freed:
            message = f"Gave back {freed} concurrency pool slot(s) the run still held."
            self.instance.report_engine_event(message, run, data={"slots": freed})
            logger.info("Run %s: %s", run.run_id, message)

    def _kill_leftover(self, data: Mapping[str, Any]) -> None:
        # A worker that stopped heartbeating but still exists must not go on writing events.
        pid, host = data.get("pid"), data.get("hostname")
        if (
            data.get("cause") == "heartbeat_timeout"
            and isinstance(pid, int)
            and host == this_host()
        ):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)

    def _cancel_if_worker_gone(self, record: RunRecord, beat: RunWorkerHeartbeat | None) -> bool:
        if beat is None:
            return False
        ended = _worker_exit(beat)
        if ended is None:
            return False
        run = record.run
        message = f"The run worker (pid {beat.pid}) {ended.describe()} while the run was canceling."
        canceled = _event(run.run_id, run.job_name, EventType.RUN_CANCELED, message, {})
        moved = self.instance.update_run_status_if(
            run.run_id, RunStatus.CANCELING, RunStatus.CANCELED, event=canceled
        )
        if moved:
            self._release_slots(run)
        return moved

    # -- maximum runtime -----------------------------------------------------------------------
    def _too_long(self, record: RunRecord, now: float) -> bool:
        run = record.run
        limit = float_tag(run.tags, MAX_RUNTIME_TAG) or self.config.max_runtime_seconds
        started = record.start_time
        if limit is None or started is None or now - started <= limit:
            return False
        if run.run_id in self._terminated:
            return False
        self._terminated.add(run.run_id)
        reason = (
            f"The run exceeded its maximum runtime of {limit:g} s "
            f"({MAX_RUNTIME_TAG} tag or run_monitoring.max_runtime_seconds); terminating it."
        )
        self.instance.store_event(
            _event(
                run.run_id,
                run.job_name,
                EventType.ENGINE_EVENT,
                reason,
                {"cause": "max_runtime", "max_runtime_seconds": limit},
                level=30,
            )
        )
        logger.warning("Run %s: %s", run.run_id, reason)
        terminate = self._terminator()
        threading.Thread(
            target=_terminate_logged,
            args=(terminate, self.instance, run.run_id, reason),
            name=f"headwater-terminate-{run.run_id}",
            daemon=True,
        ).start()
        return True

    def _terminator(self) -> Terminator:
        if self._terminate is None:
            from headwater.orchestration.termination import terminate_run

            self._terminate = lambda instance, run_id, reason: terminate_run(instance, run_id)
        return self._terminate


def _terminate_logged(terminate: Terminator, instance: Instance, run_id: str, reason: str) -> None:
    try:
        terminate(instance, run_id, reason)
    except Exception:
        logger.exception("Terminating run %s failed.", run_id)


def _worker_exit(beat: RunWorkerHeartbeat) -> ProcessExit | None:
    """How the worker of ``beat`` ended, or ``None`` while it runs (or cannot be checked).

    A worker this process launched is asked about through the launcher, which holds it (and
    knows its exit signal even after reaping it); any other through the kernel.
    """
    from headwater.orchestration.launcher import launched_worker_exit

    if beat.hostname == this_host():
        launched_here, code = launched_worker_exit(beat.pid)
        if launched_here:
            if code is None:
                return None
            if code < 0:
                return ProcessExit(pid=beat.pid, signal=-code)
            return ProcessExit(pid=beat.pid, exit_code=code)
    return process_exit(beat.pid, beat.hostname)


def _worker_gone(beat: RunWorkerHeartbeat, ended: ProcessExit) -> tuple[str, dict[str, Any]]:
    message = f"The run worker (pid {beat.pid} on host {beat.hostname}) {ended.describe()}."
    data: dict[str, Any] = {"cause": "worker_died", "pid": beat.pid, "hostname": beat.hostname}
    if ended.signal is not None:
        data["signal"] = signal.Signals(ended.signal).name if _known(ended.signal) else ended.signal
    if ended.exit_code is not None:
        data["exit_code"] = ended.exit_code
    return message, data


def _known(number: int) -> bool:
    try:
        signal.Signals(number)
    except ValueError:
        return False
    return True


def _event(
    run_id: str,
    job_name: str,
    event_type: EventType,
    message: str,
    data: Mapping[str, Any],
    *,
    level: int = logging.INFO,
) -> EventLogEntry:
    return EventLogEntry(
        run_id=run_id,
        timestamp=time.time(),
        event_type=event_type,
        message=message,
        level=level,
        job_name=job_name,
        data=dict(data),
    )
