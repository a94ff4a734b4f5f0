"""Running a job in this process: validate, record the run, execute its plan, build the result.

One path for every run: a job of assets, a job of ops, or observations. What differs is only
how the plan is made (:func:`plan_job_run`); validation, the run record, the event sink, the run
driver (:func:`~headwater.execution.run.driver.execute_plan`) and the result are shared.

The instance is always given: the public entry points (:mod:`headwater.api`) resolve the default.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.errors import ExecutionError, InvalidInvocationError, UserCodeError
from headwater.events.types import EventType
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep, ObservationStep
from headwater.execution.plan.run_snapshot import RunPlanSnapshot, snapshot_of_run
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.execution.run.state import ExecutionInstance, RunContext
from headwater.keys import AssetKey

ASSET_SELECTION_TAG = "headwater/asset_selection"
PARTITION_TAG = "headwater/partition"
PARTITION_RANGE_START_TAG = "headwater/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "headwater/asset_partition_range_end"
OBSERVE_JOB_NAME = "__OBSERVE_JOB"
# Stored with the run but, as in Dagster, not among the result's events (emitted before RUN_START).
_PLANNED = EventType.ASSET_MATERIALIZATION_PLANNED


@dataclass(kw_only=True)
class RunPlan:
    """A job's plan for one run, with what validating and executing it needs.

    Attributes:
        plan: the steps, in execution order.
        config_schemas: step key (``"step.node"`` inside graphs) -> its config class.
        required_keys: resource keys the steps use (IO managers included).
        tags: run tags the plan adds (partition tags).
        asset_selection: the asset keys the run materializes or observes (``None``: op run).
        step_partitions: step key -> partitions (partitioned asset runs).
        step_keys_by_asset: asset key -> ``(step key, output name)`` producing it.
        assets_by_key / nodes / input_values: what the steps read (assets / ops).
        config_inputs: op node -> its unconnected inputs, whose values come from run config
            (added to ``input_values`` once the config is validated).
        output_aliases: ``(graph node, output)`` -> the ``(op node, output)`` it is, so that
            the result reads a nested graph's outputs by the graph's node name.
    """

    plan: ExecutionPlan[Any]
    config_schemas: dict[str, Any] = field(default_factory=dict)
    required_keys: set[str] = field(default_factory=set)
    tags: dict[str, str] = field(default_factory=dict)
    asset_selection: frozenset[AssetKey] | None = None
    step_partitions: Mapping[str, Any] = field(default_factory=dict)
    step_keys_by_asset: dict[AssetKey, tuple[str, str]] = field(default_factory=dict)
    assets_by_key: Mapping[AssetKey, Any] = field(default_factory=dict)
    nodes: Mapping[str, Any] = field(default_factory=dict)
    config_inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    input_values: Mapping[str, Any] = field(default_factory=dict)
    output_aliases: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def default_io_manager(resources: dict[str, Any]) -> dict[str, Any]:
    """``resources`` with the default IO manager as ``"io_manager"`` unless one is given: pickled
    files, as ``FilesystemIOManager()`` stores them, without importing pydantic."""
    if "io_manager" not in resources:
        from headwater.declarations.io_managers.filesystem import DefaultFilesystemIOManager

        resources = {**resources, "io_manager": DefaultFilesystemIOManager()}
    return resources


def plan_job_run(
    job: Any,
    *,
    instance: ExecutionInstance,
    op_selection: Sequence[str] | None = None,
    asset_selection: Any = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    input_values: Mapping[str, Any] | None = None,
) -> RunPlan:
    """The plan of one run of ``job`` (of assets or of ops), before anything is recorded.

    Raises:
        InvalidSelectionError: a selection names unknown assets or ops.
        InvalidInvocationError: an argument that belongs to the other kind of job.
        PartitionError: an unknown partition key.
    """
    if job.is_asset_job:
        if op_selection is not None:
            raise InvalidInvocationError(
                f"Job {job.name!r} is a job of assets: select what to run with "
                "asset_selection=, not op_selection=."
            )
        if input_values:
            raise InvalidInvocationError(
                f"Job {job.name!r} is a job of assets: input_values= applies to jobs of ops."
            )
        return _plan_asset_run(job, instance, asset_selection, partition_key, partition_key_range)
    for name, value in (
        ("asset_selection", asset_selection),
        ("partition_key", partition_key),
        ("partition_key_range", partition_key_range),
    ):
        if value is not None:
            raise InvalidInvocationError(
                f"Job {job.name!r} is a job of ops: {name}= applies to jobs of assets "
                "(partitioned op jobs are not supported yet); use op_selection= to run some "
                "of its ops."
            )
    return _plan_op_run(job, op_selection, input_values)


@dataclass(kw_only=True)
class PreparedRun:
    """A run of a job, validated and ready to record and execute (see :func:`prepare_job_run`).

    Attributes:
        run_plan: the plan.
        resource_defs: the resources the run executes with (a default ``"io_manager"`` added).
        resource_config / op_configs: validated config by resource key / by step key.
        run_config: the job's default run config with the run's own merged over it.
        tags: the run's tags (the job's, the given ones, the plan's partition tags).
    """

    run_plan: RunPlan
    resource_defs: dict[str, Any]
    resource_config: dict[str, Any]
    op_configs: dict[str, Any]
    run_config: dict[str, Any]
    tags: dict[str, str]


def prepare_job_run(
    job: Any,
    *,
    instance: ExecutionInstance,
    run_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    op_selection: Sequence[str] | None = None,
    asset_selection: Any = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    input_values: Mapping[str, Any] | None = None,
    run_plan: RunPlan | None = None,
) -> PreparedRun:
    """Plan a run of ``job`` and validate its run config, before anything is recorded.

    The same arguments give the same prepared run in any process: a multiprocess step worker
    prepares the run it takes steps of this way.

    Raises:
        InvalidConfigError: bad run config (every path listed).
        InvalidSelectionError / InvalidInvocationError / PartitionError: see
            :func:`plan_job_run`.
    """
    if run_plan is None:
        run_plan = plan_job_run(
            job, instance=instance, op_selection=op_selection, asset_selection=asset_selection,
            partition_key=partition_key, partition_key_range=partition_key_range,
            input_values=input_values,
        )  # fmt: skip
    merged_config, resource_defs, resolved = validate_job_run_config(
        job, run_plan, run_config, resources
    )
    if run_plan.config_inputs:
        from headwater.execution.plan.op_plan import config_input_key

        run_plan.input_values = {
            **run_plan.input_values,
            **{config_input_key(node, name): value
               for node, values in resolved.inputs.items() for name, value in values.items()},
        }  # fmt: skip
    return PreparedRun(
        run_plan=run_plan,
        resource_defs=resource_defs,
        resource_config={k: resolved.resource_config(k) for k in resource_defs},
        op_configs={key: resolved.op_config(key) for key in run_plan.config_schemas},
        run_config=merged_config,
        tags={**job.tags, **(tags or {}), **run_plan.tags},
    )


def run_job_in_process(
    job: Any,
    *,
    run_config: Mapping[str, Any] | None = None,
    instance: ExecutionInstance,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    op_selection: Sequence[str] | None = None,
    asset_selection: Any = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    input_values: Mapping[str, Any] | None = None,
    skip_unchanged: bool = False,
    run_id: str | None = None,
    listeners: list[Callable[..., None]] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
    run_plan: RunPlan | None = None,
    job_origin: Any = None,
    run: Any = None,
    executor: Any = None,
    keep_events: bool = True,
) -> ExecuteInProcessResult:
    """Validate, record and execute a run of ``job`` from this process.

    See :meth:`JobDefinition.execute_in_process` for the arguments; ``run_plan`` is a plan
    already made by :func:`plan_job_run` with the same selection arguments (the CLI shows it
    before running). ``job_origin`` (a ``JobOrigin``) is recorded with the run, so that it can
    be re-executed from its id. ``run`` is a run already stored (by a launch) to execute
    instead of recording a new one: its id, tags and config are the run's own. ``executor``
    runs the steps (default: in this process, one after another; see
    :mod:`headwater.execution.executors`). ``keep_events=False`` (a run worker) keeps no event
    in memory: the result's ``all_events`` is empty, the events are in storage.
    """
    if partition_key is None and partition_key_range is None and run is None and tags:
        partition_key, partition_key_range = _partition_from_tags(tags)
    prepared = prepare_job_run(
        job, instance=instance, run_config=run_config, resources=resources, tags=tags,
        op_selection=op_selection, asset_selection=asset_selection, partition_key=partition_key,
        partition_key_range=partition_key_range, input_values=input_values, run_plan=run_plan,
    )  # fmt: skip
    run_plan = prepared.run_plan
    snapshot = snapshot_of_run(
        job_name=job.name, requested_selection=asset_selection,
        planned_assets=run_plan.asset_selection, op_selection=op_selection,
        partition_key=partition_key, partition_key_range=partition_key_range,
        run_config=prepared.run_config, tags=prepared.tags,
    )  # fmt: skip
    return execute_run_plan(
        run_plan,
        job_name=job.name,
        job_def=job,
        instance=instance,
        resource_defs=prepared.resource_defs,
        resource_config=prepared.resource_config,
        op_configs=prepared.op_configs,
        run_config=prepared.run_config,
        tags=prepared.tags,
        default_retry_policy=job.op_retry_policy,
        hooks=job.hooks,
        skip_unchanged=skip_unchanged,
        raise_on_error=raise_on_error,
        run_id=run_id,
        listeners=listeners,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
        job_origin=job_origin,
        plan_snapshot=snapshot,
        run=run,
        executor=executor,
        keep_events=keep_events,
    )


def validate_job_run_config(
    job: Any,
    run_plan: RunPlan,
    run_config: Mapping[str, Any] | None,
    resources: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Validate ``run_config`` (over the job's defaults) for ``run_plan``, before any run exists.

    Returns:
        ``(merged run config, resource definitions, resolved config)``.

    Raises:
        InvalidConfigError: the config does not fit, listing every bad path.
    """
    from headwater.declarations.config.model import validate_run_config

    merged_config = merge_config(job.config, run_config)
    raw_config = dict(merged_config)
    if isinstance(raw_config.get("ops"), Mapping):
        from headwater.execution.plan.op_plan import flatten_op_config

        raw_config["ops"] = flatten_op_config(raw_config["ops"])
    resource_defs = default_io_manager({**job.resource_defs, **(resources or {})})
    resolved = validate_run_config(
        raw_config,
        config_schemas=run_plan.config_schemas,
        resource_schemas=resource_schemas(resource_defs),
        config_inputs=run_plan.config_inputs,
    )
    return merged_config, resource_defs, resolved


