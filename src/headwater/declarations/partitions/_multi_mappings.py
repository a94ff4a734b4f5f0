"""Mappings between multi-partitioned assets and their single- or multi-partitioned neighbours."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from headwater.declarations.partitions._mapping_base import (
    PartitionMapping,
    PartitionMappingError,
    UpstreamPartitionsResult,
    describe,
    incompatible,
    split_existing,
    unique,
)
from headwater.declarations.partitions.base import DynamicPartitionsStore, PartitionsDefinition
from headwater.declarations.partitions.multi import MultiPartitionKey, MultiPartitionsDefinition
from headwater.errors import DefinitionError


def matching_dimensions(
    first: PartitionsDefinition | None, second: PartitionsDefinition | None
) -> list[str]:
    """The dimensions of the multi-partitions one of the two equal to the other, single one."""
    multi, single = (
        (first, second) if isinstance(first, MultiPartitionsDefinition) else (second, first)
    )
    if not isinstance(multi, MultiPartitionsDefinition) or single is None:
        return []
    return [dim.name for dim in multi.partitions_defs if dim.partitions_def == single]


def _parts(multi: MultiPartitionsDefinition, key: str) -> dict[str, str]:
    return multi.get_multipartition_key_from_str(key).keys_by_dimension


@dataclass(frozen=True, slots=True)
class MultiToSingleDimensionPartitionMapping(PartitionMapping):
    """Maps between a multi-partitioned asset and an asset partitioned like one of its dimensions.

    Works in both directions: a daily asset downstream of a (date x region) asset depends on
    every region of its day; a (date x region) asset downstream of a daily asset depends on
    its day. The default when the single definition equals exactly one dimension.

    Args:
        partition_dimension_name: the dimension of the multi-partitions definition that
            corresponds to the single one; ``None`` infers the one dimension equal to it.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, MultiPartitionsDefinition, StaticPartitionsDefinition)
        >>> days = DailyPartitionsDefinition("2024-01-01")
        >>> multi = MultiPartitionsDefinition(
        ...     {"date": days, "region": StaticPartitionsDefinition(["eu", "us"])})
        >>> MultiToSingleDimensionPartitionMapping().get_upstream_partitions_for_partitions(
        ...     ["2024-01-05"], days, multi).partition_keys
        ['2024-01-05|eu', '2024-01-05|us']
    """

    partition_dimension_name: str | None = None

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """One definition must be multi, the other a single one matching a dimension."""
        self._resolve(upstream_partitions_def, downstream_partitions_def)

    def _resolve(
        self, upstream: PartitionsDefinition | None, downstream: PartitionsDefinition | None
    ) -> tuple[MultiPartitionsDefinition, PartitionsDefinition, str]:
        """(the multi definition, the single one, the dimension name)."""
        upstream_is_multi = isinstance(upstream, MultiPartitionsDefinition)
        multi, single = (upstream, downstream) if upstream_is_multi else (downstream, upstream)
        if (
            not isinstance(multi, MultiPartitionsDefinition)
            or single is None
            or isinstance(single, MultiPartitionsDefinition)
        ):
            raise incompatible(
                self,
                upstream,
                downstream,
                "one asset needs multi partitions and the other single-dimension partitions",
            )
        name = self.partition_dimension_name
        if name is not None:
            if name not in multi.partition_dimension_names:
                raise incompatible(
                    self,
                    upstream,
                    downstream,
                    f"partition_dimension_name {name!r} is not one of the dimensions "
                    f"{multi.partition_dimension_names}",
                )
            return multi, single, name
        names = matching_dimensions(multi, single)
        if len(names) != 1:
            found = "no dimension is" if not names else f"dimensions {names} are all"
            raise incompatible(
                self,
                upstream,
                downstream,
                f"{found} partitioned like {describe(single)}; pass partition_dimension_name",
            )
        return multi, single, names[0]

    def _expand(
        self,
        multi: MultiPartitionsDefinition,
        name: str,
        values: Sequence[str],
        current_time: datetime | None,
        store: DynamicPartitionsStore | None,
    ) -> tuple[list[str], list[str]]:
        """Every multi key whose ``name`` part is one of ``values``: (existing, missing)."""
        (other,) = (dim for dim in multi.partitions_defs if dim.name != name)
        others = other.partitions_def.get_partition_keys(current_time, store)
        dimension = multi.get_partitions_def_for_dimension(name)
        present_values = set(split_existing(dimension, values, current_time, store)[0])
        present: list[str] = []
        missing: list[str] = []
        for value in unique(values):
            keys = [MultiPartitionKey({name: value, other.name: o}) for o in others]
            (present if value in present_values else missing).extend(keys)
        return present, missing

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """Multi upstream: every key with the downstream key in the dimension; single
        upstream: the dimension's part of each downstream key."""
        multi, single, name = self._resolve(upstream_partitions_def, downstream_partitions_def)
        keys = downstream_partition_keys or ()
        store = dynamic_partitions_store
        if multi is upstream_partitions_def:
            present, missing = self._expand(multi, name, keys, current_time, store)
        else:
            values = [_parts(multi, key)[name] for key in keys]
            present, missing = split_existing(single, values, current_time, store)
        return UpstreamPartitionsResult(present, missing)

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The inverse of :meth:`get_upstream_partitions_for_partitions` (existing keys)."""
        multi, single, name = self._resolve(upstream_partitions_def, downstream_partitions_def)
        keys = upstream_partition_keys or ()
        store = dynamic_partitions_store
        if multi is downstream_partitions_def:
            return self._expand(multi, name, keys, current_time, store)[0]
        values = [_parts(multi, key)[name] for key in keys]
        return split_existing(single, values, current_time, store)[0]


@dataclass(frozen=True, slots=True)
class DimensionPartitionMapping:
    """Where one upstream dimension goes in a :class:`MultiPartitionMapping`.

    Args:
        dimension_name: the downstream dimension.
        partition_mapping: how the upstream dimension's partitions map to that dimension's.

    Raises:
        DefinitionError: if ``dimension_name`` is not a non-empty string or
            ``partition_mapping`` is not a :class:`PartitionMapping`.
    """

    dimension_name: str
    partition_mapping: PartitionMapping

    def __post_init__(self) -> None:
        if not isinstance(self.dimension_name, str) or not self.dimension_name:
            raise DefinitionError(
                "DimensionPartitionMapping: dimension_name must be a non-empty string, got "
                f"{self.dimension_name!r}."
            )
        if not isinstance(self.partition_mapping, PartitionMapping):
            raise DefinitionError(
                "DimensionPartitionMapping: partition_mapping must be a PartitionMapping such "
                f"as IdentityPartitionMapping(), got {self.partition_mapping!r}."
            )


@dataclass(frozen=True, slots=True)
class MultiPartitionMapping(PartitionMapping):
    """Maps between two multi-partitioned assets, dimension by dimension.

    Each listed upstream dimension maps to a downstream dimension through its own mapping.
    A downstream partition depends on every partition of an upstream dimension that is not
    listed; a downstream dimension that nothing maps to does not narrow the dependency.

    Args:
        downstream_mappings_by_upstream_dimension: upstream dimension name ->
            :class:`DimensionPartitionMapping`.

    Example:
        >>> from headwater import (
        ...     DailyPartitionsDefinition, IdentityPartitionMapping, MultiPartitionsDefinition,
        ...     StaticPartitionsDefinition, TimeWindowPartitionMapping)
        >>> regions = StaticPartitionsDefinition(["eu", "us"])
        >>> multi = MultiPartitionsDefinition(
        ...     {"date": DailyPartitionsDefinition("2024-01-01"), "region": regions})
        >>> previous_day = MultiPartitionMapping({
        ...     "date": DimensionPartitionMapping("date", TimeWindowPartitionMapping(-1, -1)),
        ...     "region": DimensionPartitionMapping("region", IdentityPartitionMapping()),
        ... })
        >>> previous_day.get_upstream_partitions_for_partitions(
        ...     ["2024-01-05|eu"], multi, multi).partition_keys
        ['2024-01-04|eu']
    """

    downstream_mappings_by_upstream_dimension: Mapping[str, DimensionPartitionMapping]

    def __post_init__(self) -> None:
        mappings = dict(self.downstream_mappings_by_upstream_dimension)
        for upstream, mapping in mappings.items():
            if not isinstance(mapping, DimensionPartitionMapping):
                raise DefinitionError(
                    f"MultiPartitionMapping: the mapping of upstream dimension {upstream!r} "
                    f"must be a DimensionPartitionMapping, got {mapping!r}."
                )
        targets = [mapping.dimension_name for mapping in mappings.values()]
        doubled = sorted({t for t in targets if targets.count(t) > 1})
        if doubled:
            raise DefinitionError(
                f"MultiPartitionMapping: downstream dimensions {doubled} are mapped from more "
                "than one upstream dimension; map each downstream dimension once."
            )
        object.__setattr__(self, "downstream_mappings_by_upstream_dimension", mappings)

    def __hash__(self) -> int:
        return hash(frozenset(self.downstream_mappings_by_upstream_dimension.items()))

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """Both definitions must be multi, with the named dimensions, each mapping valid."""
        upstream, downstream = self._multis(upstream_partitions_def, downstream_partitions_def)
        for up_name, mapping in self.downstream_mappings_by_upstream_dimension.items():
            for side, multi, name in (
                ("upstream", upstream, up_name),
                ("downstream", downstream, mapping.dimension_name),
            ):
                if name not in multi.partition_dimension_names:
                    raise incompatible(
                        self,
                        upstream,
                        downstream,
                        f"{side} dimension {name!r} does not exist; the {side} dimensions are "
                        f"{multi.partition_dimension_names}",
                    )
            try:
                mapping.partition_mapping.validate_partition_mapping(
                    upstream.get_partitions_def_for_dimension(up_name),
                    downstream.get_partitions_def_for_dimension(mapping.dimension_name),
                )
            except PartitionMappingError as error:
                raise PartitionMappingError(
                    f"MultiPartitionMapping, upstream dimension {up_name!r} -> downstream "
                    f"dimension {mapping.dimension_name!r}: {error}"
                ) from None

    def _multis(
        self, upstream: PartitionsDefinition | None, downstream: PartitionsDefinition | None
    ) -> tuple[MultiPartitionsDefinition, MultiPartitionsDefinition]:
        if not isinstance(upstream, MultiPartitionsDefinition) or not isinstance(
            downstream, MultiPartitionsDefinition
        ):
            raise incompatible(self, upstream, downstream, "both assets need multi partitions")
        return upstream, downstream

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """Per upstream dimension, the mapped (or all) keys; their combinations.

        A combination with a nonexistent part is required but nonexistent.
        """
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        upstream, downstream = self._multis(upstream_partitions_def, downstream_partitions_def)
        cache: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}

        def side(up_name: str, parts: dict[str, str]) -> tuple[list[str], list[str]]:
            up_def = upstream.get_partitions_def_for_dimension(up_name)
            mapping = self.downstream_mappings_by_upstream_dimension.get(up_name)
            part = None if mapping is None else parts[mapping.dimension_name]
            if (up_name, part) not in cache:
                if mapping is None or part is None:
                    keys = up_def.get_partition_keys(current_time, dynamic_partitions_store)
                    cache[up_name, part] = (list(keys), [])
                else:
                    result = mapping.partition_mapping.get_upstream_partitions_for_partitions(
                        [part],
                        downstream.get_partitions_def_for_dimension(mapping.dimension_name),
                        up_def,
                        current_time,
                        dynamic_partitions_store,
                    )
                    cache[up_name, part] = (
                        result.partition_keys,
                        result.required_but_nonexistent_partition_keys,
                    )
            return cache[up_name, part]

        names = upstream.partition_dimension_names
        present: dict[str, None] = {}
        missing: dict[str, None] = {}
        for key in unique(downstream_partition_keys or ()):
            parts = _parts(downstream, key)
            sides = [side(name, parts) for name in names]
            existing = [set(found) for found, _ in sides]
            for combo in itertools.product(*(found + absent for found, absent in sides)):
                new = MultiPartitionKey(dict(zip(names, combo, strict=True)))
                ok = all(part in exists for part, exists in zip(combo, existing, strict=True))
                (present if ok else missing)[new] = None
        return UpstreamPartitionsResult(list(present), list(missing))

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Per downstream dimension, the mapped (or all) existing keys; their combinations."""
        self.validate_partition_mapping(upstream_partitions_def, downstream_partitions_def)
        upstream, downstream = self._multis(upstream_partitions_def, downstream_partitions_def)
        sources = {
            mapping.dimension_name: (up_name, mapping.partition_mapping)
            for up_name, mapping in self.downstream_mappings_by_upstream_dimension.items()
        }
        names = downstream.partition_dimension_names
        every = {
            name: downstream.get_partitions_def_for_dimension(name).get_partition_keys(
                current_time, dynamic_partitions_store
            )
            for name in names
            if name not in sources
        }
        found: dict[str, None] = {}
        for key in unique(upstream_partition_keys or ()):
            parts = _parts(upstream, key)
            per_dimension: list[Sequence[str]] = []
            for name in names:
                down_def = downstream.get_partitions_def_for_dimension(name)
                if name in every:
                    keys = every[name]
                else:
                    up_name, mapping = sources[name]
                    keys = mapping.get_downstream_partitions_for_partitions(
                        [parts[up_name]],
                        upstream.get_partitions_def_for_dimension(up_name),
                        down_def,
                        current_time,
                        dynamic_partitions_store,
                    )
                per_dimension.append(keys)
            for combo in itertools.product(*per_dimension):
                found[MultiPartitionKey(dict(zip(names, combo, strict=True)))] = None
        return list(found)
