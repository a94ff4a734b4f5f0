"""The public entry points that run work in this process: ``materialize``, ``observe``, ...

These are the only functions of the library core that resolve a default instance (an ephemeral
in-memory one, or ``Instance.get()`` for reading stored values); everything below them takes
the instance it works with. ``JobDefinition.execute_in_process`` and
``Definitions.load_asset_value`` reach here through ``headwater.declarations._seam``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from headwater.execution.run.in_process import (
    default_io_manager,
    observe_in_process,
    run_job_in_process,
)
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.execution.run.values import load_stored_value
from headwater.instance.instance import Instance
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.execution.executors.job_result import ExecuteJobResult


@contextmanager
def _instance_or_ephemeral(instance: Instance | None) -> Iterator[Instance]:
    """``instance``, or a fresh ephemeral instance disposed of afterwards."""
    if instance is not None:
        yield instance
        return
    ephemeral = Instance.ephemeral()
    try:
        yield ephemeral
    finally:
        ephemeral.dispose()


def execute_job_in_process(
    job: Any, *, instance: Instance | None = None, **kwargs: Any
) -> ExecuteInProcessResult:
    """Run a job, of assets or of ops, in this process (see ``JobDefinition.execute_in_process``;
    default instance: an ephemeral one, disposed of afterwards)."""
    with _instance_or_ephemeral(instance) as resolved:
        return run_job_in_process(job, instance=resolved, **kwargs)


def load_asset_value(
    defs: Any, key: AssetKey, *, instance: Instance | None = None, partition_key: str | None = None
) -> Any:
    """Load ``key``'s stored value (see ``Definitions.load_asset_value``); default instance:
    ``Instance.get()``, the one under ``HEADWATER_HOME``."""
    if instance is not None:
        return load_stored_value(defs, key, instance=instance, partition_key=partition_key)
    resolved = Instance.get()
    try:
        return load_stored_value(defs, key, instance=resolved, partition_key=partition_key)
    finally:
        resolved.dispose()


def observe(
    assets: Iterable[Any],
    *,
    instance: Instance | None = None,
    resources: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = True,
) -> ExecuteInProcessResult:
    """Observe the observable source assets among ``assets`` in one run.

    Each observation function's result becomes an ASSET_OBSERVATION event with its data version
    and metadata (other assets in the list are ignored).

    Args:
        assets: asset definitions; the ``observable_source_asset`` ones are observed.
        instance: where to record the run (default: an ephemeral instance).
        resources: resources the observation functions use.
        tags: run tags.
        raise_on_error: raise the first error after the run is recorded.

    Returns:
        An :class:`ExecuteInProcessResult`; ``get_asset_observation_events()`` lists the
        observations.

    Raises:
        ExecutionError: none of ``assets`` is observable.
    """
    with _instance_or_ephemeral(instance) as resolved:
        return observe_in_process(
            assets, instance=resolved, resources=resources, tags=tags, raise_on_error=raise_on_error
        )


def materialize(
    assets: Iterable[Any],
    selection: Any = None,
    *,
    resources: Mapping[str, Any] | None = None,
    run_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    tags: Mapping[str, str] | None = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    raise_on_error: bool = True,
    skip_unchanged: bool = False,
    listeners: list[Callable[..., None]] | None = None,
) -> ExecuteInProcessResult:
    """Materialize assets in this process.

    Args:
        assets: asset definitions (and ``AssetSpec`` external assets) to consider; only
            executable ones are materialized.
        selection: what to materialize among them: an ``AssetSelection``, a selection string
            (``"raw_flights+"``), or keys/assets. Default: all of ``assets``.
        resources: resource key -> resource; ``"io_manager"`` defaults to a
            ``FilesystemIOManager`` under the instance.
        run_config: ``{"ops": {asset_name: {"config": {...}}}}``, validated before anything runs.
        instance: where to record the run (default: an ephemeral in-memory instance).
        tags: run tags.
        partition_key: the partition to materialize.
        partition_key_range: a ``PartitionKeyRange`` to materialize in this one run instead
            (every partitioned asset gets all the partitions of the range in one step).
        skip_unchanged: skip a step whose code version and input data versions equal those of
            its latest materialization (its stored value is reused; the step is recorded as
            STEP_SKIPPED with reason "unchanged"). Assets without a code_version always run.
        raise_on_error: raise the step's error if a step fails (after the run is recorded).
        listeners: callables receiving each event as it happens.

    Returns:
        An :class:`ExecuteInProcessResult` (``success``, ``output_for_node``, ``all_events``...).

    Raises:
        DefinitionError: the assets are inconsistent (duplicate keys, cycles, missing resources).
        InvalidConfigError / InvalidSelectionError: before anything runs.
        UserCodeError: with ``raise_on_error``, the error of the failed step.

    Example:
        >>> from headwater import asset, materialize
        >>> @asset
        ... def one() -> int:
        ...     return 1
        >>> materialize([one]).output_for_node("one")
        1
    """
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.jobs.asset_jobs import EPHEMERAL_ASSET_JOB_NAME
    from headwater.declarations.jobs.definition import JobDefinition

    defs = Definitions(assets=list(assets), resources=default_io_manager(dict(resources or {})))
    job = JobDefinition.for_definitions(defs, name=EPHEMERAL_ASSET_JOB_NAME)
    return execute_job_in_process(
        job,
        run_config=run_config,
        instance=instance,
        tags=tags,
        asset_selection=selection,
        partition_key=partition_key,
        partition_key_range=partition_key_range,
        raise_on_error=raise_on_error,
        skip_unchanged=skip_unchanged,
        listeners=listeners,
    )


def materialize_to_memory(
    assets: Iterable[Any],
    selection: Any = None,
    *,
    resources: Mapping[str, Any] | None = None,
    run_config: Mapping[str, Any] | None = None,
    instance: Instance | None = None,
    tags: Mapping[str, str] | None = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    raise_on_error: bool = True,
    skip_unchanged: bool = False,
) -> ExecuteInProcessResult:
    """Like :func:`materialize`, but every IO manager is replaced by an ``InMemoryIOManager``.

    Raises:
        DefinitionError: a resource given in ``resources`` is itself an IO manager (it would be
            replaced silently otherwise).
    """
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.io_managers.base import IOManager
    from headwater.declarations.io_managers.builtin import InMemoryIOManager
    from headwater.errors import DefinitionError

    assets = list(assets)
    given = dict(resources or {})
    for key, value in given.items():
        if isinstance(value, IOManager):
            raise DefinitionError(
                f"materialize_to_memory replaces every IO manager, but resource {key!r} is an IO "
                "manager; remove it or use materialize()."
            )
    probe = Definitions(assets=assets, resources=default_io_manager({}) | _all_io_keys(assets))
    memory = InMemoryIOManager()
    io_keys = {k: memory for k in _io_manager_keys(probe)}
    return materialize(
        assets,
        selection,
        resources={**given, **io_keys},
        run_config=run_config,
        instance=instance,
        tags=tags,
        partition_key=partition_key,
        partition_key_range=partition_key_range,
        raise_on_error=raise_on_error,
        skip_unchanged=skip_unchanged,
    )




def execute_job(
    job: Any,
    instance: Instance,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    op_selection: Sequence[str] | None = None,
    reexecution_options: Any = None,
    asset_selection: Sequence[AssetKey] | None = None,
) -> ExecuteJobResult:
    """Execute a job with its executor, or re-execute a past run of it.

    A :func:`reconstructable` job runs with its executor (``executor_def`` of the job, else of
    its ``Definitions``, else ``multi_or_in_process_executor``, which is multiprocess here): its
    steps run in a pool of worker processes, which need a persistent instance and IO managers
    that store values outside the process. A plain ``JobDefinition`` (not reconstructable)
    runs in this process, unless its executor is explicitly multiprocess (an error: worker
    processes could not load it).

    Args:
        job: ``reconstructable(make_job)``, or a ``JobDefinition``.
        instance: where the run is recorded (a persistent one for a multiprocess run).
        run_config: run config; ``{"execution": {"config": {...}}}`` configures the executor
            (a re-execution reuses the parent's run config unless given).
        tags: run tags.
        raise_on_error: raise the first step error after the run is recorded.
        op_selection: the ops to run, a job of ops.
        reexecution_options: re-execute this past run (``ReexecutionOptions``).
        asset_selection: the asset keys to run, a job of assets.

    Returns:
        An :class:`~headwater.execution.executors.job_result.ExecuteJobResult` (also a context
        manager); ``output_for_node`` loads values stored by worker processes.

    Raises:
        ExecutionError: a multiprocess run with an ephemeral instance or a job that is not
            reconstructable; a parent run that cannot be re-executed.
        DefinitionError: a multiprocess run with an in-memory IO manager.
        InvalidConfigError / InvalidSelectionError: before anything runs.

    Example:
        >>> # in a module: @job(executor_def=multiprocess_executor) def nightly(): ...
        >>> # with execute_job(reconstructable(nightly), instance=Instance.get()) as result:
        >>> #     result.success
    """
    from headwater.execution.executors.job_result import ExecuteJobResult
    from headwater.execution.executors.reconstructable import ReconstructableJob

    recon = job if isinstance(job, ReconstructableJob) else None
    job_def = recon.get_definition() if recon is not None else job
    args: dict[str, Any] = {"run_config": run_config, "tags": tags, "op_selection": op_selection,
                            "asset_selection": asset_selection}  # fmt: skip
    parent_ids: dict[str, Any] = {}
    if reexecution_options is not None:
        from headwater.orchestration.reexecution import reexecution_arguments

        args = reexecution_arguments(job_def, instance, reexecution_options, run_config, tags)
        parent_ids = {k: args.pop(k) for k in ("parent_run_id", "root_run_id", "job_origin")}
    args = {k: v for k, v in args.items() if v is not None}
    executor = _executor_for(job_def, recon, instance, args)
    result = run_job_in_process(
        job_def, instance=instance, raise_on_error=raise_on_error, executor=executor,
        **args, **parent_ids,
    )  # fmt: skip
    return ExecuteJobResult(result, instance=instance)


def _executor_for(job: Any, recon: Any, instance: Instance, args: Mapping[str, Any]) -> Any:
    """The executor of a run of ``job`` by ``execute_job`` (``None``: in this process)."""
    import functools

    from headwater.execution.executors.resolve import executor_for_run

    return executor_for_run(
        job,
        instance=instance,
        run_args=args,
        job_loader=recon,
        instance_loader=None if recon is None else functools.partial(
            Instance.from_path, str(instance.root_directory)
        ),
        preload_modules=("headwater.instance.instance", "headwater.storage.sqlite"),
    )


def _io_manager_keys(defs: Any) -> set[str]:
    keys = {"io_manager"}
    for assets_def in defs.assets_by_key.values():
        keys |= set(assets_def.io_manager_keys.values())
    return keys


def _all_io_keys(assets: list[Any]) -> dict[str, Any]:
    placeholder: dict[str, Any] = {}
    for item in assets:
        for key in getattr(item, "io_manager_keys", {}).values():
            placeholder[key] = None
        for key in getattr(item, "required_resource_keys", ()):
            placeholder[key] = None
    return placeholder
