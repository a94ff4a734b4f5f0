"""Partitioned runs: one partition, a range in one run, mappings between definitions."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater import (
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    PartitionError,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

daily = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
monthly = MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")


@hw.asset(partitions_def=daily)
def events(context: hw.AssetExecutionContext) -> list[str]:
    return [f"event on {context.partition_key}"]


@hw.asset(partitions_def=daily)
def daily_counts(context: hw.AssetExecutionContext, events: list[str]) -> int:
    window = context.partition_time_window
    assert (window.end - window.start).days == 1
    return len(events)


@hw.asset(partitions_def=monthly)
def monthly_counts(context: hw.AssetExecutionContext, daily_counts: dict[str, int]) -> int:
    keys = context.asset_partition_keys_for_input("daily_counts")
    assert keys == sorted(daily_counts)
    return sum(daily_counts.values())


@hw.asset
def total(monthly_counts: dict[str, int]) -> int:
    return sum(monthly_counts.values())


def test_one_partition_is_materialized_and_indexed(instance: Any) -> None:
    result = hw.materialize([events, daily_counts], partition_key="2024-01-05", instance=instance)
    assert result.output_for_node("daily_counts") == 1
    mats = result.get_asset_materialization_events()
    assert {(e.asset_key.to_user_string(), e.partition) for e in mats} == {
        ("events", "2024-01-05"),
        ("daily_counts", "2024-01-05"),
    }
    run = instance.get_run_by_id(result.run_id)
    assert run.tags["headwater/partition"] == "2024-01-05"
    assert instance.get_materialized_partitions(hw.AssetKey("events")) == {"2024-01-05"}
    stored = instance.storage_directory / "events" / "2024-01-05"
    assert stored.exists()


def test_daily_partitions_roll_up_into_a_month(instance: Any) -> None:
    for day in range(1, 32):
        hw.materialize(
            [events, daily_counts], partition_key=f"2024-01-{day:02d}", instance=instance
        )
    result = hw.materialize(
        [events, daily_counts, monthly_counts],
        selection="monthly_counts",
        partition_key="2024-01-01",
        instance=instance,
    )
    assert result.output_for_node("monthly_counts") == 31


def test_missing_upstream_partition_fails_the_step_with_a_clear_error(instance: Any) -> None:
    hw.materialize([events, daily_counts], partition_key="2024-02-01", instance=instance)
    result = hw.materialize(
        [events, daily_counts, monthly_counts],
        selection="monthly_counts",
        partition_key="2024-02-01",
        instance=instance,
        raise_on_error=False,
    )
    (failure,) = result.get_step_failure_events()
    assert "daily_counts/2024-02-02" in failure.message
    assert "Materialize the upstream asset first" in failure.message


def test_a_range_runs_in_one_run_with_one_materialization_per_partition(instance: Any) -> None:
    @hw.asset(partitions_def=daily)
    def batch(context: hw.AssetExecutionContext) -> dict[str, int]:
        return {key: i for i, key in enumerate(context.partition_keys)}

    @hw.asset(partitions_def=daily)
    def batch_plus_one(context: hw.AssetExecutionContext, batch: dict[str, int]) -> dict[str, int]:
        assert context.partition_key_range == PartitionKeyRange("2024-01-10", "2024-01-12")
        return {k: v + 1 for k, v in batch.items()}

    result = hw.materialize(
        [batch, batch_plus_one],
        partition_key_range=PartitionKeyRange("2024-01-10", "2024-01-12"),
        instance=instance,
    )
    assert result.output_for_node("batch_plus_one") == {
        "2024-01-10": 1,
        "2024-01-11": 2,
        "2024-01-12": 3,
    }
    partitions = [e.partition for e in result.get_asset_materialization_events()]
    assert partitions == ["2024-01-10", "2024-01-11", "2024-01-12"] * 2
    assert instance.get_materialized_partitions(hw.AssetKey("batch_plus_one")) == {
        "2024-01-10",
        "2024-01-11",
        "2024-01-12",
    }
    tags = instance.get_run_by_id(result.run_id).tags
    assert tags["headwater/asset_partition_range_start"] == "2024-01-10"


def test_unpartitioned_downstream_loads_every_upstream_partition(instance: Any) -> None:
    hw.materialize([events, daily_counts], partition_key="2024-01-01", instance=instance)
    hw.materialize([events, daily_counts, monthly_counts], partition_key="2024-01-01",
                   selection="monthly_counts", raise_on_error=False, instance=instance)  # fmt: skip
    regions = StaticPartitionsDefinition(["eu", "us"])

    @hw.asset(partitions_def=regions)
    def sales(context: hw.AssetExecutionContext) -> int:
        return {"eu": 3, "us": 4}[context.partition_key]

    @hw.asset
    def all_sales(sales: dict[str, int]) -> int:
        return sum(sales.values())

    for region in ("eu", "us"):
        hw.materialize([sales], partition_key=region, instance=instance)
    result = hw.materialize([sales, all_sales], selection="all_sales", instance=instance)
    assert result.output_for_node("all_sales") == 7


def test_bad_partition_input_fails_before_anything_is_stored(instance: Any) -> None:
    with pytest.raises(PartitionError, match=r"'2023-12-31'.*asset 'events'"):
        hw.materialize([events], partition_key="2023-12-31", instance=instance)
    with pytest.raises(PartitionError, match=r"partitioned.*partition_key="):
        hw.materialize([events], instance=instance)
    with pytest.raises(PartitionError, match=r"before its start|precedes|comes before"):
        hw.materialize(
            [events],
            partition_key_range=PartitionKeyRange("2024-01-05", "2024-01-01"),
            instance=instance,
        )
    assert instance.get_runs() == []


def test_context_partition_fields_in_unit_tests() -> None:
    context = hw.build_asset_context(partition_key="2024-01-03")
    assert events(context) == ["event on 2024-01-03"]


def test_partition_status_summarizes_materialized_failed_and_missing_as_ranges(
    instance: Any,
) -> None:
    @hw.asset(partitions_def=daily)
    def fragile(context: hw.AssetExecutionContext) -> int:
        if context.partition_key == "2024-01-03":
            raise ValueError("bad day")
        return 1

    for day in ("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"):
        hw.materialize([fragile], partition_key=day, instance=instance, raise_on_error=False)
    status = instance.get_asset_partitions_summary(hw.AssetKey("fragile"), daily)
    assert status.materialized == ["2024-01-01", "2024-01-02", "2024-01-04"]
    assert status.failed == ["2024-01-03"]
    assert status.in_progress == []
    assert len(status.missing) == len(daily.get_partition_keys()) - 4
    assert [(r.start, r.end, r.status) for r in status.ranges()[:4]] == [
        ("2024-01-01", "2024-01-02", "MATERIALIZED"),
        ("2024-01-03", "2024-01-03", "FAILED"),
        ("2024-01-04", "2024-01-04", "MATERIALIZED"),
        ("2024-01-05", "2024-02-29", "MISSING"),
    ]
    assert status.counts()["MISSING"] == 56


def test_incompatible_partitions_are_reported_when_definitions_load() -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])

    @hw.asset(partitions_def=regions)
    def by_region() -> int:
        return 1

    @hw.asset(partitions_def=daily)
    def by_day(by_region: int) -> int:
        return by_region

    with pytest.raises(PartitionError, match="Asset 'by_day' depends on 'by_region': Incompatible"):
        hw.Definitions(assets=[by_region, by_day])


def test_multi_partition_key_in_context_has_its_dimensions(instance: Any) -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])
    multi = hw.MultiPartitionsDefinition({"date": daily, "region": regions})

    @hw.asset(partitions_def=multi)
    def sales(context: hw.AssetExecutionContext) -> str:
        return context.partition_key.keys_by_dimension["region"]

    result = hw.materialize([sales], partition_key="2024-01-02|eu", instance=instance)
    assert result.output_for_node("sales") == "eu"


def test_build_asset_context_with_a_range() -> None:
    context = hw.build_asset_context(
        partition_key_range=PartitionKeyRange("2024-01-01", "2024-01-03"), partitions_def=daily
    )
    assert context.partition_keys == ["2024-01-01", "2024-01-02", "2024-01-03"]
    assert (context.partition_time_window.end - context.partition_time_window.start).days == 3
