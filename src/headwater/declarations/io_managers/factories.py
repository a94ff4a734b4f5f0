"""Configurable IO managers made by a factory, and the adapter for ``@io_manager`` functions."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from headwater.declarations.io_managers.base import IOManager
from headwater.declarations.io_managers.legacy import IOManagerDefinition
from headwater.declarations.resources.context import InitResourceContext
from headwater.declarations.resources.factories import ConfigurableResourceFactory, open_wrapped

__all__ = ["ConfigurableIOManagerFactory", "ConfigurableLegacyIOManagerAdapter"]


class ConfigurableIOManagerFactory(ConfigurableResourceFactory[IOManager]):
    """An IO manager with typed config fields that builds the IO manager used in a run.

    Use it when the IO manager itself is an existing class that is not a pydantic model.

    Example:
        >>> class DictIOManager(IOManager):
        ...     def __init__(self, prefix): self.prefix, self.values = prefix, {}
        ...     def handle_output(self, context, obj): self.values[context.name] = obj
        ...     def load_input(self, context): return self.values[context.name]
        >>> class DictIOManagerFactory(ConfigurableIOManagerFactory):
        ...     prefix: str = "p"
        ...     def create_io_manager(self, context):
        ...         return DictIOManager(self.prefix)
    """

    @abstractmethod
    def create_io_manager(self, context: InitResourceContext) -> IOManager:
        """Return the IO manager for the run."""

    def create_resource(self, context: InitResourceContext) -> IOManager:
        """Calls :meth:`create_io_manager`."""
        return self.create_io_manager(context)


class ConfigurableLegacyIOManagerAdapter(ConfigurableIOManagerFactory):
    """Gives an ``@io_manager`` function typed config fields.

    Example:
        >>> @io_manager(config_schema={"prefix": str})
        ... def dict_io_manager(context):
        ...     return DictIOManager(context.resource_config["prefix"])
        >>> class DictIOManagerAdapter(ConfigurableLegacyIOManagerAdapter):
        ...     prefix: str
        ...     @property
        ...     def wrapped_io_manager(self):
        ...         return dict_io_manager
    """

    @property
    @abstractmethod
    def wrapped_io_manager(self) -> IOManagerDefinition:
        """The ``@io_manager`` definition this class wraps."""

    def create_io_manager(self, context: InitResourceContext) -> IOManager:
        """Not used: the wrapped definition makes the IO manager (see ``yield_for_execution``)."""
        raise NotImplementedError

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[Any]:
        """Set up and yield the wrapped IO manager; tear it down after."""
        with open_wrapped(self, self.wrapped_io_manager, context) as value:
            yield value
