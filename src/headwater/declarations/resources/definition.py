"""Resources: the connections and clients injected into assets, and their lifecycle.

Three kinds of value can be bound to a resource key:

- a :class:`~headwater.declarations.resources.configurable.ConfigurableResource` (a pydantic
  model with lifecycle hooks; fields may hold an
  :class:`~headwater.declarations.config.model.EnvVar` or another ``ConfigurableResource``);
- a :class:`~headwater.declarations.resources.legacy.ResourceDefinition`, usually made with
  ``@resource`` from a function that returns or yields the value;
- any other object, handed to user code unchanged.

:func:`initialize_resources` turns the bound values into live ones for a run and tears them
down afterwards. This module does not import pydantic: the classes of the first two kinds are
looked up only in modules already loaded (a value of one of them cannot exist otherwise), so a
run whose resources are plain objects, the default IO manager included, never imports it.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from headwater.declarations.config.model import env_var_name, env_var_refs
from headwater.declarations.resources.context import (
    DEFAULT_LOG,
    InitResourceContext,
    Logger,
    Resources,
    build_init_resource_context,
)
from headwater.errors import (
    DefinitionError,
    InvalidConfigError,
    MissingResourceError,
    user_code_boundary,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from headwater.declarations.resources.configurable import (
        ConfigurableResource as ConfigurableResource,
    )
    from headwater.declarations.resources.legacy import ResourceDefinition as ResourceDefinition
    from headwater.declarations.resources.legacy import resource as resource

__all__ = [
    "InitResourceContext",
    "PartialResource",
    "ResourceParam",
    "Resources",
    "build_init_resource_context",
    "initialize_resources",
    "resource_config_schema",
]

# Names defined here before the pydantic-based classes moved to their own modules; imported on
# first access (PEP 562), so old imports keep working and importing this module stays cheap.
_MOVED = {
    "ConfigurableResource": "headwater.declarations.resources.configurable",
    "ResourceDefinition": "headwater.declarations.resources.legacy",
    "resource": "headwater.declarations.resources.legacy",
}


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


T = TypeVar("T")
RESOURCE_PARAM_MARKER = "resource_param"
ResourceParam = Annotated[T, RESOURCE_PARAM_MARKER]
"""Annotate an asset parameter ``ResourceParam[T]`` to receive a plain-object resource."""

_DEFAULT_LOG = DEFAULT_LOG


def _loaded_class(module: str, name: str) -> type | None:
    """``module.name`` if ``module`` is loaded, else ``None`` (no instance can exist)."""
    cls = getattr(sys.modules.get(module), name, None)
    return cls if isinstance(cls, type) else None


def _is_configurable(value: Any) -> bool:
    cls = _loaded_class("headwater.declarations.resources.configurable", "ConfigurableResource")
    return cls is not None and isinstance(value, cls)


def _is_definition(value: Any) -> bool:
    cls = _loaded_class("headwater.declarations.resources.legacy", "ResourceDefinition")
    return cls is not None and isinstance(value, cls)


class PartialResource:
    """A ``ConfigurableResource`` class whose fields come (partly) from run config when a run
    starts; made by ``ConfigurableResource.configure_at_launch``.

    Attributes:
        resource_class: the resource class.
        partial_values: the fields given when it was made (run config may override them).
    """

    __slots__ = ("partial_values", "resource_class")

    def __init__(self, resource_class: type[ConfigurableResource], values: Mapping[str, Any]):
        unknown = sorted(set(values) - set(resource_class.model_fields))
        if unknown:
            raise DefinitionError(
                f"{resource_class.__name__}.configure_at_launch: unknown fields {unknown}; its "
                f"fields are {sorted(resource_class.model_fields)}."
            )
        self.resource_class = resource_class
        self.partial_values = dict(values)

    def __repr__(self) -> str:
        return f"{self.resource_class.__name__}.configure_at_launch()"


def resource_config_schema(value: Any) -> type[BaseModel] | None:
    """The config class run config is validated against for a resource value.

    Returns the class of a ``ConfigurableResource`` (or of a ``PartialResource``), the
    ``config_class`` of a
    ``ResourceDefinition``, and ``None`` for a plain object (which takes no config).
    """
    if _is_configurable(value):
        return type(value)
    if isinstance(value, PartialResource):
        return value.resource_class
    if _is_definition(value):
        config_class: type[BaseModel] | None = value.config_class
        return config_class
    return None


# ---------------------------------------------------------------------------------------------
# Initialization for a run


@dataclass(eq=False)
class _Unit:
    """One resource to set up: a bound key, or a resource nested in another's field."""

    label: str
    key: str | None
    value: Any
    path: str
    nested: dict[str, _Unit] = field(default_factory=dict)
    deps: list[_Unit] = field(default_factory=list)
    resolved: Any = None
    failed: bool = False


