"""Running a job of ops in process: validate, record the run, run its plan (as asset runs do)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.ops.graphs import Node
from headwater.errors import RunFailedError
from headwater.events.types import EventType
from headwater.execution.plan.op_plan import build_op_plan, flatten_op_config, select_nodes
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.execution.step.op_step import OpRunContext, execute_op_step


def run_op_job(
    job: Any,
    *,
    run_config: Mapping[str, Any] | None = None,
    instance: Any,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
    op_selection: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
    listeners: list[Callable[..., None]] | None = None,
) -> ExecuteInProcessResult:
    """Validate, record and execute a run of an op job (see ``OpJobDefinition``)."""
    from headwater.declarations.config.model import validate_run_config
    from headwater.execution.run.in_process import (
        default_io_manager,
        merge_config,
        resource_schemas,
    )

    nodes: Mapping[str, Node] = job.nodes
    selected = select_nodes(nodes, op_selection)
    merged = merge_config(job.config, run_config)
    raw = dict(merged)
    if isinstance(raw.get("ops"), Mapping):
        raw["ops"] = flatten_op_config(raw["ops"])
    resource_defs = default_io_manager({**job.resource_defs, **(resources or {})})
    resolved = validate_run_config(
        raw,
        config_schemas={n: nodes[n].op_def.config_class for n in selected},
        resource_schemas=resource_schemas(resource_defs),
    )
    run = instance.create_run(
        job_name=job.name,
        run_config=merged,
        tags={**job.tags, **(tags or {})},
        run_id=run_id or str(uuid.uuid4()),
    )
    sink = EventSink(
        run_id=run.run_id, job_name=job.name, store=instance.store_events, listeners=listeners
    )
    run_ctx = OpRunContext(
        run=run,
        instance=instance,
        sink=sink,
        resources={},
        op_configs={n: resolved.op_config(n) for n in selected},
        nodes=nodes,
        input_values=job.input_values,
        default_retry_policy=job.op_retry_policy,
        logs_dir=getattr(instance, "logs_directory", None),
        hooks=job.hooks,
    )
    _execute(job, selected, resource_defs, resolved, run_ctx)
    stored = instance.get_run_by_id(run.run_id) or run
    result = ExecuteInProcessResult(
        run=stored,
        success=not run_ctx.errors,
        events=sink.all_events,
        outputs=_result_outputs(nodes, run_ctx),
        step_keys_by_asset={},
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


def _required_keys(job: Any, selected: list[str]) -> set[str]:
    nodes: Mapping[str, Node] = job.nodes
    keys: set[str] = set()
    for name in selected:
        op_def = nodes[name].op_def
        keys |= op_def.required_resource_keys
        keys |= {o.io_manager_key or "io_manager" for o in op_def.outs.values()}
        for source in nodes[name].inputs.values():
            if source.node:
                out = nodes[source.node].op_def.outs[source.output]
                keys.add(out.io_manager_key or "io_manager")
    for hook in job.hooks:
        keys |= hook.required_resource_keys
    return keys


def _execute(
    job: Any, selected: list[str], resource_defs: Mapping[str, Any], resolved: Any,
    run_ctx: OpRunContext,
) -> None:  # fmt: skip
    from headwater.execution.run.driver import drive_run, execute_steps

    sink = run_ctx.sink
    sink.emit(EventType.RUN_START, f'Started execution of run for "{job.name}".')
    sink.flush()

    def body(resources: Any) -> None:
        run_ctx.resources = resources
        execute_steps(build_op_plan(job.nodes, selected), run_ctx, execute_op_step)

    drive_run(
        sink=sink,
        job_name=job.name,
        resource_defs=resource_defs,
        required_keys=_required_keys(job, selected),
        resource_config={k: resolved.resource_config(k) for k in resource_defs},
        instance=run_ctx.instance,
        errors=run_ctx.errors,
        body=body,
    )


def _result_outputs(nodes: Mapping[str, Node], run_ctx: OpRunContext) -> dict[tuple[str, str], Any]:
    """Outputs by (step key, output); a dynamic or mapped output also as a dict under the node."""
    outputs = dict(run_ctx.outputs)
    for (stored, output), value in run_ctx.outputs.items():
        if stored.endswith("]"):
            node, mapping_key = stored[:-1].split("[", 1)
            if node in nodes:
                outputs.setdefault((node, output), {})[mapping_key] = value
    return outputs
