"""The body of an asset step: load inputs, call the asset function, store outputs, emit events.

Retries, capture, hooks and the step events around it are the step lifecycle's
(:mod:`headwater.execution.step.lifecycle`).
"""

from __future__ import annotations

import dataclasses
import time
from collections import ChainMap
from contextlib import suppress
from typing import Any

from headwater.declarations.assets.versions import data_version_string
from headwater.declarations.io_managers.base import InputContext, IOManager, OutputContext
from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.declarations.signature import MISSING
from headwater.declarations.types import TypeCheckContext, resolve_data_type
from headwater.errors import (
    ExecutionError,
    InvariantViolationError,
    MissingResourceError,
    TypeCheckError,
    user_code_boundary,
)
from headwater.events.records import materialization_data
from headwater.events.types import EventType
from headwater.execution.context.asset_context import AssetExecutionContext
from headwater.execution.context.check_context import context_class_for
from headwater.execution.plan.execution_plan import ExecutionStep
from headwater.execution.run.logs import StepLogger
from headwater.execution.run.state import RunContext
from headwater.execution.step.checks import emit_check_evaluations, split_check_results
from headwater.execution.step.invocation import user_kwargs
from headwater.execution.step.lifecycle import StepOutputs, StepResult, StepRun, run_step
from headwater.execution.step.outputs import (
    NO_VALUE,
    StepOutput,
    asset_outputs,
    collect_outputs,
    is_generator_function,
    iter_outputs,
)
from headwater.execution.step.versioning import provenance, unchanged_keys
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue, metadata_to_json

# A generator body's events are committed at most this often while it runs (and at its end).
_STREAM_FLUSH_SECONDS = 0.25


def _upstream_output_name(step_input: Any, upstream_def: Any) -> str:
    """The output name an input's ``upstream_output`` reports: the producing step's output
    within this run; for a value stored by an earlier run, the asset key as an identifier (as
    Dagster names the output of an asset outside the run)."""
    if step_input.upstream_step_key is None:
        return str(step_input.asset_key.to_python_identifier())
    if upstream_def is None:
        return "result"
    return str(upstream_def.output_names_by_key.get(step_input.asset_key, "result"))


def execute_step(step: ExecutionStep, run_ctx: RunContext) -> StepResult:
    """Execute ``step`` through the step lifecycle (retries, capture, hooks, events).

    A step whose code version and input data versions are unchanged is skipped instead when the
    run asks for it; a subsettable multi-asset runs for its changed assets only. Its events are
    committed before this returns.
    """
    reused: dict[AssetKey, str | None] = {}
    if run_ctx.skip_unchanged and run_ctx.partitions_of(step.key).keys is None:
        same = unchanged_keys(step, run_ctx.data_versions, run_ctx.latest_materializations)
        if same == step.assets_def.keys:
            only = next(iter(same)) if len(same) == 1 else None
            versions = _skip_unchanged(step, run_ctx, only)
            return StepResult(step_key=step.key, success=True, attempts=0,
                              outputs=StepOutputs(data_versions=versions))  # fmt: skip
        if same and step.assets_def.can_subset:
            step, reused = _without_unchanged(step, run_ctx, same)
    result = _run_lifecycle(step, run_ctx)
    if reused:
        result.outputs.data_versions.update(
            {k: v for k, v in reused.items() if k not in result.outputs.data_versions}
        )
    return result


def _without_unchanged(
    step: ExecutionStep, run_ctx: RunContext, same: frozenset[AssetKey]
) -> tuple[ExecutionStep, dict[AssetKey, str | None]]:
    """The step subsetted to its changed assets, and the reused data versions of the others
    (an ENGINE_EVENT names them)."""
    reused = {k: run_ctx.latest_materializations[k].get("data_version") for k in same}
    names = sorted(k.to_user_string() for k in same)
    run_ctx.sink.emit(
        EventType.ENGINE_EVENT,
        f"Step {step.key!r} reuses the stored value of {len(names)} unchanged asset(s) "
        f"{names}: their code versions and input data versions are those of their latest "
        "materialization.",
        step_key=step.key,
        data={"reason": "unchanged", "reused": names},
    )
    subset = step.assets_def.subset_for(step.assets_def.keys - same)
    return dataclasses.replace(step, assets_def=subset), reused


def _run_lifecycle(step: ExecutionStep, run_ctx: RunContext) -> StepResult:
    assets_def = step.assets_def
    # Step events of a single-asset step carry its key (the asset index notes failures by it).
    only_key = next(iter(assets_def.keys)) if len(assets_def.keys) == 1 else None
    lifecycle = StepRun(
        key=step.key,
        sink=run_ctx.sink,
        run=run_ctx.run,
        instance=run_ctx.instance,
        resources=run_ctx.resources,
        logs_dir=run_ctx.logs_dir,
        retry_policy=assets_def.retry_policy or run_ctx.default_retry_policy,
        asset_key=only_key,
        partition=run_ctx.partitions_of(step.key).single_key,
        hooks=run_ctx.hooks,
        node_name=step.key,
        pool=assets_def.pool,
    )
    return run_step(
        lifecycle, lambda log, attempt: _run_step_body(step, run_ctx, log, attempt)
    )


