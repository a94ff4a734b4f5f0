"""Partition mappings: which upstream partitions each downstream partition depends on.

A mapping answers both directions: the upstream partitions a run of some downstream
partitions loads, and the downstream partitions that a new upstream partition affects.
Without an explicit mapping, :func:`infer_partition_mapping` picks the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from headwater.declarations.partitions._key_mappings import (
    SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
)
from headwater.declarations.partitions._key_mappings import (
    StaticPartitionMapping as StaticPartitionMapping,
)
from headwater.declarations.partitions._mapping_base import PartitionMapping as PartitionMapping
from headwater.declarations.partitions._mapping_base import (
    PartitionMappingError as PartitionMappingError,
)
from headwater.declarations.partitions._mapping_base import (
    UpstreamPartitionsResult as UpstreamPartitionsResult,
)
from headwater.declarations.partitions._mapping_base import (
    all_keys_if,
    describe,
    need_partitioned,
    split_existing,
    unique,
)
from headwater.declarations.partitions._multi_mappings import (
    DimensionPartitionMapping as DimensionPartitionMapping,
)
from headwater.declarations.partitions._multi_mappings import (
    MultiPartitionMapping as MultiPartitionMapping,
)
from headwater.declarations.partitions._multi_mappings import (
    MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
)
from headwater.declarations.partitions._multi_mappings import matching_dimensions
from headwater.declarations.partitions._time_window_mapping import (
    TimeWindowPartitionMapping as TimeWindowPartitionMapping,
)
from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionsDefinition,
)
from headwater.declarations.partitions.multi import MultiPartitionsDefinition
from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "AllPartitionMapping",
    "DimensionPartitionMapping",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "MultiPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionMapping",
    "PartitionMappingError",
    "SpecificPartitionsPartitionMapping",
    "StaticPartitionMapping",
    "TimeWindowPartitionMapping",
    "UpstreamPartitionsResult",
    "infer_partition_mapping",
]


@dataclass(frozen=True, slots=True)
class IdentityPartitionMapping(PartitionMapping):
    """Each downstream partition depends on the upstream partition with the same key.

    The default between two assets with the same partitions definition. With different
    definitions, downstream keys missing upstream are reported as required but nonexistent.

    Example:
        >>> from headwater import StaticPartitionsDefinition
        >>> regions = StaticPartitionsDefinition(["eu", "us"])
        >>> IdentityPartitionMapping().get_upstream_partitions_for_partitions(
        ...     ["eu"], regions, regions).partition_keys
        ['eu']
    """

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """Both assets must be partitioned (or both unpartitioned)."""
        if (upstream_partitions_def is None) != (downstream_partitions_def is None):
            need_partitioned(self, upstream_partitions_def, downstream_partitions_def)

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The same keys; those the upstream does not have are required but nonexistent."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        if upstream_partitions_def is None or not downstream_partition_keys:
            return UpstreamPartitionsResult([], [])
        if upstream_partitions_def == downstream_partitions_def:
            return UpstreamPartitionsResult(unique(downstream_partition_keys), [])
        present, missing = split_existing(
            upstream_partitions_def,
            downstream_partition_keys,
            current_time,
            dynamic_partitions_store,
        )
        return UpstreamPartitionsResult(present, missing)

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The same keys, those the downstream has."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        if downstream_partitions_def is None or not upstream_partition_keys:
            return []
        if upstream_partitions_def == downstream_partitions_def:
            return unique(upstream_partition_keys)
        return split_existing(
            downstream_partitions_def,
            upstream_partition_keys,
            current_time,
            dynamic_partitions_store,
        )[0]


@dataclass(frozen=True, slots=True)
class AllPartitionMapping(PartitionMapping):
    """Every downstream partition depends on every upstream partition.

    The default between a partitioned and an unpartitioned asset (either way round).

    Example:
        >>> from headwater import StaticPartitionsDefinition
        >>> regions = StaticPartitionsDefinition(["eu", "us"])
        >>> AllPartitionMapping().get_upstream_partitions_for_partitions(
        ...     None, None, regions).partition_keys
        ['eu', 'us']
    """

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """Every upstream key that exists at ``current_time`` (none for an empty request)."""
        wanted = downstream_partition_keys is None or bool(downstream_partition_keys)
        keys = all_keys_if(wanted, upstream_partitions_def, current_time, dynamic_partitions_store)
        return UpstreamPartitionsResult(keys, [])

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Every downstream key, unless ``upstream_partition_keys`` is empty."""
        changed = upstream_partition_keys is None or bool(upstream_partition_keys)
        return all_keys_if(
            changed, downstream_partitions_def, current_time, dynamic_partitions_store
        )


