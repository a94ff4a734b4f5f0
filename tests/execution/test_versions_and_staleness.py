"""Data versions and provenance; stale status with causes; skipping unchanged work."""

from __future__ import annotations

from typing import Any

import headwater as hw
from headwater import StaleCauseCategory, StaleStatus

runs: list[str] = []


def build(root_version: str = "1", middle_version: str = "1") -> list[Any]:
    @hw.asset(code_version=root_version)
    def root() -> int:
        runs.append("root")
        return 1

    @hw.asset(code_version=middle_version)
    def middle(root: int) -> int:
        runs.append("middle")
        return root + 1

    @hw.asset(code_version="1")
    def leaf(middle: int) -> int:
        runs.append("leaf")
        return middle * 10

    return [root, middle, leaf]


def status_of(instance: Any, assets: list[Any]) -> dict[str, tuple[str, list[str]]]:
    statuses = instance.get_stale_status(hw.Definitions(assets=assets))
    return {
        k.to_user_string(): (s.status.value, [c.category.value for c in s.causes])
        for k, s in statuses.items()
    }


def test_materializations_carry_data_versions_and_provenance(instance: Any) -> None:
    assets = build()
    result = hw.materialize(assets, instance=instance)
    mats = {e.asset_key.to_user_string(): e.data for e in result.get_asset_materialization_events()}
    assert mats["middle"]["provenance"] == {
        "code_version": "1",
        "input_data_versions": {"root": mats["root"]["data_version"]},
    }
    again = hw.materialize(assets, instance=instance).get_asset_materialization_events()
    assert [e.data["data_version"] for e in again] == [m["data_version"] for m in mats.values()]


def test_user_data_version_is_kept(instance: Any) -> None:
    @hw.asset
    def snapshot() -> hw.Output[int]:
        return hw.Output(5, data_version=hw.DataVersion("v5"))

    result = hw.materialize([snapshot], instance=instance)
    (event,) = result.get_asset_materialization_events()
    assert event.data["data_version"] == "v5"
    assert event.data["data_version_source"] == "user"


def test_stale_status_follows_code_and_upstream_data(instance: Any) -> None:
    assets = build()
    assert status_of(instance, assets) == {
        "root": ("MISSING", []),
        "middle": ("MISSING", []),
        "leaf": ("MISSING", []),
    }
    hw.materialize(assets, instance=instance)
    assert {s for s, _ in status_of(instance, assets).values()} == {"FRESH"}

    changed = build(root_version="2")
    assert status_of(instance, changed) == {
        "root": ("STALE", ["CODE"]),
        "middle": ("STALE", ["DEPENDENCIES"]),
        "leaf": ("STALE", ["DEPENDENCIES"]),
    }
    hw.materialize(changed, selection="root", instance=instance)
    after = status_of(instance, changed)
    assert after["root"] == ("FRESH", [])
    assert after["middle"] == ("STALE", ["DATA"])
    statuses = instance.get_stale_status(hw.Definitions(assets=changed))
    (cause,) = statuses[hw.AssetKey("middle")].causes
    assert cause.category is StaleCauseCategory.DATA
    assert cause.dependency == hw.AssetKey("root")
    assert statuses[hw.AssetKey("root")].status is StaleStatus.FRESH


def test_skip_unchanged_reruns_only_what_changed(instance: Any) -> None:
    hw.materialize(build(), instance=instance)
    runs.clear()
    result = hw.materialize(build(), instance=instance, skip_unchanged=True)
    assert runs == []
    skipped = result.filter_events(hw.EventType.STEP_SKIPPED)
    assert {e.step_key for e in skipped} == {"root", "middle", "leaf"}
    assert all(e.data["reason"] == "unchanged" for e in skipped)
    assert result.success

    runs.clear()
    result = hw.materialize(build(middle_version="2"), instance=instance, skip_unchanged=True)
    assert runs == ["middle", "leaf"]  # root reused: its stored value is loaded
    assert result.output_for_node("leaf") == 20
    assert {e.status.value for e in instance.get_stale_status(
        hw.Definitions(assets=build(middle_version="2"))).values()} == {"FRESH"}  # fmt: skip


def test_assets_without_code_version_always_run(instance: Any) -> None:
    calls: list[int] = []

    @hw.asset
    def unversioned() -> int:
        calls.append(1)
        return 1

    hw.materialize([unversioned], instance=instance)
    hw.materialize([unversioned], instance=instance, skip_unchanged=True)
    assert calls == [1, 1]
