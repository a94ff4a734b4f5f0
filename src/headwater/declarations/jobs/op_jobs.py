"""``@job``: an executable graph of ops bound to resources, config, tags and hooks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

from headwater.declarations import _seam
from headwater.declarations.ops.graphs import GraphDefinition, Node
from headwater.declarations.ops.hooks import HookDefinition
from headwater.errors import DefinitionError


class OpJobDefinition:
    """A job of ops: a graph plus what it needs to run.

    Attributes:
        name, description, tags: as declared. graph_def: the :class:`GraphDefinition`.
        resource_defs: resource key -> resource. config: default run config.
        hooks: hooks run after every op. op_retry_policy: for ops without their own.
    """

    def __init__(
        self,
        *,
        name: str,
        graph_def: GraphDefinition,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        executor_def: Any = None,
        hooks: Iterable[HookDefinition] | None = None,
        op_retry_policy: Any = None,
        input_values: Mapping[str, Any] | None = None,
    ) -> None:
        if not name.isidentifier():
            raise DefinitionError(f"Job name {name!r} is not valid: use letters, digits and _.")
        self.name = name
        self.graph_def = graph_def
        self.description = description
        self.resource_defs = dict(resource_defs or {})
        self.config = dict(config or {})
        self.tags = dict(tags or {})
        if executor_def is not None:
            raise DefinitionError(
                f"Job {name!r}: executor_def is not supported yet; steps run in process. Remove "
                "executor_def (the multiprocess and Dask executors are planned)."
            )
        self.executor_def = None
        self.hooks = frozenset(hooks or ())
        for hook in self.hooks:
            if not isinstance(hook, HookDefinition):
                raise DefinitionError(
                    f"Job {name!r}: hooks= takes @success_hook/@failure_hook definitions, got "
                    f"{hook!r}."
                )
        self.op_retry_policy = op_retry_policy
        self.input_values = dict(input_values or {})
        missing = set(graph_def.input_names) - set(self.input_values)
        if missing:
            raise DefinitionError(
                f"Job {name!r}: graph inputs {sorted(missing)} have no value; pass "
                "to_job(input_values={...})."
            )

    @property
    def nodes(self) -> Mapping[str, Node]:
        """Node name -> node, every node after the nodes it reads from."""
        return self.graph_def.nodes

    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | None = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        run_id: str | None = None,
        listeners: list[Callable[..., None]] | None = None,
    ) -> Any:
        """Execute the job in this process and record the run.

        Args:
            run_config: ``{"ops": {node: {"config": {...}}}, "resources": {...}}``; nested
                graphs take ``{"ops": {graph: {"ops": {op: {"config": ...}}}}}`` or the dotted
                node name. Validated before anything runs.
            instance: where to store the run (default: an ephemeral instance).
            resources: resources overriding the job's.
            raise_on_error: raise the first op error after the run is recorded.
            op_selection: node names to run (``"*op"``: op and its upstream; ``"op+"`` /
                ``"op*"``: op and one level / all of its downstream). Inputs from unselected
                ops are loaded from their IO managers.
            tags: run tags (merged over the job's).

        Returns:
            An :class:`~headwater.ExecuteInProcessResult`; ``output_for_node("graph.op")``
            reads a nested op's output, and a mapped op's output is a dict mapping key -> value.

        Raises:
            InvalidConfigError: bad run config, listing every path (nothing is stored).
            UserCodeError: with ``raise_on_error``, the first op error.

        Example:
            >>> result = my_job.execute_in_process()
            >>> result.output_for_node("add_one")
            2
        """
        return _seam.call(
            "execute_op_job_in_process",
            self,
            run_config=run_config,
            instance=instance,
            resources=resources,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            tags=tags,
            run_id=run_id,
            listeners=listeners,
        )

    def __repr__(self) -> str:
        return f"<OpJobDefinition {self.name!r}>"


@overload
def job(compose_fn: Callable[..., Any], /) -> OpJobDefinition: ...


@overload
def job(
    compose_fn: None = None,
    /,
    *,
    name: str | None = None,
    config: Mapping[str, Any] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    executor_def: Any = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    hooks: Iterable[HookDefinition] | None = None,
    op_retry_policy: Any = None,
) -> Callable[[Callable[..., Any]], OpJobDefinition]: ...


def job(
    compose_fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    config: Mapping[str, Any] | None = None,
    resource_defs: Mapping[str, Any] | None = None,
    executor_def: Any = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    hooks: Iterable[HookDefinition] | None = None,
    op_retry_policy: Any = None,
) -> OpJobDefinition | Callable[[Callable[..., Any]], OpJobDefinition]:
    """Declare a job of ops: the decorated function calls ops as in ``@graph``.

    Args:
        name: the job name (default: the function name).
        config: default run config (``{"ops": {node: {"config": {...}}}}``).
        resource_defs: resource key -> resource; ``"io_manager"`` defaults to a
            ``FilesystemIOManager`` under the instance.
        executor_def: not supported yet (steps run in process); passing one raises.
        tags: tags of every run. description: documentation (default: the docstring).
        hooks: ``@success_hook``/``@failure_hook`` definitions run after every op.
        op_retry_policy: a ``RetryPolicy`` for ops without their own.

    Returns:
        An :class:`OpJobDefinition`; pass it to ``Definitions(jobs=[...])`` or call
        ``execute_in_process()``.

    Example:
        >>> @job
        ... def numbers():
        ...     total(add_one(load()))
        >>> numbers.execute_in_process().success
        True
    """

    def decorate(fn: Callable[..., Any]) -> OpJobDefinition:
        graph_def = GraphDefinition(
            name=name or fn.__name__,
            compose_fn=fn,
            description=description or (fn.__doc__ or "").strip() or None,
        )
        return graph_def.to_job(
            config=config,
            resource_defs=resource_defs,
            executor_def=executor_def,
            tags=tags,
            hooks=hooks,
            op_retry_policy=op_retry_policy,
        )

    return decorate(compose_fn) if compose_fn is not None else decorate
