"""The steps of an op job: node selection, run config of nested graphs, dynamic expansion.

An op job runs through the same ``ExecutionPlan`` and step loop as an asset run: its plan starts
with one ``OpNodeStep`` per selected node, each resolved when the loop reaches it into the node's
``OpStep`` (or one per mapping key of the dynamic output a mapped node runs over).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.declarations.ops.graphs import Node
from headwater.errors import InvalidSelectionError
from headwater.events.types import EventType
from headwater.execution.plan.execution_plan import ExecutionPlan
from headwater.execution.step.outputs import NO_VALUE

if TYPE_CHECKING:
    from headwater.execution.run.state import DynamicState, RunContext


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadFrom:
    """A stored value an input reads: ``(step_key, output)`` written by ``node``'s IO manager."""

    step_key: str
    output: str
    node: str
    producer_step: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OpStepInput:
    """An input of one op step: stored values to load (a list for a fan-in), or a constant."""

    name: str
    sources: tuple[LoadFrom, ...] = ()
    is_list: bool = False
    value: Any = NO_VALUE


@dataclass(frozen=True, slots=True, kw_only=True)
class OpStep:
    """One execution of a node (``"op"``, or ``"op[mapping_key]"`` when mapped)."""

    key: str
    node: Node
    mapping_key: str | None
    inputs: tuple[OpStepInput, ...]

    @property
    def upstream_step_keys(self) -> frozenset[str]:
        """Keys of the steps whose outputs this step loads."""
        return frozenset(s.producer_step for i in self.inputs for s in i.sources)

    def resolve(self, run_ctx: RunContext) -> None:
        """An op step is fully known once its node is resolved."""
        return None

    def skip(self, run_ctx: RunContext, blocked: list[str]) -> None:
        """Emit STEP_SKIPPED: the ``blocked`` upstream steps did not succeed."""
        emit_op_step_skipped(run_ctx, self.key, f"upstream step(s) {blocked} did not succeed")

    def with_produced_inputs(
        self, produced: set[tuple[str, str]], executed: set[str]
    ) -> tuple[str | None, OpStep]:
        """Why the step cannot run (or ``None``), and the step without unproduced fan-in values.

        ``produced`` holds the (step key, output) pairs this run produced, ``executed`` the
        steps it reached. A source whose step did not run in this run (not selected) is loaded
        as stored before.
        """
        inputs = []
        for step_input in self.inputs:
            present = tuple(
                s for s in step_input.sources
                if s.producer_step not in executed or (s.step_key, s.output) in produced
            )  # fmt: skip
            if len(present) != len(step_input.sources) and not step_input.is_list:
                source = step_input.sources[0]
                return (
                    f"optional output {source.output!r} of {source.step_key!r} was not produced",
                    self,
                )
            inputs.append(
                step_input if len(present) == len(step_input.sources)
                else OpStepInput(name=step_input.name, sources=present, is_list=True)
            )  # fmt: skip
        return None, OpStep(
            key=self.key, node=self.node, mapping_key=self.mapping_key, inputs=tuple(inputs)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OpNodeStep:
    """A selected node before the run reached it: resolved into its ``OpStep`` (s) then.

    A mapped node waits on the step producing the dynamic output it runs over.
    """

    key: str
    node: Node

    @property
    def upstream_step_keys(self) -> frozenset[str]:
        """The producer of the dynamic output a mapped node runs over; none otherwise."""
        over = self.node.mapped_over
        return frozenset() if over is None else frozenset((over[0],))

    def resolve(self, run_ctx: RunContext) -> list[OpStep]:
        """The node's steps, now that its upstream steps ran (one per mapping key if mapped)."""
        return steps_for_node(self.node, run_ctx.nodes, run_ctx.state, run_ctx.input_values)

    def skip(self, run_ctx: RunContext, blocked: list[str]) -> None:
        """Emit STEP_SKIPPED for the whole mapped node: its dynamic output was not produced."""
        emit_op_step_skipped(run_ctx, self.key, f"upstream step {blocked[0]!r} did not succeed")


def build_op_plan(
    nodes: Mapping[str, Node], selected: Sequence[str]
) -> ExecutionPlan[OpNodeStep | OpStep]:
    """The plan of a run of ``selected`` nodes (in execution order) of an op job."""
    return ExecutionPlan([OpNodeStep(key=name, node=nodes[name]) for name in selected])


def emit_op_step_skipped(run_ctx: RunContext, key: str, reason: str) -> None:
    run_ctx.sink.emit(
        EventType.STEP_SKIPPED,
        f"Skipped execution of step {key!r}: {reason}.",
        step_key=key,
        data={"reason": reason},
    )
    run_ctx.sink.flush()


def config_input_key(node: str, input_name: str) -> str:
    """Where a run keeps the value run config gives an unconnected op input (among the graph
    input values, which are identifiers and so never clash with it)."""
    return f"ops.{node}.inputs.{input_name}"


def config_inputs_of(
    nodes: Mapping[str, Node], selected: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Selected node -> its inputs that take their value from run config."""
    found = {
        name: tuple(i for i, source in nodes[name].inputs.items() if source.kind == "config")
        for name in selected
    }
    return {name: inputs for name, inputs in found.items() if inputs}


def step_key(node: str, mapping_key: str | None) -> str:
    """``node`` or ``node[mapping_key]``."""
    return node if mapping_key is None else f"{node}[{mapping_key}]"


def steps_for_node(
    node: Node,
    nodes: Mapping[str, Node],
    state: DynamicState,
    input_values: Mapping[str, Any],
) -> list[OpStep]:
    """The steps of ``node`` now that its upstream steps ran (one per mapping key if mapped)."""
    if node.mapped_over is None:
        keys: list[str | None] = [None]
    else:
        keys = list(state.mapping_keys.get(node.mapped_over, []))
    return [
        OpStep(
            key=step_key(node.name, key),
            node=node,
            mapping_key=key,
            inputs=tuple(
                _step_input(name, source, key, nodes, state, input_values, node.name)
                for name, source in node.inputs.items()
            ),
        )
        for key in keys
    ]


def _step_input(
    name: str,
    source: Any,
    mapping_key: str | None,
    nodes: Mapping[str, Node],
    state: DynamicState,
    input_values: Mapping[str, Any],
    node_name: str,
) -> OpStepInput:
    if source.kind == "value":
        return OpStepInput(name=name, value=source.value)
    if source.kind == "config":
        return OpStepInput(name=name, value=input_values[config_input_key(node_name, name)])
    if source.kind == "graph_input":
        return OpStepInput(name=name, value=input_values[source.output])
    if source.kind == "fan_in":
        loads = tuple(_load(nodes[p.node], p.output, None, dynamic=False) for p in source.parts)
        return OpStepInput(name=name, sources=loads, is_list=True)
    upstream = nodes[source.node]
    is_dynamic = upstream.op_def.outs[source.output].is_dynamic
    if source.kind == "collect":
        over = (source.node, source.output) if is_dynamic else upstream.mapped_over
        keys = state.mapping_keys.get(over, []) if over is not None else []
        loads = tuple(_load(upstream, source.output, k, dynamic=is_dynamic) for k in keys)
        return OpStepInput(name=name, sources=loads, is_list=True)
    if is_dynamic or upstream.mapped_over is not None:
        return OpStepInput(name=name, sources=(_load(upstream, source.output, mapping_key,
                                                      dynamic=is_dynamic),))  # fmt: skip
    return OpStepInput(name=name, sources=(_load(upstream, source.output, None, dynamic=False),))


def _load(upstream: Node, output: str, mapping_key: str | None, *, dynamic: bool) -> LoadFrom:
    stored = step_key(upstream.name, mapping_key)
    return LoadFrom(
        step_key=stored,
        output=output,
        node=upstream.name,
        producer_step=upstream.name if dynamic else stored,
    )


def select_nodes(nodes: Mapping[str, Node], op_selection: Sequence[str] | None) -> list[str]:
    """Node names selected by ``op_selection`` (all when ``None``), in execution order.

    Each item is a node name (or a nested graph's name, selecting its nodes), optionally with
    ``*`` (all) or ``+`` (one level per ``+``) of upstream before it and downstream after it.

    Raises:
        InvalidSelectionError: an item names no node, or a mapped op is selected without the
            op producing its dynamic output.
    """
    if op_selection is None:
        return list(nodes)
    parents = {
        n: {u.node for s in node.inputs.values() for u in s.upstream()}
        for n, node in nodes.items()
    }
    children: dict[str, set[str]] = {n: set() for n in nodes}
    for name, ups in parents.items():
        for up in ups:
            children[up].add(name)
    selected: set[str] = set()
    for item in op_selection:
        up_depth, body = _depth(item, leading=True)
        down_depth, body = _depth(body, leading=False)
        matched = [n for n in nodes if n == body or n.startswith(f"{body}.")]
        if not matched:
            raise InvalidSelectionError(
                f"op_selection item {item!r} matches no node; the nodes are {sorted(nodes)}."
            )
        selected |= _walk(matched, parents, up_depth) | _walk(matched, children, down_depth)
    for name in selected:
        over = nodes[name].mapped_over
        if over is not None and over[0] not in selected:
            raise InvalidSelectionError(
                f"op_selection includes the mapped op {name!r} but not {over[0]!r}, which "
                "produces the dynamic output it is mapped over; select both."
            )
    return [n for n in nodes if n in selected]


def _depth(text: str, *, leading: bool) -> tuple[int, str]:
    stripped = text.lstrip("*+") if leading else text.rstrip("*+")
    marks = text[: len(text) - len(stripped)] if leading else text[len(stripped) :]
    if "*" in marks:
        return 1 << 30, stripped
    return len(marks), stripped


def _walk(start: list[str], edges: Mapping[str, set[str]], depth: int) -> set[str]:
    seen, frontier = set(start), set(start)
    for _ in range(min(depth, len(edges))):
        frontier = {n for f in frontier for n in edges[f]} - seen
        if not frontier:
            break
        seen |= frontier
    return seen


def flatten_op_config(ops_section: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"g": {"ops": {"op": {...}}}}`` -> ``{"g.op": {...}}`` (nested graph config)."""
    flat: dict[str, Any] = {}
    for name, entry in ops_section.items():
        if (
            isinstance(entry, Mapping)
            and set(entry) == {"ops"}
            and isinstance(entry["ops"], Mapping)
        ):
            flat.update(flatten_op_config(entry["ops"], f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = entry
    return flat
