"""The freshness loop reads policies from a real code server's snapshot, on real SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from location_helpers import served_location

import headwater as hw
from headwater import Instance
from headwater.daemon.freshness import FreshnessLoop
from headwater.storage.automation_records import FreshnessState

DEFS = """
from datetime import timedelta
from headwater import AssetSpec, Definitions, FreshnessPolicy, asset

@asset(freshness_policy=FreshnessPolicy.time_window(fail_window=timedelta(hours=2),
                                                    warn_window=timedelta(hours=1)))
def report() -> int:
    return 1

@asset
def untracked() -> int:
    return 1

defs = Definitions(assets=[report, untracked])
"""


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("daemon: {freshness_interval_seconds: 60}\n")
    with Instance.from_path(home) as instance:
        yield instance


def test_the_loop_keeps_each_policy_asset_state_at_its_interval(
    instance: Instance, tmp_path: Path
) -> None:
    with served_location(tmp_path / "project", DEFS, instance_home=instance.root_directory) as m:
        instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="report"))
        updated = instance.get_latest_materialization_event(hw.AssetKey("report")).timestamp
        now = [updated + 60]
        loop = FreshnessLoop(instance, m, clock=lambda: now[0])
        assert set(loop.policies()) == {hw.AssetKey("report")}
        loop.run_once()
        states = instance.storage.get_freshness_states()
        assert {k.to_user_string(): r.state for k, r in states.items()} == {
            "report": FreshnessState.PASS
        }
        now[0] = updated + 5400  # past the warn window
        loop.run_once()
        state = instance.storage.get_freshness_states()[hw.AssetKey("report")].state
        assert state is FreshnessState.WARN
        now[0] += 30  # within the interval: not evaluated again
        loop.run_once()
        now[0] = updated + 3 * 3600
        loop.run_once()
        state = instance.storage.get_freshness_states()[hw.AssetKey("report")].state
        assert state is FreshnessState.FAIL