class _Planner:
    """Orders the units so that every resource comes after the ones it depends on."""

    def __init__(self, resources: Mapping[str, Any]) -> None:
        self.resources = resources
        self.order: list[_Unit] = []
        self.by_key: dict[str, _Unit] = {}
        self.visiting: list[str] = []
        self.key_of: dict[int, str] = {}
        for key, value in resources.items():
            if _is_configurable(value) or _is_definition(value):
                self.key_of.setdefault(id(value), key)

    def add_key(self, key: str, needed_by: str | None = None) -> _Unit:
        if key in self.by_key:
            return self.by_key[key]
        if key in self.visiting:
            cycle = " -> ".join([*self.visiting[self.visiting.index(key) :], key])
            raise DefinitionError(f"Resources depend on each other in a cycle: {cycle}.")
        if key not in self.resources:
            raise _missing([key], self.resources, needed_by=needed_by)
        self.visiting.append(key)
        unit = self._add(key, key, self.resources[key], f"resources.{key}.config")
        self.visiting.pop()
        self.by_key[key] = unit
        return unit

    def _add(self, label: str, key: str | None, value: Any, path: str) -> _Unit:
        unit = _Unit(label=label, key=key, value=value, path=path)
        if _is_configurable(value):
            for name in type(value).model_fields:
                child = getattr(value, name)
                if not (_is_configurable(child) or _is_definition(child)):
                    continue  # a plain value (or a plain object given as a ResourceDependency)
                bound = self.key_of.get(id(child))
                if bound is not None and bound != key:
                    unit.nested[name] = self.add_key(bound, needed_by=f"resource '{label}'")
                else:
                    unit.nested[name] = self._add(f"{label}.{name}", None, child, f"{path}.{name}")
        elif _is_definition(value):
            unit.deps = [
                self.add_key(dep, needed_by=f"resource '{label}'")
                for dep in sorted(value.required_resource_keys)
            ]
        self.order.append(unit)
        return unit


def _missing(
    keys: list[str], resources: Mapping[str, Any], *, needed_by: str | None = None
) -> MissingResourceError:
    names = ", ".join(f"'{k}'" for k in keys)
    example = ", ".join(f"'{k}': ..." for k in keys)
    return MissingResourceError(
        f"No resource is bound to {names} (needed by {needed_by or 'the steps of this run'}; "
        f"bound: {', '.join(sorted(resources)) or 'none'}). Provide "
        f"{'it' if len(keys) == 1 else 'them'} with Definitions(resources={{{example}}}) "
        "or materialize(..., resources={...})."
    )


def _read_env_vars(
    values: dict[str, Any], path: str, errors: list[tuple[str, str]]
) -> tuple[dict[str, str], bool]:
    """Replace EnvVar values by the variables' values in place.

    Returns field -> variable name for the fields read, and whether every variable was set.
    """
    read: dict[str, str] = {}
    ok = True
    for name, value in values.items():
        var = env_var_name(value)
        if var is None:
            continue
        text = os.environ.get(var)
        if text is None:
            errors.append(
                (
                    f"{path}.{name}",
                    f"environment variable '{var}' is not set; set it where the run executes "
                    "or give the value in run config",
                )
            )
            ok = False
            continue
        values[name] = text
        read[name] = var
    return read, ok


def _hidden(read: Mapping[str, str]) -> dict[str, str]:
    return {name: f"the value of environment variable '{var}'" for name, var in read.items()}


def _resolve(unit: _Unit, overrides: Mapping[str, Any], errors: list[tuple[str, str]]) -> None:
    """Compute the run's copy of a resource (or its config dict); collect config errors."""
    value = unit.value
    if _is_configurable(value) or isinstance(value, PartialResource):
        from pydantic import ValidationError

        from headwater.declarations.config.base import config_errors

        if isinstance(value, PartialResource):
            cls, values = value.resource_class, dict(value.partial_values)
        else:
            cls = type(value)
            values = {name: getattr(value, name) for name in cls.model_fields}
        values.update(env_var_refs(overrides))
        if any(child.failed for child in unit.nested.values()):
            unit.failed = True
            return
        values.update({name: child.resolved for name, child in unit.nested.items()})
        read, ok = _read_env_vars(values, unit.path, errors)
        try:
            instance = cls.model_validate(values) if ok else None
        except ValidationError as exc:
            errors.extend(config_errors(exc, cls, unit.path, hidden=_hidden(read)))
            instance = None
        if instance is not None:
            instance._hw_env_fields = read
        unit.resolved, unit.failed = instance, instance is None
    elif _is_definition(value):
        before = len(errors)
        unit.resolved = value.resolve_config(overrides, unit.path, errors)
        unit.failed = len(errors) > before
    else:
        if overrides:
            errors.append((unit.path, f"resource '{unit.label}' takes no config"))
        unit.resolved = value


