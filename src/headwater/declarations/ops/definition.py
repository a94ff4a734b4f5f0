"""``@op``, ``In``, ``Out``, ``DynamicOut``, ``DynamicOutput``: steps that are not assets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar, overload

from headwater.declarations.invocation import bind_direct_call
from headwater.declarations.signature import (
    FunctionParams,
    analyze_function,
    with_var_keyword_inputs,
)
from headwater.errors import DefinitionError
from headwater.metadata import MetadataValue, normalize_metadata

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

NO_DEFAULT: Any = object()
_MAPPING_KEY = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True, slots=True, init=False)
class In:
    """Declares an op input.

    Args:
        dagster_type: a ``DataType`` or Python type checked on the loaded value (``Nothing``
            makes an order-only dependency with no parameter).
        description: documentation.
        default_value: used when nothing is connected to the input.
        metadata: documentation metadata.
        asset_key: reserved (the upstream asset, for ops reading assets).

    Example:
        >>> from headwater import In, op
        >>> @op(ins={"n": In(int, default_value=1)})
        ... def double(n):
        ...     return 2 * n
        >>> double(), double(4)
        (2, 8)
    """

    dagster_type: Any = None
    description: str | None = None
    default_value: Any = NO_DEFAULT
    metadata: Mapping[str, Any] | None = None
    asset_key: Any = None

    def __init__(
        self,
        dagster_type: Any = None,
        description: str | None = None,
        default_value: Any = NO_DEFAULT,
        metadata: Mapping[str, Any] | None = None,
        asset_key: Any = None,
    ) -> None:
        for name, value in (
            ("dagster_type", dagster_type), ("description", description),
            ("default_value", default_value), ("metadata", metadata), ("asset_key", asset_key),
        ):  # fmt: skip
            object.__setattr__(self, name, value)

    @property
    def is_nothing(self) -> bool:
        """Whether this is an order-only (``Nothing``) input."""
        return bool(getattr(self.dagster_type, "is_nothing", False))


@dataclass(frozen=True, slots=True, init=False)
class Out:
    """Declares an op output.

    Args:
        dagster_type: a ``DataType`` or Python type checked on the produced value.
        description: documentation.
        is_required: when ``False`` the op may skip the output; ops reading it are skipped.
        io_manager_key: the resource key of the IO manager storing it (``"io_manager"``).
        metadata: documentation metadata.

    Example:
        >>> from headwater import Out, job, op
        >>> @op(out={"evens": Out(list), "odds": Out(list)})
        ... def split():
        ...     numbers = [1, 2, 3, 4, 5]
        ...     return [n for n in numbers if n % 2 == 0], [n for n in numbers if n % 2]
        >>> @job
        ... def parity():
        ...     split()
        >>> result = parity.execute_in_process()
        >>> result.output_for_node("split", "evens"), result.output_for_node("split", "odds")
        ([2, 4], [1, 3, 5])
    """

    dagster_type: Any = None
    description: str | None = None
    is_required: bool = True
    io_manager_key: str | None = None
    metadata: Mapping[str, Any] | None = None

    def __init__(
        self,
        dagster_type: Any = None,
        description: str | None = None,
        is_required: bool = True,
        io_manager_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        for name, value in (
            ("dagster_type", dagster_type), ("description", description),
            ("is_required", is_required), ("io_manager_key", io_manager_key),
            ("metadata", metadata),
        ):  # fmt: skip
            object.__setattr__(self, name, value)

    @property
    def is_dynamic(self) -> bool:
        """Whether the output yields :class:`DynamicOutput` values (fan-out)."""
        return False


@dataclass(frozen=True, slots=True, init=False)
class DynamicOut(Out):
    """An output producing any number of :class:`DynamicOutput` values, each with a mapping key.

    Downstream ops are mapped over it with ``.map(fn)`` and gathered with ``.collect()``.

    Example:
        >>> from headwater import DynamicOut, DynamicOutput, job, op
        >>> @op(out=DynamicOut())
        ... def files():
        ...     for name in ["a", "b"]:
        ...         yield DynamicOutput(name, mapping_key=name)
        >>> @op
        ... def upper(name: str) -> str:
        ...     return name.upper()
        >>> @op
        ... def join(names: list[str]) -> str:
        ...     return ",".join(names)
        >>> @job
        ... def fan_out():
        ...     join(files().map(upper).collect())
        >>> fan_out.execute_in_process().output_for_node("join")
        'A,B'
    """

    @property
    def is_dynamic(self) -> bool:
        """Always ``True``."""
        return True


class DynamicOutput(Generic[T]):
    """One value of a :class:`DynamicOut`.

    Args:
        value: the value.
        mapping_key: unique among the values of the output; letters, digits and underscores.
        output_name: which output of the op this belongs to.
        metadata: attached to the output event.

    Raises:
        DefinitionError: the mapping key has characters other than letters, digits and ``_``.
    """

    __slots__ = ("mapping_key", "metadata", "output_name", "value")

    def __init__(
        self,
        value: T,
        mapping_key: str,
        output_name: str = "result",
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(mapping_key, str) or not _MAPPING_KEY.match(mapping_key):
            raise DefinitionError(
                f"DynamicOutput mapping_key {mapping_key!r} is not valid: use letters, digits and "
                f"underscores only, e.g. {re.sub(r'[^A-Za-z0-9_]', '_', str(mapping_key))!r}."
            )
        self.value = value
        self.mapping_key = mapping_key
        self.output_name = output_name
        self.metadata: dict[str, MetadataValue] = normalize_metadata(
            metadata, where="DynamicOutput"
        )

    def __repr__(self) -> str:
        return f"DynamicOutput(value={self.value!r}, mapping_key={self.mapping_key!r})"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpDefinition(Generic[P, R]):
    """An op: a function with typed inputs and outputs, run as one step of a job.

    Build one with :func:`op`. Calling it outside a graph invokes the function directly (for
    unit tests); calling it inside a ``@graph``/``@job`` function wires it into the graph.

    Attributes:
        name: the op name. compute_fn: the decorated function. params: its parameter roles.
        ins / outs: declared inputs and outputs (``outs`` defaults to one ``"result"``).
        config_schema: a ``Config`` class for ``context.op_config`` (or ``None``).
        pool: the concurrency pool its steps take a slot of (``None``: no pool).
    """

    name: str
    compute_fn: Callable[P, R]
    params: FunctionParams
    ins: Mapping[str, In]
    outs: Mapping[str, Out]
    config_schema: type[Any] | None = None
    required_resource_keys: frozenset[str] = frozenset()
    retry_policy: Any = None
    tags: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None
    pool: str | None = None

    @property
    def input_names(self) -> tuple[str, ...]:
        """Inputs in parameter order, then ``Nothing`` inputs."""
        nothing = tuple(n for n, i in self.ins.items() if i.is_nothing)
        return (*self.params.input_params, *nothing)

    @property
    def config_class(self) -> type[Any] | None:
        """The ``Config`` class validating this op's run config, if any."""
        if self.params.config_param is not None:
            return self.params.config_param[1]
        return self.config_schema

    def alias(self, name: str) -> Callable[..., Any]:
        """Use this op under another node name inside a graph.

        Example:
            >>> from headwater import graph, op
            >>> @op
            ... def one() -> int:
            ...     return 1
            >>> @op
            ... def add_one(n: int) -> int:
            ...     return n + 1
            >>> @graph
            ... def plus_two():
            ...     return add_one.alias("second")(add_one.alias("first")(one()))
            >>> plus_two.execute_in_process().output_for_node("second")
            3
        """
        from headwater.declarations.ops.graphs import PendingNode

        return PendingNode(self, alias=name)

    def with_hooks(self, hook_defs: Any) -> Callable[..., Any]:
        """Use this op inside a graph with hooks that run after this node only.

        Args:
            hook_defs: a set of ``@success_hook`` / ``@failure_hook`` definitions (added to the
                job's own hooks).

        Raises:
            DefinitionError: an item is not a hook definition.

        Example:
            >>> from headwater import job, op, success_hook
            >>> seen = []
            >>> @success_hook
            ... def note(context):
            ...     seen.append(context.op.name)
            >>> @op
            ... def one() -> int:
            ...     return 1
            >>> @job
            ... def hooked():
            ...     one.with_hooks({note})()
            >>> hooked.execute_in_process().success, seen
            (True, ['one'])
        """
        from headwater.declarations.ops.graphs import PendingNode

        return PendingNode(self).with_hooks(hook_defs)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        from headwater.declarations.ops.graphs import current_builder, invoke_in_graph

        if current_builder() is not None:
            return invoke_in_graph(self, args, kwargs)  # type: ignore[no-any-return]
        return self._invoke_directly(args, kwargs)

    def _invoke_directly(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> R:
        defaults = {
            name: declared.default_value
            for name, declared in self.ins.items()
            if declared.default_value is not NO_DEFAULT
        }
        call_args, call_kwargs = bind_direct_call(
            self.compute_fn, self.params, args, kwargs, what=f"op {self.name!r}",
            context_builder="build_op_context", defaults=defaults,
        )  # fmt: skip
        return self.compute_fn(*call_args, **call_kwargs)

    def __repr__(self) -> str:
        return f"<OpDefinition {self.name!r}>"


def _coerce_outs(out: Out | Mapping[str, Out] | None, where: str) -> dict[str, Out]:
    if out is None:
        return {"result": Out()}
    if isinstance(out, Out):
        return {"result": out}
    if isinstance(out, Mapping) and all(isinstance(o, Out) for o in out.values()):
        if not out:
            raise DefinitionError(f"{where}: out= is empty; omit it for a single output.")
        return dict(out)
    raise DefinitionError(f"{where}: out= must be an Out, a DynamicOut or a dict of them.")


def _config_class(config_schema: Any, where: str) -> type[Any] | None:
    if config_schema is None:
        return None
    from headwater.declarations.config.legacy import config_schema_model

    return config_schema_model(config_schema, f"op {where!r}")


def _build_op(
    fn: Callable[P, R],
    *,
    name: str | None,
    ins: Mapping[str, In] | None,
    out: Out | Mapping[str, Out] | None,
    config_schema: Any,
    required_resource_keys: Iterable[str] | None,
    retry_policy: Any,
    tags: Mapping[str, str] | None,
    description: str | None,
    pool: str | None = None,
) -> OpDefinition[P, R]:
    op_name = name or fn.__name__
    where = f"Op {op_name!r}"
    if not op_name.isidentifier():
        raise DefinitionError(f"{where}: the name must be a Python identifier.")
    ins = dict(ins or {})
    params = analyze_function(fn, where=where, allow_var_keyword=True)
    params = with_var_keyword_inputs(params, [n for n, i in ins.items() if not i.is_nothing])
    unknown = {n for n, i in ins.items() if not i.is_nothing} - set(params.input_params)
    if unknown:
        raise DefinitionError(
            f"{where}: ins= names {sorted(unknown)}, which are not parameters of the function "
            f"(its inputs are {list(params.input_params)}). Rename the parameter or the entry."
        )
    if params.config_param is not None and config_schema is not None:
        raise DefinitionError(f"{where}: use a Config parameter or config_schema=, not both.")
    return OpDefinition(
        name=op_name,
        compute_fn=fn,
        params=params,
        ins=ins,
        outs=_coerce_outs(out, where),
        config_schema=_config_class(config_schema, op_name),
        required_resource_keys=frozenset(required_resource_keys or ())
        | frozenset(params.resource_params.values()),
        retry_policy=retry_policy,
        tags=dict(tags or {}),
        description=description or (fn.__doc__ or "").strip() or None,
        pool=pool,
    )


@overload
def op(compute_fn: Callable[P, R], /) -> OpDefinition[P, R]: ...


@overload
def op(
    compute_fn: None = None,
    /,
    *,
    name: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    retry_policy: Any = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    pool: str | None = None,
) -> Callable[[Callable[P, R]], OpDefinition[P, R]]: ...


def op(
    compute_fn: Callable[P, R] | None = None,
    /,
    *,
    name: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    retry_policy: Any = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    pool: str | None = None,
) -> OpDefinition[P, R] | Callable[[Callable[P, R]], OpDefinition[P, R]]:
    """Declare an op: a step of a job that produces values rather than assets.

    Parameters map as for ``@asset``: an optional ``context`` first, a ``Config``-annotated
    parameter for config, ``ConfigurableResource``-annotated parameters for resources, and the
    rest are inputs. The function returns its single output, a tuple of outputs (one per
    ``Out`` in order), or yields ``Output(value, output_name=...)`` / ``DynamicOutput`` values.

    Args:
        name: the op name (default: the function name).
        ins: input name -> :class:`In` (types, defaults, ``Nothing`` dependencies).
        out: an :class:`Out`/:class:`DynamicOut`, or output name -> ``Out``.
        config_schema: the config in ``context.op_config``: a ``Config`` class or a legacy
            schema (``{"limit": Field(int, default_value=10)}``, ``Shape``, ``str``, ...).
        required_resource_keys: resources the op reads from ``context.resources``.
        retry_policy: a ``RetryPolicy``.
        tags: op tags. description: documentation (default: the docstring).
        pool: a concurrency pool: each step of the op takes a slot of it while it executes,
            so at most the pool's limit (``headwater instance concurrency set``) run at once
            across all runs.

    Returns:
        An :class:`OpDefinition`, callable directly for unit tests.

    Raises:
        DefinitionError: the declaration is inconsistent (message names the op and the fix).

    Example:
        >>> @op
        ... def add_one(n: int) -> int:
        ...     return n + 1
        >>> add_one(1)
        2
    """

    def decorate(fn: Callable[P, R]) -> OpDefinition[P, R]:
        return _build_op(
            fn,
            name=name,
            ins=ins,
            out=out,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            retry_policy=retry_policy,
            tags=tags,
            description=description,
            pool=pool,
        )

    return decorate(compute_fn) if compute_fn is not None else decorate
