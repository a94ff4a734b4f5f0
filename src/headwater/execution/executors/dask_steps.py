"""The steps of one run on a Dask cluster: submitting them, reading what their tasks send,
and what happens when a worker is lost (the :class:`~.base.StepSlots` of the Dask executor).

Each attempt of a step is one Dask task with a key of its own. The task claims the attempt
over a connection to this process before it runs the step (:mod:`.dask_task`); a second claim
of one attempt (Dask ran the task again after losing the worker holding it) is refused. A
worker is known lost when its connection closes, when Dask reports the task's worker killed,
or when Dask runs the task again: the step is then retried as its retry policy allows (a new
attempt, a new task) or failed; no other step is touched.
"""

from __future__ import annotations

import itertools
import pickle
import queue
import socket
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Client as Connect
from multiprocessing.connection import wait as wait_for
from typing import Any

from headwater.declarations.dask_config import dask_resources
from headwater.errors import ExecutionError
from headwater.events.types import EventType
from headwater.execution.executors.dask_task import no_delay, run_step
from headwater.execution.executors.messages import WorkerInit, dumps
from headwater.execution.executors.remote import (
    fail_step,
    release_pool_slot,
    step_request,
    step_result,
    step_tags,
)
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import StepResult, error_data

_Finished = list[tuple[str, StepResult | None]]


@dataclass(kw_only=True)
class _Attempt:
    """One submission of a step (one Dask task)."""

    key: str
    step: Any
    future: Any
    conn: Any = None  # the connection of the task that claimed it
    worker: str = ""
    pid: int | None = None
    failure_sent: bool = False