def _open(
    unit: _Unit, live: Mapping[_Unit, Any], log: Logger, instance: Any
) -> AbstractContextManager[Any]:
    """The context manager that sets up and tears down one unit."""
    value = unit.value
    if _is_configurable(value) or isinstance(value, PartialResource):
        resolved: ConfigurableResource = unit.resolved
        # Dependencies hold their live values (a factory's product, a function's resource).
        live_deps = {n: live[child] for n, child in unit.nested.items()}
        changed = {n: v for n, v in live_deps.items() if v is not getattr(resolved, n)}
        if changed:
            resolved = resolved.model_copy(update=changed)
        context = InitResourceContext(
            resource_config={n: getattr(resolved, n) for n in type(resolved).model_fields},
            log=log,
            instance=instance,
            resources=Resources(live_deps),
        )
        return _guarded(unit.label, lambda: resolved.yield_for_execution(context))
    if _is_definition(value):
        context = InitResourceContext(
            resource_config=unit.resolved,
            log=log,
            instance=instance,
            resources=Resources({dep.label: live[dep] for dep in unit.deps}),
        )
        return _guarded(unit.label, lambda: value.open(context))
    return _plain(value)


@contextmanager
def _plain(value: Any) -> Iterator[Any]:
    yield value


def _from_function_result(result: Any) -> AbstractContextManager[Any]:
    # A resource function yields its value (teardown after the yield) or returns it; a
    # returned value is the resource even if it is itself a context manager.
    if inspect.isgenerator(result):
        return contextmanager(lambda: result)()
    return _plain(result)


@contextmanager
def _guarded(label: str, make: Callable[[], AbstractContextManager[Any]]) -> Iterator[Any]:
    """Enter and exit a resource's context manager inside the user code boundary."""
    with user_code_boundary(f"setup of resource '{label}'"):
        manager = make()
        if inspect.isgenerator(manager):  # a yield_for_execution override without @contextmanager
            manager = _from_function_result(manager)
        value = manager.__enter__()
    try:
        yield value
    except BaseException as exc:
        with user_code_boundary(f"teardown of resource '{label}'"):
            suppressed = manager.__exit__(type(exc), exc, exc.__traceback__)
        if not suppressed:
            raise
    else:
        with user_code_boundary(f"teardown of resource '{label}'"):
            manager.__exit__(None, None, None)


@contextmanager
def initialize_resources(
    resources: Mapping[str, Any],
    *,
    required_keys: Collection[str],
    run_config_resources: Mapping[str, Mapping[str, Any]] | None = None,
    log: Logger | None = None,
    instance: Any = None,
) -> Iterator[Resources]:
    """Set up the resources a run needs; tear them down when the block exits.

    Every needed resource's config is resolved first (``EnvVar`` fields read, run config
    applied, fields validated) and all problems are reported together before any setup runs.
    Resources are then set up dependencies first and torn down in reverse order, also when a
    setup or the block fails.

    Args:
        resources: resource key -> a ``ConfigurableResource``, a ``ResourceDefinition`` or any
            object (passed through unchanged).
        required_keys: the keys the run uses; only these (and what they depend on) are set up.
        run_config_resources: resource key -> config from run config (``{"field": value}``;
            ``{"env": "NAME"}`` reads a variable), overriding the definition's fields.
        log: logger handed to resources in their ``InitResourceContext``.
        instance: the ``Instance`` of the run, handed to resources.

    Yields:
        :class:`Resources` holding the live value of every required key and its dependencies.

    Raises:
        MissingResourceError: a required key (or a dependency) is not in ``resources``.
        InvalidConfigError: config is invalid or an environment variable is not set (the
            message names the variable and field, never the value).
        UserCodeError: a resource's setup or teardown raised.

    Example:
        >>> from headwater import ConfigurableResource
        >>> class Counter(ConfigurableResource):
        ...     start: int = 0
        >>> with initialize_resources({"counter": Counter()}, required_keys=["counter"],
        ...                           run_config_resources={"counter": {"start": 5}}) as res:
        ...     res.counter.start
        5
    """
    missing = [key for key in required_keys if key not in resources]
    if missing:
        raise _missing(sorted(missing), resources)
    planner = _Planner(resources)
    for key in resources:
        if key in required_keys:
            planner.add_key(key)
    overrides = run_config_resources or {}
    errors: list[tuple[str, str]] = []
    for unit in planner.order:
        _resolve(unit, overrides.get(unit.key, {}) if unit.key else {}, errors)
    if errors:
        raise InvalidConfigError("Resource config is invalid; no resource was set up.", errors)
    live: dict[_Unit, Any] = {}
    with ExitStack() as stack:
        for unit in planner.order:
            live[unit] = stack.enter_context(_open(unit, live, log or _DEFAULT_LOG, instance))
        yield Resources({key: live[unit] for key, unit in planner.by_key.items()})
