"""Running the ops of a graph-backed asset, in order, inside the asset's step.

The ops are not separate steps: each is called with its inputs (in memory), resources, config
and context, inside its own error boundary and with its own retry policy; its log lines go to
the asset's step. The graph's outputs become the step's outputs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.declarations.ops.graphs import GraphDefinition, InputSource, Node
from headwater.declarations.results import Output
from headwater.errors import InvariantViolationError, user_code_boundary
from headwater.execution.run.logs import StepLogger
from headwater.execution.step.asset_step import _config_dict
from headwater.execution.step.invocation import user_kwargs
from headwater.execution.step.lifecycle import call_with_retries
from headwater.execution.step.op_step import OpContext
from headwater.execution.step.outputs import collect_outputs, op_outputs, reject_check_results

if TYPE_CHECKING:
    from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
    from headwater.execution.run.state import RunContext

_Values = dict[tuple[str, str], tuple[Any, Mapping[str, Any]]]


def graph_op_config_schemas(plan: ExecutionPlan[ExecutionStep]) -> dict[str, type[Any] | None]:
    """``"<step>.<node>"`` -> the config class of each op inside the graph assets of ``plan``."""
    schemas: dict[str, type[Any] | None] = {}
    for step in plan.steps:
        graph_def = step.assets_def.graph_def
        if graph_def is not None:
            for node in graph_def.op_nodes.values():
                schemas[f"{step.key}.{node.name}"] = node.op_def.config_class
    return schemas


def run_graph(
    step_key: str,
    graph_def: GraphDefinition,
    inputs: Mapping[str, Any],
    run_ctx: RunContext,
    log: StepLogger,
    attempt: int,
    logged: list[Any],
    selected: frozenset[str] | None = None,
) -> Iterator[Output[Any]]:
    """Run the ops of ``graph_def``; return one ``Output`` per (selected) graph output.

    ``inputs`` are the graph inputs (upstream asset values). Assets logged by ops are appended
    to ``logged``. Metadata of the ``Output`` an op produced for a graph output is kept. With
    ``selected`` graph output names (a subset run of a ``can_subset`` graph multi-asset), only
    the ops those outputs need run, each told which of its outputs are needed
    (``context.selected_output_names``).

    Raises:
        UserCodeError: an op (after its retries) raised.
    """
    values: _Values = {}
    names = graph_def.output_names
    handles = dict(zip(names, graph_def.output_handles, strict=True))
    chosen = names if selected is None else tuple(n for n in names if n in selected)
    needed = None if len(chosen) == len(names) else _needed_outputs(graph_def, handles, chosen)
    for node in graph_def.op_nodes.values():
        if needed is None or node.name in needed:
            only = None if needed is None else frozenset(needed[node.name])
            _run_node(step_key, node, inputs, values, run_ctx, log, attempt, logged, only)
    outputs = []
    for name in chosen:
        if handles[name].key not in values:
            continue  # an optional output the op did not produce
        value, metadata = values[handles[name].key]
        outputs.append(Output(value, output_name=name, metadata=metadata))
    return iter(outputs)


def _needed_outputs(
    graph_def: GraphDefinition, handles: Mapping[str, Any], chosen: tuple[str, ...]
) -> dict[str, set[str]]:
    """Node -> the outputs of it that the ``chosen`` graph outputs need (directly or through
    the inputs of the nodes producing them)."""
    needed: dict[str, set[str]] = {}
    stack = [handles[name].key for name in chosen]
    while stack:
        node, output = stack.pop()
        outputs = needed.setdefault(node, set())
        if output in outputs:
            continue
        first = not outputs
        outputs.add(output)
        if first:
            for source in graph_def.op_nodes[node].inputs.values():
                stack += [(u.node, u.output) for u in source.upstream()]
    return needed


def _run_node(
    step_key: str,
    node: Node,
    inputs: Mapping[str, Any],
    values: _Values,
    run_ctx: RunContext,
    log: StepLogger,
    attempt: int,
    logged: list[Any],
    selected_outputs: frozenset[str] | None = None,
) -> None:
    op_def = node.op_def
    params = op_def.params
    op_inputs = {name: _input_value(source, inputs, values) for name, source in node.inputs.items()
                 if not (name in op_def.ins and op_def.ins[name].is_nothing)}  # fmt: skip
    op_config = run_ctx.op_configs.get(f"{step_key}.{node.name}")

    def attempt_op(retry: int) -> tuple[Any, list[Any], OpContext]:
        context = OpContext(
            op_def=op_def, mapping_key=None, run_id=run_ctx.run.run_id,
            job_name=run_ctx.run.job_name, step_key=step_key, resources=run_ctx.resources,
            instance=run_ctx.instance, log=log, op_config=_config_dict(op_config),
            run=run_ctx.run, retry_number=attempt + retry, run_tags=run_ctx.run.tags,
            partitions=run_ctx.partitions_of(step_key), selected_outputs=selected_outputs,
        )  # fmt: skip
        kwargs = user_kwargs(
            params, inputs=op_inputs, resources=run_ctx.resources, config=op_config,
            context=context,
        )  # fmt: skip
        op_logged: list[Any] = []
        with user_code_boundary(f"op {op_def.name!r} (node {node.name!r}) of step "
                                f"{step_key!r}"):  # fmt: skip
            outputs = collect_outputs(
                op_outputs(op_def, step_key), op_def.compute_fn(**kwargs), op_logged
            )
        reject_check_results(op_logged, f"Op {op_def.name!r} (node {node.name!r})")
        return outputs, op_logged, context

    def on_retry(error: Exception, wait: float, retry: int) -> None:
        log.warning(f"Op {node.name!r} failed and will be retried in {wait:.2f}s "
                    f"(retry {retry}): {error}")  # fmt: skip
        time.sleep(wait)

    # The ops of a graph asset are not steps of their own: an op's retries happen inside the
    # asset's step attempt, with the same retry rules as steps.
    done, error, _ = call_with_retries(attempt_op, op_def.retry_policy, on_retry)
    if error is not None or done is None:
        raise error or InvariantViolationError(f"Op {node.name!r} neither ran nor failed.")
    produced, op_logged, context = done
    for out in produced:
        values[(node.name, out.output_name)] = (out.value, out.metadata)
    logged.extend([*context.logged_events, *op_logged])


def _input_value(source: InputSource, inputs: Mapping[str, Any], values: _Values) -> Any:
    if source.kind == "value":
        return source.value
    if source.kind == "graph_input":
        return inputs[source.output]
    if source.kind == "fan_in":
        return [values[(p.node, p.output)][0] for p in source.parts]
    return values[(source.node, source.output)][0]