class DaskSteps:
    """Submits the ready steps of a run to Dask and collects their events and results."""

    def __init__(
        self, client: Any, run_ctx: RunContext, init: WorkerInit, *, listener: Any,
        authkey: bytes, resources: Mapping[str, Mapping[str, float]],
    ) -> None:  # fmt: skip
        self._client = client
        self._run_ctx = run_ctx
        self._init = dumps(init)
        self._address = listener.address
        self._authkey = authkey
        self._resources = resources
        self._attempts: dict[str, _Attempt] = {}
        self._by_conn: dict[Any, _Attempt] = {}
        self._conns: list[Any] = []
        self._losses: Counter[str] = Counter()
        self._retrying = 0
        self._numbers = itertools.count(1)
        self._queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._closing = False
        self._acceptor = threading.Thread(target=self._accept, args=(listener,),
                                          name="headwater-dask-events", daemon=True)  # fmt: skip
        self._acceptor.start()

    # -- StepSlots ------------------------------------------------------------------------------
    @property
    def running(self) -> int:
        """Steps submitted (or waiting to be retried) that have not finished."""
        return len(self._attempts) + self._retrying

    def can_start(self, step: Any) -> bool:
        """Always: Dask queues the tasks its workers cannot take yet."""
        return True

    def start(self, step: Any, run_ctx: RunContext) -> None:
        """Submit ``step`` as a Dask task."""
        resources = self._resources.get(step.key)
        if resources is None:  # a step resolved during the run (a mapped op)
            resources = dask_resources(step_tags(step), f"Step {step.key!r}")
        run_id = run_ctx.run.run_id
        key = f"headwater-{run_id[:8]}-{step.key}-{next(self._numbers)}"
        future = self._client.submit(
            run_step, self._init, dumps(step_request(step, run_ctx)), self._address,
            self._authkey, key, key=key, resources=dict(resources) or None, pure=False,
            retries=0,
        )  # fmt: skip
        self._attempts[key] = _Attempt(key=key, step=step, future=future)
        future.add_done_callback(lambda _future: self._notify(("future", key)))

    def wait(self) -> Sequence[tuple[str, StepResult | None]]:
        """Read what the tasks send (committing their events) until a step finishes."""
        while True:
            finished: _Finished = []
            for item in wait_for([self._wake_read, *self._conns]):
                if item is self._wake_read:
                    self._drain_queue(finished)
                else:
                    self._read(item, finished)
            if finished:
                return finished

    # -- lifecycle ------------------------------------------------------------------------------
    def interrupt(self) -> None:
        """The run stops: cancel every task and record the steps in flight as interrupted."""
        for attempt in list(self._attempts.values()):
            attempt.future.cancel()
            error = ExecutionError(f"Step {attempt.step.key!r} was interrupted: the run stopped.")
            self._run_ctx.errors.setdefault(attempt.step.key, error)
            release_pool_slot(self._run_ctx, attempt.step)
            if attempt.conn is not None and not attempt.failure_sent:
                fail_step(self._run_ctx, attempt.step, "was interrupted.",
                          {"interrupted": True, "dask_worker": attempt.worker}, error)  # fmt: skip
        self._attempts.clear()
        self._run_ctx.sink.flush()

    def close(self) -> None:
        """Stop listening and close every connection (the tasks' connections end with them)."""
        self._closing = True
        with suppress(OSError, EOFError):  # wake the acceptor up: it sees ``_closing``
            Connect(self._address, authkey=self._authkey).close()
        self._acceptor.join(5.0)
        for conn in self._conns:
            conn.close()
        self._conns = []
        self._wake_read.close()
        self._wake_write.close()

    # -- internals ------------------------------------------------------------------------------
    def _accept(self, listener: Any) -> None:
        while not self._closing:
            try:
                conn = listener.accept()
            except (OSError, EOFError, ValueError):  # a bad handshake, or the listener closed
                continue
            if self._closing:
                conn.close()
                return
            self._notify(("conn", no_delay(conn)))

    def _notify(self, item: tuple[str, Any]) -> None:
        self._queue.put(item)
        with suppress(OSError):
            self._wake_write.send(b"\0")

    def _drain_queue(self, finished: _Finished) -> None:
        with suppress(BlockingIOError):
            while self._wake_read.recv(4096):
                pass
        while True:
            try:
                kind, payload = self._queue.get_nowait()
            except queue.Empty:
                return
            if kind == "conn":
                self._conns.append(payload)
            elif kind == "future":
                self._future_done(payload, finished)
            elif kind == "retry":
                self._retrying -= 1
                self.start(payload, self._run_ctx)

    def _future_done(self, key: str, finished: _Finished) -> None:
        """A task ended: only an error matters here (a step's result comes over its connection)."""
        attempt = self._attempts.get(key)
        if attempt is None or attempt.future.status != "error":
            return
        error = attempt.future.exception()
        if type(error).__name__ == "KilledWorker":
            self._lost(attempt, f"Dask reports its worker killed ({error})", finished)
        elif attempt.conn is None or not attempt.failure_sent:
            self._end(attempt)
            failure = ExecutionError(f"The Dask task of step {attempt.step.key!r} failed: "
                                     f"{type(error).__name__}: {error}")  # fmt: skip
            fail_step(self._run_ctx, attempt.step, f"failed: {failure}",
                      {"dask_worker": attempt.worker}, failure)  # fmt: skip
            self._run_ctx.sink.flush()
            finished.append((attempt.step.key, _failed(attempt.step.key, failure)))

    def _read(self, conn: Any, finished: _Finished) -> None:
        """Handle every message ``conn`` has sent so far."""
        try:
            while conn.poll():
                self._handle(conn, pickle.loads(conn.recv_bytes()), finished)
        except (EOFError, OSError):  # the task's process ended (or died)
            self._conns.remove(conn)
            conn.close()
            attempt = self._by_conn.pop(conn, None)
            if attempt is not None:
                self._lost(attempt, "its connection closed: the worker process died", finished)

    def _handle(self, conn: Any, message: Any, finished: _Finished) -> None:
        kind, payload = message
        if kind == "claim":
            self._claim(conn, payload, finished)
            return
        attempt = self._by_conn.get(conn)
        if attempt is None:  # an attempt already given up (its worker was deemed lost)
            return
        sink = self._run_ctx.sink
        if kind == "started":  # committed with the next batch
            sink.add(payload)
        elif kind == "events":
            if any(e.event_type is EventType.STEP_FAILURE and e.step_key == attempt.step.key
                   for e in payload):  # fmt: skip
                attempt.failure_sent = True
            sink.add(payload)
            sink.flush()  # committed before the step can be reported finished
        elif kind == "done":
            self._end(attempt)
            finished.append((payload.step_key, step_result(payload, self._run_ctx)))
        elif kind == "failed_to_load":
            self._end(attempt)
            error = ExecutionError(
                f"The Dask worker {attempt.worker} (pid {attempt.pid}) could not load the job: "
                f"{payload['message']}\n{payload.get('traceback', '')}"
            )
            fail_step(self._run_ctx, attempt.step, f"failed: {error}",
                      {"dask_worker": attempt.worker}, error)  # fmt: skip
            sink.flush()
            finished.append((attempt.step.key, _failed(attempt.step.key, error)))

    def _claim(self, conn: Any, claim: tuple[str, str, int], finished: _Finished) -> None:
        key, worker, pid = claim
        attempt = self._attempts.get(key)
        if attempt is not None and attempt.conn is None:
            attempt.conn, attempt.worker, attempt.pid = conn, worker, pid
            self._by_conn[conn] = attempt
            conn.send_bytes(b"go")
            return
        conn.send_bytes(b"no")
        if attempt is not None:  # Dask runs it again: it lost the worker that held it
            self._lost(attempt, f"Dask started it again on {worker}", finished)

    def _end(self, attempt: _Attempt) -> None:
        self._attempts.pop(attempt.key, None)
        if attempt.conn is not None and self._by_conn.get(attempt.conn) is attempt:
            del self._by_conn[attempt.conn]
        attempt.future.release()

    def _lost(self, attempt: _Attempt, why: str, finished: _Finished) -> None:
        """The worker running ``attempt`` was lost: retry the step, or fail it (only it)."""
        if attempt.key not in self._attempts:
            return
        attempt.future.cancel()  # Dask must not run it again: the run decides about retries
        self._end(attempt)
        step, run_ctx = attempt.step, self._run_ctx
        release_pool_slot(run_ctx, step)
        where = attempt.worker or "that held it"
        error = ExecutionError(
            f"The Dask worker {where} running step {step.key!r} was lost before the step "
            f"finished ({why})."
        )
        run_ctx.sink.emit(EventType.ENGINE_EVENT, str(error), step_key=step.key, level=30,
                          data={"dask_worker": attempt.worker, "pid": attempt.pid})  # fmt: skip
        self._losses[step.key] += 1
        policy = _retry_policy(step, run_ctx)
        if policy is not None and self._losses[step.key] <= policy.max_retries:
            self._retry(step, error, self._losses[step.key], policy)
            return
        if not attempt.failure_sent:
            fail_step(run_ctx, step, f"failed: {error}",
                      {"dask_worker": attempt.worker, "worker_lost": True}, error)  # fmt: skip
        run_ctx.sink.flush()
        finished.append((step.key, _failed(step.key, error)))

    def _retry(self, step: Any, error: Exception, number: int, policy: Any) -> None:
        wait = policy.delay_for(number)
        self._run_ctx.sink.emit(
            EventType.STEP_UP_FOR_RETRY,
            f"Execution of step {step.key!r} failed and will be retried in {wait:.2f}s "
            f"(retry {number}): {error}",
            step_key=step.key, partition=self._run_ctx.partitions_of(step.key).single_key,
            data={"error": error_data(error), "seconds_to_wait": wait, "retry_number": number},
            level=30,
        )  # fmt: skip
        self._run_ctx.sink.flush()
        self._retrying += 1
        if wait > 0:
            timer = threading.Timer(wait, self._notify, args=(("retry", step),))
            timer.daemon = True
            timer.start()
        else:
            self._notify(("retry", step))


def _failed(step_key: str, error: Exception) -> StepResult:
    return StepResult(step_key=step_key, success=False, error=error)


def _retry_policy(step: Any, run_ctx: RunContext) -> Any:
    definition = getattr(getattr(step, "node", None), "op_def", None) or getattr(
        step, "assets_def", None
    )
    return getattr(definition, "retry_policy", None) or run_ctx.default_retry_policy
