"""Which executor runs a run's steps: the job's executor definition, resolved for one run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.executors import DASK, MULTIPROCESS
from headwater.errors import ExecutionError


def executor_for_run(
    job: Any,
    *,
    instance: Any,
    run_args: Mapping[str, Any],
    job_loader: Callable[[], Any] | None,
    instance_loader: Callable[[], Any] | None,
    preload_modules: Sequence[str] = (),
) -> Any:
    """The executor of a run of ``job`` outside ``execute_in_process`` (``None``: in process).

    The job's executor definition is resolved with the run config's ``execution`` section;
    ``multi_or_in_process_executor`` (the default) is multiprocess when the job can be loaded
    again in other processes (``job_loader`` given) and in-process otherwise; ``dask_executor``
    gives a :class:`~headwater.execution.executors.dask.DaskExecutor`.

    Args:
        job: the ``JobDefinition``.
        instance: the run's instance (a multiprocess run needs a persistent one).
        run_args: the run's arguments (``run_config``, ``tags``, selections, partition), which
            every worker prepares the same run from; picklable.
        job_loader / instance_loader: picklable callables loading the job and opening the
            instance in a worker process (``None``: the job cannot be loaded elsewhere).
        preload_modules: modules the fork server imports once for every worker.

    Raises:
        ExecutionError: the job's executor is explicitly multiprocess (or Dask) but there is no
            ``job_loader`` (the job is not reconstructable), or the instance is ephemeral.
        DefinitionError: a multiprocess run whose IO managers keep values in memory.
        InvalidConfigError: a bad ``execution`` section in the run config.
    """
    from headwater.execution.run.in_process import merge_config

    executor_def = job.executor_def
    execution = merge_config(job.config, run_args.get("run_config")).get("execution")
    kind, config = executor_def.resolve(in_process=False, execution_config=execution)
    if kind not in (MULTIPROCESS, DASK):
        return None
    where = "worker processes" if kind == MULTIPROCESS else "Dask workers"
    if job_loader is None or instance_loader is None:
        if executor_def.name not in (MULTIPROCESS, DASK):
            return None  # the default executor: a job only this process can load runs here
        raise ExecutionError(
            f"Job {job.name!r} uses the {kind} executor, whose {where} must load "
            "the job again: pass execute_job(reconstructable(make_job), ...), where make_job is "
            "the job (or a function returning it) defined at the top level of a module."
        )
    if getattr(instance, "is_ephemeral", False):
        raise ExecutionError(
            f"Job {job.name!r} runs its steps in {where} ({kind} executor), "
            "which cannot share an ephemeral instance: use a persistent one (Instance.get(), "
            "Instance.from_path(dir), instance_for_test()), or run the job in process "
            "(executor_def=in_process_executor, or job.execute_in_process())."
        )
    job.refuse_in_memory_io_managers()
    if kind == DASK:
        from headwater.execution.executors.dask import DaskExecutor

        return DaskExecutor(job_loader=job_loader, instance_loader=instance_loader,
                            run_args=run_args, config=config)  # fmt: skip
    from headwater.execution.executors.multiprocess import MultiprocessExecutor

    return MultiprocessExecutor(
        job_loader=job_loader,
        instance_loader=instance_loader,
        run_args=run_args,
        config=config,
        preload_modules=preload_modules,
    )
