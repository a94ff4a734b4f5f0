"""Evaluating one condition tree over one asset's partitions, node by node.

Every node returns the subset of the target asset's partitions where it is true. Operators
combine their operands' subsets with set operations; the dependency operators evaluate their
operand on each upstream asset and map the result down through the partition mapping; the
stateful operators (``SINCE``, ``NEWLY_TRUE``) read what they were on the previous tick from the
cursor and write what they are now. Stateful operands are always evaluated over every partition
(never short-circuited), so their memory never skips a tick.

Semantics follow Dagster's documented ones: ``since`` is true once its trigger was true more
recently than its reset (a reset on the same tick wins), ``newly_true`` is true on the tick its
operand turns true, ``all_deps_match`` of an asset without upstream assets is true,
``any_deps_match`` is false, ``cron_tick_passed`` is true when a tick of the cron schedule fell
after the previous evaluation (and on the first one), ``initial_evaluation`` on the first tick
that sees the asset's current condition.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from headwater.keys import AssetKey
from headwater.orchestration.automation.asset_view import AssetView, AssetViews
from headwater.orchestration.automation.cursor import AssetCursor, condition_hash
from headwater.orchestration.automation.instance_state import InstanceState
from headwater.orchestration.automation.subsets import EMPTY, UNPARTITIONED, Subset, decode, encode

#: ``(path, node, true subset, upstream keys that matched)``, one per evaluated node.
NodeResult = tuple[str, Any, Subset, tuple[AssetKey, ...]]
#: The node results of one asset, flattened (four items per node: one list per asset instead
#: of a tuple per node keeps 10,000 assets' results from crowding the garbage collector).
FlatResults = list[Any]


class TickEvaluator:
    """Evaluates conditions for one tick.

    Args:
        views: the assets.
        state: the instance as the tick sees it.
        previous: each asset's cursor entry from the previous tick.
        previous_timestamp: when the previous tick evaluated (``None``: first tick).
        evaluation_time: this tick's time (aware).
    """

    def __init__(
        self,
        views: AssetViews,
        state: InstanceState,
        previous: dict[str, AssetCursor],
        previous_timestamp: float | None,
        evaluation_time: datetime,
    ) -> None:
        self.views = views
        self.state = state
        self.previous = previous
        self.previous_timestamp = previous_timestamp
        self.evaluation_time = evaluation_time
        self.requested: dict[AssetKey, Subset] = {}
        self._next_state: dict[str, Any] = {}
        self._root: AssetView | None = None
        self._cron: dict[tuple[str, str], float] = {}
        self._leaves: dict[str, Callable[[Any, AssetView, AssetView], Subset]] = {
            "missing": self._missing, "run_in_progress": self._run_in_progress,
            "backfill_in_progress": self._backfill_in_progress,
            "execution_failed": self._execution_failed, "newly_updated": self._newly_updated,
            "data_version_changed": self._newly_updated,
            "newly_requested": self._newly_requested,
            "initial_evaluation": self._initial_evaluation,
            "will_be_requested": self._will_be_requested,
            "executed_with_root_target": self._executed_with_root_target,
            "code_version_changed": self._code_version_changed,
            "check_passed": self._check_passed, "check_failed": self._check_failed,
            "freshness_passed": self._freshness("PASS"),
            "freshness_warned": self._freshness("WARN"),
            "freshness_failed": self._freshness("FAIL"),
            "freshness_at_risk": self._freshness("WARN", "FAIL"),
            "in_latest_time_window": self._in_latest_time_window,
            "any_downstream_conditions": self._any_downstream_conditions,
        }  # fmt: skip

    # -- one asset ----------------------------------------------------------------------------
    def evaluate_asset(self, view: AssetView) -> tuple[Subset, FlatResults, AssetCursor]:
        """Evaluate ``view``'s condition: what to request, the per-node results and the
        asset's cursor entry for the next tick."""
        self._root = view
        self._next_state = {}
        nodes: FlatResults = []
        true = self._eval(view.condition, view, "0", nodes)
        entry = AssetCursor(
            condition_hash=condition_hash(view.condition), code_version=view.code_version,
            requested=encode(true, view.order, view.index), state=self._next_state,
        )  # fmt: skip
        self.requested[view.key] = true
        return true, nodes, entry

    def _eval(self, node: Any, target: AssetView, path: str, out: FlatResults | None) -> Subset:
        leaf = self._leaves.get(node.name)
        if leaf is not None:  # most nodes: one call, no operator dispatch
            true = leaf(node, target, self._root or target)
            matched: tuple[AssetKey, ...] = ()
        else:
            true, matched = self._operator(node, target, path, out)
        if target.order is None:  # share the two unpartitioned subsets
            true = UNPARTITIONED if true else EMPTY
        if out is not None:
            out += (path, node, true, matched)
        return true

    def _operator(
        self, node: Any, target: AssetView, path: str, out: FlatResults | None
    ) -> tuple[Subset, tuple[AssetKey, ...]]:
        name, ops = node.name, node.operands
        if name == "AND":
            true = target.universe
            for i, child in enumerate(ops):
                if not true and not _stateful(child):
                    continue  # false already; a stateless operand cannot change it
                true = true & self._eval(child, target, f"{path}.{i}", out)
        elif name == "OR":
            true = EMPTY
            for i, child in enumerate(ops):
                if true == target.universe and not _stateful(child):
                    continue
                true = true | self._eval(child, target, f"{path}.{i}", out)
        elif name == "NOT":
            true = target.universe - self._eval(ops[0], target, path + ".0", out)
        elif name == "SINCE":
            held = self._prior(path, target) | self._eval(ops[0], target, path + ".0", out)
            if held or _stateful(ops[1]):
                held = held - self._eval(ops[1], target, path + ".1", out)
            true = held & target.universe
            self._remember(path, true, target)
        elif name == "NEWLY_TRUE":
            now = self._eval(ops[0], target, path + ".0", out)
            true = now - self._prior(path, target)
            self._remember(path, now, target)
        elif name in ("ANY_DEPS_MATCH", "ALL_DEPS_MATCH"):
            return self._deps(node, target, path, out, name == "ALL_DEPS_MATCH")
        elif name.startswith("cron_tick_passed"):
            self._leaves[name] = self._cron_leaf
            return self._cron_tick_passed(node, target), ()
        else:
            raise ValueError(f"unknown automation condition {name!r}")
        return true, ()

    def _cron_leaf(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return self._cron_tick_passed(node, target)

    def _deps(
        self, node: Any, target: AssetView, path: str, out: FlatResults | None, every: bool
    ) -> tuple[Subset, tuple[AssetKey, ...]]:
        true = target.universe if every else EMPTY
        matched = []
        child = node.operands[0]
        for dep_key, mapping in target.deps:
            dep = self.views[dep_key]
            dep_true = self._eval(child, dep, f"{path}.0@{dep.name}", None)
            mapped = self.views.map_down(dep, dep_true, target, mapping)
            if mapped:
                matched.append(dep_key)
            true = (true & mapped) if every else (true | mapped)
        if out is not None:  # the operand, over the deps that matched, for explanations
            out += (path + ".0", child, true, tuple(matched))
        return true, tuple(matched)

    # -- cursor state -------------------------------------------------------------------------
    def _prior(self, path: str, target: AssetView) -> Subset:
        root = self._root
        previous = self.previous.get(root.name) if root is not None else None
        if (
            previous is None
            or root is None
            or previous.condition_hash != condition_hash(root.condition)
        ):
            return EMPTY
        data = previous.state.get(path)
        return EMPTY if data is None else decode(data, target.order, target.index)

    def _remember(self, path: str, subset: Subset, target: AssetView) -> None:
        if subset:
            self._next_state[path] = encode(subset, target.order, target.index)

    # -- leaves -------------------------------------------------------------------------------
    def _missing(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return target.universe - self.state.materialized(target)

    def _run_in_progress(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return self.state.run_in_progress(target)

    def _backfill_in_progress(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return self.state.backfill_in_progress(target)

    def _execution_failed(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return self.state.failed(target)

    def _newly_updated(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        updates = self.state.updates(target.key)
        if not updates:
            return EMPTY
        return target.universe if target.order is None else frozenset(updates) & target.universe

    def _newly_requested(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        previous = self.previous.get(target.name)
        if previous is None:
            return EMPTY
        return decode(previous.requested, target.order, target.index)

    def _initial_evaluation(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        previous = self.previous.get(root.name)
        if previous is None or previous.condition_hash != condition_hash(root.condition):
            return target.universe
        return EMPTY

    def _will_be_requested(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return EMPTY if target is root else self.requested.get(target.key, EMPTY)

    def _executed_with_root_target(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        # The runs that updated the target since the previous tick, where they also targeted
        # the root asset (the asset whose condition is evaluated): its update is already done.
        out = set()
        for partition, run_id in self.state.updates(target.key).items():
            selection = self.state.run_selection(run_id)
            if selection is not None and root.key in selection:
                out.add(partition)
        if target.order is None:
            return target.universe if out else EMPTY
        return frozenset(out) & target.universe

    def _code_version_changed(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        previous = self.previous.get(target.name)
        if previous is None or previous.code_version == target.code_version:
            return EMPTY
        return target.universe

    def _check_passed(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        results = self.state.check_results(target)
        return target.universe if results and all(results) else EMPTY

    def _check_failed(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        return target.universe if not all(self.state.check_results(target)) else EMPTY

    def _freshness(self, *wanted: str) -> Callable[[Any, AssetView, AssetView], Subset]:
        def leaf(node: Any, target: AssetView, root: AssetView) -> Subset:
            found = self.state.freshness_state(target.key) in wanted
            return target.universe if found else EMPTY

        return leaf

    def _cron_tick_passed(self, node: Any, target: AssetView) -> Subset:
        params = dict(node.params)
        spec = (params["cron_schedule"], params.get("cron_timezone") or "UTC")
        latest = self._cron.get(spec)
        if latest is None:
            latest = self._cron[spec] = latest_cron_tick(spec[0], spec[1], self.evaluation_time)
        passed = self.previous_timestamp is None or self.previous_timestamp < latest
        return target.universe if passed else EMPTY

    def _in_latest_time_window(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition

        partitions_def = target.partitions_def
        if not isinstance(partitions_def, TimeWindowPartitionsDefinition) or not target.order:
            return target.universe
        lookback = dict(node.params).get("lookback_delta")
        if lookback is None:
            return frozenset({target.order[-1]})
        last = partitions_def.time_window_for_partition_key(target.order[-1]).end
        since = last - lookback
        out = []
        for key in reversed(target.order):
            if partitions_def.time_window_for_partition_key(key).end <= since:
                break
            out.append(key)
        return frozenset(out)

    def _any_downstream_conditions(self, node: Any, target: AssetView, root: AssetView) -> Subset:
        true = EMPTY
        graph = self.views.graph
        for key in sorted(graph.downstream([target.key]) - {target.key}):
            condition = self.views[key].condition
            if condition is None or "any_downstream_conditions" in condition.describe():
                continue
            true = true | self._eval(condition, target, f"~{key.to_user_string()}", None)
        return true


_STATEFUL: dict[int, tuple[Any, bool]] = {}
_STATEFUL_NAMES = frozenset({"SINCE", "NEWLY_TRUE", "any_downstream_conditions"})


def _stateful(node: Any) -> bool:
    """Whether ``node``'s subtree keeps state in the cursor (it must then be evaluated on
    every tick, never skipped). Cached per node object: every asset shares ``eager()``."""
    found = _STATEFUL.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    value = node.name in _STATEFUL_NAMES or any(_stateful(c) for c in node.operands)
    if len(_STATEFUL) > 100_000:
        _STATEFUL.clear()
    _STATEFUL[id(node)] = (node, value)
    return value


def latest_cron_tick(cron_schedule: str, timezone: str, now: datetime) -> float:
    """The epoch time of the latest tick of ``cron_schedule`` (read in ``timezone``) at or
    before ``now``."""
    from zoneinfo import ZoneInfo

    from croniter import croniter

    local = now.astimezone(ZoneInfo(timezone))
    itr = croniter(cron_schedule, local)
    if croniter.match(cron_schedule, local) and local.second == 0 and local.microsecond == 0:
        return local.timestamp()
    return float(itr.get_prev(float))