def _skip_unchanged(
    step: ExecutionStep, run_ctx: RunContext, only_key: AssetKey | None
) -> dict[AssetKey, str | None]:
    """Emit STEP_SKIPPED (reason "unchanged"); return the reused data versions."""
    versions = {
        key: run_ctx.latest_materializations[key].get("data_version")
        for key in step.assets_def.keys
    }
    run_ctx.sink.emit(
        EventType.STEP_SKIPPED,
        f"Skipped step {step.key!r}: its code version and input data versions are those of its "
        "latest materialization, whose stored value is reused.",
        step_key=step.key,
        asset_key=only_key,
        data={"reason": "unchanged",
              "data_versions": {k.to_user_string(): v for k, v in versions.items()}},
    )  # fmt: skip
    run_ctx.sink.flush()
    return versions


def _io_manager(run_ctx: RunContext, key: str, where: str) -> IOManager:
    resources = run_ctx.resources
    manager = resources.get(key)
    if manager is None:
        raise MissingResourceError(
            f"{where} needs the IO manager resource {key!r}, which is not provided. Add it to "
            f"Definitions(resources={{{key!r}: ...}})."
        )
    return manager  # type: ignore[no-any-return]


def _load_inputs(step: ExecutionStep, run_ctx: RunContext) -> dict[str, Any]:
    values: dict[str, Any] = {}
    parts = run_ctx.partitions_of(step.key)
    assets_def = step.assets_def
    params = assets_def.params
    for step_input in step.inputs:
        upstream_def = run_ctx.assets_by_key.get(step_input.asset_key)
        upstream_keys = parts.input_keys.get(step_input.name) or ()
        asset_in = assets_def.ins.get(step_input.name)
        manager_key = (
            asset_in.input_manager_key
            if asset_in is not None and asset_in.input_manager_key
            else (
                upstream_def.io_manager_key_for(step_input.asset_key)
                if upstream_def
                else "io_manager"
            )
        )
        where = f"input {step_input.name!r} of step {step.key!r}"
        manager = _io_manager(run_ctx, manager_key, where)
        upstream_ctx = OutputContext(
            name=_upstream_output_name(step_input, upstream_def),
            asset_key=step_input.asset_key,
            definition_metadata=upstream_def.spec_for(step_input.asset_key).metadata
            if upstream_def
            else {},
            step_key=step_input.upstream_step_key,
            run_id=run_ctx.run.run_id,
            partition_key=upstream_keys[0] if len(upstream_keys) == 1 else None,
            resources=run_ctx.resources,
            instance=run_ctx.instance,
            asset_partition_keys=upstream_keys,
            partitions_def=parts.input_defs.get(step_input.name),
        )
        context = InputContext(
            name=step_input.name,
            asset_key=step_input.asset_key,
            metadata=asset_in.metadata if asset_in is not None else {},
            upstream_output=upstream_ctx,
            partition_key=parts.single_key,
            dagster_type=params.annotations.get(step_input.name) if params else None,
            resources=run_ctx.resources,
            instance=run_ctx.instance,
            asset_partition_keys=upstream_keys,
            partitions_def=parts.input_defs.get(step_input.name),
        )
        with user_code_boundary(
            f"loading input {step_input.name!r} (asset "
            f"{step_input.asset_key.to_user_string()!r}) with IO manager {manager_key!r}"
        ):
            values[step_input.name] = manager.load_input(context)
        run_ctx.sink.emit(
            EventType.LOADED_INPUT,
            f"Loaded input {step_input.name!r} using input manager {manager_key!r}.",
            step_key=step.key,
            asset_key=step_input.asset_key,
            data={"input_name": step_input.name, "manager_key": manager_key},
        )
        declared = asset_in.dagster_type if asset_in is not None else None
        if declared is None and params is not None:
            declared = params.annotations.get(step_input.name)
        checked = _type_check(
            run_ctx, step.key, declared, values[step_input.name],
            f"Input {step_input.name!r} of step {step.key!r}",
        )  # fmt: skip
        run_ctx.sink.emit(
            EventType.STEP_INPUT,
            f"Got input {step_input.name!r}.",
            step_key=step.key,
            data={"input_name": step_input.name, **checked},
        )
    return values


