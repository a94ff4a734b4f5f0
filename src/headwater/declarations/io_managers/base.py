"""IO managers: how asset values are stored and loaded between steps."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.errors import PartitionError
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue, normalize_metadata

if TYPE_CHECKING:
    from headwater.declarations.partitions.base import PartitionKeyRange

_LOG = logging.getLogger("headwater.io")


@dataclass(kw_only=True)
class OutputContext:
    """What an IO manager's ``handle_output`` knows about the value it stores.

    Attributes:
        name: the output name (``"result"`` for single assets).
        asset_key: the asset being stored (``None`` for op outputs).
        definition_metadata: the asset's definition metadata, as it was declared (raw values
            or ``MetadataValue`` s).
        step_key / run_id: where the value comes from.
        partition_key: the partition being stored, or ``None``.
        dagster_type: the declared return annotation, if any.
        resources: the run's initialized resources.
        instance: the :class:`~headwater.Instance` of the run (``None`` in unit tests).
        log: a logger whose messages land in the event log.
        op_def: the op producing the output (op jobs; ``None`` for assets and in unit tests).
    """

    name: str = "result"
    asset_key: AssetKey | None = None
    definition_metadata: Mapping[str, Any] = field(default_factory=dict)
    step_key: str | None = None
    run_id: str | None = None
    partition_key: str | None = None
    dagster_type: Any = None
    resources: Any = None
    instance: Any = None
    log: logging.Logger | logging.LoggerAdapter[Any] = _LOG
    asset_partition_keys: Sequence[str] = ()
    partitions_def: Any = None
    op_def: Any = None
    _output_metadata: dict[str, MetadataValue] = field(default_factory=dict)

    @property
    def has_asset_key(self) -> bool:
        """Whether this output is an asset."""
        return self.asset_key is not None

    @property
    def has_partition_key(self) -> bool:
        """Whether a single partition is being stored."""
        return self.partition_key is not None

    @property
    def has_asset_partitions(self) -> bool:
        """Whether the output is one or more partitions of a partitioned asset."""
        return bool(self.asset_partition_keys)

    @property
    def asset_partition_key_range(self) -> PartitionKeyRange:
        """The first and last partition being stored."""
        return _key_range(self.asset_partition_keys, "output", self.name)

    @property
    def asset_partitions_time_window(self) -> Any:
        """The time window spanned by the stored partitions (time-partitioned assets only)."""
        return _time_window(self.partitions_def, self.asset_partition_keys, self.name)

    @property
    def asset_partition_key(self) -> str:
        """The partition key; raises when unpartitioned."""
        if self.partition_key is None:
            raise PartitionError(f"Output {self.name!r} is not partitioned.")
        return self.partition_key

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Alias of ``definition_metadata``."""
        return self.definition_metadata

    def get_asset_identifier(self) -> list[str]:
        """The key path (plus the partition key when partitioned), e.g. for file paths."""
        if self.asset_key is None:
            return [self.step_key or "op", self.name]
        path = list(self.asset_key.path)
        return [*path, self.partition_key] if self.partition_key else path

    def add_output_metadata(self, metadata: Mapping[str, Any]) -> None:
        """Attach metadata to the materialization being recorded (e.g. a file path)."""
        self._output_metadata.update(normalize_metadata(metadata, where="add_output_metadata"))

    @property
    def output_metadata(self) -> Mapping[str, MetadataValue]:
        """Metadata added by the IO manager with :meth:`add_output_metadata`."""
        return self._output_metadata


