"""The messages between the multiprocess executor and its worker processes (plain data).

Worker -> parent (each pickled with :func:`dumps`): ``("ready", pid)``,
``("failed_to_load", error_data)``, ``("started", [STEP_START])`` (announced at once, committed
with the next batch), ``("events", [EventLogEntry, ...])`` (committed on arrival), ``("done",
StepDone)``. Parent -> worker: a :class:`StepRequest`, or ``None`` to stop. Kept apart from
the worker's code so that the parent imports none of what only a worker needs.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.keys import AssetKey


@dataclass(frozen=True, kw_only=True)
class WorkerInit:
    """What a worker needs to take steps of one run (pickled once, sent to every worker).

    Attributes:
        job_loader: a picklable callable returning the ``JobDefinition`` (a
            :class:`~headwater.execution.executors.reconstructable.ReconstructableJob`, or a
            loader from the orchestration layer, pickled by reference).
        instance_loader: a picklable callable returning the run's instance, opened again.
        run: the run record.
        run_args: the arguments the run was prepared with
            (:func:`~headwater.execution.run.in_process.prepare_job_run`).
        skip_unchanged: the run's option.
        environment: the environment variables of the run's process when the run started
            (a fork server keeps the environment it started with; workers take this one, so
            ``EnvVar`` config and user code see what the run's process sees).
    """

    job_loader: Callable[[], Any]
    instance_loader: Callable[[], Any]
    run: Any
    run_args: Mapping[str, Any] = field(default_factory=dict)
    skip_unchanged: bool = False
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRequest:
    """Run step ``step_key``, with what the run knows that the step reads.

    Attributes:
        data_versions: asset key -> data version, for the assets the step reads or produces.
        latest_materializations: asset key -> its latest materialization's data (to skip an
            unchanged step).
        mapping_keys / produced / executed: the dynamic outputs' mapping keys, the outputs
            produced and the steps reached so far (op runs), as far as the step needs them.
    """

    step_key: str
    data_versions: Mapping[AssetKey, str | None] = field(default_factory=dict)
    latest_materializations: Mapping[AssetKey, Mapping[str, Any]] = field(default_factory=dict)
    mapping_keys: Mapping[tuple[str, str], list[str]] = field(default_factory=dict)
    produced: frozenset[tuple[str, str]] = frozenset()
    executed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class StepDone:
    """How a step ended in a worker: a ``StepResult`` without the values.

    Attributes:
        ran: ``False`` when the step skipped itself (no result).
        error: the pickled error (:func:`dumps`), or ``None``.
        error_text: ``"ClassName: message"`` of the error, if the pickled one cannot be loaded.
        output_keys: ``(stored step key, output)`` of every value stored (with an IO manager).
        resource_error: a resource failed to tear down after the step (its error data).
    """

    step_key: str
    ran: bool = True
    success: bool = True
    error: bytes | None = None
    error_text: str = ""
    attempts: int = 1
    duration_ms: float = 0.0
    output_keys: tuple[tuple[str, str], ...] = ()
    mapping_keys: Mapping[str, list[str]] = field(default_factory=dict)
    data_versions: Mapping[AssetKey, str | None] = field(default_factory=dict)
    resource_error: Mapping[str, Any] | None = None


# -- serialization ------------------------------------------------------------------------------
def _rebuild_exception(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
                       ) -> BaseException:  # fmt: skip
    exc = cls.__new__(cls)
    exc.args = args
    cause = state.pop("__cause__", None)
    exc.__dict__.update(state)
    if cause is not None:
        exc.__cause__ = cause
    return exc


class _Pickler(pickle.Pickler):
    """Pickles exceptions by class, args and attributes, without calling their ``__init__``
    when loaded (``UserCodeError(message, original)`` cannot be rebuilt from its args alone)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseException):
            state = dict(getattr(obj, "__dict__", {}))
            if obj.__cause__ is not None:
                state["__cause__"] = obj.__cause__
            return _rebuild_exception, (type(obj), obj.args, state)
        return NotImplemented


def dumps(obj: Any) -> bytes:
    """``obj`` pickled (exceptions as :class:`_Pickler` does)."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def load_error(done: StepDone) -> Exception:
    """The error of a failed step, as raised in the worker when it can be loaded here."""
    from headwater.errors import ExecutionError

    if done.error is not None:
        try:
            error = pickle.loads(done.error)
        except Exception:  # the exception's class is not importable here
            error = None
        if isinstance(error, Exception):
            return error
    return ExecutionError(f"Step {done.step_key!r} failed in a worker process: {done.error_text}")


def run_worker(conn: Any, init_bytes: bytes) -> None:
    """The target of a worker process (see :func:`~.worker.worker_main`, imported here so that
    the parent never imports the worker's modules)."""
    from headwater.execution.executors.worker import worker_main

    worker_main(conn, init_bytes)
