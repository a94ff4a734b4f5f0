"""Direct invocation: calling an asset or op function outside a run (in a unit test).

A run fills a function's parameters itself (context, inputs, config, resources). Called
directly, the caller gives them; :func:`bind_direct_call` maps what was given onto the
parameters the way a run would, and refuses a call that does not fit with an
:class:`~headwater.errors.InvalidInvocationError` naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.declarations.signature import FunctionParams
from headwater.errors import InvalidInvocationError


def looks_like_context(value: Any) -> bool:
    """Whether ``value`` is an execution context (built or real), without importing execution.

    Decided by the value's class, not by its attributes: a ``unittest.mock.Mock`` passed as a
    resource has every attribute, yet is no context.
    """
    cls = type(value)
    return hasattr(cls, "log") and hasattr(cls, "run_id")


def bind_direct_call(
    fn: Callable[..., Any],
    params: FunctionParams,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    *,
    what: str,
    context_builder: str,
    defaults: Mapping[str, Any] | None = None,
    on_context: Callable[[Any], None] | None = None,
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The ``(args, kwargs)`` to call ``fn`` with for the direct call ``(*args, **kwargs)``.

    Args:
        fn: the decorated function.
        params: its parameter roles.
        args / kwargs: what the caller passed.
        what: names the definition in messages (``"asset 'orders'"``).
        context_builder: the function that builds a context for it, named in the error when
            the function takes a context and none was passed (``"build_asset_context"``).
        defaults: input name -> value used when the caller gives none (``In(default_value=)``).
        on_context: called with the context the function will receive (given or built).

    A context may come first positionally (or by its parameter name); as in Dagster, a function
    that takes a context must be given one. A context passed to a function without a
    context parameter only supplies resources. Resource parameters not passed are taken from
    the context's resources. A ``Config`` parameter not passed is the class's defaults when it
    has defaults for every field.

    Raises:
        InvalidInvocationError: too many positional arguments, an unknown keyword, an input
            (or config) without a value, or no context for a function that takes one.
        KeyError: a resource parameter that neither the call nor the context provides.
    """
    import inspect

    rest = list(args)
    given = dict(kwargs)
    context = None
    if params.context_param is not None:
        # the context parameter is always the first one
        if params.context_param in given:
            context = given[params.context_param]
        elif rest and looks_like_context(rest[0]):
            context = rest[0]
        else:
            raise InvalidInvocationError(
                f"Direct invocation of {what}: its function takes a context "
                f"({params.context_param!r}) but none was passed; pass {context_builder}() as "
                f"the first argument, e.g. {context_builder}(resources={{...}})."
            )
    elif rest and looks_like_context(rest[0]):
        context = rest.pop(0)
    if context is not None and on_context is not None:
        on_context(context)
    signature = inspect.signature(fn)
    try:
        bound = signature.bind_partial(*rest, **given)
    except TypeError as exc:
        raise InvalidInvocationError(
            f"Direct invocation of {what} does not fit its parameters: {exc}. Its inputs are "
            f"{list(params.input_params)}."
        ) from None
    arguments = bound.arguments
    for name, key in params.resource_params.items():
        if name not in arguments:
            arguments[name] = _resource_from_context(context, key, what)
    if params.config_param is not None and params.config_param[0] not in arguments:
        default = _default_config(params.config_param[1])
        if default is not None:
            arguments[params.config_param[0]] = default
    for name, value in (defaults or {}).items():
        arguments.setdefault(name, value)
    flat: dict[str, Any] = {}
    for name, value in arguments.items():
        if signature.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
            flat.update(value)  # inputs declared in ins= reach **kwargs by name
        else:
            flat[name] = value
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if name not in flat
        and parameter.default is inspect.Parameter.empty
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]
    missing += [n for n in params.input_params if n not in signature.parameters and n not in flat]
    if missing:
        raise InvalidInvocationError(
            f"Direct invocation of {what} gives no value for {missing}: pass each input by "
            "name or position (e.g. my_asset(upstream=...)), config as a Config instance and "
            "resources by name."
        )
    complete = signature.bind(**flat)
    return complete.args, complete.kwargs


def _resource_from_context(context: Any, key: str, what: str) -> Any:
    resources = getattr(context, "resources", None)
    try:
        return getattr(resources, key)
    except AttributeError:
        raise KeyError(
            f"{what} needs resource {key!r}: pass {key}=... or a context built with "
            f"build_asset_context(resources={{{key!r}: ...}})."
        ) from None


def _default_config(config_class: type[Any]) -> Any:
    try:
        return config_class()
    except Exception:  # a field without a default: the caller must pass config
        return None
