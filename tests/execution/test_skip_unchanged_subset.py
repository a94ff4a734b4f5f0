"""skip_unchanged on a subsettable multi-asset runs only its changed assets (e.g. dbt models)."""

from __future__ import annotations

from typing import Any

import headwater as hw

RAN: list[list[str]] = []


def models(versions: dict[str, str]) -> hw.AssetsDefinition:
    """a -> b in one step, and c on its own; each with the given code version."""
    specs = [
        hw.AssetSpec("a", code_version=versions["a"]),
        hw.AssetSpec("b", deps=["a"], code_version=versions["b"]),
        hw.AssetSpec("c", code_version=versions["c"]),
    ]

    @hw.multi_asset(specs=specs, can_subset=True, name="models")
    def build(context: hw.AssetExecutionContext):
        keys = sorted(context.selected_asset_keys)
        RAN.append([k.to_user_string() for k in keys])
        for key in keys:
            yield hw.MaterializeResult(asset_key=key)

    return build


def run(instance: Any, versions: dict[str, str]) -> Any:
    RAN.clear()
    return hw.materialize([models(versions)], instance=instance, skip_unchanged=True)


def test_only_the_changed_assets_of_a_subsettable_step_run(instance: Any) -> None:
    first = {"a": "1", "b": "1", "c": "1"}
    assert run(instance, first).success
    assert RAN == [["a", "b", "c"]]

    result = run(instance, {**first, "c": "2"})

    assert RAN == [["c"]]
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == [
        "c"
    ]
    (reuse,) = [e for e in result.filter_events(hw.EventType.ENGINE_EVENT)
                if e.data.get("reason") == "unchanged"]  # fmt: skip
    assert reuse.data["reused"] == ["a", "b"]
    status = instance.get_stale_status(hw.Definitions(assets=[models({**first, "c": "2"})]))
    assert {k.to_user_string(): s.status for k, s in status.items()} == dict.fromkeys(
        ["a", "b", "c"], hw.StaleStatus.FRESH
    )


def test_an_asset_downstream_of_a_changed_one_in_the_same_step_runs_too(instance: Any) -> None:
    assert run(instance, {"a": "1", "b": "1", "c": "1"}).success

    run(instance, {"a": "2", "b": "1", "c": "1"})

    assert RAN == [["a", "b"]]  # b's code is the same, but its input a changes


def test_a_step_with_nothing_changed_is_skipped_whole(instance: Any) -> None:
    versions = {"a": "1", "b": "1", "c": "1"}
    assert run(instance, versions).success

    result = run(instance, versions)

    assert RAN == []
    (skipped,) = result.filter_events(hw.EventType.STEP_SKIPPED)
    assert skipped.data["reason"] == "unchanged"
