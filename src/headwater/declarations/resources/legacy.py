"""Function resources: ``@resource`` and ``ResourceDefinition`` (Dagster's older resource style).

A resource function takes an :class:`~headwater.InitResourceContext` (or nothing) and returns
the resource, or yields it once: the code after the ``yield`` runs when the run's steps are
done, also when they failed. Its config is declared with ``config_schema=`` (a legacy schema
such as ``{"url": str}`` or a ``Config`` class) and read from ``context.resource_config``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Generator, Mapping
from contextlib import AbstractContextManager
from typing import Any, overload

from pydantic import BaseModel, ValidationError

from headwater.declarations.config.base import config_errors
from headwater.declarations.config.legacy import config_schema_model
from headwater.declarations.config.model import ROOT_CONFIG_KEY, env_var_name, env_var_refs
from headwater.declarations.resources.context import (
    InitResourceContext,
    build_init_resource_context,
)
from headwater.errors import DefinitionError, InvalidConfigError

__all__ = ["ResourceDefinition", "resource"]

_FAILED: Any = object()


class ResourceDefinition:
    """A resource made by a function, usually built with :func:`resource`.

    Args:
        resource_fn: called with an :class:`InitResourceContext` (or with no argument if it
            takes none); returns the resource, or yields it once to run teardown code after.
        config_schema: the config it accepts: a legacy schema (``{"url": str}``,
            ``{"retries": Field(int, default_value=3)}``, ``Shape``, ``str``, ...; a dict value
            may also be ``(type, default)``) or a ``Config`` subclass. ``None``: no config.
        description: shown in the UI.
        required_resource_keys: other resources it needs, available as ``context.resources``.

    Raises:
        DefinitionError: the function takes more than one parameter, or the schema is not one.

    Example:
        >>> definition = ResourceDefinition(lambda context: {"url": context.resource_config["url"]},
        ...                                 config_schema={"url": str})
        >>> definition.config_class.__name__
        'Shape'
    """

    def __init__(
        self,
        resource_fn: Callable[..., Any],
        config_schema: Any = None,
        description: str | None = None,
        required_resource_keys: Collection[str] | None = None,
        version: str | None = None,
    ) -> None:
        self.resource_fn = resource_fn
        self.description = description
        self.version = version
        self.required_resource_keys = frozenset(required_resource_keys or ())
        self.config_schema = config_schema
        where = f"resource {getattr(resource_fn, '__name__', 'resource')!r}"
        self.config_class: type[BaseModel] | None = config_schema_model(config_schema, where)
        self._takes_context = _takes_context(resource_fn)
        # Set by configured(): the schema the final config is checked against, and how the
        # config given for this definition becomes that config.
        self._inner_class = self.config_class
        self._config_fn: Callable[[Any], Any] | None = None

    # -- factories ----------------------------------------------------------------------------
    @staticmethod
    def hardcoded_resource(value: Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is always ``value``.

        Example:
            >>> ResourceDefinition.hardcoded_resource(5)()
            5
        """
        return ResourceDefinition(lambda: value, description=description)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is ``None`` (a placeholder for a key nothing really uses)."""
        return ResourceDefinition.hardcoded_resource(None, description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is a fresh ``unittest.mock.MagicMock`` per run (for tests)."""
        from unittest.mock import MagicMock

        return ResourceDefinition(lambda: MagicMock(), description=description)

    def configured(
        self,
        config_or_config_fn: Any,
        name: str | None = None,
        config_schema: Any = None,
        description: str | None = None,
    ) -> ResourceDefinition:
        """A copy with its config given here instead of in run config.

        Args:
            config_or_config_fn: the config (checked now against this definition's schema),
                or a function from the config of ``config_schema`` to this one's config.
            name: unused (resources are named by their key); accepted for Dagster's signature.
            config_schema: with a function: the schema of the config the copy takes.
            description: the copy's description (default: this one's).

        Raises:
            InvalidConfigError: the config does not match the schema (paths under
                ``configured``).
            DefinitionError: ``config_schema`` given with a config value, not a function.

        Example:
            >>> @resource(config_schema={"url": str})
            ... def connection(context):
            ...     return context.resource_config["url"]
            >>> connection.configured({"url": "db://"})(build_init_resource_context())
            'db://'
        """
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.description = description or self.description
        if callable(config_or_config_fn):
            where = f"configured {getattr(config_or_config_fn, '__name__', 'function')!r}"
            copy.config_schema = config_schema
            copy.config_class = config_schema_model(config_schema, where)
            copy._config_fn = _compose(config_or_config_fn, self._config_fn)
            return copy
        if config_schema is not None:
            raise DefinitionError(
                "configured(config, config_schema=...) takes a schema only with a config "
                "function; pass the config alone, or a function of the new schema's config."
            )
        value = config_or_config_fn
        errors: list[tuple[str, str]] = []
        if self.config_class is not None:
            self.resolve_config(_given(self.config_class, value), "configured", errors, env=False)
        elif value not in (None, {}):
            errors.append(("configured", "this resource takes no config"))
        if errors:
            raise InvalidConfigError("configured() was given invalid config.", errors)
        copy.config_schema = None
        copy.config_class = None
        copy._config_fn = _compose(lambda _: value, self._config_fn)
        return copy

    # -- config and setup ---------------------------------------------------------------------
    def resolve_config(
        self,
        given: Mapping[str, Any],
        path: str,
        errors: list[tuple[str, str]],
        *,
        env: bool = True,
    ) -> Any:
        """The ``resource_config`` for a run, from the config run config gives for it.

        Args:
            given: the resource's run config (``{}`` when none was given).
            path: where it sits in run config, for error messages.
            errors: ``(path, problem)`` pairs are appended here.
            env: whether to read environment variables (``False``: skip their errors).

        Returns:
            The validated config (defaults filled), or a private failure marker.
        """
        value: Any = given.get(ROOT_CONFIG_KEY) if _is_root(self.config_class) else dict(given)
        if self.config_class is not None:
            value = _validate(self.config_class, value, path, errors, env=env)
        elif self._config_fn is None:
            return {}
        if value is _FAILED or self._config_fn is None:
            return value
        value = self._config_fn(value)
        if self._inner_class is None:
            return value
        return _validate(self._inner_class, value, path, errors, env=env)

    def open(self, context: InitResourceContext) -> AbstractContextManager[Any]:
        """Run the function with ``context``; a context manager giving the resource."""
        result = self.resource_fn(context) if self._takes_context else self.resource_fn()
        return _Generated(result, self) if inspect.isgenerator(result) else _Plain(result)

    def __call__(self, context: InitResourceContext | None = None) -> Any:
        """Call the function directly (in a unit test).

        The context's ``resource_config`` is validated and defaults filled in first. A
        generator resource gives a context manager: ``with connection(context) as conn: ...``.

        Raises:
            InvalidConfigError: the context's config does not match ``config_schema``.
        """
        context = context or build_init_resource_context()
        if self.config_class is not None or self._config_fn is not None:
            errors: list[tuple[str, str]] = []
            config = self.resolve_config(
                _given(self.config_class, context.resource_config), "resource_config", errors
            )
            if errors:
                raise InvalidConfigError("The resource's config is invalid.", errors)
            context = InitResourceContext(
                resource_config=config,
                log=context.log,
                instance=context.instance,
                resources=context.resources,
            )
        result = self.resource_fn(context) if self._takes_context else self.resource_fn()
        return _Generated(result, self) if inspect.isgenerator(result) else result

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self.resource_fn, '__name__', 'resource')})"


