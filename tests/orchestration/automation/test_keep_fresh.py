"""AutomationCondition.keep_fresh(): a stale asset is requested with exactly its too-old
upstream assets, in one run."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import headwater as hw
from headwater.events.records import EventLogEntry, materialization_data
from headwater.orchestration.automation.explain import explain
from headwater.orchestration.automation.records import to_record
from headwater.orchestration.automation.sensor_tick import group_runs
from headwater.orchestration.freshness import update_freshness_states

POLICY = hw.FreshnessPolicy.time_window(fail_window=timedelta(hours=2))


@hw.asset
def raw() -> int:
    return 1


@hw.asset(deps=[raw])
def mid() -> int:
    return 1


@hw.asset
def fresh_source() -> int:
    return 1


@hw.asset(deps=[mid, fresh_source], freshness_policy=POLICY,
          automation_condition=hw.AutomationCondition.keep_fresh())  # fmt: skip
def report() -> int:
    return 1


def _materialized(instance: Any, key: str, hours_ago: float) -> None:
    event = hw.AssetMaterialization(asset_key=key)
    instance.store_events([EventLogEntry(
        run_id="", timestamp=time.time() - hours_ago * 3600,
        event_type=hw.EventType.ASSET_MATERIALIZATION, asset_key=hw.AssetKey(key),
        data=materialization_data(event),
    )])  # fmt: skip


def test_a_stale_asset_is_requested_with_its_too_old_upstream_assets(instance: Any) -> None:
    defs = hw.Definitions(assets=[raw, mid, fresh_source, report])
    for key in ("raw", "mid", "report"):
        _materialized(instance, key, hours_ago=5)
    _materialized(instance, "fresh_source", hours_ago=0.1)
    fresh = hw.evaluate_automation_conditions(defs, instance)
    assert fresh.total_requested == 0  # no freshness state stored yet
    update_freshness_states(instance, {report.key: POLICY})
    result = hw.evaluate_automation_conditions(defs, instance, cursor=fresh.cursor)
    assert set(result.requested) == {raw.key, mid.key, report.key}
    (run,) = group_runs(result, {})
    assert run["asset_keys"] == [["raw"], ["mid"], ["report"]]  # one run, upstream first
    (mid_evaluation,) = [e for e in result.evaluations if e.key == mid.key]
    body = to_record(mid_evaluation, evaluation_id=1, timestamp=0.0, sensor_name="s").body
    assert explain(body) == (
        "requested because: too old for the freshness policy of report (keep_fresh)"
    )


def test_the_walk_stops_at_a_fresh_enough_upstream_asset(instance: Any) -> None:
    defs = hw.Definitions(assets=[raw, mid, fresh_source, report])
    _materialized(instance, "raw", hours_ago=5)  # old, but above a fresh asset
    _materialized(instance, "mid", hours_ago=1)
    _materialized(instance, "fresh_source", hours_ago=1)
    _materialized(instance, "report", hours_ago=3)
    update_freshness_states(instance, {report.key: POLICY})
    result = hw.evaluate_automation_conditions(defs, instance)
    assert set(result.requested) == {report.key}
