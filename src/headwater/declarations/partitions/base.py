"""The partitions interface shared by every kind of partitions definition."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from headwater.errors import DefinitionError, PartitionError, UnknownPartitionError

__all__ = ["DynamicPartitionsStore", "PartitionError", "PartitionKeyRange", "PartitionsDefinition"]


class DynamicPartitionsStore(Protocol):
    """Where dynamic partition keys live (the :class:`~headwater.Instance` implements it)."""

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        """The keys of a dynamic partitions definition, in the order they were added."""
        ...

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        """Whether ``partition_key`` exists."""
        ...


@dataclass(frozen=True, slots=True)
class PartitionKeyRange:
    """An inclusive range of partition keys, ``start`` to ``end`` in the definition's order.

    Example:
        >>> PartitionKeyRange("2024-01-01", "2024-01-31").end
        '2024-01-31'
    """

    start: str
    end: str


class PartitionsDefinition(ABC):
    """How an asset is split into partitions: an ordered set of string keys.

    Subclasses: ``TimeWindowPartitionsDefinition`` (and Daily/Hourly/Weekly/Monthly),
    ``StaticPartitionsDefinition``, ``DynamicPartitionsDefinition``,
    ``MultiPartitionsDefinition``.
    """

    @abstractmethod
    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """Every partition key that exists at ``current_time`` (default: now), in order."""

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many partitions exist."""
        return len(self.get_partition_keys(current_time, dynamic_partitions_store))

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` is one of this definition's keys."""
        return partition_key in set(self.get_partition_keys(current_time, dynamic_partitions_store))

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The first key, or ``None`` when there are no partitions."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[0] if keys else None

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The last key, or ``None`` when there are no partitions."""
        keys = self.get_partition_keys(current_time, dynamic_partitions_store)
        return keys[-1] if keys else None

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Sequence[str]:
        """The keys from ``start`` to ``end`` inclusive.

        Raises:
            UnknownPartitionError: a bound is not a key of this definition.
            PartitionError: ``end`` comes before ``start``.
        """
        keys = self.get_partition_keys(dynamic_partitions_store=dynamic_partitions_store)
        positions = {k: i for i, k in enumerate(keys)}
        start = positions.get(partition_key_range.start)
        end = positions.get(partition_key_range.end)
        for bound, pos in ((partition_key_range.start, start), (partition_key_range.end, end)):
            if pos is None:
                raise UnknownPartitionError(f"Unknown partition key {bound!r}; {self.describe()}.")
        assert start is not None and end is not None
        if end < start:
            raise PartitionError(
                f"Partition range end {partition_key_range.end!r} comes before its start "
                f"{partition_key_range.start!r}; swap them."
            )
        return list(keys[start : end + 1])

    def validate_partition_key(
        self,
        partition_key: str,
        *,
        asset: str | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise :class:`UnknownPartitionError` naming the asset when ``partition_key`` does not
        exist."""
        if not self.has_partition_key(partition_key, None, dynamic_partitions_store):
            where = f" of asset {asset!r}" if asset else ""
            raise UnknownPartitionError(
                f"Partition key {partition_key!r} is not a partition{where}: {self.describe()}."
            )

    def describe(self) -> str:
        """A short human description used in error messages."""
        return type(self).__name__


def check_key_string(key: object, where: str) -> str:
    """Validate one user-given partition key."""
    if not isinstance(key, str) or not key:
        raise DefinitionError(f"{where}: partition keys must be non-empty strings, got {key!r}.")
    return key
