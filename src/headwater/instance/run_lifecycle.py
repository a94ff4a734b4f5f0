"""The run lifecycle outside the calling process, as :class:`~headwater.Instance` methods.

Queueing a run, claiming it with a conditional status update, reporting its status changes as
run events, its plan snapshot and its worker's heartbeats. Mixed into ``Instance`` (which
sets ``_storage`` and provides ``config``); the launcher, the run worker and the daemon call these.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.errors import RunNotFoundError
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.storage.records import Run, RunStatus, RunWorkerHeartbeat

if TYPE_CHECKING:
    from headwater.execution.plan.run_snapshot import RunPlanSnapshot
    from headwater.instance.config import InstanceConfig
    from headwater.storage.base import Storage

#: Statuses of a run that no process has started executing yet.
NOT_YET_STARTED = frozenset({RunStatus.QUEUED, RunStatus.NOT_STARTED})


class RunLifecycleMethods:
    """Queueing, claiming, reporting and heartbeats of runs (methods of ``Instance``)."""

    # Provided by Instance.
    _storage: Storage

    @property
    def config(self) -> InstanceConfig:
        raise NotImplementedError  # pragma: no cover - Instance.config

    # -- snapshots -----------------------------------------------------------------------
    def add_run_plan_snapshot(self, snapshot: RunPlanSnapshot) -> str:
        """Store a run plan snapshot once (content-addressed); returns its id."""
        from headwater.execution.plan.run_snapshot import RUN_PLAN_KIND

        snapshot_id = snapshot.snapshot_id
        self._storage.add_snapshot(snapshot_id, RUN_PLAN_KIND, snapshot.to_json())
        return snapshot_id

    def get_run_plan_snapshot(self, run: Run | str) -> RunPlanSnapshot | None:
        """The plan snapshot of ``run`` (a run or its id), or ``None`` when it has none.

        Raises:
            RunNotFoundError: ``run`` is an id no run has.
        """
        from headwater.execution.plan.run_snapshot import RunPlanSnapshot

        record = self._run(run)
        if record.plan_snapshot_id is None:
            return None
        body = self._storage.get_snapshot(record.plan_snapshot_id)
        return None if body is None else RunPlanSnapshot.from_json(body)

    # -- status changes ------------------------------------------------------------------
    def update_run_status_if(
        self,
        run_id: str,
        expected: RunStatus | Collection[RunStatus],
        new: RunStatus,
        *,
        event: EventLogEntry | None = None,
    ) -> bool:
        """Move run ``run_id`` to ``new`` only if its status is (one of) ``expected``, storing
        ``event`` in the same transaction when it moved: of several processes racing to claim a
        run, exactly one gets ``True``.

        Example:
            >>> from headwater import Instance, RunStatus
            >>> with Instance.ephemeral() as instance:
            ...     run = instance.create_run(job_name="etl", status=RunStatus.QUEUED)
            ...     first = instance.update_run_status_if(
            ...         run.run_id, RunStatus.QUEUED, RunStatus.STARTING)
            ...     second = instance.update_run_status_if(
            ...         run.run_id, RunStatus.QUEUED, RunStatus.STARTING)
            >>> first, second
            (True, False)
        """
        return self._storage.update_run_status_if(run_id, expected, new, event=event)

    def submit_run(self, run_id: str) -> Run:
        """Put a run that has not started on the run queue: status QUEUED, a RUN_ENQUEUED event.

        The daemon's run queue starts queued runs (``headwater daemon run``). A run already
        QUEUED is left as it is.

        Raises:
            RunNotFoundError: no such run.
            InvalidInvocationError: the run has already started or finished.
        """
        from headwater.errors import InvalidInvocationError

        run = self._run(run_id)
        if run.status is RunStatus.QUEUED:
            return run
        event = run_event(run, EventType.RUN_ENQUEUED, "Run was queued.")
        if not self.update_run_status_if(run_id, RunStatus.NOT_STARTED, RunStatus.QUEUED,
                                         event=event):  # fmt: skip
            current = self._run(run_id)
            if current.status is not RunStatus.QUEUED:
                raise InvalidInvocationError(
                    f"Run {run_id} has status {current.status.value}; only a NOT_STARTED run "
                    "can be submitted to the queue."
                )
        return self._run(run_id)

    def report_engine_event(
        self, message: str, run: Run, data: Mapping[str, Any] | None = None, *, level: int = 20
    ) -> None:
        """Store an ENGINE_EVENT of ``run`` (what the launcher, worker or daemon did)."""
        self._storage.store_events(
            [run_event(run, EventType.ENGINE_EVENT, message, data=data, level=level)]
        )

    def report_run_canceling(self, run: Run, message: str | None = None) -> bool:
        """Move a starting or started run to CANCELING (RUN_CANCELING); whether it moved."""
        event = run_event(
            run, EventType.RUN_CANCELING, message or "Sending run termination request."
        )
        return self.update_run_status_if(
            run.run_id, (RunStatus.STARTING, RunStatus.STARTED), RunStatus.CANCELING, event=event
        )

    def report_run_canceled(self, run: Run, message: str | None = None) -> bool:
        """Move an unfinished run to CANCELED (RUN_CANCELED); whether it moved."""
        message = message or "This run has been marked as canceled."
        event = run_event(run, EventType.RUN_CANCELED, message, level=logging.ERROR)
        return self.update_run_status_if(run.run_id, _UNFINISHED, RunStatus.CANCELED, event=event)

    def report_run_failed(
        self, run: Run, message: str | None = None, data: Mapping[str, Any] | None = None
    ) -> bool:
        """Move an unfinished run to FAILURE (RUN_FAILURE); whether it moved."""
        message = message or "This run has been marked as failed."
        event = run_event(run, EventType.RUN_FAILURE, message, data=data, level=logging.ERROR)
        return self.update_run_status_if(run.run_id, _UNFINISHED, RunStatus.FAILURE, event=event)

    # -- heartbeats ----------------------------------------------------------------------
    @property
    def heartbeat_interval_seconds(self) -> float:
        """Seconds between two run worker heartbeats (``run_monitoring`` in headwater.yaml)."""
        return self.config.run_monitoring.heartbeat_interval_seconds

    def record_run_worker_heartbeat(
        self, run_id: str, *, pid: int | None = None, timestamp: float | None = None
    ) -> RunWorkerHeartbeat:
        """Record that the worker of ``run_id`` (this process by default) is alive now."""
        import socket

        heartbeat = RunWorkerHeartbeat(
            run_id=run_id,
            pid=os.getpid() if pid is None else pid,
            hostname=socket.gethostname(),
            timestamp=time.time() if timestamp is None else timestamp,
        )
        self._storage.record_run_worker_heartbeat(heartbeat)
        return heartbeat

    def get_run_worker_heartbeat(self, run_id: str) -> RunWorkerHeartbeat | None:
        """The latest heartbeat of the worker of ``run_id``, or ``None``."""
        return self._storage.get_run_worker_heartbeats([run_id]).get(run_id)

    def get_run_worker_heartbeats(
        self, run_ids: Sequence[str] | None = None
    ) -> dict[str, RunWorkerHeartbeat]:
        """The latest worker heartbeats of ``run_ids`` (of every run when ``None``)."""
        return self._storage.get_run_worker_heartbeats(run_ids)

    def _run(self, run: Run | str) -> Run:
        if isinstance(run, Run):
            return run
        found = self._storage.get_run_by_id(run)
        if found is None:
            raise RunNotFoundError(f"No run with id {run!r}; list runs with `headwater run list`.")
        return found


_UNFINISHED = frozenset(RunStatus) - {RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED}


def run_event(
    run: Run,
    event_type: EventType,
    message: str,
    *,
    data: Mapping[str, Any] | None = None,
    level: int = logging.INFO,
) -> EventLogEntry:
    """A run-level event of ``run`` (no step), timestamped now."""
    return EventLogEntry(
        run_id=run.run_id,
        timestamp=time.time(),
        event_type=event_type,
        message=message,
        level=level,
        job_name=run.job_name,
        data=dict(data or {}),
    )
