"""Running one op step: inputs via IO managers, the op in its error boundary, outputs, events."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from headwater.definitions.io_managers.base import InputContext, OutputContext
from headwater.definitions.ops.definition import OpDefinition
from headwater.definitions.ops.graphs import Node
from headwater.definitions.results import AssetMaterialization, AssetObservation
from headwater.definitions.signature import MISSING
from headwater.errors import user_code_boundary
from headwater.events.records import materialization_data
from headwater.events.types import EventType
from headwater.execution.context.asset_context import AssetExecutionContext
from headwater.execution.plan.op_plan import DynamicState, OpStep, OpStepInput, step_key
from headwater.execution.run.capture import capture_step_output
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.logs import StepLogger, active_step_logger
from headwater.execution.step.asset_step import (
    _config_dict,
    _io_manager,
    _type_check,
    error_data,
    failure_metadata,
    retry_delay,
)
from headwater.execution.step.op_outputs import collect_op_outputs, is_generator
from headwater.metadata import metadata_to_json


@dataclass(kw_only=True)
class OpRunContext:
    """What the steps of one op-job run share."""

    run: Any
    instance: Any
    sink: EventSink
    resources: Any
    op_configs: Mapping[str, Any]
    nodes: Mapping[str, Node] = field(default_factory=dict)
    input_values: Mapping[str, Any] = field(default_factory=dict)
    default_retry_policy: Any = None
    logs_dir: Any = None
    hooks: frozenset[Any] = frozenset()
    state: DynamicState = field(default_factory=DynamicState)
    executed: set[str] = field(default_factory=set)  # op steps the step loop reached
    outputs: dict[tuple[str, str], Any] = field(default_factory=dict)
    errors: dict[str, BaseException] = field(default_factory=dict)


class OpContext(AssetExecutionContext):
    """The context of an op: ``op_config``, ``op_def``, ``mapping_key``, ``log``, ``resources``."""

    __slots__ = ("mapping_key", "op_def")

    def __init__(self, *, op_def: Any, mapping_key: str | None, **kwargs: Any) -> None:
        super().__init__(assets_def=None, **kwargs)
        self.op_def = op_def
        self.mapping_key = mapping_key

    @property
    def op_handle(self) -> str:
        """The node name of the op."""
        return self.step_key.split("[", 1)[0]


def execute_op_step(step: OpStep, run_ctx: OpRunContext) -> bool:
    """Execute ``step``, retrying as its retry policy allows; return whether it succeeded."""
    sink = run_ctx.sink
    sink.emit(EventType.STEP_START, f"Started execution of step {step.key!r}.", step_key=step.key)
    policy = step.node.op_def.retry_policy or run_ctx.default_retry_policy
    started = time.perf_counter()
    attempt = 0
    while True:
        error, produced = _attempt(step, run_ctx, attempt)
        if error is None:
            break
        wait = retry_delay(error, policy, attempt)
        if wait is None:
            run_ctx.errors[step.key] = error
            sink.emit(
                EventType.STEP_FAILURE,
                f"Execution of step {step.key!r} failed: {error}",
                step_key=step.key,
                data={"error": error_data(error), "attempts": attempt + 1,
                      "duration_ms": (time.perf_counter() - started) * 1000,
                      **failure_metadata(error)},
                level=40,
            )  # fmt: skip
            _run_hooks(step, run_ctx, "failure", error, {})
            sink.flush()
            return False
        attempt += 1
        sink.emit(
            EventType.STEP_UP_FOR_RETRY,
            f"Execution of step {step.key!r} failed and will be retried in {wait:.2f}s "
            f"(retry {attempt}): {error}",
            step_key=step.key,
            data={"error": error_data(error), "seconds_to_wait": wait, "retry_number": attempt},
            level=30,
        )
        sink.flush()
        if wait:
            time.sleep(wait)
        sink.emit(
            EventType.STEP_RESTARTED,
            f"Started re-execution (retry {attempt}) of step {step.key!r}.",
            step_key=step.key,
            data={"retry_number": attempt},
        )
    elapsed_ms = (time.perf_counter() - started) * 1000
    sink.emit(
        EventType.STEP_SUCCESS,
        f"Finished execution of step {step.key!r} in {elapsed_ms:.1f}ms.",
        step_key=step.key,
        data={"duration_ms": elapsed_ms},
    )
    _run_hooks(step, run_ctx, "success", None, produced)
    sink.flush()
    return True


def _attempt(
    step: OpStep, run_ctx: OpRunContext, attempt: int
) -> tuple[Exception | None, dict[str, Any]]:
    log = StepLogger(run_ctx.sink, step.key)
    captured: dict[str, Any] = {}
    produced: dict[str, Any] = {}
    error: Exception | None = None
    try:
        with (
            active_step_logger(log),
            capture_step_output(run_ctx.logs_dir, run_ctx.run.run_id, step.key) as captured,
        ):
            produced = _run_body(step, run_ctx, log, attempt)
    except Exception as exc:  # every failure becomes a STEP_FAILURE or STEP_UP_FOR_RETRY
        error = exc
    if captured:
        run_ctx.sink.emit(
            EventType.LOGS_CAPTURED,
            f"Captured the stdout/stderr of step {step.key!r}.",
            step_key=step.key,
            data={**captured, "step_keys": [step.key]},
        )
    return error, produced


def _run_body(step: OpStep, run_ctx: OpRunContext, log: StepLogger, attempt: int) -> dict[str, Any]:
    op_def = step.node.op_def
    params = op_def.params
    kwargs = {i.name: _load_input(step, run_ctx, i) for i in step.inputs
              if not _is_nothing(op_def, i.name)}  # fmt: skip
    for param, resource_key in params.resource_params.items():
        kwargs[param] = run_ctx.resources[resource_key]
    op_config = run_ctx.op_configs.get(step.node.name)
    if params.config_param is not None:
        kwargs[params.config_param[0]] = op_config
    context = OpContext(
        op_def=op_def, mapping_key=step.mapping_key, run_id=run_ctx.run.run_id,
        job_name=run_ctx.run.job_name, step_key=step.key, resources=run_ctx.resources,
        instance=run_ctx.instance, log=log, op_config=_config_dict(op_config), run=run_ctx.run,
        retry_number=attempt, run_tags=run_ctx.run.tags,
    )  # fmt: skip
    if params.context_param is not None:
        kwargs[params.context_param] = context
    logged: list[AssetMaterialization | AssetObservation] = []
    with user_code_boundary(f"op {op_def.name!r} (step {step.key!r})"):
        outputs = collect_op_outputs(op_def, op_def.compute_fn(**kwargs), logged, step.key)
    produced: dict[str, Any] = {}
    for name, value, mapping_key, metadata in outputs:
        _handle_output(step, run_ctx, context, name, value, mapping_key, metadata)
        produced[name if mapping_key is None else f"{name}[{mapping_key}]"] = value
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


def _load_input(step: OpStep, run_ctx: OpRunContext, step_input: OpStepInput) -> Any:
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
        cast(Any, run_ctx), cast(Any, step), dagster_type or annotation, value,
        f"Input {step_input.name!r} of step {step.key!r}",
    )  # fmt: skip
    run_ctx.sink.emit(
        EventType.STEP_INPUT, f"Got input {step_input.name!r}.", step_key=step.key,
        data={"input_name": step_input.name, **checked},
    )  # fmt: skip
    return value


def _load_one(step: OpStep, run_ctx: OpRunContext, name: str, source: Any, annotation: Any) -> Any:
    manager_key = _output_manager_key(run_ctx, source.node, source.output)
    manager = _io_manager(cast(Any, run_ctx), manager_key, f"input {name!r} of step {step.key!r}")
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


def _output_manager_key(run_ctx: OpRunContext, node: str, output: str) -> str:
    return run_ctx.nodes[node].op_def.outs[output].io_manager_key or "io_manager"


def _handle_output(
    step: OpStep,
    run_ctx: OpRunContext,
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
        declared = None if annotation is MISSING or is_generator(op_def) else annotation
    where = f"Output {name!r} of step {step.key!r}"
    checked = _type_check(cast(Any, run_ctx), cast(Any, step), declared, value, where)
    stored_key = step_key(step.key, mapping_key)
    sink = run_ctx.sink
    sink.emit(
        EventType.STEP_OUTPUT, f"Yielded output {name!r}"
        + (f" (mapping key {mapping_key!r})." if mapping_key else "."), step_key=step.key,
        data={"output_name": name, "mapping_key": mapping_key,
              "metadata": metadata_to_json(metadata), **checked},
    )  # fmt: skip
    manager_key = out.io_manager_key or "io_manager"
    manager = _io_manager(cast(Any, run_ctx), manager_key, where)
    output_ctx = OutputContext(
        name=name, step_key=stored_key, run_id=run_ctx.run.run_id, dagster_type=declared,
        resources=run_ctx.resources, instance=run_ctx.instance, log=context.log,  # type: ignore[arg-type]
    )  # fmt: skip
    with user_code_boundary(f"storing output {name!r} of step {step.key!r} with {manager_key!r}"):
        manager.handle_output(output_ctx, value)
    run_ctx.state.produced.add((stored_key, name))
    run_ctx.outputs[(stored_key, name)] = value
    if mapping_key is not None:
        run_ctx.state.mapping_keys.setdefault((step.node.name, name), []).append(mapping_key)
    sink.emit(
        EventType.HANDLED_OUTPUT,
        f"Handled output {name!r} using IO manager {manager_key!r}.",
        step_key=step.key,
        data={"output_name": name, "manager_key": manager_key, "mapping_key": mapping_key,
              "metadata": metadata_to_json(output_ctx.output_metadata)},
    )  # fmt: skip


def _run_hooks(
    step: OpStep, run_ctx: OpRunContext, event: str, error: BaseException | None,
    produced: Mapping[str, Any],
) -> None:  # fmt: skip
    from headwater.definitions.ops.hooks import HookContext

    for hook in sorted(run_ctx.hooks, key=lambda h: h.name):
        if hook.event != event:
            continue
        log = StepLogger(run_ctx.sink, step.key)
        context = HookContext(
            op_name=step.node.name, step_key=step.key, run_id=run_ctx.run.run_id,
            job_name=run_ctx.run.job_name, log=log, resources=run_ctx.resources,
            op_exception=error, op_output_values=dict(produced), instance=run_ctx.instance,
            hook_name=hook.name,
        )  # fmt: skip
        try:
            hook.hook_fn(context)
        except Exception as exc:  # a hook error is recorded, never fatal
            run_ctx.sink.emit(
                EventType.ENGINE_EVENT,
                f"Hook {hook.name!r} failed after step {step.key!r}: {type(exc).__name__}: {exc}",
                step_key=step.key,
                data={"hook": hook.name, "hook_event": "HOOK_ERRORED", "error": error_data(exc)},
                level=40,
            )
            continue
        run_ctx.sink.emit(
            EventType.ENGINE_EVENT,
            f"Hook {hook.name!r} finished after step {step.key!r}.",
            step_key=step.key,
            data={"hook": hook.name, "hook_event": "HOOK_COMPLETED"},
        )
