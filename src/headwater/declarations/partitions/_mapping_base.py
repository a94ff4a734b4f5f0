"""The partition mapping interface and helpers shared by every mapping."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionsDefinition,
)
from headwater.declarations.partitions.dynamic import DynamicPartitionsDefinition
from headwater.declarations.partitions.multi import SEPARATOR, MultiPartitionsDefinition
from headwater.errors import PartitionMappingError as PartitionMappingError

# From this many keys on, membership in a dynamic definition (or a dynamic dimension) is
# checked against its keys listed once, not with one store query per key.
_LIST_DYNAMIC_FROM = 8





@dataclass(frozen=True, slots=True)
class UpstreamPartitionsResult:
    """The upstream partitions some downstream partitions depend on.

    Attributes:
        partition_keys: the upstream keys that exist, without duplicates, in mapping order.
        required_but_nonexistent_partition_keys: upstream keys the downstream partitions need
            but that do not exist (before the upstream's start, past its end or in the future,
            deleted dynamic partitions); a run of those downstream partitions cannot load them.

    Example:
        >>> UpstreamPartitionsResult(["2024-01-01"], []).partition_keys
        ['2024-01-01']
    """

    partition_keys: list[str]
    required_but_nonexistent_partition_keys: list[str] = field(default_factory=list)


class PartitionMapping(ABC):
    """How the partitions of a downstream asset depend on the partitions of an upstream asset.

    A ``None`` partitions definition stands for an unpartitioned asset, whose keys are
    ``None``. Pass one to ``AssetIn(partition_mapping=...)`` or ``AssetDep(partition_mapping=...)``;
    without one, :func:`~headwater.declarations.partitions.mappings.infer_partition_mapping`
    picks the default.
    """

    @abstractmethod
    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The upstream partitions that ``downstream_partition_keys`` depend on.

        Args:
            downstream_partition_keys: keys of the downstream asset; ``None`` when it is
                unpartitioned.
            downstream_partitions_def: the downstream asset's partitions (``None``: unpartitioned).
            upstream_partitions_def: the upstream asset's partitions (``None``: unpartitioned,
                and the result holds no keys).
            current_time: the time that decides which time partitions exist (default: now).
            dynamic_partitions_store: the instance, needed for dynamic partitions.

        Returns:
            The existing upstream keys and the required ones that do not exist.

        Raises:
            PartitionMappingError: the mapping cannot map between these definitions.
            PartitionError: a downstream key is not a key of ``downstream_partitions_def``.
        """

    @abstractmethod
    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The downstream partitions that depend on ``upstream_partition_keys``.

        Args:
            upstream_partition_keys: keys of the upstream asset; ``None`` when it is unpartitioned.
            upstream_partitions_def: the upstream asset's partitions (``None``: unpartitioned).
            downstream_partitions_def: the downstream asset's partitions (``None``:
                unpartitioned, and the result is empty: the caller treats the whole asset as
                dependent).
            current_time: the time that decides which time partitions exist (default: now).
            dynamic_partitions_store: the instance, needed for dynamic partitions.

        Returns:
            Existing downstream keys, without duplicates.

        Raises:
            PartitionMappingError: the mapping cannot map between these definitions.
            PartitionError: an upstream key is not a key of ``upstream_partitions_def``.
        """

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """Check, when definitions load, that this mapping can map between the definitions.

        Raises:
            PartitionMappingError: naming both definitions and what to change.
        """
        return None  # the base accepts any definitions; mappings with requirements override


def describe(partitions_def: PartitionsDefinition | None) -> str:
    """A partitions definition for messages; ``None`` is an unpartitioned asset."""
    return "an unpartitioned asset" if partitions_def is None else partitions_def.describe()


def incompatible(
    mapping: object,
    upstream_partitions_def: PartitionsDefinition | None,
    downstream_partitions_def: PartitionsDefinition | None,
    why: str,
) -> PartitionMappingError:
    """The error for a mapping used between definitions it cannot map."""
    return PartitionMappingError(
        f"{type(mapping).__name__} cannot map upstream {describe(upstream_partitions_def)} to "
        f"downstream {describe(downstream_partitions_def)}: {why}."
    )


def need_partitioned(
    mapping: PartitionMapping,
    upstream: PartitionsDefinition | None,
    downstream: PartitionsDefinition | None,
    *,
    upstream_only: bool = False,
) -> None:
    """Raise unless the upstream (and, unless ``upstream_only``, the downstream) is partitioned."""
    if upstream is None or (downstream is None and not upstream_only):
        which = "the upstream asset" if upstream_only else "both assets"
        raise incompatible(mapping, upstream, downstream, f"{which} must be partitioned")


def unique(keys: Iterable[str]) -> list[str]:
    """``keys`` without duplicates, in first-seen order."""
    return list(dict.fromkeys(keys))


def split_existing(
    partitions_def: PartitionsDefinition,
    keys: Sequence[str],
    current_time: datetime | None,
    store: DynamicPartitionsStore | None,
) -> tuple[list[str], list[str]]:
    """``keys`` (deduplicated) split into those that exist in ``partitions_def`` and the rest."""
    wanted = unique(keys)
    exists: Callable[[str], bool]
    if len(wanted) >= _LIST_DYNAMIC_FROM and isinstance(
        partitions_def, DynamicPartitionsDefinition
    ):
        exists = set(partitions_def.get_partition_keys(current_time, store)).__contains__
    elif len(wanted) >= _LIST_DYNAMIC_FROM and isinstance(
        partitions_def, MultiPartitionsDefinition
    ):
        exists = _multi_membership(partitions_def, wanted, current_time, store)
    else:

        def exists(key: str) -> bool:
            return partitions_def.has_partition_key(key, current_time, store)

    present: list[str] = []
    missing: list[str] = []
    for key in wanted:
        (present if exists(key) else missing).append(key)
    return present, missing


def _multi_membership(
    partitions_def: MultiPartitionsDefinition,
    keys: list[str],
    current_time: datetime | None,
    store: DynamicPartitionsStore | None,
) -> Callable[[str], bool]:
    """Membership of ``keys`` checked once per distinct part of each dimension."""
    dimensions = partitions_def.partitions_defs
    split = {key: key.split(SEPARATOR) for key in keys}
    split = {key: parts for key, parts in split.items() if len(parts) == len(dimensions)}
    valid = [
        set(
            split_existing(dim.partitions_def, [p[i] for p in split.values()], current_time, store)[
                0
            ]
        )
        for i, dim in enumerate(dimensions)
    ]

    def exists(key: str) -> bool:
        parts = split.get(key)
        return parts is not None and all(p in v for p, v in zip(parts, valid, strict=True))

    return exists


def all_keys_if(
    any_dependency: bool,
    partitions_def: PartitionsDefinition | None,
    current_time: datetime | None,
    store: DynamicPartitionsStore | None,
) -> list[str]:
    """Every key of ``partitions_def`` when ``any_dependency``; else (or unpartitioned) none."""
    if not any_dependency or partitions_def is None:
        return []
    return list(partitions_def.get_partition_keys(current_time, store))