@dataclass(kw_only=True)
class InputContext:
    """What an IO manager's ``load_input`` knows about the value it loads.

    Attributes:
        name: the input (parameter) name.
        asset_key: the upstream asset (``None`` for op inputs).
        metadata: the ``AssetIn`` metadata.
        upstream_output: the ``OutputContext`` the value was stored with.
        partition_key: the upstream partition to load, or ``None``.
        dagster_type: the parameter annotation, if any.
        resources, instance, log: as for :class:`OutputContext`.
    """

    name: str
    asset_key: AssetKey | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    upstream_output: OutputContext | None = None
    partition_key: str | None = None
    dagster_type: Any = None
    resources: Any = None
    instance: Any = None
    log: logging.Logger | logging.LoggerAdapter[Any] = _LOG
    asset_partition_keys: Sequence[str] = ()
    partitions_def: Any = None

    @property
    def has_asset_key(self) -> bool:
        """Whether this input is an asset."""
        return self.asset_key is not None

    @property
    def has_partition_key(self) -> bool:
        """Whether the run targets a single partition (of the downstream asset)."""
        return self.partition_key is not None

    @property
    def has_asset_partitions(self) -> bool:
        """Whether partitions of the upstream asset are being loaded (``asset_partition_keys``)."""
        return bool(self.asset_partition_keys)

    @property
    def asset_partition_key(self) -> str:
        """The one upstream partition being loaded; raises unless there is exactly one."""
        if len(self.asset_partition_keys) != 1:
            raise PartitionError(
                f"Input {self.name!r} loads {len(self.asset_partition_keys)} upstream partitions; "
                "use asset_partition_keys."
            )
        return self.asset_partition_keys[0]

    @property
    def asset_partition_key_range(self) -> PartitionKeyRange:
        """The first and last upstream partition being loaded."""
        return _key_range(self.asset_partition_keys, "input", self.name)

    @property
    def asset_partitions_time_window(self) -> Any:
        """The time window spanned by the upstream partitions being loaded."""
        return _time_window(self.partitions_def, self.asset_partition_keys, self.name)

    def get_asset_identifier(self) -> list[str]:
        """The upstream key path (plus the partition when exactly one upstream partition is
        loaded), matching what the upstream OutputContext gave when it was stored."""
        if self.asset_key is None:
            if self.upstream_output is not None:
                return self.upstream_output.get_asset_identifier()
            return [self.name]
        path = list(self.asset_key.path)
        keys = self.asset_partition_keys
        return [*path, keys[0]] if len(keys) == 1 else path


class IOManager(ABC):
    """Stores step outputs and loads them as inputs of downstream steps.

    Subclass it (or :class:`~headwater.ConfigurableIOManager` to get config fields) and
    implement both methods.

    Example:
        >>> from headwater import IOManager, asset, materialize
        >>> class DictIOManager(IOManager):
        ...     def __init__(self):
        ...         self.values = {}
        ...     def handle_output(self, context, obj):
        ...         self.values[tuple(context.get_asset_identifier())] = obj
        ...     def load_input(self, context):
        ...         return self.values[tuple(context.get_asset_identifier())]
        >>> @asset
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> @asset
        ... def total(numbers: list[int]) -> int:
        ...     return sum(numbers)
        >>> store = DictIOManager()
        >>> materialize([numbers, total], resources={"io_manager": store}).success
        True
        >>> store.values
        {('numbers',): [1, 2, 3], ('total',): 6}
    """

    @abstractmethod
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Store ``obj``."""

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load and return the value."""


def _key_range(keys: Sequence[str], what: str, name: str) -> PartitionKeyRange:
    from headwater.declarations.partitions.base import PartitionKeyRange

    if not keys:
        raise PartitionError(f"The {what} {name!r} is not partitioned.")
    return PartitionKeyRange(keys[0], keys[-1])


def _time_window(partitions_def: Any, keys: Sequence[str], name: str) -> Any:
    window_of = getattr(partitions_def, "time_window_for_partition_key", None)
    if window_of is None or not keys:
        raise PartitionError(f"{name!r} is not time-partitioned, so it has no time window.")
    from headwater.declarations.partitions.time_window import TimeWindow

    return TimeWindow(window_of(keys[0]).start, window_of(keys[-1]).end)


def build_output_context(**kwargs: Any) -> OutputContext:
    """An :class:`OutputContext` for testing an IO manager.

    ``asset_key`` may be a string; ``partition_key`` alone also sets ``asset_partition_keys``.
    """
    key = kwargs.get("asset_key")
    if key is not None and not isinstance(key, AssetKey):
        kwargs["asset_key"] = AssetKey.from_coercible(key)
    if kwargs.get("partition_key") is not None:
        kwargs.setdefault("asset_partition_keys", [kwargs["partition_key"]])
    return OutputContext(**kwargs)


def build_input_context(**kwargs: Any) -> InputContext:
    """An :class:`InputContext` for testing an IO manager.

    ``asset_key`` may be a string; ``partition_key`` alone (the partition being loaded, with
    identity mapping) also sets ``asset_partition_keys``.
    """
    key = kwargs.get("asset_key")
    if key is not None and not isinstance(key, AssetKey):
        kwargs["asset_key"] = AssetKey.from_coercible(key)
    kwargs.setdefault("name", "input")
    if kwargs.get("partition_key") is not None:
        kwargs.setdefault("asset_partition_keys", [kwargs["partition_key"]])
    return InputContext(**kwargs)
