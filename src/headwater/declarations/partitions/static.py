"""Static partitions: a fixed, ordered list of keys (regions, customers, model variants)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionKeyRange,
    PartitionsDefinition,
    check_key_string,
)
from headwater.errors import DefinitionError, UnknownPartitionError

_SHOWN = 5  # keys listed in descriptions and messages


def _check_static_key(key: object) -> str:
    checked = check_key_string(key, "StaticPartitionsDefinition")
    if "..." in checked:
        raise DefinitionError(
            f"StaticPartitionsDefinition: partition key {checked!r} contains '...', which "
            "separates the bounds of a partition range; rename the key."
        )
    if any(unicodedata.category(char) == "Cc" for char in checked):
        raise DefinitionError(
            f"StaticPartitionsDefinition: partition key {checked!r} contains a control "
            "character (newline, tab, ...); rename the key."
        )
    return checked


class StaticPartitionsDefinition(PartitionsDefinition):
    """A fixed list of partition keys, in the given order.

    Args:
        partition_keys: the keys: unique, non-empty strings without ``"..."`` (the range
            separator) or control characters.

    Raises:
        DefinitionError: ``partition_keys`` is a single string, or a key is duplicated, empty,
            not a string or contains a forbidden substring.

    Example:
        >>> regions = StaticPartitionsDefinition(["eu", "us", "apac"])
        >>> regions.get_partition_keys_in_range(PartitionKeyRange("us", "apac"))
        ['us', 'apac']
    """

    def __init__(self, partition_keys: Sequence[str]) -> None:
        if isinstance(partition_keys, str):
            raise DefinitionError(
                "StaticPartitionsDefinition takes a list of keys, got the string "
                f"{partition_keys!r}; write [{partition_keys!r}]."
            )
        keys = tuple(_check_static_key(key) for key in partition_keys)
        positions = {key: i for i, key in enumerate(keys)}
        if len(positions) != len(keys):
            duplicates = sorted(key for key, n in Counter(keys).items() if n > 1)
            raise DefinitionError(
                f"StaticPartitionsDefinition has duplicate partition keys {duplicates}; "
                "each key may appear once."
            )
        self._keys = keys
        self._positions = positions

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The keys, in the order given."""
        return list(self._keys)

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many keys there are."""
        return len(self._keys)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` is one of the keys (O(1))."""
        return partition_key in self._positions

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The first key, or ``None`` when there are none."""
        return self._keys[0] if self._keys else None

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The last key, or ``None`` when there are none."""
        return self._keys[-1] if self._keys else None

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The keys from ``start`` to ``end`` inclusive, in the definition's order.

        Raises:
            UnknownPartitionError: a bound is not one of the keys.
            PartitionError: ``end`` comes before ``start``.
        """
        first = self._position(partition_key_range.start, "Partition range start")
        last = self._position(partition_key_range.end, "Partition range end")
        if last < first:
            raise PartitionError(
                f"Partition range end {partition_key_range.end!r} comes before its start "
                f"{partition_key_range.start!r} in {self.describe()}; swap them."
            )
        return list(self._keys[first : last + 1])

    def validate_partition_key(
        self,
        partition_key: str,
        *,
        asset: str | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise :class:`UnknownPartitionError` naming the asset when ``partition_key`` is not
        one of the keys."""
        self._position(partition_key, "Partition key", f" of asset {asset!r}" if asset else "")

    def _position(self, key: str, what: str, where: str = "") -> int:
        position = self._positions.get(key)
        if position is None:
            raise UnknownPartitionError(
                f"{what} {key!r}{where} is not one of the {self.describe()}."
            )
        return position

    def describe(self) -> str:
        """E.g. ``"3 static partitions ['eu', 'us', 'apac']"``."""
        shown = ", ".join(repr(key) for key in self._keys[:_SHOWN])
        more = ", ..." if len(self._keys) > _SHOWN else ""
        count = len(self._keys)
        return f"{count} static partition{'' if count == 1 else 's'} [{shown}{more}]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StaticPartitionsDefinition) and self._keys == other._keys

    def __hash__(self) -> int:
        return hash(self._keys)

    def __repr__(self) -> str:
        return f"StaticPartitionsDefinition({list(self._keys)!r})"