def _type_check(
    run_ctx: RunContext, step_key: str, declared: Any, value: Any, where: str
) -> dict[str, Any]:
    """Check ``value`` against a declared type; ``{"type_check": {...}}`` for the event data.

    Raises:
        TypeCheckError: the check failed (with its description and metadata).
    """
    data_type = resolve_data_type(declared)
    if data_type is None or value is NO_VALUE:
        return {}
    context = TypeCheckContext(
        run_id=run_ctx.run.run_id, step_key=step_key, resources=run_ctx.resources,
        log=StepLogger(run_ctx.sink, step_key),
    )  # fmt: skip
    result = data_type.type_check(context, value)
    if not result.success:
        error = TypeCheckError(
            f"{where} failed its type check {data_type.name!r}: "
            f"{result.description or 'the value does not have the type'}"
        )
        error.metadata = dict(result.metadata)
        raise error
    return {"type_check": {"name": data_type.name, "success": True,
                           "description": result.description,
                           "metadata": metadata_to_json(result.metadata)}}  # fmt: skip


def _run_step_body(
    step: ExecutionStep, run_ctx: RunContext, log: StepLogger, attempt: int = 0
) -> StepOutputs:
    assets_def = step.assets_def
    params = assets_def.params
    if params is None or assets_def.compute_fn is None:
        raise ExecutionError(f"Step {step.key!r} has no function to execute.")
    inputs = _load_inputs(step, run_ctx)
    op_config = run_ctx.op_configs.get(step.key)
    context = context_class_for(assets_def)(
        run_id=run_ctx.run.run_id,
        job_name=run_ctx.run.job_name,
        step_key=step.key,
        assets_def=assets_def,
        resources=run_ctx.resources,
        instance=run_ctx.instance,
        log=log,
        op_config=_config_dict(op_config),
        partitions=run_ctx.partitions_of(step.key),
        run=run_ctx.run,
        retry_number=attempt,
        run_tags=run_ctx.run.tags,
    )
    kwargs = user_kwargs(
        params, inputs=inputs, resources=run_ctx.resources, config=op_config, context=context
    )
    logged: list[Any] = []
    produced = StepOutputs()
    try:
        if assets_def.graph_def is not None:
            from headwater.execution.step.graph_asset_step import run_graph

            graph = assets_def.graph_def
            selected = context.selected_output_names if assets_def.can_subset else None
            result = run_graph(step.key, graph, kwargs, run_ctx, log, attempt, logged, selected)
            for out in collect_outputs(asset_outputs(assets_def), result, logged):
                _handle_output(step, run_ctx, context, out, produced)
        else:
            _stream_outputs(step, run_ctx, context, kwargs, logged, produced)
    except BaseException:
        # What the body produced before it failed stays recorded: its outputs were handled
        # as they came, and the events and check results it logged are emitted now.
        with suppress(ExecutionError):
            _emit_logged(step, run_ctx, context, logged, failed=True)
        raise
    _emit_logged(step, run_ctx, context, logged, failed=False)
    return produced


def _stream_outputs(
    step: ExecutionStep,
    run_ctx: RunContext,
    context: AssetExecutionContext,
    kwargs: dict[str, Any],
    logged: list[Any],
    produced: StepOutputs,
) -> None:
    """Call the asset function and store each output as it comes.

    A generator's outputs are stored and recorded as it yields them (its events committed at
    most every ``_STREAM_FLUSH_SECONDS``), so a long body such as a dbt build shows each
    materialization while it runs, and keeps those it finished if it fails later.
    """
    assets_def = step.assets_def
    streaming = is_generator_function(assets_def.compute_fn)
    last_flush = time.monotonic()
    with user_code_boundary(f"asset function of step {step.key!r}"):
        result = assets_def.compute_fn(**kwargs)  # type: ignore[misc]
        for out in iter_outputs(asset_outputs(assets_def), result, logged):
            _handle_output(step, run_ctx, context, out, produced)
            if streaming and time.monotonic() - last_flush > _STREAM_FLUSH_SECONDS:
                run_ctx.sink.flush()
                last_flush = time.monotonic()


def _emit_logged(
    step: ExecutionStep,
    run_ctx: RunContext,
    context: AssetExecutionContext,
    logged: list[Any],
    *,
    failed: bool,
) -> None:
    """Emit the events and check results the body logged or yielded.

    After a failure only the checks that have a result are recorded (and nothing raises for
    the others); a subsettable multi-asset records the checks it ran.
    """
    assets_def = step.assets_def
    check_results, events = split_check_results(logged)
    for event in [*context.logged_events, *events]:
        _emit_logged_event(step, run_ctx, event)
    if assets_def.check_specs and (check_results or not failed):
        emit_check_evaluations(
            step.key, assets_def, run_ctx, check_results,
            partial=assets_def.can_subset, failed=failed,
        )  # fmt: skip
    elif check_results and not failed:
        raise ExecutionError(
            f"Step {step.key!r} produced an AssetCheckResult but declares no checks; add "
            "check_specs=[AssetCheckSpec(...)] to the asset or use @asset_check."
        )