@dataclass(frozen=True, slots=True)
class LastPartitionMapping(PartitionMapping):
    """Every downstream partition depends on the last upstream partition (at the time).

    Example:
        >>> from headwater import StaticPartitionsDefinition
        >>> regions = StaticPartitionsDefinition(["eu", "us"])
        >>> LastPartitionMapping().get_upstream_partitions_for_partitions(
        ...     None, None, regions).partition_keys
        ['us']
    """

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """The upstream asset must be partitioned."""
        need_partitioned(
            self, upstream_partitions_def, downstream_partitions_def, upstream_only=True
        )

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The last upstream key, or none while the upstream has no partitions."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        assert upstream_partitions_def is not None  # checked just above
        if downstream_partition_keys is not None and not downstream_partition_keys:
            return UpstreamPartitionsResult([], [])
        last = upstream_partitions_def.get_last_partition_key(
            current_time, dynamic_partitions_store
        )
        return UpstreamPartitionsResult([] if last is None else [last], [])

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Every downstream key if the upstream keys include the last one, else none."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        assert upstream_partitions_def is not None  # checked just above
        last = upstream_partitions_def.get_last_partition_key(
            current_time, dynamic_partitions_store
        )
        changed = last is not None and last in set(upstream_partition_keys or ())
        return all_keys_if(
            changed, downstream_partitions_def, current_time, dynamic_partitions_store
        )


def infer_partition_mapping(
    upstream_partitions_def: PartitionsDefinition | None,
    downstream_partitions_def: PartitionsDefinition | None,
) -> PartitionMapping:
    """The mapping used between two assets when none is given.

    - the same definition (or both unpartitioned): :class:`IdentityPartitionMapping`
      (:class:`AllPartitionMapping` when both are unpartitioned);
    - two time-window definitions: :class:`TimeWindowPartitionMapping` (daily -> monthly, ...);
    - a partitioned and an unpartitioned asset: :class:`AllPartitionMapping`;
    - a multi-partitions definition and a single definition equal to exactly one of its
      dimensions: :class:`MultiToSingleDimensionPartitionMapping`.

    Args:
        upstream_partitions_def: the upstream asset's partitions (``None``: unpartitioned).
        downstream_partitions_def: the downstream asset's partitions (``None``: unpartitioned).

    Returns:
        The mapping.

    Raises:
        PartitionMappingError: for any other pair, naming both definitions.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, MonthlyPartitionsDefinition)
        >>> infer_partition_mapping(DailyPartitionsDefinition("2024-01-01"),
        ...                         MonthlyPartitionsDefinition("2024-01-01"))
        TimeWindowPartitionMapping(start_offset=0, end_offset=0, \
allow_nonexistent_upstream_partitions=False)
    """
    upstream, downstream = upstream_partitions_def, downstream_partitions_def
    if upstream is None or downstream is None:
        return AllPartitionMapping()
    if upstream == downstream:
        return IdentityPartitionMapping()
    if isinstance(upstream, TimeWindowPartitionsDefinition) and isinstance(
        downstream, TimeWindowPartitionsDefinition
    ):
        return TimeWindowPartitionMapping()
    multi_and_single = isinstance(upstream, MultiPartitionsDefinition) != isinstance(
        downstream, MultiPartitionsDefinition
    )
    if multi_and_single and len(matching_dimensions(upstream, downstream)) == 1:
        return MultiToSingleDimensionPartitionMapping()
    raise PartitionMappingError(
        f"Incompatible partitions between upstream {describe(upstream)} and downstream "
        f"{describe(downstream)}: headwater cannot tell which partitions depend on which. "
        "Give an explicit partition_mapping (e.g. IdentityPartitionMapping, "
        "StaticPartitionMapping, AllPartitionMapping or MultiPartitionMapping)."
    )
