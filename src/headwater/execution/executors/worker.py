"""A multiprocess step worker: the child process of the multiprocess executor's pool.

It loads the job once (``WorkerInit.job_loader``), prepares the run exactly as the parent did
(the same plan and validated config, from the same arguments), then takes steps by key until
told to stop. Business data never crosses the pipe: a step's inputs and outputs go through its
IO managers; what comes back is the step's events (sent on every flush, so the parent, the
run's single writer, commits them before the step is reported finished) and a
:class:`~.messages.StepDone` without values (messages: :mod:`~.messages`).

The fork server preloads this module, so its imports are what every worker starts with.
"""

from __future__ import annotations

import copy
import os
import pickle
import signal
import threading
from typing import Any

# What every worker needs is imported with this module, which the fork server preloads.
from headwater.declarations.config import model as _config_model  # noqa: F401
from headwater.declarations.io_managers import filesystem as _default_io_manager  # noqa: F401
from headwater.declarations.resources.definition import initialize_resources
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.execution.executors.messages import StepDone, StepRequest, WorkerInit, dumps
from headwater.execution.plan.execution_plan import ExecutionStep
from headwater.execution.plan.op_plan import OpStep
from headwater.execution.run.driver import STEP_EXECUTORS
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.in_process import (
    asset_step_resource_keys,
    op_node_resource_keys,
    prepare_job_run,
)
from headwater.execution.run.logs import StepLogger, capture_python_logging
from headwater.execution.run.state import DynamicState, RunContext
from headwater.execution.step.lifecycle import StepResult, error_data
from headwater.keys import AssetKey


