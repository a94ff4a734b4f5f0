"""The worker processes of one multiprocess run: starting them, feeding them steps, reading
what they send, and what happens when one dies (see :mod:`.multiprocess`)."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from multiprocessing.connection import wait as wait_for
from typing import Any

from headwater.declarations.executors import MultiprocessConfig
from headwater.errors import ExecutionError
from headwater.events.types import EventType
from headwater.execution.executors.messages import (
    StepDone,
    WorkerInit,
    dumps,
    run_worker,
)
from headwater.execution.executors.remote import (
    fail_step,
    release_pool_slot,
    step_request,
    step_result,
    step_tags,
)
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import StepResult

# How long a worker may take to exit when asked to stop before it is terminated, in seconds.
_STOP_TIMEOUT = 5.0
# How long interrupted steps have to record their interruption, in seconds.
_INTERRUPT_GRACE = 3.0


class WorkerLoadError(ExecutionError):
    """A worker process could not load the job (or died while loading it)."""


class _Worker:
    __slots__ = ("conn", "failure_sent", "loaded", "pid", "process", "step")

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        self.pid: int = process.pid
        self.step: Any = None
        self.loaded = False
        #: the worker sent the STEP_FAILURE of the step it holds (it was interrupted)
        self.failure_sent = False


class WorkerPool:
    """The worker processes of one run (the :class:`~.base.StepSlots` of its step loop).

    Workers are started when a step is ready and none is free, up to ``max_concurrent``
    (default: the CPU count); a step sent to a worker still loading the job waits in its pipe.
    """

    def __init__(
        self, init: WorkerInit, config: MultiprocessConfig, run_ctx: RunContext, context: Any
    ) -> None:
        self._context = context
        self._init = dumps(init)
        self._max = config.max_concurrent or os.cpu_count() or 1
        self._limits = config.tag_concurrency_limits
        self._run_ctx = run_ctx
        self._workers: list[_Worker] = []
        self._buckets: Counter[tuple[int, tuple[str, str | None]]] = Counter()
        self._closing = False
        self.pids: list[int] = []

    # -- StepSlots ------------------------------------------------------------------------------
    @property
    def running(self) -> int:
        """Steps sent to a worker that have not finished."""
        return sum(1 for w in self._workers if w.step is not None)

    @property
    def size(self) -> int:
        """Worker processes alive (or starting)."""
        return len(self._workers)

    @property
    def max_size(self) -> int:
        """How many worker processes may run at once (``max_concurrent``)."""
        return self._max

    def can_start(self, step: Any) -> bool:
        """A worker is free (or one more may start) and the step's tag limits allow it."""
        for index, limit in enumerate(self._limits):
            bucket = limit.bucket(step_tags(step))
            if bucket is not None and self._buckets[(index, bucket)] >= limit.limit:
                return False
        return any(w.step is None for w in self._workers) or len(self._workers) < self._max

    def start(self, step: Any, run_ctx: RunContext) -> None:
        """Send ``step`` to a free worker (starting one if none is free)."""
        worker = next((w for w in self._workers if w.step is None), None) or self._spawn()
        worker.conn.send_bytes(dumps(step_request(step, run_ctx)))
        worker.step = step
        self._count(step, +1)

    def wait(self) -> Sequence[tuple[str, StepResult | None]]:
        """Read what the workers send (committing their events) until a step finishes."""
        while True:
            finished: list[tuple[str, StepResult | None]] = []
            by_conn = {w.conn: w for w in self._workers}
            by_sentinel = {w.process.sentinel: w for w in self._workers}
            ready = wait_for([*by_conn, *by_sentinel])
            for item in ready:
                if item in by_conn:
                    self._read(by_conn[item], finished)
            for item in ready:
                worker = by_sentinel.get(item)
                if worker is not None and worker in self._workers:
                    self._reap(worker, finished)
            if finished:
                return finished

    # -- lifecycle ------------------------------------------------------------------------------
    def interrupt(self) -> None:
        """The run stops (interrupted): interrupt the steps in flight (SIGTERM: each records
        its interruption), wait for them a little, fail for them those that could not."""
        self._closing = True
        held = [w for w in self._workers if w.step is not None]
        for worker in held:
            worker.process.terminate()
        deadline = time.monotonic() + _INTERRUPT_GRACE
        waiting = list(held)
        while waiting and (left := deadline - time.monotonic()) > 0:
            ready = set(wait_for([w.process.sentinel for w in waiting], timeout=left))
            for worker in [w for w in waiting if w.process.sentinel in ready]:
                self._drain(worker, [])
                waiting.remove(worker)
        for worker in held:
            step = worker.step
            if step is None:
                continue
            error = ExecutionError(f"Step {step.key!r} was interrupted: the run stopped.")
            self._run_ctx.errors.setdefault(step.key, error)
            self._release_pool_slot(step)
            if not worker.failure_sent:
                self._fail(step, "was interrupted.", {"interrupted": True,
                                                      "worker_pid": worker.pid}, error=error)
        self._run_ctx.sink.flush()

    def close(self) -> None:
        """Stop every worker (asked first, terminated after a grace period, killed last)."""
        self._closing = True
        for worker in self._workers:
            with suppress(OSError):  # it may be gone already
                worker.conn.send_bytes(dumps(None))
        deadline = time.monotonic() + _STOP_TIMEOUT
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(1.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    # -- internals ------------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._context.Pipe()
        process = self._context.Process(
            target=run_worker, args=(child_conn, self._init),
            name=f"headwater-step-worker-{len(self.pids) + 1}",
        )  # fmt: skip
        process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn)
        self._workers.append(worker)
        self.pids.append(worker.pid)
        return worker

    def _read(self, worker: _Worker, finished: list[tuple[str, StepResult | None]]) -> None:
        """Handle every message ``worker`` has sent so far."""
        try:
            while worker.conn.poll():
                self._handle(worker, pickle.loads(worker.conn.recv_bytes()), finished)
        except (EOFError, OSError):  # it died: its sentinel says how
            worker.process.join(_STOP_TIMEOUT)
            self._reap(worker, finished)

    def _handle(
        self, worker: _Worker, message: Any, finished: list[tuple[str, StepResult | None]]
    ) -> None:
        kind, payload = message
        if kind == "events":
            step = worker.step
            if step is not None and any(e.event_type is EventType.STEP_FAILURE
                                        and e.step_key == step.key for e in payload):  # fmt: skip
                worker.failure_sent = True
            sink = self._run_ctx.sink
            sink.add(payload)
            sink.flush()  # committed before the step can be reported finished
        elif kind == "started":  # committed with the next batch (of this or another step)
            self._run_ctx.sink.add(payload)
        elif kind == "done":
            step = worker.step
            worker.step = None
            worker.failure_sent = False
            self._count(step, -1)
            finished.append((payload.step_key, self._result(payload)))
        elif kind == "ready":
            worker.loaded = True
        elif kind == "failed_to_load":
            raise WorkerLoadError(
                f"A worker process could not load the job: {payload['message']}\n"
                f"{payload.get('traceback', '')}"
            )

    def _result(self, done: StepDone) -> StepResult | None:
        return step_result(done, self._run_ctx)

    def _drain(self, worker: _Worker, finished: list[tuple[str, StepResult | None]]) -> None:
        """Handle what a worker that exited sent before it did (its events are committed)."""
        try:
            while worker.conn.poll():
                self._handle(worker, pickle.loads(worker.conn.recv_bytes()), finished)
        except (EOFError, OSError, pickle.UnpicklingError):
            pass

    def _reap(self, worker: _Worker, finished: list[tuple[str, StepResult | None]]) -> None:
        """``worker`` exited: fail the step it held, start a worker in its place."""
        if worker not in self._workers:
            return
        self._drain(worker, finished)
        worker.process.join()
        self._workers.remove(worker)
        worker.conn.close()
        code = worker.process.exitcode
        how = _describe_exit(code)
        if not worker.loaded:
            raise WorkerLoadError(
                f"A worker process (pid {worker.pid}) {how} while loading the job."
            )
        step = worker.step
        if step is not None:
            self._count(step, -1)
            self._release_pool_slot(step)
            error = ExecutionError(
                f"The worker process (pid {worker.pid}) running step {step.key!r} {how} before "
                "the step finished."
            )
            if not worker.failure_sent:
                self._fail(step, f"failed: {error}", {"worker_pid": worker.pid, "exit_code": code,
                                                      "signal": _signal_name(code)},
                           error=error)  # fmt: skip
            finished.append((step.key, StepResult(step_key=step.key, success=False, error=error)))
        if not self._closing:
            replacement = self._spawn()
            self._run_ctx.sink.emit(
                EventType.ENGINE_EVENT,
                f"Worker process {worker.pid} {how}; started worker process {replacement.pid} "
                f"in its place ({len(self._workers)} worker processes).",
                data={"worker_pid": worker.pid, "exit_code": code, "signal": _signal_name(code),
                      "replacement_pid": replacement.pid, "pool_size": len(self._workers)},
                level=30,
            )  # fmt: skip
        self._run_ctx.sink.flush()

    def _fail(self, step: Any, what: str, data: dict[str, Any],
              error: Exception | None = None) -> None:  # fmt: skip
        fail_step(self._run_ctx, step, what, data, error)

    def _release_pool_slot(self, step: Any) -> None:
        release_pool_slot(self._run_ctx, step)

    def _count(self, step: Any, delta: int) -> None:
        if step is None or not self._limits:
            return
        tags = step_tags(step)
        for index, limit in enumerate(self._limits):
            bucket = limit.bucket(tags)
            if bucket is not None:
                self._buckets[(index, bucket)] += delta


def _signal_name(code: int | None) -> str | None:
    if code is None or code >= 0:
        return None
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _describe_exit(code: int | None) -> str:
    name = _signal_name(code)
    if name is not None:
        return f"was killed by signal {name} ({-code})"  # type: ignore[operator]
    return f"exited with code {code}"

