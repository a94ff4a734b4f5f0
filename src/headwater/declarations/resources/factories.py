"""Configurable resources whose run-time value is something else: factories, dependencies on
resources of any kind, and adapters that give a function resource typed config fields."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Generic, TypeVar

from pydantic_core import core_schema

from headwater.declarations.resources.configurable import ConfigurableResource
from headwater.declarations.resources.context import InitResourceContext
from headwater.declarations.resources.legacy import ResourceDefinition
from headwater.errors import InvalidConfigError

__all__ = [
    "ConfigurableLegacyResourceAdapter",
    "ConfigurableResourceFactory",
    "ResourceDependency",
    "open_wrapped",
]

T = TypeVar("T")


class ConfigurableResourceFactory(ConfigurableResource, Generic[T]):
    """A resource with typed config fields whose value in a run is what
    :meth:`create_resource` returns (a client, a connection), not the config object itself.

    Annotate the asset parameter ``ResourceParam[T]`` to receive the created value. Teardown
    goes in :meth:`~headwater.ConfigurableResource.teardown_after_execution`.

    Example:
        >>> from headwater import (
        ...     ConfigurableResourceFactory, ResourceParam, asset, build_init_resource_context,
        ...     materialize)
        >>> class ClientFactory(ConfigurableResourceFactory[dict]):
        ...     url: str
        ...     def create_resource(self, context):
        ...         return {"url": self.url}
        >>> ClientFactory(url="u").create_resource(build_init_resource_context())
        {'url': 'u'}
        >>> @asset
        ... def endpoint(client: ResourceParam[dict]) -> str:
        ...     return client["url"]
        >>> materialize(
        ...     [endpoint], resources={"client": ClientFactory(url="https://api")}
        ... ).output_for_node("endpoint")
        'https://api'
    """

    def __class_getitem__(cls, params: Any) -> Any:
        # The type parameter is for type checkers only: a parametrized pydantic model would be
        # a new class (and would need the caller's module importable).
        return cls

    @abstractmethod
    def create_resource(self, context: InitResourceContext) -> T:
        """Return the run's value of the resource."""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Any]:
        """Set up, yield :meth:`create_resource`'s value, tear down."""
        self.setup_for_execution(context)
        try:
            yield self.create_resource(context)
        finally:
            self.teardown_after_execution(context)


class _AnyResource:
    """Marks a field as holding a resource of any kind (validated as anything)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.any_schema()

    def __repr__(self) -> str:
        return "ResourceDependency"


ResourceDependency = Annotated[T, _AnyResource()]
"""A field of a ``ConfigurableResource`` holding another resource of any kind.

The field may be given a ``ConfigurableResource``, a factory, a ``ResourceDefinition`` or a
plain object; in a run it holds the other resource's live value (set up first, torn down after).

Example:
    >>> class Api(ConfigurableResource):
    ...     credentials: ResourceDependency[dict]
    ...     def token(self) -> str:
    ...         return self.credentials["token"]
    >>> Api(credentials={"token": "t"}).token()
    't'
"""


@contextmanager
def open_wrapped(
    owner: ConfigurableResource, wrapped: ResourceDefinition, context: InitResourceContext
) -> Iterator[Any]:
    """Run a wrapped function resource with the owner's fields as its config."""
    config = {name: getattr(owner, name) for name in type(owner).model_fields}
    errors: list[tuple[str, str]] = []
    resolved = wrapped.resolve_config(config, type(owner).__name__, errors)
    if errors:
        raise InvalidConfigError(
            f"{type(owner).__name__}'s fields do not match the config of the resource it wraps.",
            errors,
        )
    inner = InitResourceContext(
        resource_config=resolved,
        log=context.log,
        instance=context.instance,
        resources=context.resources,
    )
    with wrapped.open(inner) as value:
        yield value


class ConfigurableLegacyResourceAdapter(ConfigurableResource):
    """Gives a function resource (``@resource``) typed config fields.

    Subclass it, declare the wrapped resource's config as fields and return the definition
    from :attr:`wrapped_resource`; in a run the value is the wrapped resource's (its teardown
    runs after the run).

    Example:
        >>> from headwater import (
        ...     ConfigurableLegacyResourceAdapter, ResourceParam, asset, materialize, resource)
        >>> @resource(config_schema={"url": str})
        ... def connection(context):
        ...     return {"url": context.resource_config["url"]}
        >>> class Connection(ConfigurableLegacyResourceAdapter):
        ...     url: str
        ...     @property
        ...     def wrapped_resource(self):
        ...         return connection
        >>> @asset
        ... def endpoint(conn: ResourceParam[dict]) -> str:
        ...     return conn["url"]
        >>> materialize(
        ...     [endpoint], resources={"conn": Connection(url="db://warehouse")}
        ... ).output_for_node("endpoint")
        'db://warehouse'
    """

    @property
    @abstractmethod
    def wrapped_resource(self) -> ResourceDefinition:
        """The function resource this class wraps."""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Any]:
        """Set up and yield the wrapped resource's value; tear it down after."""
        with open_wrapped(self, self.wrapped_resource, context) as value:
            yield value