def observe_in_process(
    assets: Iterable[Any],
    *,
    instance: ExecutionInstance,
    resources: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = True,
) -> ExecuteInProcessResult:
    """Observe the observable source assets among ``assets`` in one run recorded in
    ``instance``: one observation step each, through the same run driver as every run (the
    public entry point is :func:`headwater.api.observe`).

    Raises:
        ExecutionError: none of ``assets`` is observable.
    """
    from headwater.declarations.assets.observable import ObservableSourceAsset

    observables = [a for a in assets if isinstance(a, ObservableSourceAsset)]
    if not observables:
        raise ExecutionError(
            "observe() got no observable source assets; declare them with @observable_source_asset."
        )
    run_plan = RunPlan(
        plan=ObservationStep.plan(observables),
        required_keys={k for a in observables for k in a.required_resource_keys},
        asset_selection=frozenset(k for a in observables for k in a.keys),
    )
    snapshot = RunPlanSnapshot(
        job_name=OBSERVE_JOB_NAME,
        asset_selection=tuple(sorted(run_plan.asset_selection or (), key=lambda k: k.path)),
        tags=dict(tags or {}),
    )
    return execute_run_plan(
        run_plan,
        job_name=OBSERVE_JOB_NAME,
        instance=instance,
        resource_defs=dict(resources or {}),
        tags=dict(tags or {}),
        raise_on_error=raise_on_error,
        plan_snapshot=snapshot,
    )


