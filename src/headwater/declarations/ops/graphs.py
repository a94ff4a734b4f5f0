"""``@graph``: composing ops by calling them, traced into nodes and their dependencies."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from headwater.declarations.ops.definition import NO_DEFAULT, OpDefinition
from headwater.declarations.ops.hooks import HookDefinition
from headwater.errors import DefinitionError

if TYPE_CHECKING:
    from headwater.declarations.jobs.definition import JobDefinition


@dataclass(frozen=True, slots=True, kw_only=True)
class InputSource:
    """Where a node input gets its value.

    ``kind`` is ``"output"`` (one output of ``node``), ``"collect"`` (the list of every mapped
    value of ``node``'s output), ``"fan_in"`` (the list of the outputs in ``parts``, each an
    ``"output"`` source), ``"graph_input"`` (the graph input ``output``), ``"config"`` (the
    value given in run config, ``ops.<node>.inputs.<output>``), or ``"value"``.
    """

    kind: str
    node: str = ""
    output: str = "result"
    value: Any = None
    parts: tuple[InputSource, ...] = ()

    def upstream(self) -> tuple[InputSource, ...]:
        """The sources reading another node's output: ``parts`` for a fan-in, else itself
        (none for a graph input or a constant)."""
        if self.kind == "fan_in":
            return self.parts
        return (self,) if self.node else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """One use of an op in a graph.

    Attributes:
        name: unique node name (``"op"``, ``"op_2"``, ``"inner_graph.op"``...).
        op_def: the op. inputs: input name -> its source.
        mapped_over: the ``(node, output)`` dynamic output this node runs once per value of.
        hooks: hooks of this node only (``op.with_hooks(...)``), run besides the job's.
    """

    name: str
    op_def: OpDefinition[..., Any]
    inputs: Mapping[str, InputSource]
    mapped_over: tuple[str, str] | None = None
    hooks: frozenset[HookDefinition] = frozenset()


class OutputHandle:
    """What calling an op inside a graph returns: a reference to one of its outputs."""

    __slots__ = ("dynamic", "mapped_over", "node", "output")

    def __init__(
        self, node: str, output: str, *, dynamic: bool, mapped_over: tuple[str, str] | None
    ) -> None:
        self.node = node
        self.output = output
        self.dynamic = dynamic
        self.mapped_over = mapped_over

    def map(self, fn: Callable[[OutputHandle], Any]) -> Any:
        """Run ``fn`` (which calls ops) once per value of this dynamic output (fan-out).

        Returns what ``fn`` returns: handles whose ``.collect()`` gathers the mapped results.
        """
        if not self.dynamic:
            raise DefinitionError(
                f"Output {self.output!r} of {self.node!r} is not a DynamicOut, so it cannot be "
                "mapped; declare out=DynamicOut() on the op."
            )
        return fn(OutputHandle(self.node, self.output, dynamic=False, mapped_over=self.key))

    def collect(self) -> CollectHandle:
        """Gather every value of this dynamic or mapped output into one list (fan-in)."""
        if not self.dynamic and self.mapped_over is None:
            raise DefinitionError(
                f"Output {self.output!r} of {self.node!r} is neither dynamic nor mapped; "
                ".collect() applies to a DynamicOut or to the result of .map()."
            )
        return CollectHandle(self.node, self.output)

    @property
    def key(self) -> tuple[str, str]:
        """``(node, output)``."""
        return (self.node, self.output)

    def __repr__(self) -> str:
        return f"<output {self.output!r} of {self.node!r}>"


@dataclass(frozen=True, slots=True)
class CollectHandle:
    """The list of every value of a dynamic output, or of a mapped op's output."""

    node: str
    output: str


