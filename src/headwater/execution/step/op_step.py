"""The body of an op step: inputs via IO managers, the op in its error boundary, outputs.

Retries, capture, hooks and step events are the step lifecycle's (``step/lifecycle.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.declarations.io_managers.base import InputContext, OutputContext
from headwater.declarations.ops.definition import OpDefinition
from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.declarations.signature import MISSING
from headwater.errors import user_code_boundary
from headwater.events.records import materialization_data
from headwater.events.types import EventType
from headwater.execution.context.asset_context import AssetExecutionContext
from headwater.execution.plan.op_plan import OpStep, OpStepInput, emit_op_step_skipped
from headwater.execution.run.logs import StepLogger
from headwater.execution.run.state import RunContext
from headwater.execution.step.asset_step import _config_dict, _io_manager, _type_check
from headwater.execution.step.invocation import user_kwargs
from headwater.execution.step.lifecycle import StepOutputs, StepResult, StepRun, run_step
from headwater.execution.step.outputs import (
    collect_outputs,
    is_generator_function,
    op_outputs,
    reject_check_results,
)
from headwater.metadata import metadata_to_json


class OpContext(AssetExecutionContext):
    """The context of an op: ``op_config``, ``op_def``, ``mapping_key``, ``log``, ``resources``."""

    __slots__ = ("_selected_outputs", "mapping_key", "op_def")

    def __init__(
        self,
        *,
        op_def: Any,
        mapping_key: str | None,
        selected_outputs: frozenset[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(assets_def=None, **kwargs)
        self.op_def = op_def
        self.mapping_key = mapping_key
        self._selected_outputs = selected_outputs

    @property
    def selected_output_names(self) -> frozenset[str]:
        """The outputs the op should produce: all of them, except inside a subset run of a
        ``graph_multi_asset(can_subset=True)`` (those its selected assets need)."""
        if self._selected_outputs is not None:
            return self._selected_outputs
        return frozenset(self.op_def.outs)

    @property
    def op_handle(self) -> str:
        """The node name of the op."""
        return self.step_key.split("[", 1)[0]


def execute_op_step(step: OpStep, run_ctx: RunContext) -> StepResult | None:
    """Execute ``step`` through the step lifecycle; ``None`` when it was skipped instead (an
    input it needs was not produced: an optional output upstream)."""
    reason, runnable = step.with_produced_inputs(run_ctx.state.produced, run_ctx.executed)
    if reason is not None:
        emit_op_step_skipped(run_ctx, step.key, reason)
        return None
    op_def = runnable.node.op_def
    lifecycle = StepRun(
        key=runnable.key,
        sink=run_ctx.sink,
        run=run_ctx.run,
        instance=run_ctx.instance,
        resources=run_ctx.resources,
        logs_dir=run_ctx.logs_dir,
        retry_policy=op_def.retry_policy or run_ctx.default_retry_policy,
        hooks=run_ctx.hooks | runnable.node.hooks if runnable.node.hooks else run_ctx.hooks,
        node_name=runnable.node.name,
        pool=op_def.pool,
    )
    return run_step(lifecycle, lambda log, attempt: _run_body(runnable, run_ctx, log, attempt))


def _run_body(step: OpStep, run_ctx: RunContext, log: StepLogger, attempt: int) -> StepOutputs:
    op_def = step.node.op_def
    params = op_def.params
    inputs = {i.name: _load_input(step, run_ctx, i) for i in step.inputs
              if not _is_nothing(op_def, i.name)}  # fmt: skip
    op_config = run_ctx.op_configs.get(step.node.name)
    context = OpContext(
        op_def=op_def, mapping_key=step.mapping_key, run_id=run_ctx.run.run_id,
        job_name=run_ctx.run.job_name, step_key=step.key, resources=run_ctx.resources,
        instance=run_ctx.instance, log=log, op_config=_config_dict(op_config), run=run_ctx.run,
        retry_number=attempt, run_tags=run_ctx.run.tags,
    )  # fmt: skip
    kwargs = user_kwargs(
        params, inputs=inputs, resources=run_ctx.resources, config=op_config, context=context
    )
    logged: list[AssetMaterialization | AssetObservation] = []
    with user_code_boundary(f"op {op_def.name!r} (step {step.key!r})"):
        outputs = collect_outputs(
            op_outputs(op_def, step.key), op_def.compute_fn(**kwargs), logged
        )
    reject_check_results(logged, f"Op {op_def.name!r} (step {step.key!r})")
    produced = StepOutputs()
    for out in outputs:
        _handle_output(step, run_ctx, context, out.output_name, out.value, out.mapping_key,
                       out.metadata)  # fmt: skip
        produced.add(step.key, out.output_name, out.value, out.mapping_key)
    for event in [*context.logged_events, *logged]:
        kind = (EventType.ASSET_MATERIALIZATION if isinstance(event, AssetMaterialization)
                else EventType.ASSET_OBSERVATION)  # fmt: skip
        run_ctx.sink.emit(
            kind, f"{kind.value.title()} {event.asset_key.to_user_string()}.",
            step_key=step.key, asset_key=event.asset_key, partition=event.partition,
            data=materialization_data(event),
        )  # fmt: skip
    return produced


def _is_nothing(op_def: OpDefinition[..., Any], name: str) -> bool:
    declared = op_def.ins.get(name)
    return declared is not None and declared.is_nothing


def _load_input(step: OpStep, run_ctx: RunContext, step_input: OpStepInput) -> Any:
    op_def = step.node.op_def
    declared = op_def.ins.get(step_input.name)
    annotation = op_def.params.annotations.get(step_input.name)
    dagster_type = declared.dagster_type if declared is not None and declared.dagster_type else None
    if not step_input.sources and not step_input.is_list:
        value = step_input.value
    else:
        values = [_load_one(step, run_ctx, step_input.name, s, annotation)
                  for s in step_input.sources]  # fmt: skip
        value = values if step_input.is_list else values[0]
    checked = _type_check(
        run_ctx, step.key, dagster_type or annotation, value,
        f"Input {step_input.name!r} of step {step.key!r}",
    )  # fmt: skip
    run_ctx.sink.emit(
        EventType.STEP_INPUT, f"Got input {step_input.name!r}.", step_key=step.key,
        data={"input_name": step_input.name, **checked},
    )  # fmt: skip
    return value


def _load_one(step: OpStep, run_ctx: RunContext, name: str, source: Any, annotation: Any) -> Any:
    manager_key = _output_manager_key(run_ctx, source.node, source.output)
    manager = _io_manager(run_ctx, manager_key, f"input {name!r} of step {step.key!r}")
    upstream = OutputContext(
        name=source.output, step_key=source.step_key, run_id=run_ctx.run.run_id,
        resources=run_ctx.resources, instance=run_ctx.instance,
    )  # fmt: skip
    context = InputContext(
        name=name, upstream_output=upstream, dagster_type=annotation,
        resources=run_ctx.resources, instance=run_ctx.instance,
    )  # fmt: skip
    with user_code_boundary(
        f"loading input {name!r} of step {step.key!r} with IO manager {manager_key!r}"
    ):
        value = manager.load_input(context)
    run_ctx.sink.emit(
        EventType.LOADED_INPUT,
        f"Loaded input {name!r} using input manager {manager_key!r}, from output "
        f"{source.output!r} of step {source.step_key!r}.",
        step_key=step.key,
        data={"input_name": name, "manager_key": manager_key,
              "upstream_step_key": source.step_key, "upstream_output_name": source.output},
    )  # fmt: skip
    return value


def _output_manager_key(run_ctx: RunContext, node: str, output: str) -> str:
    return run_ctx.nodes[node].op_def.outs[output].io_manager_key or "io_manager"


def _handle_output(
    step: OpStep,
    run_ctx: RunContext,
    context: OpContext,
    name: str,
    value: Any,
    mapping_key: str | None,
    metadata: Mapping[str, Any],
) -> None:
    op_def = step.node.op_def
    out = op_def.outs[name]
    declared = out.dagster_type
    if declared is None and len(op_def.outs) == 1 and not out.is_dynamic:
        annotation = op_def.params.return_annotation
        declared = (None if annotation is MISSING or is_generator_function(op_def.compute_fn)
                    else annotation)  # fmt: skip
    where = f"Output {name!r} of step {step.key!r}"
    checked = _type_check(run_ctx, step.key, declared, value, where)
    stored_key = step.key if mapping_key is None else f"{step.key}[{mapping_key}]"
    sink = run_ctx.sink
    sink.emit(
        EventType.STEP_OUTPUT, f"Yielded output {name!r}"
        + (f" (mapping key {mapping_key!r})." if mapping_key else "."), step_key=step.key,
        data={"output_name": name, "mapping_key": mapping_key,
              "metadata": metadata_to_json(metadata), **checked},
    )  # fmt: skip
    manager_key = out.io_manager_key or "io_manager"
    manager = _io_manager(run_ctx, manager_key, where)
    output_ctx = OutputContext(
        name=name, step_key=stored_key, run_id=run_ctx.run.run_id, dagster_type=declared,
        resources=run_ctx.resources, instance=run_ctx.instance, log=context.log,  # type: ignore[arg-type]
        definition_metadata=out.metadata or {}, op_def=op_def,
    )  # fmt: skip
    with user_code_boundary(f"storing output {name!r} of step {step.key!r} with {manager_key!r}"):
        manager.handle_output(output_ctx, value)
    sink.emit(
        EventType.HANDLED_OUTPUT,
        f"Handled output {name!r} using IO manager {manager_key!r}.",
        step_key=step.key,
        data={"output_name": name, "manager_key": manager_key, "mapping_key": mapping_key,
              "metadata": metadata_to_json(output_ctx.output_metadata)},
    )  # fmt: skip
