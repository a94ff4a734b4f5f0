"""The in-process run driver for asset jobs: validate, record the run, execute its plan.

The instance is always given: the public entry points (:mod:`headwater.api`) resolve the default.
"""

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


def default_io_manager(resources: dict[str, Any]) -> dict[str, Any]:
    if "io_manager" not in resources:
        from headwater.declarations.io_managers.builtin import FilesystemIOManager

        resources = {**resources, "io_manager": FilesystemIOManager()}
    return resources


def run_job_in_process(
    job: Any,
    *,
    run_config: Mapping[str, Any] | None = None,
    instance: Any,
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
    from headwater.declarations.config.model import validate_run_config
    from headwater.declarations.jobs.asset_jobs import coerce_selection
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
    merged_config = merge_config(job.config, run_config)
    schemas = {step.key: step.assets_def.config_class for step in plan.steps}
    schemas.update(graph_op_config_schemas(plan))
    raw_config = dict(merged_config)
    if isinstance(raw_config.get("ops"), Mapping):
        raw_config["ops"] = flatten_op_config(raw_config["ops"])
    resource_defs = default_io_manager({**defs.resources, **(resources or {})})
    resolved = validate_run_config(
        raw_config,
        config_schemas=schemas,
        resource_schemas=resource_schemas(resource_defs),
    )

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
        hooks=getattr(job, "hooks", frozenset()),
        skip_unchanged=skip_unchanged,
    )
    stored = instance.get_run_by_id(run.run_id) or run
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


def merge_config(
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


def resource_schemas(resources: Mapping[str, Any]) -> dict[str, Any]:
    from headwater.declarations.resources.definition import resource_config_schema

    return {k: resource_config_schema(v) for k, v in resources.items()}


def asset_keys_of(assets: Iterable[Any]) -> set[AssetKey]:
    """Every key of the given definitions."""
    return {k for a in assets for k in getattr(a, "keys", ())}