@dataclass(frozen=True, slots=True)
class GraphInputHandle:
    """An input of the graph being traced (bound to a value by ``to_job(input_values=...)``)."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphNode:
    """One use of a graph inside another graph (its ops are flattened into ``graph.op`` nodes).

    Attributes:
        name: the node name. definition: the :class:`GraphDefinition` used.
    """

    name: str
    definition: GraphDefinition


@dataclass(frozen=True, slots=True)
class GraphOut:
    """Declares one output of a graph, in ``@graph(out={"name": GraphOut(), ...})``.

    The graph function returns a dict with one entry per declared output (or a tuple in the
    same order), each the output of an op (or nested graph) called inside it.

    Args:
        description: what the output is.

    Example:
        >>> from headwater import Out, graph, op
        >>> @op(out={"lo": Out(), "hi": Out()})
        ... def split(x: int):
        ...     return x - 1, x + 1
        >>> @graph(out={"low": GraphOut(), "high": GraphOut()})
        ... def bounds(x):
        ...     lo, hi = split(x)
        ...     return {"low": lo, "high": hi}
        >>> bounds.output_names
        ('low', 'high')
    """

    description: str | None = None


@dataclass(frozen=True, slots=True)
class NodeInput:
    """An input of a graph (``GraphDefinition.input_defs``)."""

    name: str


@dataclass(frozen=True, slots=True)
class NodeOutput:
    """An output of a graph (``GraphDefinition.output_defs``)."""

    name: str


@dataclass(kw_only=True)
class _Builder:
    nodes: dict[str, Node] = field(default_factory=dict)
    top_level: list[Node | GraphNode] = field(default_factory=list)
    # "graph" or "outer.inner" -> output name -> the (op node, output) it is
    graph_outputs: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    prefix: str = ""
    used: set[str] = field(default_factory=set)  # op and graph node names

    def unique_name(self, base: str) -> str:
        name, index = f"{self.prefix}{base}", 2
        while name in self.used:
            name, index = f"{self.prefix}{base}_{index}", index + 1
        self.used.add(name)
        return name


_current: contextvars.ContextVar[_Builder | None] = contextvars.ContextVar(
    "headwater_graph_builder", default=None
)


def current_builder() -> _Builder | None:
    """The graph being traced, or ``None`` outside a ``@graph``/``@job`` function."""
    return _current.get()


@contextmanager
def _tracing(builder: _Builder) -> Iterator[_Builder]:
    token = _current.set(builder)
    try:
        yield builder
    finally:
        _current.reset(token)


def _bind(
    names: Sequence[str], args: tuple[Any, ...], kwargs: Mapping[str, Any], where: str
) -> dict[str, Any]:
    if len(args) > len(names):
        raise DefinitionError(
            f"{where} takes {len(names)} inputs ({list(names)}); got {len(args)}."
        )
    bound = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in names:
            raise DefinitionError(f"{where} has no input {key!r}; its inputs are {list(names)}.")
        bound[key] = value
    return bound


def _source(value: Any, where: str) -> tuple[InputSource, tuple[str, str] | None]:
    if isinstance(value, OutputHandle):
        if value.dynamic:
            raise DefinitionError(
                f"{where} gets the dynamic output {value.output!r} of {value.node!r} directly; "
                "use .map(lambda value: ...) to fan out, or .collect() to get the list."
            )
        return InputSource(kind="output", node=value.node, output=value.output), value.mapped_over
    if isinstance(value, CollectHandle):
        return InputSource(kind="collect", node=value.node, output=value.output), None
    if isinstance(value, GraphInputHandle):
        return InputSource(kind="graph_input", output=value.name), None
    if isinstance(value, list) and value and all(isinstance(v, OutputHandle) for v in value):
        return _fan_in(value, where), None
    raise DefinitionError(
        f"{where} got {value!r}; inside a graph, pass outputs of other ops (or graph inputs). "
        "Give constant inputs with In(default_value=...) or op config."
    )


def _fan_in(handles: list[OutputHandle], where: str) -> InputSource:
    for handle in handles:
        if handle.dynamic or handle.mapped_over is not None:
            raise DefinitionError(
                f"{where} fans in the dynamic or mapped output {handle.output!r} of "
                f"{handle.node!r}; gather those with .collect() and pass that instead."
            )
    parts = tuple(InputSource(kind="output", node=h.node, output=h.output) for h in handles)
    return InputSource(kind="fan_in", parts=parts)


def _invoke_op(
    builder: _Builder,
    op_def: OpDefinition[..., Any],
    bound: dict[str, Any],
    name: str,
    hooks: frozenset[HookDefinition] = frozenset(),
) -> Any:
    where = f"Op {op_def.name!r} (node {name!r})"
    inputs: dict[str, InputSource] = {}
    mapped: set[tuple[str, str]] = set()
    for input_name in op_def.input_names:
        if input_name in bound:
            inputs[input_name], over = _source(bound[input_name], f"{where} input {input_name!r}")
            if over is not None:
                mapped.add(over)
            continue
        declared = op_def.ins.get(input_name)
        if declared is not None and declared.default_value is not NO_DEFAULT:
            inputs[input_name] = InputSource(kind="value", value=declared.default_value)
        elif input_name not in op_def.params.defaults and not (declared and declared.is_nothing):
            # as in Dagster, its value then comes from run config: ops.<node>.inputs.<name>
            inputs[input_name] = InputSource(kind="config", output=input_name)
    if len(mapped) > 1:
        raise DefinitionError(f"{where} is mapped over several dynamic outputs {sorted(mapped)}.")
    mapped_over = next(iter(mapped), None)
    node = Node(name=name, op_def=op_def, inputs=inputs, mapped_over=mapped_over, hooks=hooks)
    builder.nodes[name] = node
    if not builder.prefix:
        builder.top_level.append(node)
    handles = tuple(
        OutputHandle(name, out_name, dynamic=out.is_dynamic, mapped_over=mapped_over)
        for out_name, out in op_def.outs.items()
    )
    return handles[0] if len(handles) == 1 else handles


def invoke_in_graph(
    definition: Any,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    *,
    alias: str | None = None,
    hooks: frozenset[HookDefinition] = frozenset(),
) -> Any:
    """Record a call of an op or graph inside the graph being traced; return output handles."""
    builder = current_builder()
    if builder is None:
        raise DefinitionError(
            f"{definition.name!r}.alias(...) can only be called inside a @graph or @job function."
        )
    name = builder.unique_name(alias or definition.name)
    if isinstance(definition, OpDefinition):
        bound = _bind(definition.input_names, args, kwargs, f"Op {definition.name!r}")
        return _invoke_op(builder, definition, bound, name, hooks)
    graph_def: GraphDefinition = definition
    if hooks:
        raise DefinitionError(
            f"Graph {graph_def.name!r} is used with hooks; headwater runs hooks on op nodes and "
            "jobs only: put with_hooks on the ops inside it, or hooks= on the job."
        )
    bound = _bind(graph_def.input_names, args, kwargs, f"Graph {graph_def.name!r}")
    outer_prefix = builder.prefix
    if not outer_prefix:
        builder.top_level.append(GraphNode(name=name, definition=graph_def))
    builder.prefix = f"{name}."
    try:
        returned = graph_def.compose_fn(**bound)
    finally:
        builder.prefix = outer_prefix
    outputs = _graph_outputs(graph_def, returned)
    handles = outputs if isinstance(outputs, tuple) else (outputs,)
    builder.graph_outputs[name] = {
        out: (h.node, h.output)
        for out, h in zip(graph_def.output_names, handles, strict=False)
        if isinstance(h, OutputHandle)
    }
    return outputs


class PendingNode:
    """An op or graph about to be used in a graph under an alias and/or with node hooks:
    what ``op.alias(name)`` and ``op.with_hooks({...})`` return; call it like the op."""

    __slots__ = ("alias_name", "definition", "hooks")

    def __init__(
        self,
        definition: Any,
        *,
        alias: str | None = None,
        hooks: frozenset[HookDefinition] = frozenset(),
    ) -> None:
        self.definition = definition
        self.alias_name = alias
        self.hooks = hooks

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return invoke_in_graph(
            self.definition, args, kwargs, alias=self.alias_name, hooks=self.hooks
        )

    def alias(self, name: str) -> PendingNode:
        """The same, under the node name ``name``."""
        return PendingNode(self.definition, alias=name, hooks=self.hooks)

    def with_hooks(self, hook_defs: Any) -> PendingNode:
        """The same, with ``hook_defs`` (hook definitions) added to the node's hooks."""
        hooks = frozenset(hook_defs or ())
        for hook in hooks:
            if not isinstance(hook, HookDefinition):
                raise DefinitionError(
                    f"{self.definition.name!r}.with_hooks() takes @success_hook/@failure_hook "
                    f"definitions, got {hook!r}."
                )
        return PendingNode(self.definition, alias=self.alias_name, hooks=self.hooks | hooks)