class _Plain(AbstractContextManager[Any]):
    """A returned value is the resource even if it is itself a context manager."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __enter__(self) -> Any:
        return self.value

    def __exit__(self, *exc: object) -> None:
        return None


class _Generated(AbstractContextManager[Any]):
    """A generator resource: its one yielded value is the resource; the code after the
    ``yield`` is the teardown, resumed (not interrupted) even when the run failed."""

    def __init__(self, generator: Generator[Any, Any, Any], definition: Any) -> None:
        self.generator = generator
        self.definition = definition

    def __enter__(self) -> Any:
        try:
            return next(self.generator)
        except StopIteration:
            raise DefinitionError(
                f"{self.definition!r} returned without yielding its resource; yield it once."
            ) from None

    def __exit__(self, *exc: object) -> None:
        try:
            next(self.generator)
        except StopIteration:
            return None
        self.generator.close()
        raise DefinitionError(
            f"{self.definition!r} yielded more than once; yield its resource once."
        )


def _compose(outer: Callable[[Any], Any], inner: Callable[[Any], Any] | None) -> Callable[..., Any]:
    if inner is None:
        return outer
    return lambda value: inner(outer(value))


def _is_root(model: type[BaseModel] | None) -> bool:
    return bool(getattr(model, "hw_scalar_root", False))


def _given(model: type[BaseModel] | None, value: Any) -> dict[str, Any]:
    """Config as run config hands it over: a dict, or the root value under a private key."""
    if _is_root(model):
        return {ROOT_CONFIG_KEY: value}
    return dict(value) if isinstance(value, Mapping) else {ROOT_CONFIG_KEY: value}


def _validate(
    model: type[BaseModel], value: Any, path: str, errors: list[tuple[str, str]], *, env: bool
) -> Any:
    if _is_root(model):
        root = model.model_fields["root"]
        if value is None and not root.is_required():
            value = root.get_default(call_default_factory=True)
    elif value is None:
        value = {}
    elif not isinstance(value, Mapping):
        errors.append((path, f"expected mapping, got {value!r} ({type(value).__name__})"))
        return _FAILED
    if getattr(model, "hw_legacy_schema", None) is None and isinstance(value, Mapping):
        value = _read_env(env_var_refs(value), path, errors) if env else value
        if value is _FAILED:
            return _FAILED
    try:
        return model.model_validate(value).model_dump()
    except ValidationError as exc:
        found = config_errors(exc, model, path)
        if not env:
            found = [e for e in found if "environment variable" not in e[1]]
        errors.extend(found)
        return _FAILED


def _read_env(values: dict[str, Any], path: str, errors: list[tuple[str, str]]) -> Any:
    """For a ``Config``-class schema: replace ``EnvVar`` values by the variables' values."""
    import os

    ok = True
    for name, value in values.items():
        var = env_var_name(value)
        if var is None:
            continue
        if var not in os.environ:
            errors.append((f"{path}.{name}", f"environment variable '{var}' is not set"))
            ok = False
        else:
            values[name] = os.environ[var]
    return values if ok else _FAILED


