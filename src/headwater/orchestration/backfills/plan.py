"""Planning a backfill: which runs, over which assets and partitions, in which order.

The selected assets are split into *groups*: assets sharing one partitions definition that
can run together. Groups are ordered by the asset graph (an asset's group comes after the
groups of its upstream assets), and each group's partitions are cut into runs by the
assets' :class:`~headwater.BackfillPolicy`. Partition mappings are called once per run of a
downstream group and per distinct upstream mapping, never per key inside a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from headwater.declarations.partitions.backfill_policy import effective_backfill_policy
from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionKeyRange,
    PartitionsDefinition,
)
from headwater.keys import AssetKey
from headwater.orchestration.backfills.target import (
    BackfillTarget,
    make_target,
    resolve_backfill_selection,
)
from headwater.storage.backfill_records import BackfillRunRequest

if TYPE_CHECKING:
    from headwater.declarations.assets.definition import AssetsDefinition
    from headwater.declarations.definitions import Definitions


@dataclass(slots=True, kw_only=True)
class _Group:
    partitions_def: PartitionsDefinition | None
    keys: list[AssetKey] = field(default_factory=list)
    # (upstream group index, upstream asset, downstream asset) for every edge into the group
    edges: list[tuple[int, AssetKey, AssetKey]] = field(default_factory=list)
    targets: list[str] | None = None  # partition keys in definition order; None: unpartitioned
    request_of_key: dict[str | None, int] = field(default_factory=dict)


def plan_backfill(
    defs: Definitions,
    selection: Any,
    *,
    partition_keys: Sequence[str] | None = None,
    partition_key_range: PartitionKeyRange | None = None,
    all_partitions: bool = False,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
    current_time: datetime | None = None,
) -> list[BackfillRunRequest]:
    """Plan the runs of a backfill, in the order they must execute.

    The partitions asked for apply to every selected asset whose partitions definition has
    them; other partitioned assets (a monthly rollup of daily assets) get the partitions that
    depend, through their partition mappings, on the partitions of their upstream assets in the
    backfill. Unpartitioned assets run once, after their partitioned upstream assets.

    Args:
        defs: the definitions.
        selection: the assets: an ``AssetSelection``, a selection string or keys/assets.
        partition_keys: the partitions to backfill.
        partition_key_range: or an inclusive range of partitions.
        all_partitions: or every partition.
        dynamic_partitions_store: the instance, needed for dynamic partitions.
        current_time: the time deciding which time partitions exist (default: now).

    Returns:
        The run requests in execution order.

    Raises:
        InvalidSelectionError: the selection names unknown assets or no materializable one.
        PartitionError: no partitions (or several kinds) were given for partitioned assets,
            partitions were given but nothing selected is partitioned, or a key or range does
            not exist for an asset (the message names the asset and the key).

    Example:
        >>> from headwater import DailyPartitionsDefinition, Definitions, asset
        >>> @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
        ... def events() -> None: ...
        >>> requests = plan_backfill(
        ...     Definitions(assets=[events]), "events",
        ...     partition_key_range=PartitionKeyRange("2024-01-01", "2024-01-03"),
        ... )
        >>> [r.partition_key for r in requests]
        ['2024-01-01', '2024-01-02', '2024-01-03']
    """
    target = make_target(partition_keys, partition_key_range, all_partitions)
    keys = resolve_backfill_selection(defs, selection)
    planner = _Planner(defs, target, dynamic_partitions_store, current_time)
    return planner.plan(keys)


class _Planner:
    def __init__(
        self,
        defs: Definitions,
        target: BackfillTarget,
        store: DynamicPartitionsStore | None,
        current_time: datetime | None,
    ) -> None:
        self.defs = defs
        self.assets_by_key = defs.assets_by_key
        self.target = target
        self.store = store
        self.current_time = current_time
        self._defs_seen: list[PartitionsDefinition] = []
        self._keys_cache: list[tuple[list[str], dict[str, int]]] = []

    # -- grouping ------------------------------------------------------------------------------
    def plan(self, keys: list[AssetKey]) -> list[BackfillRunRequest]:
        groups = self._group(keys)
        partitioned = [g for g in groups if g.partitions_def is not None]
        if partitioned and self.target.is_empty:
            raise PartitionError(
                f"Asset {_name(partitioned[0].keys[0])!r} is partitioned "
                f"({_describe(partitioned[0].partitions_def)}); choose the partitions to "
                "backfill with partition_keys=, partition_key_range= or all_partitions=True "
                "(CLI: --partitions, --partition-range or --all-partitions)."
            )
        if not partitioned and not self.target.is_empty:
            raise PartitionError(
                "None of the selected assets is partitioned: materialize them without "
                "partitions instead."
            )
        requests: list[BackfillRunRequest] = []
        for group in groups:
            group.targets = self._targets(group, groups)
            self._chunk(group, groups, requests)
        return requests

    def _group(self, keys: list[AssetKey]) -> list[_Group]:
        graph = self.defs.resolve_asset_graph()
        stage: dict[AssetKey, int] = {}
        def_index: dict[AssetKey, int] = {}
        group_of: dict[tuple[int, int], int] = {}
        groups: list[_Group] = []
        for key in keys:  # topological order
            pdef = self.assets_by_key[key].partitions_def
            index = self._def_index(pdef)
            level = 0
            for parent in graph.parents(key):
                if parent in stage:
                    level = max(level, stage[parent] + (def_index[parent] != index))
            stage[key], def_index[key] = level, index
            slot = group_of.setdefault((level, index), len(groups))
            if slot == len(groups):
                groups.append(_Group(partitions_def=pdef))
            groups[slot].keys.append(key)
        order = sorted(range(len(groups)), key=lambda g: (stage[groups[g].keys[0]], g))
        position = {old: new for new, old in enumerate(order)}
        ordered = [groups[g] for g in order]
        for key in keys:
            here = position[group_of[(stage[key], def_index[key])]]
            for parent in graph.parents(key):
                if parent in stage:
                    there = position[group_of[(stage[parent], def_index[parent])]]
                    if there != here:
                        ordered[here].edges.append((there, parent, key))
        return ordered

    def _def_index(self, pdef: PartitionsDefinition | None) -> int:
        if pdef is None:
            return -1
        for i, seen in enumerate(self._defs_seen):
            if seen is pdef or seen == pdef:
                return i
        self._defs_seen.append(pdef)
        self._keys_cache.append(self._load_keys(pdef))
        return len(self._defs_seen) - 1

    def _load_keys(self, pdef: PartitionsDefinition) -> tuple[list[str], dict[str, int]]:
        keys = list(pdef.get_partition_keys(self.current_time, self.store))
        return keys, {k: i for i, k in enumerate(keys)}

    def _keys_of(self, pdef: PartitionsDefinition) -> tuple[list[str], dict[str, int]]:
        return self._keys_cache[self._def_index(pdef)]

    # -- which partitions each group gets ----------------------------------------------------------
    def _targets(self, group: _Group, groups: list[_Group]) -> list[str] | None:
        pdef = group.partitions_def
        if pdef is None:
            return None
        every, positions = self._keys_of(pdef)
        if self.target.all_partitions:
            return every
        direct, problem = self._direct_targets(group, every, positions)
        if direct is not None:
            return direct
        mapped = self._mapped_targets(group, groups)
        if mapped is None:
            raise PartitionError(problem)
        return sorted(mapped, key=positions.__getitem__)

    def _direct_targets(
        self, group: _Group, every: list[str], positions: dict[str, int]
    ) -> tuple[list[str] | None, str]:
        """The asked-for partitions when they are partitions of the group, else why not."""
        asset = _name(group.keys[0])
        where = f"of asset {asset!r}: {_describe(group.partitions_def)}"
        rng = self.target.partition_range
        if rng is not None:
            start, end = positions.get(rng.start), positions.get(rng.end)
            if start is None or end is None:
                missing = rng.start if start is None else rng.end
                return None, f"Partition key {missing!r} is not a partition {where}."
            if end < start:
                raise PartitionError(
                    f"Partition range {rng.start!r}...{rng.end!r} of asset {asset!r} ends before "
                    "it starts; swap the bounds."
                )
            return every[start : end + 1], ""
        keys = self.target.partition_keys or ()
        missing_keys = [k for k in keys if k not in positions]
        if missing_keys:
            return None, f"Partition key {missing_keys[0]!r} is not a partition {where}."
        return sorted(keys, key=positions.__getitem__), ""

    def _mapped_targets(self, group: _Group, groups: list[_Group]) -> set[str] | None:
        """Partitions of ``group`` depending on the targets of its partitioned upstream groups."""
        found: set[str] | None = None
        seen: list[tuple[int, Any]] = []
        for up_index, up_key, down_key in group.edges:
            upstream = groups[up_index]
            if upstream.partitions_def is None or upstream.targets is None:
                continue
            mapping = self._mapping(up_key, down_key, upstream.partitions_def, group)
            if any(i == up_index and m == mapping for i, m in seen):
                continue
            seen.append((up_index, mapping))
            keys = mapping.get_downstream_partitions_for_partitions(
                upstream.targets,
                upstream.partitions_def,
                group.partitions_def,
                current_time=self.current_time,
                dynamic_partitions_store=self.store,
            )
            found = (found or set()) | set(keys)
        return found

    def _mapping(
        self,
        up_key: AssetKey,
        down_key: AssetKey,
        up_def: PartitionsDefinition | None,
        group: _Group,
    ) -> Any:
        from headwater.declarations.partitions.mappings import infer_partition_mapping

        assets_def = self.assets_by_key[down_key]
        explicit = _explicit_mapping(assets_def, up_key, down_key)
        if explicit is not None:
            return explicit
        try:
            return infer_partition_mapping(up_def, group.partitions_def)
        except PartitionError as exc:
            raise PartitionError(
                f"Asset {_name(down_key)!r} depends on {_name(up_key)!r}: {exc}"
            ) from exc

    # -- cutting a group into runs -----------------------------------------------------------------
    def _chunk(
        self, group: _Group, groups: list[_Group], requests: list[BackfillRunRequest]
    ) -> None:
        asset_keys = tuple(group.keys)
        if group.targets is None:
            chunks: list[list[str]] = [[]]
        else:
            policy = effective_backfill_policy(
                [self.assets_by_key[k].backfill_policy for k in group.keys]
            )
            assert group.partitions_def is not None
            _, positions = self._keys_of(group.partitions_def)
            size = policy.max_partitions_per_run
            chunks = [
                segment[i : i + (size or len(segment))]
                for segment in _contiguous(group.targets, positions)
                for i in range(0, len(segment), size or len(segment))
            ]
        dependencies = _Dependencies(self, group, groups)
        for chunk in chunks:
            index = len(requests)
            keys: list[str | None] = list(chunk) if chunk else [None]
            for key in keys:
                group.request_of_key[key] = index
            requests.append(
                BackfillRunRequest(
                    asset_keys=asset_keys,
                    partition_keys=tuple(chunk),
                    depends_on=dependencies.of(chunk),
                )
            )


class _Dependencies:
    """The earlier requests a run of ``group`` needs, through each distinct upstream mapping."""

    def __init__(self, planner: _Planner, group: _Group, groups: list[_Group]) -> None:
        self.group = group
        self.planner = planner
        self.links: list[tuple[_Group, Any]] = []
        for up_index, up_key, down_key in group.edges:
            upstream = groups[up_index]
            mapping = (
                None
                if upstream.partitions_def is None
                else planner._mapping(up_key, down_key, upstream.partitions_def, group)
            )
            if not any(u is upstream and m == mapping for u, m in self.links):
                self.links.append((upstream, mapping))

    def of(self, chunk: list[str]) -> tuple[int, ...]:
        needed: set[int] = set()
        for upstream, mapping in self.links:
            if mapping is None:  # an unpartitioned upstream runs once
                needed.update(upstream.request_of_key.values())
                continue
            result = mapping.get_upstream_partitions_for_partitions(
                chunk or None,
                self.group.partitions_def,
                upstream.partitions_def,
                current_time=self.planner.current_time,
                dynamic_partitions_store=self.planner.store,
            )
            lookup = upstream.request_of_key
            needed.update(lookup[k] for k in result.partition_keys if k in lookup)
        return tuple(sorted(needed))


def _explicit_mapping(
    assets_def: AssetsDefinition[..., Any], up_key: AssetKey, down_key: AssetKey
) -> Any:
    for name, key in assets_def.input_keys.items():
        asset_in = assets_def.ins.get(name)
        if key == up_key and asset_in is not None and asset_in.partition_mapping is not None:
            return asset_in.partition_mapping
    for dep in assets_def.spec_for(down_key).deps:
        if dep.asset_key == up_key and dep.partition_mapping is not None:
            return dep.partition_mapping
    return None


def _contiguous(keys: Iterable[str], positions: dict[str, int]) -> list[list[str]]:
    """Split keys (in definition order) where the definition has keys between them."""
    segments: list[list[str]] = []
    previous = -2
    for key in keys:
        position = positions[key]
        if position != previous + 1:
            segments.append([])
        segments[-1].append(key)
        previous = position
    return segments


def _name(key: AssetKey) -> str:
    return key.to_user_string()


def _describe(pdef: PartitionsDefinition | None) -> str:
    return "unpartitioned" if pdef is None else pdef.describe()
