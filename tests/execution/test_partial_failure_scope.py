"""A multi-asset step that fails after materializing some of its assets blocks only the steps
that read an asset it did not materialize (a dbt build with one failing model)."""

from __future__ import annotations

from typing import Any

import headwater as hw


@hw.multi_asset(outs={"first": hw.AssetOut(), "second": hw.AssetOut()}, can_subset=True)
def build(context: hw.AssetExecutionContext) -> Any:
    yield hw.Output(1, output_name="first")
    raise RuntimeError("model 'second' failed to compile")


@hw.asset
def reads_first(first: int) -> int:
    return first + 1


@hw.asset
def reads_second(second: int) -> int:
    return second + 1


@hw.asset(deps=["first", "second"])
def reads_both() -> int:
    return 0


def test_only_the_steps_reading_an_unmaterialized_asset_are_skipped(instance: Any) -> None:
    result = hw.materialize(
        [build, reads_first, reads_second, reads_both], instance=instance, raise_on_error=False
    )
    assert not result.success
    assert result.get_failed_step_keys() == {"build"}
    assert result.output_for_node("reads_first") == 2
    assert result.get_skipped_step_keys() == {"reads_second", "reads_both"}
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert materialized == {"first", "reads_first"}


def test_a_failed_step_that_materialized_nothing_blocks_everything_downstream(
    instance: Any,
) -> None:
    @hw.asset
    def source() -> int:
        raise ValueError("no data")

    @hw.asset
    def after(source: int) -> int:
        return source

    result = hw.materialize([source, after], instance=instance, raise_on_error=False)
    assert result.get_skipped_step_keys() == {"after"}
