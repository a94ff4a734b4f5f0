"""The one step lifecycle: every step of every run goes through :func:`run_step`.

An asset step, an op step and an asset check step differ only in their *body* (load inputs,
call user code, handle outputs). Around the body, this module does what is the same for all of
them, in one place: STEP_START, output and log capture per attempt, retries with the retry
policy's backoff (STEP_UP_FOR_RETRY, STEP_RESTARTED), STEP_SUCCESS or STEP_FAILURE, success and
failure hooks, and committing the step's events before the step is reported finished.

A step returns a :class:`StepResult` instead of writing into the run's shared state, so the run
driver (or, later, an executor in another process) decides what to do with it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from headwater.declarations.ops.hooks import FAILURE, SUCCESS, HookContext, HookDefinition
from headwater.declarations.retries import RetryPolicy
from headwater.errors import (
    AssetCheckFailedError,
    Failure,
    RetryRequested,
    TypeCheckError,
    UserCodeError,
)
from headwater.events.types import EventType
from headwater.execution.run.capture import capture_step_output
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.logs import StepLogger, active_step_logger
from headwater.keys import AssetKey
from headwater.metadata import metadata_to_json

if TYPE_CHECKING:
    from headwater.execution.run.state import ExecutionInstance

T = TypeVar("T")

@dataclass(slots=True, kw_only=True)
class StepOutputs:
    """What one attempt of a step body produced, handed back to the run driver in the
    :class:`StepResult` (a body never writes into the run's shared state).

    Attributes:
        values: ``(stored step key, output name)`` -> value, for every output the body stored
            with its IO manager. The stored step key is the step key, or ``"step[mapping_key]"``
            for one value of a dynamic output.
        mapping_keys: dynamic output name -> its mapping keys, in the order they were produced.
        data_versions: asset key -> data version of what the step materialized (or reused).
    """

    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    mapping_keys: dict[str, list[str]] = field(default_factory=dict)
    data_versions: dict[AssetKey, str | None] = field(default_factory=dict)

    def add(self, step_key: str, output_name: str, value: Any, mapping_key: str | None = None
            ) -> None:  # fmt: skip
        """Record ``value`` as output ``output_name`` of step ``step_key``."""
        if mapping_key is None:
            self.values[(step_key, output_name)] = value
            return
        self.values[(f"{step_key}[{mapping_key}]", output_name)] = value
        self.mapping_keys.setdefault(output_name, []).append(mapping_key)

    def by_output_name(self) -> dict[str, Any]:
        """Output name (``"name[mapping_key]"`` for a dynamic one) -> value, as hooks see them."""
        out: dict[str, Any] = {}
        for (stored, name), value in self.values.items():
            mapping_key = stored[stored.index("[") :] if stored.endswith("]") else ""
            out[f"{name}{mapping_key}"] = value
        return out


# A step body: called once per attempt with the step's logger and the attempt number (0-based);
# returns what the attempt produced, or raises.
StepBody = Callable[[StepLogger, int], StepOutputs]


@dataclass(frozen=True, slots=True, kw_only=True)
class StepResult:
    """How one step ended: the value a step hands back to the run driver.

    Attributes:
        step_key: the step.
        success: whether it succeeded (a skipped step is not a result: it never ran).
        error: the error it failed with (after its retries), else ``None``.
        attempts: how many times the body ran (0: skipped because unchanged).
        duration_ms: wall time from the first attempt's start to the end, in milliseconds.
        outputs: what the successful attempt produced (empty after a failure).
    """

    step_key: str
    success: bool
    error: Exception | None = None
    attempts: int = 1
    duration_ms: float = 0.0
    outputs: StepOutputs = field(default_factory=StepOutputs)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRun:
    """What the lifecycle needs to know about a step and the run it belongs to.

    Attributes:
        key: the step key.
        sink: the run's event sink.
        run: the run record (``run_id``, ``job_name``).
        instance / resources: handed to hooks.
        logs_dir: where captured stdout/stderr go (``None``: no capture).
        retry_policy: the step's retry policy (or the job's default), ``None`` for no retries.
        asset_key / partition: put on the step events of a single-asset step.
        hooks: success/failure hooks to run after the step.
        node_name: the op's node name, for hooks.
        pool: the concurrency pool the step takes a slot of while it executes (``None``: none).
    """

    key: str
    sink: EventSink
    run: Any
    instance: ExecutionInstance | None = None
    resources: Any = None
    logs_dir: Path | None = None
    retry_policy: RetryPolicy | None = None
    asset_key: AssetKey | None = None
    partition: str | None = None
    hooks: Iterable[HookDefinition] = ()
    node_name: str = ""
    pool: str | None = None


# Waiting for a pool slot: first poll after this many seconds, doubling up to the maximum.
_SLOT_POLL_SECONDS = (0.02, 0.5)


def run_step(step: StepRun, body: StepBody) -> StepResult:
    """Run ``body`` as step ``step.key``: events, capture, retries, hooks; return how it ended.

    A step of a concurrency pool first waits for a slot of it (an ENGINE_EVENT says so), holds
    it while it executes and frees it when it ends, however it ends. Never raises for a failure
    of user code: the failure is in the result (and the events). Its events are committed
    before this returns.
    """
    if step.pool is None or step.instance is None:
        return _run_step(step, body)
    instance, pool, run_id = step.instance, step.pool, step.run.run_id
    _wait_for_slot(step, instance, pool)
    try:
        return _run_step(step, body)
    finally:
        instance.release_concurrency_slot(pool, run_id, step.key)


def _wait_for_slot(step: StepRun, instance: ExecutionInstance, pool: str) -> None:
    """Block until the step holds a slot of ``pool``."""
    run_id = step.run.run_id
    if instance.claim_concurrency_slot(pool, run_id, step.key):
        return
    step.sink.emit(
        EventType.ENGINE_EVENT,
        f"Step {step.key!r} is waiting for a slot of concurrency pool {pool!r}.",
        step_key=step.key,
        data={"pool": pool, "waiting_for_pool": True},
    )
    step.sink.flush()
    started, wait = time.perf_counter(), _SLOT_POLL_SECONDS[0]
    while not instance.claim_concurrency_slot(pool, run_id, step.key):
        time.sleep(wait)
        wait = min(wait * 2, _SLOT_POLL_SECONDS[1])
    step.sink.emit(
        EventType.ENGINE_EVENT,
        f"Step {step.key!r} got a slot of concurrency pool {pool!r} after "
        f"{time.perf_counter() - started:.2f}s.",
        step_key=step.key,
        data={"pool": pool, "waiting_for_pool": False},
    )


def _run_step(step: StepRun, body: StepBody) -> StepResult:
    sink = step.sink

    def emit(event_type: EventType, message: str, **extra: Any) -> None:
        sink.emit(event_type, message, step_key=step.key, asset_key=step.asset_key,
                  partition=step.partition, **extra)  # fmt: skip

    emit(EventType.STEP_START, f"Started execution of step {step.key!r}.")
    started = time.perf_counter()

    def on_retry(error: Exception, wait: float, retry_number: int) -> None:
        emit(
            EventType.STEP_UP_FOR_RETRY,
            f"Execution of step {step.key!r} failed and will be retried in {wait:.2f}s "
            f"(retry {retry_number}): {error}",
            data={"error": error_data(error), "seconds_to_wait": wait,
                  "retry_number": retry_number},
            level=30,
        )  # fmt: skip
        sink.flush()
        if wait:
            time.sleep(wait)
        emit(
            EventType.STEP_RESTARTED,
            f"Started re-execution (retry {retry_number}) of step {step.key!r}.",
            data={"retry_number": retry_number},
        )

    try:
        produced, error, attempts = call_with_retries(
            lambda attempt: _attempt(step, body, attempt), step.retry_policy, on_retry
        )
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or the run worker told to terminate
        emit(
            EventType.STEP_FAILURE,
            f"Execution of step {step.key!r} was interrupted.",
            data={"error": error_data(interrupt), "interrupted": True,
                  "duration_ms": (time.perf_counter() - started) * 1000},
            level=40,
        )  # fmt: skip
        sink.flush()
        raise
    elapsed_ms = (time.perf_counter() - started) * 1000
    if error is not None:
        emit(
            EventType.STEP_FAILURE,
            f"Execution of step {step.key!r} failed: {error}",
            data={"error": error_data(error), "duration_ms": elapsed_ms, "attempts": attempts,
                  **failure_metadata(error)},
            level=40,
        )  # fmt: skip
        _run_hooks(step, FAILURE, error, {})
        sink.flush()
        return StepResult(step_key=step.key, success=False, error=error, attempts=attempts,
                          duration_ms=elapsed_ms)  # fmt: skip
    emit(
        EventType.STEP_SUCCESS,
        f"Finished execution of step {step.key!r} in {elapsed_ms:.1f}ms.",
        data={"duration_ms": elapsed_ms},
    )
    outputs = produced if produced is not None else StepOutputs()
    _run_hooks(step, SUCCESS, None, outputs.by_output_name())
    sink.flush()
    return StepResult(step_key=step.key, success=True, attempts=attempts,
                      duration_ms=elapsed_ms, outputs=outputs)  # fmt: skip


def call_with_retries(
    attempt_fn: Callable[[int], T],
    policy: RetryPolicy | None,
    on_retry: Callable[[Exception, float, int], None],
) -> tuple[T | None, Exception | None, int]:
    """Call ``attempt_fn(attempt)`` until it returns, or fails in a way that is not retried.

    ``on_retry(error, seconds_to_wait, retry_number)`` runs before each retry (and does the
    waiting). Returns ``(value, None, attempts)`` or ``(None, error, attempts)``. Used by
    :func:`run_step` and by the ops inside a graph-backed asset's step.
    """
    attempt = 0
    while True:
        try:
            return attempt_fn(attempt), None, attempt + 1
        except Exception as error:  # every failure is retried or returned
            wait = retry_delay(error, policy, attempt)
            if wait is None:
                return None, error, attempt + 1
            attempt += 1
            on_retry(error, wait, attempt)


def _attempt(step: StepRun, body: StepBody, attempt: int) -> StepOutputs:
    """Run the body once with its output and logs captured; raise what it raised."""
    log = StepLogger(step.sink, step.key)
    captured: dict[str, Any] = {}
    try:
        with (
            active_step_logger(log),
            capture_step_output(step.logs_dir, step.run.run_id, step.key) as captured,
        ):
            return body(log, attempt)
    finally:
        if captured:
            step.sink.emit(
                EventType.LOGS_CAPTURED,
                f"Captured the stdout/stderr of step {step.key!r}.",
                step_key=step.key,
                data={**captured, "step_keys": [step.key]},
            )


def retry_delay(error: Exception, policy: RetryPolicy | None, attempt: int) -> float | None:
    """Seconds to wait before retrying after ``error`` on attempt ``attempt`` (0-based), or
    ``None`` when the step must fail."""
    original = error.original if isinstance(error, UserCodeError) else error
    if isinstance(original, RetryRequested):
        if attempt >= original.max_retries:
            return None
        return float(original.seconds_to_wait or 0.0)
    if isinstance(original, AssetCheckFailedError | TypeCheckError):
        return None  # retrying would fail the same way
    if isinstance(original, Failure) and not original.allow_retries:
        return None
    if policy is None or attempt >= policy.max_retries:
        return None
    return policy.delay_for(attempt + 1)


def error_data(exc: BaseException) -> dict[str, Any]:
    """The ``error`` payload of a failure event (user traceback kept for user-code errors)."""
    original = exc.original if isinstance(exc, UserCodeError) else exc
    if isinstance(exc, UserCodeError):
        tb = exc.user_traceback
    else:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    data: dict[str, Any] = {
        "message": str(exc), "cls_name": type(original).__name__, "traceback": tb
    }
    if original is not exc:
        data["user_code"] = True  # raised by the user's code (not a headwater error)
    return data


def failure_metadata(error: Exception) -> dict[str, Any]:
    """``{"metadata": ...}`` of a :class:`Failure` or failed type check (else empty)."""
    metadata = getattr(error, "metadata", None)
    if isinstance(error, Failure | TypeCheckError) and metadata:
        return {"metadata": metadata_to_json(metadata)}
    return {}


def _run_hooks(
    step: StepRun, event: str, error: BaseException | None, produced: Mapping[str, Any]
) -> None:
    """Run the step's ``event`` hooks: HOOK_COMPLETED after each, HOOK_ERRORED (never fatal)
    when one raises, HOOK_SKIPPED for each hook of the other outcome (as Dagster records)."""
    for hook in sorted(step.hooks, key=lambda h: h.name):
        if hook.event != event:
            step.sink.emit(
                EventType.HOOK_SKIPPED,
                f"Hook {hook.name!r} skipped after step {step.key!r}: it runs on {hook.event}.",
                step_key=step.key,
                data={"hook": hook.name, "hook_event": "HOOK_SKIPPED"},
            )
            continue
        context = HookContext(
            op_name=step.node_name or step.key, step_key=step.key, run_id=step.run.run_id,
            job_name=step.run.job_name, log=StepLogger(step.sink, step.key),
            resources=step.resources,
            op_exception=error.original if isinstance(error, UserCodeError) else error,
            op_output_values=dict(produced),
            instance=step.instance, hook_name=hook.name,
        )  # fmt: skip
        try:
            hook.hook_fn(context)
        except Exception as exc:
            step.sink.emit(
                EventType.HOOK_ERRORED,
                f"Hook {hook.name!r} failed after step {step.key!r}: {type(exc).__name__}: {exc}",
                step_key=step.key,
                data={"hook": hook.name, "hook_event": "HOOK_ERRORED", "error": error_data(exc)},
                level=40,
            )
            continue
        step.sink.emit(
            EventType.HOOK_COMPLETED,
            f"Hook {hook.name!r} finished after step {step.key!r}.",
            step_key=step.key,
            data={"hook": hook.name, "hook_event": "HOOK_COMPLETED"},
        )