def execute_run_plan(
    run_plan: RunPlan,
    *,
    job_name: str,
    instance: ExecutionInstance,
    resource_defs: Mapping[str, Any],
    job_def: Any = None,
    resource_config: Mapping[str, Any] | None = None,
    op_configs: Mapping[str, Any] | None = None,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    default_retry_policy: Any = None,
    hooks: frozenset[Any] = frozenset(),
    skip_unchanged: bool = False,
    raise_on_error: bool = True,
    run_id: str | None = None,
    listeners: list[Callable[..., None]] | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
    job_origin: Any = None,
    plan_snapshot: RunPlanSnapshot | None = None,
    run: Any = None,
    executor: Any = None,
    keep_events: bool = True,
) -> ExecuteInProcessResult:
    """Record a run of ``run_plan`` (validated), execute it with the run driver, return the result.

    ``executor`` runs the steps (``None``: in this process, one after another).
    ``keep_events``: see :func:`run_job_in_process`.

    ``run`` is a run record already stored (a launched run, executed by its run worker): it is
    executed as it is instead of recording a new run (``run_id``, ``tags``, ``run_config``,
    ``job_origin`` and ``plan_snapshot`` are then not used).

    Raises:
        Exception: with ``raise_on_error``, after the run is recorded, the error of the first
            failed step: the user's own exception when user code raised it (as Dagster does),
            with a note naming the step, the run and every failed step.
        UserCodeError: with ``raise_on_error``, a resource failed to set up or tear down.
    """
    from headwater.execution.run.driver import execute_plan

    if run is None:
        run = instance.create_run(
            job_name=job_name,
            run_config=run_config,
            tags=dict(tags or {}),
            asset_selection=run_plan.asset_selection,
            run_id=run_id or str(uuid.uuid4()),
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
            job_origin=job_origin,
            plan_snapshot=plan_snapshot,
        )
    sink = EventSink(
        run_id=run.run_id, job_name=job_name, store=instance.store_events, listeners=listeners,
        keep_events=keep_events,
    )  # fmt: skip
    run_ctx = RunContext(
        run=run,
        instance=instance,
        sink=sink,
        op_configs=op_configs or {},
        assets_by_key=run_plan.assets_by_key,
        step_partitions=run_plan.step_partitions,
        nodes=run_plan.nodes,
        input_values=run_plan.input_values,
        skip_unchanged=skip_unchanged,
        default_retry_policy=default_retry_policy,
        hooks=hooks,
        logs_dir=instance.logs_directory,
    )
    execute_plan(
        run_plan.plan,
        run_ctx,
        resource_defs=resource_defs,
        required_keys=run_plan.required_keys,
        resource_config=resource_config or {},
        executor=executor,
    )
    stored = instance.get_run_by_id(run.run_id) or run
    result = ExecuteInProcessResult(
        run=stored,
        success=not run_ctx.errors,
        events=[e for e in sink.all_events if e.event_type is not _PLANNED],
        outputs=_result_outputs(run_plan, run_ctx.outputs),
        step_keys_by_asset=run_plan.step_keys_by_asset,
        job_def=job_def,
    )
    if raise_on_error and run_ctx.errors:
        raise _error_to_raise(run.run_id, run_ctx.errors)
    return result


