"""A generator body's outputs are stored and recorded as it yields them.

What a multi-asset produced before it failed stays materialized (the models a dbt build
finished before one failed), and a subsettable multi-asset records the checks it ran.
"""

from __future__ import annotations

import time
from typing import Any

import headwater as hw

A, B, C = hw.AssetKey("a"), hw.AssetKey("b"), hw.AssetKey("c")
CHECKS = [hw.AssetCheckSpec("positive", asset="a"), hw.AssetCheckSpec("positive", asset="b")]


def _latest(instance: Any, key: hw.AssetKey) -> Any:
    return instance.get_latest_materialization_event(key)


def test_outputs_yielded_before_a_failure_stay_materialized(instance: Any) -> None:
    @hw.multi_asset(specs=[hw.AssetSpec("a"), hw.AssetSpec("b", deps=["a"])], check_specs=CHECKS)
    def two(context: hw.AssetExecutionContext):
        yield hw.MaterializeResult(asset_key="a", metadata={"rows": 3})
        yield hw.AssetCheckResult(asset_key="a", check_name="positive", passed=True)
        raise hw.Failure(description="model b failed: syntax error near 'selec'")

    result = hw.materialize([two], instance=instance, raise_on_error=False)

    assert not result.success
    failure = result.filter_events(hw.EventType.STEP_FAILURE)[0]
    assert "model b failed: syntax error near 'selec'" in failure.message
    assert _latest(instance, A).asset_materialization.metadata["rows"].value == 3
    assert _latest(instance, B) is None
    check = instance.get_latest_asset_check_evaluation(hw.AssetCheckKey(A, "positive"))
    assert check is not None and check.passed
    assert instance.get_latest_asset_check_evaluation(hw.AssetCheckKey(B, "positive")) is None


def test_a_subsettable_multi_asset_records_only_the_checks_it_ran(instance: Any) -> None:
    @hw.multi_asset(specs=[hw.AssetSpec("a"), hw.AssetSpec("b")], check_specs=CHECKS,
                    can_subset=True)  # fmt: skip
    def two(context: hw.AssetExecutionContext):
        for key in sorted(context.selected_asset_keys):
            yield hw.MaterializeResult(asset_key=key)
        yield hw.AssetCheckResult(asset_key="b", check_name="positive", passed=False)

    result = hw.materialize([two], instance=instance)

    assert result.success
    assert instance.get_latest_asset_check_evaluation(hw.AssetCheckKey(A, "positive")) is None
    evaluation = instance.get_latest_asset_check_evaluation(hw.AssetCheckKey(B, "positive"))
    assert evaluation is not None and not evaluation.passed


def test_a_long_generator_commits_its_materializations_while_it_runs(instance: Any) -> None:
    seen_while_running: list[bool] = []

    @hw.multi_asset(specs=[hw.AssetSpec("a"), hw.AssetSpec("b"), hw.AssetSpec("c")])
    def slow(context: hw.AssetExecutionContext):
        yield hw.MaterializeResult(asset_key="a")
        time.sleep(0.3)  # longer than the flush interval
        yield hw.MaterializeResult(asset_key="b")
        seen_while_running.append(_latest(context.instance, B) is not None)
        yield hw.MaterializeResult(asset_key="c")

    assert hw.materialize([slow], instance=instance).success
    assert seen_while_running == [True]
    assert _latest(instance, C) is not None


def test_outputs_come_in_the_order_the_generator_yields_them(instance: Any) -> None:
    @hw.multi_asset(specs=[hw.AssetSpec("a"), hw.AssetSpec("b"), hw.AssetSpec("c")])
    def reversed_order():
        for name in ("c", "b", "a"):
            yield hw.MaterializeResult(asset_key=name)

    result = hw.materialize([reversed_order], instance=instance)

    keys = [e.asset_key for e in result.get_asset_materialization_events()]
    assert keys == [C, B, A]
