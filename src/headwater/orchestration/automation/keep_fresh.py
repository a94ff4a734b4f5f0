"""``AutomationCondition.keep_fresh()``: the upstream assets requested with a stale asset.

Beyond Dagster: when an asset whose condition carries the ``keep_fresh`` label is requested,
refreshing it alone would rebuild it from upstream data that may itself be too old for its
policy. This module finds exactly those upstream assets: walking up from the asset, an upstream
asset is taken when it is materializable and was last updated (materialized or observed)
before the oldest time the asset's policy accepts (``now - fail_window`` for a time-window
policy, the start of the current deadline's window for a cron policy); the walk goes on above
the assets it took and stops at the first one fresh enough. They are requested for the same
partitions (an unpartitioned upstream asset: itself; a partitioned one with the same partitions
definition: the asset's requested keys; other partitioned upstream assets are not taken), so
the run groups put them in the asset's run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from headwater.keys import AssetKey
from headwater.orchestration.automation.asset_view import AssetView, AssetViews
from headwater.orchestration.automation.subsets import UNPARTITIONED, Subset

KEEP_FRESH_LABEL = "keep_fresh"


def wants_fresh_upstream(condition: Any) -> bool:
    """Whether ``condition`` (or a sub-condition) is ``keep_fresh()``."""
    if condition is None:
        return False
    if condition.label == KEEP_FRESH_LABEL:
        return True
    return any(wants_fresh_upstream(c) for c in condition.operands)


def oldest_accepted(policy: Any, now: datetime) -> float | None:
    """The oldest last-update time ``policy`` accepts at ``now`` (epoch seconds)."""
    if policy is None:
        return None
    if policy.kind == "cron":
        from headwater.orchestration.automation.evaluator import latest_cron_tick

        deadline = latest_cron_tick(policy.deadline_cron, policy.timezone, now)
        return float(deadline - policy.lower_bound_delta.total_seconds())
    return float(now.timestamp() - policy.fail_window.total_seconds())


def stale_upstream(
    view: AssetView, requested: Subset, views: AssetViews, instance: Any, now: datetime
) -> dict[AssetKey, Subset]:
    """The upstream assets to request with ``view`` (see the module docstring)."""
    oldest = oldest_accepted(view.freshness_policy, now)
    if oldest is None or not requested:
        return {}
    out: dict[AssetKey, Subset] = {}
    frontier = [view]
    seen = {view.key}
    while frontier:
        below = frontier.pop()
        parents = [views[k] for k, _ in below.deps if k not in seen]
        seen.update(p.key for p in parents)
        if not parents:
            continue
        records = {r.asset_key: r for r in instance.get_asset_records([p.key for p in parents])}
        for parent in parents:
            subset = _subset_for(parent, view, requested)
            if subset is None or not _materializable(views, parent.key):
                continue
            updated = _last_updated(records.get(parent.key))
            if updated is not None and updated >= oldest:
                continue  # fresh enough: the walk stops here
            out[parent.key] = subset
            frontier.append(parent)
    return out


def _subset_for(parent: AssetView, view: AssetView, requested: Subset) -> Subset | None:
    if parent.order is None:
        return UNPARTITIONED
    if view.order is not None and parent.partitions_def == view.partitions_def:
        return requested
    return None


def _materializable(views: AssetViews, key: AssetKey) -> bool:
    graph = views.graph
    return bool(graph.has(key) and graph.get(key).is_materializable)


def _last_updated(record: Any) -> float | None:
    if record is None:
        return None
    times = [r.timestamp for r in (record.last_materialization_record,
                                   record.last_observation_record) if r is not None]  # fmt: skip
    return max(times) if times else None
