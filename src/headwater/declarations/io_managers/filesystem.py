"""Pickled files under a base directory: what ``FilesystemIOManager`` does, without pydantic.

:class:`PickledFiles` holds the behaviour; ``FilesystemIOManager`` (a pydantic model, in
``builtin``) and :class:`DefaultFilesystemIOManager` (a plain class, bound to ``io_manager``
when a run binds none) both delegate to it. A run whose resources take no config therefore
never imports pydantic.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import weakref
from pathlib import Path
from typing import Any

from headwater.declarations.io_managers import _files
from headwater.declarations.io_managers.base import InputContext, IOManager, OutputContext
from headwater.errors import ExecutionError
from headwater.metadata import MetadataValue

__all__ = ["DefaultFilesystemIOManager", "PickledFiles", "values_by_partition"]

_CREATED: set[str] = set()
# An explicit buffer size: ``open()`` then does not ask whether the file is a terminal.
_BUFFER = 64 * 1024
# The storage directory of each instance, as a string (``Path`` arithmetic on every value).
_ROOTS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


class PickledFiles:
    """Pickles each output to ``base_dir/<key path>`` and unpickles it as an input.

    Args:
        base_dir: directory for the files; ``None`` means ``<HEADWATER_HOME>/storage`` of the
            run's instance (a temporary directory when there is no instance).

    A partitioned output is stored as ``<key path>/<partition key>``. Writes go to a temporary
    file first and are moved into place atomically (see ``_files``), so a reader sees the
    previous value or the new one and a crashed process never leaves a half-written value.

    Example:
        >>> files = PickledFiles("/tmp/values")
        >>> files.base_dir
        '/tmp/values'
    """

    __slots__ = ("base_dir",)

    def __init__(self, base_dir: str | None = None) -> None:
        self.base_dir = base_dir

    # Plain strings and a cache of created directories: this runs twice or more per step.
    def _root(self, context: OutputContext | InputContext) -> str:
        if self.base_dir:
            return self.base_dir
        instance = context.instance
        if instance is None:
            import tempfile  # rarely needed; it imports shutil, bz2, lzma, random

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
            ExecutionError: the value cannot be pickled, or a multi-partition output is not a
                dict covering exactly its partitions.
        """
        path = self._path(context)
        if len(context.asset_partition_keys) > 1:
            for key, value in values_by_partition(context, obj).items():
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
            ExecutionError: nothing was stored yet (materialize the upstream asset first).
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


class DefaultFilesystemIOManager(IOManager):
    """The IO manager of a run that binds none to ``io_manager``: pickled files under the
    instance's storage directory, exactly as ``FilesystemIOManager()`` stores them.

    It is a plain object (it takes no run config); to choose the directory, bind
    ``FilesystemIOManager(base_dir=...)`` or ``fs_io_manager`` to ``io_manager``.

    Example:
        >>> DefaultFilesystemIOManager()
        DefaultFilesystemIOManager()
    """

    def __init__(self) -> None:
        self._files = PickledFiles()

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Pickle ``obj`` (see :meth:`PickledFiles.handle_output`)."""
        self._files.handle_output(context, obj)

    def load_input(self, context: InputContext) -> Any:
        """Unpickle the upstream value (see :meth:`PickledFiles.load_input`)."""
        return self._files.load_input(context)

    def __repr__(self) -> str:
        return "DefaultFilesystemIOManager()"


def values_by_partition(context: OutputContext, obj: Any) -> dict[str, Any]:
    """``obj`` as the dict of partition key -> value an output of several partitions must be.

    Raises:
        ExecutionError: ``obj`` is not a dict with exactly the output's partition keys.
    """
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