def _graph_outputs(graph_def: GraphDefinition, returned: Any) -> Any:
    names = graph_def.output_names
    if isinstance(returned, Mapping):
        return tuple(returned[n] for n in names) if len(names) > 1 else returned.get(names[0])
    return returned


class GraphDefinition:
    """A composition of ops (and other graphs); make it executable with :meth:`to_job`.

    Attributes:
        name / description: as declared.
        nodes: the graph's own nodes, in the order they were called: a :class:`Node` per op, a
            :class:`GraphNode` per graph used inside it.
        op_nodes: every op node, nested graphs' ops flattened (``"inner.op"``): node name ->
            :class:`Node`, in an order where every node follows its inputs.
        input_names: the graph's inputs. output_names: the graph's outputs.
        input_defs / output_defs: the same, as objects with a ``name``.
        graph_outputs: nested graph node -> output name -> the ``(op node, output)`` it is.
    """

    def __init__(
        self,
        *,
        name: str,
        compose_fn: Callable[..., Any],
        description: str | None = None,
        ins: Mapping[str, Any] | None = None,
        out: Any = None,
    ) -> None:
        from headwater.declarations.signature import analyze_function

        self.name = name
        self.compose_fn = compose_fn
        self.description = description
        params = analyze_function(compose_fn, where=f"Graph {name!r}")
        self.input_names: tuple[str, ...] = tuple(ins or params.input_params)
        self.output_names: tuple[str, ...] = tuple(out) if isinstance(out, Mapping) else ("result",)
        builder = _Builder()
        with _tracing(builder):
            returned = compose_fn(**{n: GraphInputHandle(n) for n in self.input_names})
        self.op_nodes: dict[str, Node] = builder.nodes
        self.nodes: list[Node | GraphNode] = builder.top_level
        self.graph_outputs: dict[str, dict[str, tuple[str, str]]] = builder.graph_outputs
        self.output_handles: tuple[Any, ...] = (
            returned if isinstance(returned, tuple) else (_graph_outputs(self, returned),)
        )

    @property
    def input_defs(self) -> list[NodeInput]:
        """The graph's inputs, each with a ``name``."""
        return [NodeInput(n) for n in self.input_names]

    @property
    def output_defs(self) -> list[NodeOutput]:
        """The graph's outputs, each with a ``name``."""
        return [NodeOutput(n) for n in self.output_names]

    @property
    def node_names(self) -> list[str]:
        """Names of the graph's own nodes."""
        return [n.name for n in self.nodes]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if current_builder() is None:
            raise DefinitionError(
                f"Graph {self.name!r} can only be called inside another @graph or @job; run it "
                f"with {self.name}.to_job().execute_in_process()."
            )
        return invoke_in_graph(self, args, kwargs)

    def alias(self, name: str) -> Callable[..., Any]:
        """Use this graph under another node name inside a graph."""
        return PendingNode(self, alias=name)

    def to_job(
        self,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        executor_def: Any = None,
        hooks: Any = None,
        op_retry_policy: Any = None,
        input_values: Mapping[str, Any] | None = None,
    ) -> JobDefinition:
        """A job executing this graph.

        Args:
            name: the job name (default: the graph name).
            resource_defs: resources of the job (an ``"io_manager"`` defaults to the filesystem).
            config: default run config. tags: run tags. hooks: hooks run after every op.
            executor_def: how runs execute the steps (default: ``multi_or_in_process_executor``).
            op_retry_policy: for ops without one.
            input_values: values of the graph's inputs.

        Example:
            >>> from headwater import InMemoryIOManager, graph, op
            >>> @op
            ... def one() -> int:
            ...     return 1
            >>> @graph
            ... def numbers():
            ...     one()
            >>> job = numbers.to_job(
            ...     "numbers_job", resource_defs={"io_manager": InMemoryIOManager()}
            ... )
            >>> job.name, job.execute_in_process().output_for_node("one")
            ('numbers_job', 1)
        """
        from headwater.declarations.jobs.definition import JobDefinition

        return JobDefinition(
            name=name or self.name,
            graph_def=self,
            description=description or self.description,
            resource_defs=resource_defs,
            config=config,
            tags=tags,
            executor_def=executor_def,
            hooks=hooks,
            op_retry_policy=op_retry_policy,
            input_values=input_values,
        )

    def execute_in_process(self, run_config: Any = None, **kwargs: Any) -> Any:
        """Shorthand for ``self.to_job().execute_in_process(...)``."""
        return self.to_job().execute_in_process(run_config, **kwargs)

    def __repr__(self) -> str:
        return f"<GraphDefinition {self.name!r} ({len(self.op_nodes)} op nodes)>"


