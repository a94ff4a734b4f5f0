"""Function IO managers: ``@io_manager``, ``IOManagerDefinition``, ``fs_io_manager``,
``mem_io_manager`` (Dagster's older IO manager style).

An IO manager function takes an :class:`~headwater.InitResourceContext` and returns an
:class:`~headwater.IOManager`; bind the definition to the IO manager's key
(``Definitions(resources={"io_manager": my_io_manager})``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from typing import Any, overload

from headwater.declarations.config.legacy import Field, StringSource
from headwater.declarations.io_managers.base import IOManager
from headwater.declarations.io_managers.builtin import FilesystemIOManager, InMemoryIOManager
from headwater.declarations.resources.context import InitResourceContext
from headwater.declarations.resources.legacy import ResourceDefinition
from headwater.errors import DefinitionError

__all__ = ["IOManagerDefinition", "fs_io_manager", "io_manager", "mem_io_manager"]


class IOManagerDefinition(ResourceDefinition):
    """A resource whose value is an :class:`~headwater.IOManager`; usually made with
    :func:`io_manager`.

    Args:
        resource_fn: called with an :class:`InitResourceContext`; returns the IO manager.
        config_schema, description, required_resource_keys, version: as for
            :class:`~headwater.ResourceDefinition`.
        input_config_schema, output_config_schema: per-input / per-output config; not
            supported yet (a ``DefinitionError`` says so).

    Example:
        >>> from headwater import IOManager, IOManagerDefinition, asset, materialize
        >>> class DictIOManager(IOManager):
        ...     def __init__(self):
        ...         self.values = {}
        ...     def handle_output(self, context, obj):
        ...         self.values[context.asset_key] = obj
        ...     def load_input(self, context):
        ...         return self.values[context.asset_key]
        >>> dict_io_manager = IOManagerDefinition(lambda context: DictIOManager())
        >>> @asset
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> @asset
        ... def total(numbers: list[int]) -> int:
        ...     return sum(numbers)
        >>> materialize(
        ...     [numbers, total], resources={"io_manager": dict_io_manager}
        ... ).output_for_node("total")
        6
    """

    def __init__(
        self,
        resource_fn: Callable[..., Any],
        config_schema: Any = None,
        description: str | None = None,
        required_resource_keys: Collection[str] | None = None,
        version: str | None = None,
        input_config_schema: Any = None,
        output_config_schema: Any = None,
    ) -> None:
        if input_config_schema is not None or output_config_schema is not None:
            raise DefinitionError(
                f"IO manager {getattr(resource_fn, '__name__', '')!r}: input_config_schema= and "
                "output_config_schema= are not supported yet; read per-asset settings from "
                "context.definition_metadata (AssetIn/asset metadata) instead."
            )
        super().__init__(
            resource_fn,
            config_schema=config_schema,
            description=description,
            required_resource_keys=required_resource_keys,
            version=version,
        )

    @staticmethod
    def hardcoded_io_manager(
        value: IOManager, description: str | None = None
    ) -> IOManagerDefinition:
        """An IO manager definition that is always ``value``."""
        return IOManagerDefinition(lambda: value, description=description)


@overload
def io_manager(config_schema: Callable[..., Any], /) -> IOManagerDefinition: ...


@overload
def io_manager(
    config_schema: Any = None,
    description: str | None = None,
    output_config_schema: Any = None,
    input_config_schema: Any = None,
    required_resource_keys: Collection[str] | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], IOManagerDefinition]: ...


def io_manager(
    config_schema: Any = None,
    description: str | None = None,
    output_config_schema: Any = None,
    input_config_schema: Any = None,
    required_resource_keys: Collection[str] | None = None,
    version: str | None = None,
) -> IOManagerDefinition | Callable[[Callable[..., Any]], IOManagerDefinition]:
    """Make an :class:`IOManagerDefinition` from a function returning an ``IOManager``.

    Used bare (``@io_manager``) or with arguments.

    Args:
        config_schema: the config it accepts, read as ``context.resource_config``.
        description: shown in the UI (default: the docstring).
        output_config_schema, input_config_schema: not supported yet.
        required_resource_keys: resources it needs, as ``context.resources``.
        version: a version string (recorded, not used yet).

    Example:
        >>> import json
        >>> from pathlib import Path
        >>> from headwater import IOManager, asset, io_manager, materialize
        >>> class JsonIOManager(IOManager):
        ...     def __init__(self, root):
        ...         self.root = Path(root)
        ...     def handle_output(self, context, obj):
        ...         self.root.mkdir(parents=True, exist_ok=True)
        ...         (self.root / f"{context.asset_key.to_user_string()}.json").write_text(
        ...             json.dumps(obj))
        ...     def load_input(self, context):
        ...         return json.loads(
        ...             (self.root / f"{context.asset_key.to_user_string()}.json").read_text())
        >>> @io_manager(config_schema={"root": str})
        ... def json_io_manager(context):
        ...     return JsonIOManager(root=context.resource_config["root"])
        >>> @asset
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> materialize(
        ...     [numbers],
        ...     resources={"io_manager": json_io_manager.configured({"root": "data"})},
        ... ).success
        True
        >>> Path("data/numbers.json").read_text()
        '[1, 2, 3]'
    """
    if callable(config_schema) and not isinstance(config_schema, type):
        return io_manager()(config_schema)

    def wrap(function: Callable[..., Any]) -> IOManagerDefinition:
        return IOManagerDefinition(
            function,
            config_schema=config_schema,
            description=description or inspect.getdoc(function),
            required_resource_keys=required_resource_keys,
            version=version,
            input_config_schema=input_config_schema,
            output_config_schema=output_config_schema,
        )

    return wrap


def _filesystem(context: InitResourceContext) -> FilesystemIOManager:
    return FilesystemIOManager(base_dir=context.resource_config.get("base_dir"))


def _in_memory(context: InitResourceContext) -> InMemoryIOManager:
    return InMemoryIOManager()


fs_io_manager = IOManagerDefinition(
    _filesystem,
    config_schema={"base_dir": Field(StringSource, is_required=False)},
    description="Pickles each output to base_dir/<asset key path> (default: the instance's "
    "storage directory). A FilesystemIOManager.",
)
"""Pickles outputs to files (a :class:`~headwater.FilesystemIOManager`); config
``base_dir`` (default: the instance's storage directory). Example:
``fs_io_manager.configured({"base_dir": "/data"})``."""

mem_io_manager = IOManagerDefinition(
    _in_memory,
    description="Keeps outputs in memory for the duration of the run. An InMemoryIOManager.",
)
"""Keeps outputs in this process for one run (a :class:`~headwater.InMemoryIOManager`)."""
