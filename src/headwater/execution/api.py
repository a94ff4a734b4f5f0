"""``materialize``, ``materialize_to_memory`` and the shared in-process run driver."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from headwater.errors import RunFailedError
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.keys import AssetKey

ASSET_SELECTION_TAG = "headwater/asset_selection"


def _default_io_manager(resources: dict[str, Any]) -> dict[str, Any]:
    if "io_manager" not in resources:
        from headwater.definitions.io_managers.builtin import FilesystemIOManager

        resources = {**resources, "io_manager": FilesystemIOManager()}
    return resources


def run_job_in_process(
    job: Any,
    *,
    run_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    asset_selection: Any = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    skip_unchanged: bool = False,
    run_id: str | None = None,
    listeners: list[Callable[..., None]] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Validate, record and execute a run of ``job`` in this process.

    See :meth:`JobDefinition.execute_in_process` for the arguments.
    """
    from headwater.definitions.config.model import validate_run_config
    from headwater.definitions.jobs.asset_jobs import coerce_selection
    from headwater.execution.plan.op_plan import flatten_op_config
    from headwater.execution.step.checks import checks_to_run, split_check_selection
    from headwater.execution.step.graph_asset_step import graph_op_config_schemas

    defs = job.definitions
    keys = job.resolve_selection()
    asset_selection, check_keys = split_check_selection(asset_selection)
    if asset_selection is not None:
        graph = defs.resolve_asset_graph()
        keys = keys & frozenset(coerce_selection(asset_selection).resolve(graph))
    checks = checks_to_run(defs.asset_checks_by_key, keys, check_keys)
    plan = ExecutionPlan.build(defs.assets_by_key, keys, checks)
    merged_config = _merge_config(job.config, run_config)
    schemas = {
        step.key: (
            step.assets_def.params.config_param[1]
            if step.assets_def.params and step.assets_def.params.config_param
            else None
        )
        for step in plan.steps
    }
    schemas.update(graph_op_config_schemas(plan))
    raw_config = dict(merged_config)
    if isinstance(raw_config.get("ops"), Mapping):
        raw_config["ops"] = flatten_op_config(raw_config["ops"])
    resource_defs = _default_io_manager({**defs.resources, **(resources or {})})
    resolved = validate_run_config(
        raw_config,
        config_schemas=schemas,
        resource_schemas=_resource_schemas(resource_defs),
    )

    owns_instance = instance is None
    if instance is None:
        from headwater.instance.instance import Instance

        instance = Instance.ephemeral()
    try:
        step_partitions = _resolve_partitions(
            plan, defs, partition_key, partition_key_range, instance
        )
        run = instance.create_run(
            job_name=job.name,
            run_config=merged_config,
            tags={
                **job.tags,
                **(tags or {}),
                **_partition_tags(partition_key, partition_key_range),
            },
            asset_selection=frozenset(plan.asset_keys),
            run_id=run_id or str(uuid.uuid4()),
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
        )
        sink = EventSink(
            run_id=run.run_id, job_name=job.name, store=instance.store_events, listeners=listeners
        )
        from headwater.execution.run.driver import execute_plan

        run_ctx = execute_plan(
            plan,
            run=run,
            instance=instance,
            sink=sink,
            resource_defs=resource_defs,
            resource_config={k: resolved.resource_config(k) for k in resource_defs},
            op_configs={key: resolved.op_config(key) for key in schemas},
            assets_by_key=defs.assets_by_key,
            step_partitions=step_partitions,
            default_retry_policy=getattr(job, "op_retry_policy", None),
            skip_unchanged=skip_unchanged,
        )
        stored = instance.get_run_by_id(run.run_id) or run
    finally:
        if owns_instance:
            instance.dispose()
    result = ExecuteInProcessResult(
        run=stored,
        success=not run_ctx.errors,
        events=sink.all_events,
        outputs=run_ctx.outputs,
        step_keys_by_asset={
            k: (s.key, s.assets_def.output_names_by_key[k])
            for s in plan.steps
            for k in s.assets_def.keys
        },
    )
    if raise_on_error and run_ctx.errors:
        step_key, error = next(iter(run_ctx.errors.items()))
        if len(run_ctx.errors) == 1:
            raise error
        raise RunFailedError(
            f"Run {run.run_id} failed in steps {sorted(run_ctx.errors)}; first error in "
            f"{step_key!r}: {error}"
        ) from error
    return result


PARTITION_TAG = "headwater/partition"
PARTITION_RANGE_START_TAG = "headwater/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "headwater/asset_partition_range_end"


def _resolve_partitions(
    plan: ExecutionPlan[ExecutionStep],
    defs: Any,
    partition_key: Any,
    partition_key_range: Any,
    instance: Any,
) -> dict[str, Any]:
    assets_by_key = defs.assets_by_key
    partitioned = any(
        step.assets_def.partitions_def is not None
        or any(
            getattr(assets_by_key.get(i.asset_key), "partitions_def", None) is not None
            for i in step.inputs
        )
        for step in plan.steps
    )
    if partition_key is None and partition_key_range is None and not partitioned:
        return {}  # nothing partitioned: skip the partitions machinery entirely
    from headwater.execution.plan.partitions import resolve_step_partitions

    return resolve_step_partitions(
        plan,
        defs.assets_by_key,
        partition_key=str(partition_key) if partition_key is not None else None,
        partition_key_range=partition_key_range,
        dynamic_partitions_store=instance,
    )


def _partition_tags(partition_key: Any, partition_key_range: Any) -> dict[str, str]:
    if partition_key is not None:
        return {PARTITION_TAG: str(partition_key)}
    if partition_key_range is not None:
        return {
            PARTITION_RANGE_START_TAG: partition_key_range.start,
            PARTITION_RANGE_END_TAG: partition_key_range.end,
        }
    return {}


def _merge_config(
    default: Mapping[str, Any] | None, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    to_dict = getattr(given, "to_config_dict", None)
    if to_dict is not None:
        given = to_dict()  # a RunConfig object
    out: dict[str, Any] = {
        k: dict(v) if isinstance(v, Mapping) else v for k, v in (default or {}).items()
    }
    for key, value in (given or {}).items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _resource_schemas(resources: Mapping[str, Any]) -> dict[str, Any]:
    from headwater.definitions.resources.definition import resource_config_schema

    return {k: resource_config_schema(v) for k, v in resources.items()}


def materialize(
    assets: Iterable[Any],
    selection: Any = None,
    *,
    resources: Mapping[str, Any] | None = None,
    run_config: Mapping[str, Any] | None = None,
    instance: Any = None,
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
    from headwater.definitions.definitions import Definitions

    defs = Definitions(assets=list(assets), resources=_default_io_manager(dict(resources or {})))
    job = defs.get_implicit_global_asset_job_def()
    return run_job_in_process(
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
    instance: Any = None,
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
    from headwater.definitions.definitions import Definitions
    from headwater.definitions.io_managers.base import IOManager
    from headwater.definitions.io_managers.builtin import InMemoryIOManager
    from headwater.errors import DefinitionError

    assets = list(assets)
    given = dict(resources or {})
    for key, value in given.items():
        if isinstance(value, IOManager):
            raise DefinitionError(
                f"materialize_to_memory replaces every IO manager, but resource {key!r} is an IO "
                "manager; remove it or use materialize()."
            )
    probe = Definitions(assets=assets, resources=_default_io_manager({}) | _all_io_keys(assets))
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


def asset_keys_of(assets: Iterable[Any]) -> set[AssetKey]:
    """Every key of the given definitions."""
    return {k for a in assets for k in getattr(a, "keys", ())}
