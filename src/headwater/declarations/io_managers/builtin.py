"""ConfigurableIOManager and the built-in IO managers (filesystem pickles, in-memory).

These are pydantic models (configurable like any ``ConfigurableResource``); the pickling
itself lives in ``filesystem``, which a run that binds no IO manager uses without pydantic.
"""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from headwater.declarations.io_managers.base import InputContext, IOManager, OutputContext
from headwater.declarations.io_managers.filesystem import PickledFiles, values_by_partition
from headwater.declarations.resources.configurable import ConfigurableResource
from headwater.errors import ExecutionError


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
    """Pickles each output to ``base_dir/<key path>`` (as the default IO manager does).

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

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Pickle ``obj`` to the output's path (atomically).

        When several partitions are stored at once (a single-run range), ``obj`` must be a dict
        of partition key -> value; each is stored as one partition.

        Raises:
            ExecutionError: the value cannot be pickled, or a multi-partition output is not a
                dict covering exactly its partitions.
        """
        PickledFiles(self.base_dir).handle_output(context, obj)

    def load_input(self, context: InputContext) -> Any:
        """Unpickle the upstream value (a dict of partition key -> value for several partitions).

        Raises:
            ExecutionError: nothing was stored yet (materialize the upstream asset first).
        """
        return PickledFiles(self.base_dir).load_input(context)


class InMemoryIOManager(ConfigurableIOManager):
    """Keeps outputs in a dict in this process (used by ``materialize_to_memory``)."""

    _values: dict[tuple[str, ...], Any] = PrivateAttr(default_factory=dict)

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Keep ``obj`` (a dict of partition key -> value when storing several partitions)."""
        ident = tuple(context.get_asset_identifier())
        if len(context.asset_partition_keys) > 1:
            for key, value in values_by_partition(context, obj).items():
                self._values[(*ident, key)] = value
            return
        self._values[ident] = obj

    def load_input(self, context: InputContext) -> Any:
        """Return the kept value (a dict of partition key -> value for several partitions).

        Raises:
            ExecutionError: no value was stored in this process.
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