def _error_to_raise(run_id: str, errors: Mapping[str, BaseException]) -> BaseException:
    """The first failed step's error: the user's exception itself when user code raised it,
    with a note saying where (a resource failure stays a ``UserCodeError`` naming the resource)."""
    step_key, error = next(iter(errors.items()))
    if step_key == "<resources>":
        return error
    original = error.original if isinstance(error, UserCodeError) else error
    failed = sorted(errors)
    others = f"; steps failed: {failed}" if len(failed) > 1 else ""
    original.add_note(f"(raised in step {step_key!r} of run {run_id}{others})")
    return original


def _plan_asset_run(
    job: Any,
    instance: ExecutionInstance,
    asset_selection: Any,
    partition_key: Any,
    partition_key_range: Any,
) -> RunPlan:
    from headwater.declarations.jobs.asset_jobs import coerce_selection
    from headwater.execution.step.checks import checks_to_run, split_check_selection

    defs = job.definitions
    keys = job.resolve_selection()
    asset_selection, check_keys = split_check_selection(asset_selection)
    if asset_selection is None and check_keys is None:
        check_keys = job.resolve_check_selection()
    if asset_selection is not None:
        graph = defs.resolve_asset_graph()
        keys = keys & frozenset(coerce_selection(asset_selection).resolve(graph))
    checks = checks_to_run(defs.asset_checks_by_key, keys, check_keys)
    plan = ExecutionPlan.build(defs.assets_by_key, keys, checks)
    schemas: dict[str, Any] = {step.key: step.assets_def.config_class for step in plan.steps}
    if any(step.assets_def.graph_def is not None for step in plan.steps):
        from headwater.execution.step.graph_asset_step import graph_op_config_schemas

        schemas.update(graph_op_config_schemas(plan))
    run_plan = RunPlan(
        plan=plan,
        config_schemas=schemas,
        required_keys=required_resource_keys(plan, defs.assets_by_key),
        tags=_partition_tags(partition_key, partition_key_range),
        asset_selection=plan.asset_keys,
        step_partitions=_resolve_partitions(
            plan, defs, partition_key, partition_key_range, instance
        ),
        step_keys_by_asset={
            k: (s.key, s.assets_def.output_names_by_key[k])
            for s in plan.steps
            for k in s.assets_def.keys
        },
        assets_by_key=defs.assets_by_key,
    )
    observables = job.resolve_observations() if asset_selection is None else []
    if observables:  # observed first: what they record feeds the data versions downstream
        run_plan.plan = ExecutionPlan([*ObservationStep.plan(observables).steps, *plan.steps])
        run_plan.required_keys |= {k for a in observables for k in a.required_resource_keys}
        run_plan.asset_selection = plan.asset_keys | {k for a in observables for k in a.keys}
    return run_plan