def _handle_output(
    step: ExecutionStep,
    run_ctx: RunContext,
    context: AssetExecutionContext,
    out: StepOutput,
    produced: StepOutputs,
) -> None:
    assets_def = step.assets_def
    asset_key = out.asset_key
    if asset_key is None:
        raise InvariantViolationError(f"Output {out.output_name!r} of {step.key!r} has no asset.")
    params = assets_def.params
    annotation = params.return_annotation if params is not None else MISSING
    is_generator = is_generator_function(assets_def.compute_fn)
    where = f"Asset {asset_key.to_user_string()!r} (step {step.key!r})"
    parts = run_ctx.partitions_of(step.key)
    declared = assets_def.dagster_types.get(out.output_name)
    if declared is None and len(assets_def.all_keys) == 1 and not is_generator:
        if annotation is None and out.value is None:
            out.value = NO_VALUE  # annotated -> None: nothing to store
        declared = annotation if annotation is not MISSING else None
    checked = _type_check(run_ctx, step.key, declared, out.value, where)
    sink = run_ctx.sink
    sink.emit(
        EventType.STEP_OUTPUT,
        f"Yielded output {out.output_name!r}.",
        step_key=step.key,
        asset_key=asset_key,
        data={"output_name": out.output_name, **checked},
    )
    metadata: dict[str, MetadataValue] = {
        **out.metadata,
        **context.output_metadata_for(asset_key),
    }
    if out.value is not NO_VALUE:
        manager_key = assets_def.io_manager_keys.get(out.output_name, "io_manager")
        manager = _io_manager(run_ctx, manager_key, where)
        output_ctx = OutputContext(
            name=out.output_name,
            asset_key=asset_key,
            definition_metadata=assets_def.spec_for(asset_key).metadata,
            step_key=step.key,
            run_id=run_ctx.run.run_id,
            partition_key=parts.single_key,
            dagster_type=annotation if annotation is not MISSING else None,
            resources=run_ctx.resources,
            instance=run_ctx.instance,
            asset_partition_keys=parts.keys or (),
            partitions_def=parts.partitions_def,
            log=context.log,  # type: ignore[arg-type]
        )
        with user_code_boundary(
            f"storing the output of asset {asset_key.to_user_string()!r} with IO manager "
            f"{manager_key!r}"
        ):
            manager.handle_output(output_ctx, out.value)
        metadata.update(output_ctx.output_metadata)
        produced.add(step.key, out.output_name, out.value)
    spec = assets_def.spec_for(asset_key)
    versions = provenance(
        step, asset_key, ChainMap(produced.data_versions, run_ctx.data_versions),
        run_ctx.run.run_id, data_version_string(out.data_version),
    )  # fmt: skip
    produced.data_versions[asset_key] = versions["data_version"]
    # One materialization per partition (a single-run range materializes several).
    for partition in parts.keys if parts.keys is not None else (None,):
        materialization = AssetMaterialization(
            asset_key=asset_key, metadata=metadata, partition=partition, tags=out.tags
        )
        data = materialization_data(materialization)
        if spec.code_version is not None:
            data["code_version"] = spec.code_version
        data.update(versions)
        sink.emit(
            EventType.ASSET_MATERIALIZATION,
            f"Materialized value {asset_key.to_user_string()}"
            + (f" partition {partition}." if partition is not None else "."),
            step_key=step.key,
            asset_key=asset_key,
            partition=partition,
            data=data,
        )
    if out.value is not NO_VALUE:
        # After the materialization it describes, as Dagster orders them.
        sink.emit(
            EventType.HANDLED_OUTPUT,
            f"Handled output {out.output_name!r} using IO manager {manager_key!r}.",
            step_key=step.key,
            asset_key=asset_key,
            data={
                "output_name": out.output_name,
                "manager_key": manager_key,
                "metadata": metadata_to_json(output_ctx.output_metadata),
            },
        )


def _emit_logged_event(
    step: ExecutionStep, run_ctx: RunContext, event: AssetMaterialization | AssetObservation
) -> None:
    kind = (
        EventType.ASSET_MATERIALIZATION
        if isinstance(event, AssetMaterialization)
        else EventType.ASSET_OBSERVATION
    )
    run_ctx.sink.emit(
        kind,
        f"{'Materialized' if kind is EventType.ASSET_MATERIALIZATION else 'Observed'} "
        f"{event.asset_key.to_user_string()}.",
        step_key=step.key,
        asset_key=event.asset_key,
        partition=event.partition or run_ctx.partitions_of(step.key).single_key,
        data=materialization_data(event),
    )


def _config_dict(op_config: Any) -> Any:
    dump = getattr(op_config, "model_dump", None)
    return dump() if dump is not None else op_config
