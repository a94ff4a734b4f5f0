"""What the engine knows about each asset of a code location: partitions, deps, condition.

Built once per evaluation from the ``Definitions`` (no I/O): an :class:`AssetView` holds the
asset's partition keys in order (the universe its subsets live in), its upstream assets with
their partition mappings, its condition and code version. Views of one partitions
definition share one key tuple and index (35 assets x 2,000 daily partitions: one list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from headwater.keys import AssetCheckKey, AssetKey
from headwater.orchestration.automation.subsets import EMPTY, UNPARTITIONED, Subset


@dataclass(slots=True, eq=False)
class AssetView:
    """One asset as the engine evaluates it.

    Attributes:
        key: the asset key.
        name: the key as a string (``"a/b"``).
        partitions_def: its partitions definition, or ``None``.
        order: its partition keys in order at the evaluation time (``None``: unpartitioned).
        index: key -> position in ``order``.
        universe: every partition (``{None}`` when unpartitioned).
        deps: ``(upstream key, partition mapping or None)`` per upstream asset.
        children: downstream asset keys.
        condition: its ``AutomationCondition``, or ``None``.
        code_version: its code version, or ``None``.
        check_keys: the checks on the asset.
        freshness_policy: its ``FreshnessPolicy``, or ``None``.
    """

    key: AssetKey
    name: str
    partitions_def: Any
    order: Sequence[str] | None
    index: Mapping[str, int] | None
    universe: Subset
    deps: tuple[tuple[AssetKey, Any], ...] = ()
    children: tuple[AssetKey, ...] = ()
    condition: Any = None
    code_version: str | None = None
    check_keys: tuple[AssetCheckKey, ...] = field(default_factory=tuple)
    freshness_policy: Any = None


class AssetViews:
    """The :class:`AssetView` of every asset of ``defs``, built lazily and kept.

    Args:
        defs: the ``Definitions``.
        evaluation_time: decides which time partitions exist.
        dynamic_store: the instance (for dynamic partitions).
        default_condition: the condition of assets that declare none (``None``: not evaluated).
    """

    def __init__(
        self,
        defs: Any,
        evaluation_time: datetime,
        dynamic_store: Any,
        default_condition: Any = None,
    ) -> None:
        self.defs = defs
        self.graph = defs.resolve_asset_graph()
        self.evaluation_time = evaluation_time
        self.dynamic_store = dynamic_store
        self.default_condition = default_condition
        self._views: dict[AssetKey, AssetView] = {}
        self._kept = _kept_views(defs, default_condition)
        self._universes: dict[int, tuple[Sequence[str], dict[str, int], Subset]] = {}
        self._checks: dict[AssetKey, list[AssetCheckKey]] | None = None

    def __getitem__(self, key: AssetKey) -> AssetView:
        view = self._views.get(key)
        if view is None:
            view = self._kept.get(key)  # unpartitioned: the same on every tick
            if view is None:
                view = self._build(key)
                if view.order is None:
                    self._kept[key] = view
            self._views[key] = view
        return view

    def _build(self, key: AssetKey) -> AssetView:
        assets_def = self.defs.assets_by_key.get(key)
        node = self.graph.get(key) if self.graph.has(key) else None
        parents = node.parent_keys if node is not None else ()
        if assets_def is None:
            return AssetView(
                key=key, name=key.to_user_string(), partitions_def=None, order=None,
                index=None, universe=UNPARTITIONED, deps=tuple((p, None) for p in parents),
                children=self._children(key),
            )  # fmt: skip
        spec = assets_def.spec_for(key)
        partitions_def = assets_def.partitions_def or spec.partitions_def
        order, index, universe = self._universe(partitions_def)
        condition = spec.automation_condition
        if condition is None and self.default_condition is not None and node is not None:
            condition = self.default_condition if node.is_materializable else None
        return AssetView(
            key=key, name=key.to_user_string(), partitions_def=partitions_def, order=order,
            index=index, universe=universe,
            deps=tuple((p, _explicit_mapping(assets_def, spec, p)) for p in parents),
            children=self._children(key), condition=condition, code_version=spec.code_version,
            check_keys=tuple(self._check_keys(key, assets_def)),
            freshness_policy=spec.freshness_policy,
        )  # fmt: skip

    def _children(self, key: AssetKey) -> tuple[AssetKey, ...]:
        return self.graph.children(key) if self.graph.has(key) else ()

    def _universe(self, partitions_def: Any) -> tuple[Any, Any, Subset]:
        if partitions_def is None:
            return None, None, UNPARTITIONED
        found = self._universes.get(id(partitions_def))
        if found is None:
            keys = list(
                partitions_def.get_partition_keys(
                    current_time=self.evaluation_time, dynamic_partitions_store=self.dynamic_store
                )
            )
            index = {k: i for i, k in enumerate(keys)}
            found = self._universes[id(partitions_def)] = (keys, index, frozenset(keys))
        return found

    def _check_keys(self, key: AssetKey, assets_def: Any) -> list[AssetCheckKey]:
        own = [c for c in getattr(assets_def, "check_keys", ()) if c.asset_key == key]
        if self._checks is None:
            self._checks = {}
            for check_key in self.defs.asset_checks_by_key:
                self._checks.setdefault(check_key.asset_key, []).append(check_key)
        return own + self._checks.get(key, [])

    def map_down(self, dep: AssetView, subset: Subset, down: AssetView, mapping: Any) -> Subset:
        """The partitions of ``down`` that depend on the partitions ``subset`` of ``dep``."""
        if not subset:
            return EMPTY
        if dep.order is None:
            return down.universe if None in subset else EMPTY
        if down.order is None:
            return UNPARTITIONED
        if mapping is None and (dep.partitions_def is down.partitions_def
                                or dep.partitions_def == down.partitions_def):  # fmt: skip
            return subset & down.universe
        from headwater.declarations.partitions.mappings import infer_partition_mapping

        mapping = mapping or infer_partition_mapping(dep.partitions_def, down.partitions_def)
        keys = mapping.get_downstream_partitions_for_partitions(
            [k for k in subset if k is not None], dep.partitions_def, down.partitions_def,
            current_time=self.evaluation_time, dynamic_partitions_store=self.dynamic_store,
        )  # fmt: skip
        return frozenset(keys) & down.universe


# (id(defs), id(default condition)) -> (defs, condition, unpartitioned views): a code server
# evaluates the same Definitions tick after tick; 10,000 views are built once, not per tick.
_KEPT: dict[tuple[int, int], tuple[Any, Any, dict[AssetKey, AssetView]]] = {}


def _kept_views(defs: Any, default_condition: Any) -> dict[AssetKey, AssetView]:
    slot = (id(defs), id(default_condition))
    found = _KEPT.get(slot)
    if found is not None and found[0] is defs and found[1] is default_condition:
        return found[2]
    if len(_KEPT) >= 8:  # a reloaded location: forget the oldest definitions
        del _KEPT[next(iter(_KEPT))]
    views: dict[AssetKey, AssetView] = {}
    _KEPT[slot] = (defs, default_condition, views)
    return views


def _explicit_mapping(assets_def: Any, spec: Any, upstream: AssetKey) -> Any:
    """The partition mapping declared for ``upstream`` (``AssetIn`` or ``AssetDep``), or None."""
    for name, key in assets_def.input_keys.items():
        asset_in = assets_def.ins.get(name)
        if key == upstream and asset_in is not None and asset_in.partition_mapping is not None:
            return asset_in.partition_mapping
    for dep in spec.deps:
        if dep.asset_key == upstream and dep.partition_mapping is not None:
            return dep.partition_mapping
    return None
