"""ConfigurableIOManager and the built-in IO managers (filesystem pickles, in-memory)."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import weakref
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from headwater.declarations.io_managers import _files
from headwater.declarations.io_managers.base import InputContext, IOManager, OutputContext
from headwater.declarations.resources.definition import ConfigurableResource
from headwater.errors import ExecutionError
from headwater.metadata import MetadataValue


class ConfigurableIOManager(ConfigurableResource, IOManager):
    """An IO manager with typed config fields (a pydantic model, like ``ConfigurableResource``).

    Example:
        >>> import json
        >>> from pathlib import Path
        >>> from headwater import ConfigurableIOManager, asset, materialize
        >>> class JsonIOManager(ConfigurableIOManager):
        ...     root: str
        ...     def path(self, context):
        ...         return Path(self.root, *context.get_asset_identifier()).with_suffix(".json")
        ...     def handle_output(self, context, obj):
        ...         self.path(context).parent.mkdir(parents=True, exist_ok=True)
        ...         self.path(context).write_text(json.dumps(obj))
        ...     def load_input(self, context):
        ...         return json.loads(self.path(context).read_text())
        >>> @asset
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> @asset
        ... def total(numbers: list[int]) -> int:
        ...     return sum(numbers)
        >>> io_manager = JsonIOManager(root="data")
        >>> materialize([numbers, total], resources={"io_manager": io_manager}).success
        True
        >>> Path("data/numbers.json").read_text(), Path("data/total.json").read_text()
        ('[1, 2, 3]', '6')
    """


class FilesystemIOManager(ConfigurableIOManager):
    """Pickles each output to ``base_dir/<key path>`` (default IO manager).

    Args:
        base_dir: directory for the files; default ``<HEADWATER_HOME>/storage`` of the run's
            instance (a temporary directory when there is no instance).

    A partitioned output is stored as ``<key path>/<partition key>``. Writes go to a temporary
    file first and are moved into place atomically, so a reader sees the previous value or the
    new one and a crashed process never leaves a half-written value. (On Linux the move is an
    atomic exchange of the two names, which spares the disk flush ext4 does on a rename over an
    existing file; after a power loss, a value written in the last seconds may be found empty.)
    """

    base_dir: str | None = None

    # Plain strings and a cache of created directories: this runs twice or more per step.
    def _root(self, context: OutputContext | InputContext) -> str:
        if self.base_dir:
            return self.base_dir
        instance = context.instance
        if instance is None:
            return os.path.join(tempfile.gettempdir(), "headwater-storage")
        root = _ROOTS.get(instance)
        if root is None:
            root = _ROOTS[instance] = str(instance.storage_directory)
        return root

    def _path(self, context: OutputContext | InputContext) -> str:
        return os.path.join(self._root(context), *context.get_asset_identifier())

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Pickle ``obj`` to the output's path (atomically).

        When several partitions are stored at once (a single-run range), ``obj`` must be a dict
        of partition key -> value; each is stored as one partition.

        Raises:
            HeadwaterError: the value cannot be pickled, or a multi-partition output is not a
                dict covering exactly its partitions.
        """
        path = self._path(context)
        if len(context.asset_partition_keys) > 1:
            for key, value in _values_by_partition(context, obj).items():
                self._write(context, os.path.join(path, key), value)
        else:
            self._write(context, path, obj)
        context.add_output_metadata({"path": MetadataValue.path(path)})

    def _write(self, context: OutputContext, path: str, obj: Any) -> None:
        directory = os.path.dirname(path)
        if directory not in _CREATED:
            os.makedirs(directory, exist_ok=True)
            _CREATED.add(directory)
        tmp = _files.temporary_path(path)
        try:
            with open(tmp, "wb", buffering=_BUFFER) as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            _files.install(tmp, path)
        except FileNotFoundError:
            _CREATED.discard(directory)  # removed behind our back (e.g. a wiped instance)
            os.makedirs(directory, exist_ok=True)
            self._write(context, path, obj)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise ExecutionError(
                f"FilesystemIOManager cannot pickle the value of {context.get_asset_identifier()} "
                f"({type(obj).__name__}): {exc}. Return a picklable value or use another IO "
                "manager for this asset (io_manager_key=...)."
            ) from exc

    def load_input(self, context: InputContext) -> Any:
        """Unpickle the upstream value (a dict of partition key -> value for several partitions).

        Raises:
            HeadwaterError: nothing was stored yet (materialize the upstream asset first).
        """
        path = self._path(context)
        if len(context.asset_partition_keys) > 1:
            return {
                k: self._read(context, os.path.join(path, k)) for k in context.asset_partition_keys
            }
        return self._read(context, path)

    def _read(self, context: InputContext, path: str) -> Any:
        try:
            with open(path, "rb", buffering=_BUFFER) as fh:
                return pickle.load(fh)
        except (FileNotFoundError, NotADirectoryError):
            ident = Path(os.path.relpath(path, self._root(context))).as_posix()
            raise ExecutionError(
                f"No stored value for {ident!r} at {path}. Materialize the upstream asset first "
                "(e.g. select it with '+' in --select)."
            ) from None


_CREATED: set[str] = set()
# An explicit buffer size: ``open()`` then does not ask whether the file is a terminal.
_BUFFER = 64 * 1024
# The storage directory of each instance, as a string (``Path`` arithmetic on every value).
_ROOTS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


class InMemoryIOManager(ConfigurableIOManager):
    """Keeps outputs in a dict in this process (used by ``materialize_to_memory``)."""

    _values: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Keep ``obj`` (a dict of partition key -> value when storing several partitions)."""
        ident = tuple(context.get_asset_identifier())
        if len(context.asset_partition_keys) > 1:
            for key, value in _values_by_partition(context, obj).items():
                self._values[(*ident, key)] = value
            return
        self._values[ident] = obj

    def load_input(self, context: InputContext) -> Any:
        """Return the kept value (a dict of partition key -> value for several partitions).

        Raises:
            HeadwaterError: no value was stored in this process.
        """
        ident = tuple(context.get_asset_identifier())
        if len(context.asset_partition_keys) > 1:
            return {k: self._get((*ident, k)) for k in context.asset_partition_keys}
        return self._get(ident)

    def _get(self, ident: tuple[str, ...]) -> Any:
        try:
            return self._values[ident]
        except KeyError:
            raise ExecutionError(
                f"InMemoryIOManager holds no value for {'/'.join(ident)!r}; in-memory values "
                "exist only within one process. Include the upstream asset in the selection."
            ) from None


def _values_by_partition(context: OutputContext, obj: Any) -> dict[str, Any]:
    keys = list(context.asset_partition_keys)
    if not isinstance(obj, dict) or set(obj) != set(keys):
        got = sorted(obj)[:5] if isinstance(obj, dict) else type(obj).__name__
        raise ExecutionError(
            f"Asset {context.get_asset_identifier()} materializes {len(keys)} partitions in one "
            f"run ({keys[0]} ... {keys[-1]}), so it must return a dict with one value per "
            f"partition key; got {got}. Return {{key: value for key in "
            "context.partition_keys}, or run one partition per run."
        )
    return obj