def _plan_op_run(
    job: Any, op_selection: Sequence[str] | None, input_values: Mapping[str, Any] | None
) -> RunPlan:
    from headwater.execution.plan.op_plan import build_op_plan, config_inputs_of, select_nodes

    nodes = job.nodes
    selected = select_nodes(nodes, op_selection)
    values = {**job.input_values, **(input_values or {})}
    missing = sorted(set(job.graph_def.input_names) - set(values))
    if missing:
        raise InvalidInvocationError(
            f"Job {job.name!r}: graph inputs {missing} have no value; pass "
            "execute_in_process(input_values={...}) or to_job(input_values={...})."
        )
    keys: set[str] = set()
    for name in selected:
        keys |= op_node_resource_keys(nodes, name)
    return RunPlan(
        plan=build_op_plan(nodes, selected),
        config_schemas={n: nodes[n].op_def.config_class for n in selected},
        required_keys=keys,
        nodes=nodes,
        input_values=values,
        config_inputs=config_inputs_of(nodes, selected),
        output_aliases={
            (graph_node, output): source
            for graph_node, outputs in job.graph_def.graph_outputs.items()
            for output, source in outputs.items()
        },
    )


def op_node_resource_keys(nodes: Mapping[str, Any], name: str) -> set[str]:
    """Resource keys the steps of op node ``name`` use, IO managers of inputs and outputs
    included."""
    op_def = nodes[name].op_def
    keys = set(op_def.required_resource_keys)
    keys |= {k for hook in nodes[name].hooks for k in hook.required_resource_keys}
    keys |= {o.io_manager_key or "io_manager" for o in op_def.outs.values()}
    for source in (u for s in nodes[name].inputs.values() for u in s.upstream()):
        out = nodes[source.node].op_def.outs[source.output]
        keys.add(out.io_manager_key or "io_manager")
    return keys


