"""``@job``: a job of ops, a graph bound to resources, config, tags and hooks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, overload

from headwater.declarations.jobs.definition import JobDefinition
from headwater.declarations.ops.graphs import GraphDefinition
from headwater.declarations.ops.hooks import HookDefinition


@overload
def job(compose_fn: Callable[..., Any], /) -> JobDefinition: ...


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
) -> Callable[[Callable[..., Any]], JobDefinition]: ...


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
) -> JobDefinition | Callable[[Callable[..., Any]], JobDefinition]:
    """Declare a job of ops: the decorated function calls ops as in ``@graph``.

    Args:
        name: the job name (default: the function name).
        config: default run config (``{"ops": {node: {"config": {...}}}}``).
        resource_defs: resource key -> resource; ``"io_manager"`` defaults to a
            ``FilesystemIOManager`` under the instance.
        executor_def: how runs execute the steps (``in_process_executor``,
            ``multiprocess_executor``...; default: the ``Definitions``' executor, else
            ``multi_or_in_process_executor``).
        tags: tags of every run. description: documentation (default: the docstring).
        hooks: ``@success_hook``/``@failure_hook`` definitions run after every op.
        op_retry_policy: a ``RetryPolicy`` for ops without their own.

    Returns:
        An :class:`JobDefinition`; pass it to ``Definitions(jobs=[...])`` or call
        ``execute_in_process()``.

    Example:
        >>> from headwater import job, op
        >>> @op
        ... def load() -> list[int]:
        ...     return [1, 2, 3]
        >>> @op
        ... def add_one(values: list[int]) -> list[int]:
        ...     return [v + 1 for v in values]
        >>> @op
        ... def total(values: list[int]) -> int:
        ...     return sum(values)
        >>> @job
        ... def numbers():
        ...     total(add_one(load()))
        >>> result = numbers.execute_in_process()
        >>> result.success, result.output_for_node("total")
        (True, 9)
    """

    def decorate(fn: Callable[..., Any]) -> JobDefinition:
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
