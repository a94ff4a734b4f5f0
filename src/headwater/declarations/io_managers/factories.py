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
        >>> from headwater import ConfigurableIOManagerFactory, IOManager, asset, materialize
        >>> class TaggingIOManager(IOManager):  # stores "<tag>:<value>"
        ...     def __init__(self, tag):
        ...         self.tag, self.values = tag, {}
        ...     def handle_output(self, context, obj):
        ...         self.values[context.asset_key] = f"{self.tag}:{obj}"
        ...     def load_input(self, context):
        ...         return self.values[context.asset_key]
        >>> class TaggingIOManagerFactory(ConfigurableIOManagerFactory):
        ...     tag: str = "v1"
        ...     def create_io_manager(self, context):
        ...         return TaggingIOManager(self.tag)
        >>> @asset
        ... def word() -> str:
        ...     return "cat"
        >>> @asset
        ... def shout(word: str) -> str:
        ...     return word.upper()
        >>> result = materialize(
        ...     [word, shout], resources={"io_manager": TaggingIOManagerFactory(tag="v2")}
        ... )
        >>> result.output_for_node("shout")  # its input was loaded as "v2:cat"
        'V2:CAT'
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
        >>> from headwater import (
        ...     ConfigurableLegacyIOManagerAdapter, IOManager, asset, io_manager, materialize)
        >>> class TaggingIOManager(IOManager):  # stores "<tag>:<value>"
        ...     def __init__(self, tag):
        ...         self.tag, self.values = tag, {}
        ...     def handle_output(self, context, obj):
        ...         self.values[context.asset_key] = f"{self.tag}:{obj}"
        ...     def load_input(self, context):
        ...         return self.values[context.asset_key]
        >>> @io_manager(config_schema={"tag": str})
        ... def tagging_io_manager(context):
        ...     return TaggingIOManager(context.resource_config["tag"])
        >>> class TaggingIOManagerAdapter(ConfigurableLegacyIOManagerAdapter):
        ...     tag: str
        ...     @property
        ...     def wrapped_io_manager(self):
        ...         return tagging_io_manager
        >>> @asset
        ... def word() -> str:
        ...     return "cat"
        >>> @asset
        ... def shout(word: str) -> str:
        ...     return word.upper()
        >>> result = materialize(
        ...     [word, shout], resources={"io_manager": TaggingIOManagerAdapter(tag="v2")}
        ... )
        >>> result.output_for_node("shout")
        'V2:CAT'
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