def required_resource_keys(
    plan: ExecutionPlan[ExecutionStep], assets_by_key: Mapping[AssetKey, Any]
) -> set[str]:
    """Resource keys the plan's asset steps use, IO managers of inputs and outputs included."""
    keys: set[str] = set()
    for step in plan.steps:
        keys |= asset_step_resource_keys(step, assets_by_key)
    return keys


def asset_step_resource_keys(
    step: ExecutionStep, assets_by_key: Mapping[AssetKey, Any]
) -> set[str]:
    """Resource keys one asset step uses, IO managers of its inputs and outputs included."""
    assets_def = step.assets_def
    keys = set(assets_def.required_resource_keys)
    keys |= {assets_def.io_manager_key_for(k) for k in assets_def.keys}
    for step_input in step.inputs:
        asset_in = assets_def.ins.get(step_input.name)
        if asset_in is not None and asset_in.input_manager_key:
            keys.add(asset_in.input_manager_key)
            continue
        upstream = assets_by_key.get(step_input.asset_key)
        keys.add(upstream.io_manager_key_for(step_input.asset_key) if upstream else "io_manager")
    return keys


def _result_outputs(
    run_plan: RunPlan, outputs: Mapping[tuple[str, str], Any]
) -> dict[tuple[str, str], Any]:
    """Outputs by (step key, output); a dynamic or mapped op output also as a dict under the
    node (mapping key -> value); a nested graph's outputs also under the graph's node name."""
    result = dict(outputs)
    for (stored, output), value in outputs.items():
        if stored.endswith("]"):
            node, mapping_key = stored[:-1].split("[", 1)
            if node in run_plan.nodes:
                result.setdefault((node, output), {})[mapping_key] = value
    for alias, source in run_plan.output_aliases.items():
        if source in result:
            result.setdefault(alias, result[source])
    return result


def _resolve_partitions(
    plan: ExecutionPlan[ExecutionStep],
    defs: Any,
    partition_key: Any,
    partition_key_range: Any,
    instance: ExecutionInstance,
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


def _partition_from_tags(tags: Mapping[str, str]) -> tuple[str | None, Any]:
    """The partition (key, or key range) a run's tags name, as a run tagged by a backfill or a
    user says which partitions it materializes."""
    if PARTITION_TAG in tags:
        return tags[PARTITION_TAG], None
    start, end = tags.get(PARTITION_RANGE_START_TAG), tags.get(PARTITION_RANGE_END_TAG)
    if start is not None and end is not None:
        from headwater.declarations.partitions.base import PartitionKeyRange

        return None, PartitionKeyRange(start, end)
    return None, None


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
    """``given`` run config over ``default`` (one level of sections merged; a ``RunConfig``
    object, as either, is turned into its dict first)."""
    default, given = _config_dict(default), _config_dict(given)
    out: dict[str, Any] = {
        k: dict(v) if isinstance(v, Mapping) else v for k, v in (default or {}).items()
    }
    for key, value in (given or {}).items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _config_dict(config: Any) -> Mapping[str, Any] | None:
    to_dict = getattr(config, "to_config_dict", None)
    return to_dict() if to_dict is not None else config  # type: ignore[no-any-return]


def resource_schemas(resources: Mapping[str, Any]) -> dict[str, Any]:
    """Resource key -> its config class (``None``: takes no config)."""
    from headwater.declarations.resources.definition import resource_config_schema

    return {k: resource_config_schema(v) for k, v in resources.items()}
