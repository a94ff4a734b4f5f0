"""ConfigurableIOManager and the built-in IO managers (filesystem pickles, in-memory)."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from headwater.definitions.io_managers import InputContext, IOManager, OutputContext
from headwater.definitions.metadata import MetadataValue
from headwater.definitions.resources import ConfigurableResource
from headwater.errors import HeadwaterError


class ConfigurableIOManager(ConfigurableResource, IOManager):
    """An IO manager with typed config fields (a pydantic model, like ``ConfigurableResource``).

    Example:
        >>> class JsonIOManager(ConfigurableIOManager):
        ...     root: str
        ...     def handle_output(self, context, obj): ...
        ...     def load_input(self, context): ...
    """


class FilesystemIOManager(ConfigurableIOManager):
    """Pickles each output to ``base_dir/<key path>`` (default IO manager).

    Args:
        base_dir: directory for the files; default ``<HEADWATER_HOME>/storage`` of the run's
            instance (a temporary directory when there is no instance).

    A partitioned output is stored as ``<key path>/<partition key>``. Writes go to a temporary
    file first and are renamed into place, so a crash never leaves a half-written value.
    """

    base_dir: str | None = None

    def _root(self, context: OutputContext | InputContext) -> Path:
        if self.base_dir:
            return Path(self.base_dir)
        instance = context.instance
        if instance is not None:
            return Path(instance.storage_directory)
        return Path(tempfile.gettempdir()) / "headwater-storage"

    def _path(self, context: OutputContext | InputContext) -> Path:
        return self._root(context).joinpath(*context.get_asset_identifier())

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Pickle ``obj`` to the output's path (atomically)."""
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            tmp.unlink(missing_ok=True)
            raise HeadwaterError(
                f"FilesystemIOManager cannot pickle the value of {context.get_asset_identifier()} "
                f"({type(obj).__name__}): {exc}. Return a picklable value or use another IO "
                "manager for this asset (io_manager_key=...)."
            ) from exc
        context.add_output_metadata({"path": MetadataValue.path(path)})

    def load_input(self, context: InputContext) -> Any:
        """Unpickle the upstream value.

        Raises:
            HeadwaterError: nothing was stored yet (materialize the upstream asset first).
        """
        path = self._path(context)
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            ident = "/".join(context.get_asset_identifier())
            raise HeadwaterError(
                f"No stored value for {ident!r} at {path}. Materialize the upstream asset first "
                "(e.g. select it with '+' in --select)."
            ) from None


class InMemoryIOManager(ConfigurableIOManager):
    """Keeps outputs in a dict in this process (used by ``materialize_to_memory``)."""

    _values: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Keep ``obj``."""
        self._values[tuple(context.get_asset_identifier())] = obj

    def load_input(self, context: InputContext) -> Any:
        """Return the kept value.

        Raises:
            HeadwaterError: no value was stored in this process.
        """
        ident = tuple(context.get_asset_identifier())
        try:
            return self._values[ident]
        except KeyError:
            raise HeadwaterError(
                f"InMemoryIOManager holds no value for {'/'.join(ident)!r}; in-memory values "
                "exist only within one process. Include the upstream asset in the selection."
            ) from None
