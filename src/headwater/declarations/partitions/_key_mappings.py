"""Mappings given by partition keys: a fixed set of upstream keys, or a table of keys."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from headwater.declarations.partitions._mapping_base import (
    PartitionMapping,
    UpstreamPartitionsResult,
    all_keys_if,
    describe,
    incompatible,
    need_partitioned,
    split_existing,
    unique,
)
from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionsDefinition,
    check_key_string,
)
from headwater.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class SpecificPartitionsPartitionMapping(PartitionMapping):
    """Every downstream partition depends on the same, given upstream partitions.

    Args:
        partition_keys: the upstream keys; a list of non-empty strings.

    Raises:
        DefinitionError: if ``partition_keys`` is a single string or holds a non-string.

    Example:
        >>> from headwater import StaticPartitionsDefinition
        >>> regions = StaticPartitionsDefinition(["eu", "us", "apac"])
        >>> SpecificPartitionsPartitionMapping(["eu"]).get_upstream_partitions_for_partitions(
        ...     None, None, regions).partition_keys
        ['eu']
    """

    partition_keys: Sequence[str]

    def __post_init__(self) -> None:
        where = "SpecificPartitionsPartitionMapping"
        if isinstance(self.partition_keys, str):
            raise DefinitionError(
                f"{where} takes a list of keys, got the string {self.partition_keys!r}; "
                f"write [{self.partition_keys!r}]."
            )
        keys = tuple(unique(check_key_string(key, where) for key in self.partition_keys))
        object.__setattr__(self, "partition_keys", keys)

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
        """The given keys; those the upstream does not have are required but nonexistent."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        assert upstream_partitions_def is not None  # checked just above
        if downstream_partition_keys is not None and not downstream_partition_keys:
            return UpstreamPartitionsResult([], [])
        present, missing = split_existing(
            upstream_partitions_def, self.partition_keys, current_time, dynamic_partitions_store
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
        """Every downstream key if one of the given keys is among ``upstream_partition_keys``."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        changed = not set(self.partition_keys).isdisjoint(upstream_partition_keys or ())
        return all_keys_if(
            changed, downstream_partitions_def, current_time, dynamic_partitions_store
        )


@dataclass(frozen=True, slots=True)
class StaticPartitionMapping(PartitionMapping):
    """An explicit table from upstream keys to the downstream keys that depend on them.

    Args:
        downstream_partition_keys_by_upstream_partition_key: upstream key -> one downstream
            key or a collection of them. Upstream keys not listed affect nothing; downstream
            keys not listed depend on nothing.

    Raises:
        DefinitionError: if a key is not a non-empty string.

    Example:
        >>> from headwater import StaticPartitionsDefinition
        >>> cities = StaticPartitionsDefinition(["paris", "lyon", "boston"])
        >>> countries = StaticPartitionsDefinition(["fr", "us"])
        >>> mapping = StaticPartitionMapping({"paris": "fr", "lyon": "fr", "boston": "us"})
        >>> mapping.get_upstream_partitions_for_partitions(["fr"], countries, cities).partition_keys
        ['paris', 'lyon']
    """

    downstream_partition_keys_by_upstream_partition_key: Mapping[str, str | Collection[str]]
    _upstream_by_downstream: dict[str, list[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = "StaticPartitionMapping"
        table: dict[str, tuple[str, ...]] = {}
        inverse: dict[str, list[str]] = {}
        for (
            upstream,
            downstream,
        ) in self.downstream_partition_keys_by_upstream_partition_key.items():
            targets = [downstream] if isinstance(downstream, str) else list(downstream)
            table[check_key_string(upstream, where)] = tuple(unique(targets))
            for target in targets:
                inverse.setdefault(check_key_string(target, where), []).append(upstream)
        object.__setattr__(self, "downstream_partition_keys_by_upstream_partition_key", table)
        object.__setattr__(self, "_upstream_by_downstream", inverse)

    def __hash__(self) -> int:
        return hash(frozenset(self.downstream_partition_keys_by_upstream_partition_key.items()))

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """Both assets must be partitioned, and the listed keys must exist on their side.

        Keys of dynamic partitions are not checked: they are only known at run time.
        """
        need_partitioned(self, upstream_partitions_def, downstream_partitions_def)
        assert upstream_partitions_def is not None and downstream_partitions_def is not None
        sides = (
            ("upstream", upstream_partitions_def, list(self._table())),
            ("downstream", downstream_partitions_def, list(self._upstream_by_downstream)),
        )
        for side, partitions_def, keys in sides:
            try:
                missing = split_existing(partitions_def, keys, None, None)[1]
            except PartitionError:  # dynamic partitions: known at run time only
                continue
            if missing:
                raise incompatible(
                    self,
                    upstream_partitions_def,
                    downstream_partitions_def,
                    f"{side} keys {missing} are not partitions of {describe(partitions_def)}",
                )

    def _table(self) -> Mapping[str, Collection[str]]:
        return self.downstream_partition_keys_by_upstream_partition_key

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The upstream keys listed for any of ``downstream_partition_keys``."""
        need_partitioned(self, upstream_partitions_def, downstream_partitions_def)
        assert upstream_partitions_def is not None  # checked just above
        inverse = self._upstream_by_downstream
        wanted = [up for key in downstream_partition_keys or () for up in inverse.get(key, ())]
        present, missing = split_existing(
            upstream_partitions_def, wanted, current_time, dynamic_partitions_store
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
        """The downstream keys listed for any of ``upstream_partition_keys`` that exist."""
        need_partitioned(self, upstream_partitions_def, downstream_partitions_def)
        assert downstream_partitions_def is not None  # checked just above
        table = self._table()
        targets = [down for key in upstream_partition_keys or () for down in table.get(key, ())]
        return split_existing(
            downstream_partitions_def, targets, current_time, dynamic_partitions_store
        )[0]
