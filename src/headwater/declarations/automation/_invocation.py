"""Calling a schedule or sensor function: its context parameter and its resources."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from headwater.declarations.signature import analyze_function, is_resource_class
from headwater.errors import (
    DefinitionError,
    InvalidInvocationError,
    MissingResourceError,
)

_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def check_name(name: str, what: str) -> str:
    """``name`` if it is a valid schedule/sensor name.

    Raises:
        DefinitionError: it has characters other than letters, digits and ``_``.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise DefinitionError(
            f"{what} name {name!r} is not valid: use letters, digits and _ only (for a lambda, "
            "pass name=)."
        )
    return name


@dataclass(frozen=True, slots=True)
class UserFunction:
    """A user's schedule or sensor function and what its parameters ask for.

    The first parameter receives the context unless it is annotated with a resource class;
    every parameter annotated with a ``ConfigurableResource`` (or ``ResourceParam``) receives
    the resource whose key is the parameter name.
    """

    fn: Callable[..., Any]
    context_param: str | None
    resource_params: tuple[str, ...]
    what: str  # "sensor 'name'", for messages
    value_params: tuple[str, ...] = ()  # after the context: values the caller passes (an event)

    @staticmethod
    def analyze(fn: Callable[..., Any], what: str, *, values: int = 0) -> UserFunction:
        """Classify ``fn``'s parameters.

        Args:
            fn: the user's function.
            what: names it in messages.
            values: how many positional parameters after the context receive values the
                caller passes to :meth:`call` (an asset sensor's event: 1).

        Raises:
            DefinitionError: a parameter is neither the context, one of the ``values``, nor an
                annotated resource.
        """
        params = analyze_function(fn, where=what)
        code = fn.__code__
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        context_param = None
        resources: list[str] = []
        value_params: list[str] = []
        for index, name in enumerate(names):
            annotation = params.annotations.get(name)
            if is_resource_class(annotation):
                resources.append(name)
            elif index == 0:
                context_param = name
            elif len(value_params) < values and index < code.co_argcount:
                value_params.append(name)
            elif name not in params.defaults:
                raise DefinitionError(
                    f"{what}: parameter {name!r} is neither the context (the first parameter) "
                    "nor a resource. Annotate it with its ConfigurableResource class (the "
                    "parameter name is the resource key), or use required_resource_keys= and "
                    "context.resources."
                )
        return UserFunction(fn, context_param, tuple(resources), what, tuple(value_params))

    def invoke(
        self, args: tuple[Any, ...], kwargs: Mapping[str, Any], make_context: Callable[[], Any]
    ) -> Any:
        """Call the function as a user calls the definition directly; return what it returns.

        Raises:
            HeadwaterError: the context is missing, or too many arguments were given.
            MissingResourceError: a resource parameter has no value.
        """
        kwargs = dict(kwargs)
        if len(args) > 1:
            raise InvalidInvocationError(
                f"{self.what} takes its context as the only positional argument; pass "
                "resources by keyword."
            )
        context = args[0] if args else kwargs.pop(self.context_param or "context", None)
        if context is None and self.context_param is not None:
            raise InvalidInvocationError(
                f"{self.what} expects a context argument: call it with "
                f"build_{self.what.split()[0]}_context(...)."
            )
        if context is None:
            context = make_context()
        return self.call(context, kwargs)

    def call(
        self,
        context: Any,
        given: Mapping[str, Any] | None = None,
        values: tuple[Any, ...] = (),
    ) -> Any:
        """Call the function with ``context``, ``values`` (for the value parameters, in order)
        and its resources (``given`` override)."""
        given = given or {}
        unknown = set(given) - set(self.resource_params)
        if unknown:
            raise InvalidInvocationError(
                f"{self.what} has no parameter(s) {sorted(unknown)}; its resource parameters "
                f"are {list(self.resource_params)}."
            )
        needed = [p for p in self.resource_params if p not in given]
        kwargs: dict[str, Any] = dict(given)
        if needed:
            available = context._available_resources()
            missing = [key for key in needed if key not in available]
            if missing:
                raise MissingResourceError(
                    f"{self.what} needs resource(s) {missing}, which were not provided. Pass "
                    "them with resources={...} to the context builder, or to "
                    "Definitions(resources={...})."
                )
            live = context._live_resources(needed)
            kwargs.update({key: live[key] for key in needed})
        if self.context_param is not None:
            kwargs[self.context_param] = context
        kwargs.update(zip(self.value_params, values, strict=False))
        return self.fn(**kwargs)
