"""``@success_hook`` and ``@failure_hook``: code run after an op of a job succeeds or fails."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, overload

from headwater.errors import DefinitionError

SUCCESS = "success"
FAILURE = "failure"


@dataclass(frozen=True, slots=True, kw_only=True)
class HookContext:
    """What a hook knows about the op it follows.

    Attributes:
        op_name: the node name of the op (``"graph.op"`` when nested).
        step_key: the step (``"op[key]"`` for a mapped op).
        run_id / job_name: the run.
        log: logger whose messages are stored as events of the step.
        resources: the run's resources.
        op_exception: the user's exception the op failed with (``None`` for success hooks).
        op_output_values: output name -> value produced (success hooks).
        instance: the run's :class:`~headwater.Instance`.
    """

    op_name: str
    step_key: str
    run_id: str
    job_name: str
    log: Any
    resources: Any
    op_exception: BaseException | None = None
    op_output_values: Mapping[str, Any] = field(default_factory=dict)
    instance: Any = None
    hook_name: str = ""

    @property
    def op(self) -> Any:
        """An object with the op's ``name`` (Dagster passes the node here)."""
        return _NodeRef(self.op_name)


@dataclass(frozen=True, slots=True)
class _NodeRef:
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HookDefinition:
    """A hook: ``hook_fn(context)`` run after each op whose outcome is ``event``.

    Attributes:
        name: the hook name. event: ``"success"`` or ``"failure"``.
        required_resource_keys: resources the hook reads from ``context.resources``.
    """

    name: str
    hook_fn: Callable[[HookContext], Any]
    event: str
    required_resource_keys: frozenset[str] = frozenset()

    def __call__(self, context: HookContext) -> Any:
        return self.hook_fn(context)


def _hook_decorator(
    event: str,
    hook_fn: Callable[[HookContext], Any] | None,
    name: str | None,
    required_resource_keys: Iterable[str] | None,
) -> Any:
    def decorate(fn: Callable[[HookContext], Any]) -> HookDefinition:
        code = getattr(fn, "__code__", None)
        if code is None or code.co_argcount != 1:
            raise DefinitionError(
                f"Hook {getattr(fn, '__name__', fn)!r} must take exactly one argument, the "
                "HookContext: def my_hook(context): ..."
            )
        return HookDefinition(
            name=name or fn.__name__,
            hook_fn=fn,
            event=event,
            required_resource_keys=frozenset(required_resource_keys or ()),
        )

    return decorate(hook_fn) if hook_fn is not None else decorate


@overload
def success_hook(hook_fn: Callable[[HookContext], Any], /) -> HookDefinition: ...


@overload
def success_hook(
    hook_fn: None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[[HookContext], Any]], HookDefinition]: ...


def success_hook(
    hook_fn: Callable[[HookContext], Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Any:
    """Declare a hook run after each op of a job that succeeds.

    An error raised by the hook is logged as an event of the step; it does not fail the run.

    Args:
        name: the hook name (default: the function name).
        required_resource_keys: resources the hook uses.

    Returns:
        A :class:`HookDefinition`; pass it to ``@job(hooks={...})``.

    Example:
        >>> from headwater import job, op, success_hook
        >>> succeeded = []
        >>> @success_hook
        ... def announce(context):
        ...     context.log.info(f"{context.op_name} succeeded")
        ...     succeeded.append(context.op_name)
        >>> @op
        ... def one() -> int:
        ...     return 1
        >>> @job(hooks={announce})
        ... def numbers():
        ...     one()
        >>> numbers.execute_in_process().success, succeeded
        (True, ['one'])
    """
    return _hook_decorator(SUCCESS, hook_fn, name, required_resource_keys)


@overload
def failure_hook(hook_fn: Callable[[HookContext], Any], /) -> HookDefinition: ...


@overload
def failure_hook(
    hook_fn: None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[[HookContext], Any]], HookDefinition]: ...


def failure_hook(
    hook_fn: Callable[[HookContext], Any] | None = None,
    /,
    *,
    name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Any:
    """Declare a hook run after each op of a job that fails (``context.op_exception`` is set).

    Example:
        >>> from headwater import failure_hook, job, op
        >>> pages = []
        >>> @failure_hook
        ... def page(context):
        ...     pages.append(f"{context.op_name} failed: {context.op_exception}")
        >>> @op
        ... def fetch() -> None:
        ...     raise ConnectionError("API returned 503")
        >>> @job(hooks={page})
        ... def ingest():
        ...     fetch()
        >>> ingest.execute_in_process(raise_on_error=False).success
        False
        >>> pages
        ['fetch failed: API returned 503']
    """
    return _hook_decorator(FAILURE, hook_fn, name, required_resource_keys)
