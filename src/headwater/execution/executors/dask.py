"""The Dask executor: the steps of a run submitted to a Dask ``distributed`` cluster.

The run's process (the run worker, or the caller of ``execute_job``) stays the run's single
writer. It connects to the cluster (a ``LocalCluster`` started for the run, or the scheduler
of an existing cluster), listens on a TCP port for the events of its steps, and submits each
step as a Dask task as soon as its upstream steps have finished (the dependency rules of
:func:`~headwater.execution.executors.base.execute_ready_steps`). A task runs its step in a
Dask worker (:mod:`~headwater.execution.executors.dask_task`) and sends the step's events
back over that port, where they are committed as they arrive; values pass between steps
through IO managers only, never through the scheduler.

A step asks for Dask worker resources with op tags ``dask/resource/NAME: AMOUNT``. A worker
lost mid-step (killed, out of memory, its machine gone) fails only that step, or retries it
when its retry policy allows; a scheduler that does not answer fails the run before any
step starts, naming the address.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Listener
from typing import Any

from headwater.declarations.dask_config import DaskConfig, dask_resources
from headwater.errors import DefinitionError, ExecutionError
from headwater.events.types import EventType
from headwater.execution.executors.base import execute_ready_steps
from headwater.execution.executors.dask_steps import DaskSteps
from headwater.execution.executors.messages import WorkerInit
from headwater.execution.executors.remote import step_tags
from headwater.execution.plan.execution_plan import ExecutionPlan
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import error_data

__all__ = ["DaskExecutor"]


class DaskExecutor:
    """Runs the steps of a run as tasks on a Dask cluster, several at once.

    Args:
        job_loader: a picklable callable returning the ``JobDefinition`` in a Dask worker
            (a :class:`~headwater.execution.executors.reconstructable.ReconstructableJob`).
        instance_loader: a picklable callable opening the run's instance in a Dask worker.
        run_args: the arguments the run was prepared with (run config, tags, selections,
            partition), so that each worker prepares the same run.
        config: the cluster to use (:class:`~headwater.declarations.dask_config.DaskConfig`).

    The Dask workers must be able to import the job's module and open the run's instance
    (the same ``HEADWATER_HOME``, or its PostgreSQL storage); they keep their own environment
    variables.
    """

    name = "dask"

    def __init__(
        self,
        *,
        job_loader: Callable[[], Any],
        instance_loader: Callable[[], Any],
        run_args: Mapping[str, Any] | None = None,
        config: DaskConfig | None = None,
    ) -> None:
        self.job_loader = job_loader
        self.instance_loader = instance_loader
        self.run_args = dict(run_args or {})
        self.config = config or DaskConfig()
        #: the scheduler address of the last run's cluster
        self.scheduler_address: str | None = None

    def execute(
        self,
        plan: ExecutionPlan[Any],
        run_ctx: RunContext,
        *,
        resource_defs: Mapping[str, Any],
        required_keys: set[str],
        resource_config: Mapping[str, Any],
    ) -> None:
        """Submit every step of ``plan`` to the cluster as it becomes ready (each Dask worker
        sets up the resources its step uses), recording each result in ``run_ctx``."""
        try:
            resources = {s.key: dask_resources(step_tags(s), f"Step {s.key!r}")
                         for s in plan.steps}  # fmt: skip
        except DefinitionError as exc:
            _fail_run(run_ctx, exc)
            return
        try:
            client_cm = _client(self.config)
            client = client_cm.__enter__()
        except Exception as exc:
            _fail_run(run_ctx, _connect_error(self.config, exc), address=self.config.address)
            return
        try:
            self.scheduler_address = client.scheduler.address
            self._execute(plan, run_ctx, client, resources)
        finally:
            client_cm.__exit__(None, None, None)

    def _execute(
        self, plan: ExecutionPlan[Any], run_ctx: RunContext, client: Any,
        resources: Mapping[str, Mapping[str, float]],
    ) -> None:  # fmt: skip
        init = WorkerInit(
            job_loader=self.job_loader,
            instance_loader=self.instance_loader,
            run=run_ctx.run,
            run_args=self.run_args,
            skip_unchanged=run_ctx.skip_unchanged,
        )
        authkey = secrets.token_bytes(32)
        with Listener((_listen_host(self.scheduler_address or ""), 0), authkey=authkey) as lsn:
            steps = DaskSteps(client, run_ctx, init, listener=lsn, authkey=authkey,
                              resources=resources)  # fmt: skip
            workers = client.scheduler_info(n_workers=-1).get("workers", {})
            run_ctx.sink.emit(
                EventType.ENGINE_EVENT,
                f"Executing steps on the Dask cluster at {self.scheduler_address} "
                f"({len(workers)} worker{'s' if len(workers) != 1 else ''}); process "
                f"{os.getpid()} records the run, listening for step events on "
                f"{lsn.address[0]}:{lsn.address[1]}.",
                data={"scheduler": self.scheduler_address, "workers": sorted(workers)},
            )
            try:
                execute_ready_steps(plan, run_ctx, steps)
            except BaseException:
                steps.interrupt()
                raise
            finally:
                steps.close()


@contextmanager
def _client(config: DaskConfig) -> Iterator[Any]:
    """A ``distributed.Client`` of the configured cluster (a local one lives as long)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ExecutionError(
            "The Dask executor needs dask.distributed: pip install 'headwater[dask]'."
        ) from exc
    if config.address is not None:
        with Client(config.address, timeout=config.timeout,  # type: ignore[no-untyped-call]
                    set_as_default=False) as client:  # fmt: skip
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=config.n_workers, threads_per_worker=config.threads_per_worker,
            processes=config.processes, dashboard_address=None,
            # its HTTP server (health, metrics) on a free port: another cluster may hold 8787
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):  # fmt: skip
        yield client


def _connect_error(config: DaskConfig, exc: BaseException) -> ExecutionError:
    if config.address is None:
        return ExecutionError(f"Could not start a local Dask cluster: {exc}")
    return ExecutionError(
        f"The Dask scheduler at {config.address} did not answer within {config.timeout:g}s "
        f"({type(exc).__name__}: {exc}). Start it (`dask scheduler`), or fix the executor "
        "config cluster.existing.address (and timeout)."
    )


def _fail_run(run_ctx: RunContext, error: Exception, address: str | None = None) -> None:
    """The run fails before any step starts: an error ENGINE_EVENT saying why."""
    run_ctx.errors["<executor>"] = error
    data: dict[str, Any] = {"error": error_data(error)}
    if address is not None:
        data["scheduler"] = address
    run_ctx.sink.emit(EventType.ENGINE_EVENT, str(error), data=data, level=40)
    run_ctx.sink.flush()


def _listen_host(scheduler_address: str) -> str:
    """The address of this machine the cluster's workers can reach: the interface that routes
    to the scheduler (``127.0.0.1`` for a scheduler on this machine)."""
    host = scheduler_address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    if host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("inproc"):
        return "127.0.0.1"
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((host, 9))  # no packet is sent: this only picks the route
            return str(probe.getsockname()[0])
    except OSError:  # no route to it from here: this host's own address
        return socket.gethostbyname(socket.gethostname())