@overload
def graph(compose_fn: Callable[..., Any], /) -> GraphDefinition: ...


@overload
def graph(
    compose_fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, Any] | None = None,
    out: Any = None,
) -> Callable[[Callable[..., Any]], GraphDefinition]: ...


def graph(
    compose_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, Any] | None = None,
    out: Any = None,
) -> GraphDefinition | Callable[[Callable[..., Any]], GraphDefinition]:
    """Compose ops into a graph by calling them inside the decorated function.

    Calling an op inside the function returns handles to its outputs (a tuple for several
    outputs); passing a handle to another op makes a dependency. An op used twice gets the node
    names ``op`` and ``op_2`` unless given one with ``op.alias("name")``. Graphs nest: a graph
    called inside a graph contributes nodes named ``"graph.op"``. The function's parameters
    are the graph's inputs and what it returns (a handle, a tuple or a dict) its outputs.

    Args:
        name: the graph name (default: the function name).
        description: documentation (default: the docstring).
        ins: graph input names (default: the function's parameters).
        out: a dict whose keys name several graph outputs (default: one ``"result"``).

    Returns:
        A :class:`GraphDefinition`.

    Raises:
        DefinitionError: a value that is not an op output is passed to an op. (An op input
            left unconnected takes its value from run config, ``{"ops": {node: {"inputs":
            {name: value}}}}``; a run without it is refused with an ``InvalidConfigError``.)

    Example:
        >>> from headwater import graph, op
        >>> @op
        ... def load() -> list[int]:
        ...     return [1, 2, 3]
        >>> @op
        ... def add_one(values: list[int]) -> list[int]:
        ...     return [v + 1 for v in values]
        >>> @op
        ... def total(values: list[int]) -> int:
        ...     return sum(values)
        >>> @graph
        ... def pipeline():
        ...     return total(add_one(load()))
        >>> pipeline.execute_in_process().output_for_node("total")
        9
    """

    def decorate(fn: Callable[..., Any]) -> GraphDefinition:
        return GraphDefinition(
            name=name or fn.__name__,
            compose_fn=fn,
            description=description or (fn.__doc__ or "").strip() or None,
            ins=ins,
            out=out,
        )

    return decorate(compose_fn) if compose_fn is not None else decorate
