"""The multiprocess executor: a warm pool of worker processes that take the run's steps.

Worker processes (:mod:`~headwater.execution.executors.worker`) are started on demand, up to
``max_concurrent``; each loads the job once and then runs the steps it is sent by key. This
process remains the run's single writer: it commits every batch of events a worker sends as
it arrives, and records a step's result (after its events) in the run state. A worker that
dies (``os._exit``, SIGKILL, a segfault) fails only the step it held, with the exit code or
signal in the reason; a new worker takes its place and the run goes on under the usual
dependency rules.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.executors import MultiprocessConfig
from headwater.events.types import EventType
from headwater.execution.executors.base import execute_ready_steps
from headwater.execution.executors.messages import WorkerInit
from headwater.execution.executors.pool import WorkerLoadError, WorkerPool
from headwater.execution.executors.remote import NOT_LOADED
from headwater.execution.plan.execution_plan import ExecutionPlan
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import error_data

__all__ = ["NOT_LOADED", "MultiprocessExecutor", "WorkerLoadError"]

_WORKER_MODULE = "headwater.execution.executors.worker"


class MultiprocessExecutor:
    """Runs the ready steps of a run in a pool of worker processes, several at once.

    Args:
        job_loader: a picklable callable returning the ``JobDefinition`` in a worker (a
            :class:`~headwater.execution.executors.reconstructable.ReconstructableJob`).
        instance_loader: a picklable callable opening the run's instance in a worker.
        run_args: the arguments the run was prepared with (run config, tags, selections,
            partition), so that each worker prepares the same run.
        config: ``max_concurrent``, start method, preload modules, tag concurrency limits.
        preload_modules: more modules the fork server imports before forking workers (those
            the instance loader needs, say).

    A fork server (the default start method on Linux) is started when the executor is made,
    so that it imports its modules while the run is being planned and recorded.
    """

    name = "multiprocess"

    def __init__(
        self,
        *,
        job_loader: Callable[[], Any],
        instance_loader: Callable[[], Any],
        run_args: Mapping[str, Any] | None = None,
        config: MultiprocessConfig | None = None,
        preload_modules: Sequence[str] = (),
    ) -> None:
        self.job_loader = job_loader
        self.instance_loader = instance_loader
        self.run_args = dict(run_args or {})
        self.config = config or MultiprocessConfig()
        self._context = _mp_context(self.config, preload_modules)
        #: pids of every worker process started for the last run (replacements included)
        self.worker_pids: list[int] = []

    def execute(
        self,
        plan: ExecutionPlan[Any],
        run_ctx: RunContext,
        *,
        resource_defs: Mapping[str, Any],
        required_keys: set[str],
        resource_config: Mapping[str, Any],
    ) -> None:
        """Run every step of ``plan`` in worker processes (each sets up the resources its
        step uses), recording each result in ``run_ctx``."""
        init = WorkerInit(
            job_loader=self.job_loader,
            instance_loader=self.instance_loader,
            run=run_ctx.run,
            run_args=self.run_args,
            skip_unchanged=run_ctx.skip_unchanged,
            environment=dict(os.environ),
        )
        pool = WorkerPool(init, self.config, run_ctx, self._context)
        self.worker_pids = pool.pids
        run_ctx.sink.emit(
            EventType.ENGINE_EVENT,
            f"Executing steps in up to {pool.max_size} worker process"
            f"{'es' if pool.max_size > 1 else ''} (multiprocess executor, start method "
            f"{self.config.start_method}); process {os.getpid()} records the run.",
            data={"max_concurrent": pool.max_size, "start_method": self.config.start_method},
        )
        try:
            execute_ready_steps(plan, run_ctx, pool)
        except WorkerLoadError as exc:
            pool.interrupt()  # steps other workers run are interrupted and record it
            run_ctx.errors["<executor>"] = exc
            run_ctx.sink.emit(EventType.ENGINE_EVENT, str(exc),
                              data={"error": error_data(exc)}, level=40)  # fmt: skip
            run_ctx.sink.flush()
        except BaseException:
            pool.interrupt()
            raise
        finally:
            pool.close()


def _mp_context(config: MultiprocessConfig, preload_modules: Sequence[str]) -> Any:
    """The multiprocessing context of ``config``'s start method; a fork server is started now
    (if not running yet), importing the worker's modules once for every worker it forks."""
    context = multiprocessing.get_context(config.start_method)
    if config.start_method == "forkserver":
        from multiprocessing import forkserver

        preload = ["__main__", _WORKER_MODULE, *preload_modules, *config.preload_modules]
        context.set_forkserver_preload(list(dict.fromkeys(preload)))
        forkserver.ensure_running()
    return context