# -- the worker process ------------------------------------------------------------------------
def worker_main(conn: Any, init_bytes: bytes) -> None:
    """The worker process: load the job, report ready, run requested steps until told to stop.

    Interrupts (SIGINT) are the parent's to handle: the worker ignores them. SIGTERM interrupts
    the running step, which records its interruption (STEP_FAILURE, sent to the parent) before
    the worker dies of the signal. A closed pipe (the parent died) ends the worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        init: WorkerInit = pickle.loads(init_bytes)
        os.environ.clear()
        os.environ.update(init.environment)
        worker = Worker(init, conn)
    except KeyboardInterrupt:
        _die_of_sigterm()
    except BaseException as exc:
        _send(conn, ("failed_to_load", error_data(exc)))
        return
    _send(conn, ("ready", os.getpid()))
    try:
        with capture_python_logging():
            while True:
                try:
                    request = conn.recv()
                except (EOFError, OSError):
                    return
                if request is None:
                    return
                _send(conn, ("done", worker.run(request)))
    except KeyboardInterrupt:  # SIGTERM: the step recorded it; end as the signal says
        _die_of_sigterm()


class WorkerTerminated(KeyboardInterrupt):
    """Raised in a worker when it receives SIGTERM: interrupts the running step (a
    ``KeyboardInterrupt``, so that ``except Exception`` in user code does not catch it)."""


def _terminated(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the worker at once
    raise WorkerTerminated("terminated: the worker process received SIGTERM")


def _die_of_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


# A step's events may be sent by the event flusher thread (a long step's events, sent while
# it runs) while the main thread sends other messages: one message at a time on a pipe.
_SEND_LOCK = threading.Lock()


def _send(conn: Any, message: Any) -> None:
    data = dumps(message)
    with _SEND_LOCK:
        conn.send_bytes(data)


class _WorkerSink(EventSink):
    """A worker's event sink: every flush sends the buffered events to the parent (which
    commits them); STEP_START is sent at once (``"started"``: announced by the parent at once,
    committed with the step's next batch), so the run shows which steps are running. A step
    that runs longer has its buffered events sent by the event flusher thread once they are
    0.25 s old (``event_sink``), so its log messages reach the run's storage while it runs."""

    __slots__ = ("started",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started = False

    def emit(self, event_type: EventType, message: str = "", **kwargs: Any) -> EventLogEntry:
        entry = super().emit(event_type, message, **kwargs)
        if event_type is EventType.STEP_START:
            self.started = True
            self.flush()
        return entry


class Worker:
    """The job and the prepared run a worker takes steps of."""

    def __init__(self, init: WorkerInit, conn: Any) -> None:
        self._conn = conn
        self.init = init
        self.job = init.job_loader()
        self.instance = init.instance_loader()
        self.prepared = prepare_job_run(self.job, instance=self.instance, **init.run_args)
        self._resource_keys: dict[str, set[str]] = {}
        self._hook_keys = {k for hook in self.job.hooks for k in hook.required_resource_keys}

    def with_connection(self, conn: Any) -> Worker:
        """This loaded worker sending the events of the steps it runs to ``conn`` (a shallow
        copy: the Dask executor's task threads share one loaded job, each its own connection)."""
        clone = copy.copy(self)
        clone._conn = conn
        return clone

    def close(self) -> None:
        """Release the run's instance (its database connections)."""
        dispose = getattr(self.instance, "dispose", None)
        if dispose is not None:
            dispose()

    def _send_events(self, entries: list[EventLogEntry]) -> None:
        started = all(e.event_type is EventType.STEP_START for e in entries)
        _send(self._conn, ("started" if started else "events", list(entries)))

    def run(self, request: StepRequest) -> StepDone:
        """Run one step (its events sent as they are flushed); how it ended, without values."""
        run = self.init.run
        sink = _WorkerSink(
            run_id=run.run_id,
            job_name=run.job_name,
            store=self._send_events,
        )
        run_ctx = self._run_context(sink, request)
        step = self._step(request.step_key, run_ctx)
        teardown_error: BaseException | None = None
        result: StepResult | None = None
        entered = False
        resources = initialize_resources(
            self.prepared.resource_defs,
            required_keys=self._keys_of(step) | self._hook_keys,
            run_config_resources=self.prepared.resource_config,
            log=StepLogger(sink, step.key),  # type: ignore[arg-type]
            instance=self.instance,
        )
        try:
            with resources as live:
                entered = True
                run_ctx.resources = live
                result = STEP_EXECUTORS[type(step)](step, run_ctx)
        except Exception as exc:
            if not entered:  # the resources could not be set up: the step fails
                return _failure(step, sink, exc, "resource initialization failed: ")
            if result is None:  # raised past the step lifecycle: still only this step fails
                return _failure(step, sink, exc, "")
            teardown_error = exc
            sink.emit(
                EventType.ENGINE_EVENT,
                f"Resource teardown failed after step {step.key!r}: {exc}",
                step_key=step.key, data={"error": error_data(exc)}, level=40,
            )  # fmt: skip
            sink.flush()
        return _done(step.key, result, teardown_error)

    def _run_context(self, sink: EventSink, request: StepRequest) -> RunContext:
        prepared, job = self.prepared, self.job
        plan = prepared.run_plan
        return RunContext(
            run=self.init.run,
            instance=self.instance,
            sink=sink,
            op_configs=prepared.op_configs,
            assets_by_key=plan.assets_by_key,
            step_partitions=plan.step_partitions,
            nodes=plan.nodes,
            input_values=plan.input_values,
            skip_unchanged=self.init.skip_unchanged,
            default_retry_policy=job.op_retry_policy,
            hooks=job.hooks,
            logs_dir=self.instance.logs_directory,
            latest_materializations=request.latest_materializations,
            data_versions=dict(request.data_versions),
            state=DynamicState(
                mapping_keys={k: list(v) for k, v in request.mapping_keys.items()},
                produced=set(request.produced),
            ),
            executed=set(request.executed),
        )

    def _step(self, key: str, run_ctx: RunContext) -> Any:
        """The step ``key`` of the plan, resolved (a mapped op) with what the parent knows."""
        steps = self.prepared.run_plan.plan.steps_by_key
        step = steps.get(key)
        if step is not None and step.resolve(run_ctx) is None:
            return step
        base = step if step is not None else steps[key.split("[", 1)[0]]
        for resolved in base.resolve(run_ctx) or ():
            if resolved.key == key:
                return resolved
        raise KeyError(f"Step {key!r} is not a step of this run's plan.")

    def _keys_of(self, step: Any) -> set[str]:
        """The resource keys ``step`` uses (computed once per step key)."""
        keys = self._resource_keys.get(step.key)
        if keys is None:
            keys = self._resource_keys[step.key] = _step_resource_keys(step, self.prepared)
        return keys


def _step_resource_keys(step: Any, prepared: Any) -> set[str]:
    if isinstance(step, ExecutionStep):
        return asset_step_resource_keys(step, prepared.run_plan.assets_by_key)
    if isinstance(step, OpStep):
        return op_node_resource_keys(prepared.run_plan.nodes, step.node.name)
    return set(getattr(step.assets_def, "required_resource_keys", ()))


def _failure(step: Any, sink: _WorkerSink, exc: Exception, what: str) -> StepDone:
    """The step fails without its body having run to an end (its resources could not be set
    up, or the executor itself failed): STEP_START (if not sent yet) and STEP_FAILURE."""
    asset_key = _single_asset_key(step)
    if not sink.started:
        sink.emit(EventType.STEP_START, f"Started execution of step {step.key!r}.",
                  step_key=step.key, asset_key=asset_key)  # fmt: skip
    sink.emit(
        EventType.STEP_FAILURE,
        f"Execution of step {step.key!r} failed: {what}{exc}",
        step_key=step.key, asset_key=asset_key,
        data={"error": error_data(exc), "attempts": 0}, level=40,
    )  # fmt: skip
    sink.flush()
    return StepDone(step_key=step.key, success=False, attempts=0,
                    **_portable_error(step.key, exc))  # fmt: skip


def _single_asset_key(step: Any) -> AssetKey | None:
    keys = getattr(getattr(step, "assets_def", None), "keys", None)
    return next(iter(keys)) if keys and len(keys) == 1 else None


def _done(key: str, result: StepResult | None, teardown_error: BaseException | None) -> StepDone:
    resource_error = error_data(teardown_error) if teardown_error is not None else None
    if result is None:
        return StepDone(step_key=key, ran=False, resource_error=resource_error)
    outputs = result.outputs
    errors = _portable_error(key, result.error) if result.error is not None else {}
    return StepDone(
        step_key=key,
        success=result.success,
        attempts=result.attempts,
        duration_ms=result.duration_ms,
        output_keys=tuple(outputs.values),
        mapping_keys=outputs.mapping_keys,
        data_versions=outputs.data_versions,
        resource_error=resource_error,
        **errors,
    )


def _portable_error(key: str, error: BaseException) -> dict[str, Any]:
    from headwater.errors import UserCodeError

    original = error.original if isinstance(error, UserCodeError) else error
    text = f"{type(original).__name__}: {original}"
    try:
        return {"error": dumps(error), "error_text": text}
    except Exception:  # something the error holds cannot be pickled
        return {"error": None, "error_text": text}