def _takes_context(fn: Callable[..., Any]) -> bool:
    params = list(inspect.signature(fn).parameters.values())
    if len(params) > 1:
        raise DefinitionError(
            f"Resource function {getattr(fn, '__name__', fn)!r} takes {len(params)} "
            "parameters; it takes none or one (the InitResourceContext)."
        )
    return bool(params)


@overload
def resource(config_schema: Callable[..., Any], /) -> ResourceDefinition: ...


@overload
def resource(
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: Collection[str] | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], ResourceDefinition]: ...


def resource(
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: Collection[str] | None = None,
    version: str | None = None,
) -> ResourceDefinition | Callable[[Callable[..., Any]], ResourceDefinition]:
    """Make a :class:`ResourceDefinition` from a function that returns or yields the resource.

    Used bare (``@resource``) or with arguments.

    Args:
        config_schema: the config it accepts (see :class:`ResourceDefinition`).
        description: shown in the UI (default: the docstring).
        required_resource_keys: other resources it needs, set up first and available as
            ``context.resources``.
        version: a version string (recorded, not used yet).

    Returns:
        A :class:`ResourceDefinition`; bind it to a key in ``Definitions(resources=...)``.

    Example:
        >>> from headwater import asset, materialize, resource
        >>> log = []
        >>> @resource(config_schema={"url": str})
        ... def connection(context):
        ...     log.append("open")
        ...     yield {"url": context.resource_config["url"]}
        ...     log.append("close")  # code after the yield runs at teardown
        >>> @asset(required_resource_keys={"connection"})
        ... def endpoint(context) -> str:
        ...     return context.resources.connection["url"]
        >>> materialize(
        ...     [endpoint], resources={"connection": connection},
        ...     run_config={"resources": {"connection": {"config": {"url": "db://x"}}}},
        ... ).output_for_node("endpoint")
        'db://x'
        >>> log
        ['open', 'close']
    """
    if callable(config_schema) and not isinstance(config_schema, type):
        return resource()(config_schema)

    def wrap(function: Callable[..., Any]) -> ResourceDefinition:
        return ResourceDefinition(
            function,
            config_schema=config_schema,
            description=description or inspect.getdoc(function),
            required_resource_keys=required_resource_keys,
            version=version,
        )

    return wrap
