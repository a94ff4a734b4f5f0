"""Multi-dimensional partitions: the cartesian product of two partitions definitions."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionKeyRange,
    PartitionsDefinition,
)
from headwater.declarations.partitions.static import StaticPartitionsDefinition
from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition
from headwater.errors import DefinitionError, UnknownPartitionError

SEPARATOR = "|"


class MultiPartitionKey(str):
    """A partition key of a :class:`MultiPartitionsDefinition`: one key per dimension.

    It is a ``str``: the dimension keys joined by ``"|"`` in the order of the dimension names,
    so it compares equal to (and hashes like) that string.

    Args:
        keys_by_dimension: the key of each dimension, by dimension name.

    Raises:
        PartitionError: a dimension key is not a string or contains ``"|"``.

    Example:
        >>> key = MultiPartitionKey({"region": "eu", "date": "2024-01-01"})
        >>> str(key), key.keys_by_dimension["region"]
        ('2024-01-01|eu', 'eu')
    """

    _names: tuple[str, ...]
    _values: tuple[str, ...]

    def __new__(cls, keys_by_dimension: Mapping[str, str]) -> MultiPartitionKey:
        if not isinstance(keys_by_dimension, Mapping) or not keys_by_dimension:
            raise PartitionError(
                "MultiPartitionKey takes a dict of dimension name -> partition key, got "
                f"{keys_by_dimension!r}."
            )
        names = tuple(sorted(keys_by_dimension))
        values = tuple(keys_by_dimension[name] for name in names)
        for name, value in zip(names, values, strict=True):
            if not isinstance(value, str) or SEPARATOR in value:
                raise PartitionError(
                    f"Partition key {value!r} of dimension {name!r} must be a string without "
                    f"{SEPARATOR!r}."
                )
        return cls._make(names, values)

    @classmethod
    def _make(cls, names: tuple[str, ...], values: tuple[str, ...]) -> MultiPartitionKey:
        key = str.__new__(cls, SEPARATOR.join(values))
        key._names = names
        key._values = values
        return key

    @property
    def keys_by_dimension(self) -> dict[str, str]:
        """The partition key of each dimension, by dimension name (a new dict)."""
        return dict(zip(self._names, self._values, strict=True))

    @property
    def dimension_keys(self) -> list[PartitionDimensionKey]:
        """One :class:`PartitionDimensionKey` per dimension, in dimension-name order.

        Example:
            >>> [(d.dimension_name, d.partition_key)
            ...  for d in MultiPartitionKey({"region": "eu", "date": "2024-01-01"}).dimension_keys]
            [('date', '2024-01-01'), ('region', 'eu')]
        """
        return [PartitionDimensionKey(n, v) for n, v in zip(self._names, self._values, strict=True)]

    def __reduce__(self) -> tuple[type[MultiPartitionKey], tuple[dict[str, str]]]:
        return (MultiPartitionKey, (self.keys_by_dimension,))


@dataclass(frozen=True, slots=True)
class PartitionDimensionKey:
    """The key of one dimension of a :class:`MultiPartitionKey`."""

    dimension_name: str
    partition_key: str


@dataclass(frozen=True, slots=True)
class PartitionDimensionDefinition:
    """One named dimension of a :class:`MultiPartitionsDefinition`."""

    name: str
    partitions_def: PartitionsDefinition


def _check_dimension(name: object, partitions_def: object) -> PartitionDimensionDefinition:
    if not isinstance(name, str) or not name:
        raise DefinitionError(
            f"MultiPartitionsDefinition: dimension names must be non-empty strings, got {name!r}."
        )
    if not isinstance(partitions_def, PartitionsDefinition) or isinstance(
        partitions_def, MultiPartitionsDefinition
    ):
        raise DefinitionError(
            f"MultiPartitionsDefinition: dimension {name!r} must be a single-dimension "
            f"partitions definition (time window, static or dynamic), got {partitions_def!r}."
        )
    if isinstance(partitions_def, StaticPartitionsDefinition):
        bad = [key for key in partitions_def.get_partition_keys() if SEPARATOR in key]
        if bad:
            raise DefinitionError(
                f"MultiPartitionsDefinition: dimension {name!r} has partition keys containing "
                f"{SEPARATOR!r}, which separates dimensions in a multi-partition key: {bad}."
            )
    if isinstance(partitions_def, TimeWindowPartitionsDefinition) and (
        SEPARATOR in partitions_def.fmt
    ):
        raise DefinitionError(
            f"MultiPartitionsDefinition: the format {partitions_def.fmt!r} of dimension "
            f"{name!r} contains {SEPARATOR!r}, which separates dimensions; change the format."
        )
    return PartitionDimensionDefinition(name, partitions_def)


class MultiPartitionsDefinition(PartitionsDefinition):
    """Partitions along two dimensions, e.g. a day and a region.

    The dimensions are ordered by name; a key is a :class:`MultiPartitionKey` whose string is
    the dimension keys joined by ``"|"`` in that order (``"2024-01-01|eu"``), and the keys are
    the cartesian product of the dimensions' keys, the first dimension varying slowest.

    Args:
        partitions_defs: exactly two dimensions, dimension name -> time-window, static or
            dynamic partitions definition.

    Raises:
        DefinitionError: not exactly two dimensions, a nested multi-partitions definition, an
            empty dimension name, or a static key or key format containing ``"|"``.

    Example:
        >>> from headwater import DailyPartitionsDefinition
        >>> multi = MultiPartitionsDefinition({
        ...     "date": DailyPartitionsDefinition("2024-01-01", "2024-01-03"),
        ...     "region": StaticPartitionsDefinition(["eu", "us"]),
        ... })
        >>> multi.get_partition_keys()
        ['2024-01-01|eu', '2024-01-01|us', '2024-01-02|eu', '2024-01-02|us']
    """

    def __init__(self, partitions_defs: Mapping[str, PartitionsDefinition]) -> None:
        if not isinstance(partitions_defs, Mapping) or len(partitions_defs) != 2:
            raise DefinitionError(
                "MultiPartitionsDefinition takes exactly two dimensions as a dict of name -> "
                f"partitions definition, got {partitions_defs!r}."
            )
        dimensions = [_check_dimension(name, d) for name, d in partitions_defs.items()]
        self._dimensions = tuple(sorted(dimensions, key=lambda dim: dim.name))
        self._names = tuple(dim.name for dim in self._dimensions)

    # -- dimensions -------------------------------------------------------------------------
    @property
    def partitions_defs(self) -> list[PartitionDimensionDefinition]:
        """The dimensions, ordered by name."""
        return list(self._dimensions)

    @property
    def partition_dimension_names(self) -> list[str]:
        """The dimension names, in order."""
        return list(self._names)

    @property
    def primary_dimension(self) -> PartitionDimensionDefinition:
        """The time-window dimension if there is one, else the first dimension."""
        for dim in self._dimensions:
            if isinstance(dim.partitions_def, TimeWindowPartitionsDefinition):
                return dim
        return self._dimensions[0]

    @property
    def secondary_dimension(self) -> PartitionDimensionDefinition:
        """The dimension that is not :attr:`primary_dimension`."""
        primary = self.primary_dimension
        return next(dim for dim in self._dimensions if dim is not primary)

    def get_partitions_def_for_dimension(self, dimension_name: str) -> PartitionsDefinition:
        """The partitions definition of one dimension.

        Raises:
            PartitionError: no dimension has that name.
        """
        for dim in self._dimensions:
            if dim.name == dimension_name:
                return dim.partitions_def
        raise PartitionError(
            f"{self.describe()} has no dimension {dimension_name!r}; its dimensions are "
            f"{list(self._names)}."
        )

    def get_multipartition_key_from_str(self, partition_key_str: str) -> MultiPartitionKey:
        """The :class:`MultiPartitionKey` that ``partition_key_str`` (``"a|b"``) stands for.

        Only the shape is checked, not whether each dimension has the key.

        Raises:
            PartitionError: the string does not have one part per dimension.
        """
        if isinstance(partition_key_str, MultiPartitionKey):
            return partition_key_str
        parts = tuple(partition_key_str.split(SEPARATOR))
        if len(parts) != len(self._names):
            raise PartitionError(
                f"Partition key {partition_key_str!r} is not a key of {self.describe()}: "
                f"expected one key per dimension joined by {SEPARATOR!r}, in the order "
                f"{list(self._names)}, e.g. {SEPARATOR.join(f'<{n}>' for n in self._names)!r}."
            )
        return MultiPartitionKey._make(self._names, parts)

    # -- PartitionsDefinition ---------------------------------------------------------------
    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[MultiPartitionKey]:
        """The cartesian product of the dimensions' keys, first dimension varying slowest."""
        per_dimension = [
            dim.partitions_def.get_partition_keys(current_time, dynamic_partitions_store)
            for dim in self._dimensions
        ]
        make, names = MultiPartitionKey._make, self._names
        return [make(names, parts) for parts in itertools.product(*per_dimension)]

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The product of the dimensions' partition counts."""
        return math.prod(
            dim.partitions_def.get_num_partitions(current_time, dynamic_partitions_store)
            for dim in self._dimensions
        )

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether every dimension has its part of ``partition_key`` (no enumeration)."""
        if not isinstance(partition_key, str):
            return False
        parts = partition_key.split(SEPARATOR)
        return len(parts) == len(self._dimensions) and all(
            dim.partitions_def.has_partition_key(part, current_time, dynamic_partitions_store)
            for dim, part in zip(self._dimensions, parts, strict=True)
        )

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> MultiPartitionKey | None:
        """The first key of every dimension combined, or ``None`` if a dimension is empty."""
        return self._combine(
            [
                dim.partitions_def.get_first_partition_key(current_time, dynamic_partitions_store)
                for dim in self._dimensions
            ]
        )

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> MultiPartitionKey | None:
        """The last key of every dimension combined, or ``None`` if a dimension is empty."""
        return self._combine(
            [
                dim.partitions_def.get_last_partition_key(current_time, dynamic_partitions_store)
                for dim in self._dimensions
            ]
        )

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[MultiPartitionKey]:
        """The keys in the rectangle between two corners, e.g. days 1-3 x regions eu-us.

        Each dimension contributes its own range from its part of ``start`` to its part of
        ``end``; the result is their product, in key order.

        Raises:
            PartitionError: a malformed bound, or a dimension's range is invalid.
        """
        start = self.get_multipartition_key_from_str(partition_key_range.start)
        end = self.get_multipartition_key_from_str(partition_key_range.end)
        per_dimension = []
        for dim, first, last in zip(self._dimensions, start._values, end._values, strict=True):
            try:
                keys = dim.partitions_def.get_partition_keys_in_range(
                    PartitionKeyRange(first, last), dynamic_partitions_store
                )
            except PartitionError as error:
                raise type(error)(f"Dimension {dim.name!r}: {error}") from None
            per_dimension.append(keys)
        make, names = MultiPartitionKey._make, self._names
        return [make(names, parts) for parts in itertools.product(*per_dimension)]

    def validate_partition_key(
        self,
        partition_key: str,
        *,
        asset: str | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise :class:`UnknownPartitionError` naming the asset and the dimension at fault.

        A string without one part per dimension is unknown too.
        """
        where = f" of asset {asset!r}" if asset else ""
        try:
            key = self.get_multipartition_key_from_str(partition_key)
        except PartitionError as error:
            shown = f"{error} (asset {asset!r})" if asset else str(error)
            raise UnknownPartitionError(shown) from None
        for dim, part in zip(self._dimensions, key._values, strict=True):
            try:
                dim.partitions_def.validate_partition_key(
                    part, dynamic_partitions_store=dynamic_partitions_store
                )
            except PartitionError as error:
                unknown = isinstance(error, UnknownPartitionError)
                raise (UnknownPartitionError if unknown else PartitionError)(
                    f"Partition key {partition_key!r}{where} is not a partition: in dimension "
                    f"{dim.name!r}, {error}"
                ) from None

    def _combine(self, parts: list[str | None]) -> MultiPartitionKey | None:
        present = tuple(part for part in parts if part is not None)
        return MultiPartitionKey._make(self._names, present) if len(present) == len(parts) else None

    # -- identity ---------------------------------------------------------------------------
    def describe(self) -> str:
        """E.g. ``"multi partitions (date: daily partitions ... x region: 2 static ...)"``."""
        parts = " x ".join(
            f"{dim.name}: {dim.partitions_def.describe()}" for dim in self._dimensions
        )
        return f"multi partitions ({parts})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, MultiPartitionsDefinition) and self._dimensions == other._dimensions
        )

    def __hash__(self) -> int:
        return hash(self._dimensions)

    def __repr__(self) -> str:
        inner = ", ".join(f"{dim.name!r}: {dim.partitions_def!r}" for dim in self._dimensions)
        return f"MultiPartitionsDefinition({{{inner}}})"
