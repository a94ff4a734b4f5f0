"""Partition mappings: TimeWindowPartitionMapping offsets, AllPartitionMapping, upstream partition keys."""

import dagster as dg
from _transcript import case, check

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-10")


@dg.asset(partitions_def=daily)
def daily_numbers(context) -> int:
    return int(context.partition_key[-2:])


@dg.asset(
    partitions_def=daily,
    ins={"daily_numbers": dg.AssetIn(partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=0))},
)
def rolling(context, daily_numbers) -> list:
    check("rolling.upstream_keys", context.asset_partition_keys_for_input("daily_numbers"))
    return sorted(daily_numbers.values()) if isinstance(daily_numbers, dict) else daily_numbers


@dg.asset(ins={"daily_numbers": dg.AssetIn(partition_mapping=dg.AllPartitionMapping())})
def total(context, daily_numbers) -> int:
    check("total.upstream_count", len(context.asset_partition_keys_for_input("daily_numbers")))
    return sum(daily_numbers.values())


@case("mapping_objects")
def _():
    m = dg.TimeWindowPartitionMapping(start_offset=-2, end_offset=1)
    check("start_offset", m.start_offset)
    check("end_offset", m.end_offset)
    check("identity_is_mapping", isinstance(dg.IdentityPartitionMapping(), dg.PartitionMapping))
    check("last_is_mapping", isinstance(dg.LastPartitionMapping(), dg.PartitionMapping))
    s = dg.StaticPartitionMapping({"a": "x", "b": ["x", "y"]})
    check("static_is_mapping", isinstance(s, dg.PartitionMapping))


@case("window_run")
def _():
    with dg.instance_for_test() as inst:
        for key in ["2024-01-02", "2024-01-03"]:
            dg.materialize([daily_numbers], partition_key=key, instance=inst)
        result = dg.materialize([daily_numbers, rolling], selection=[rolling], partition_key="2024-01-03", instance=inst)
        check("success", result.success)
        check("value", result.output_for_node("rolling"))


@case("all_partitions_run")
def _():
    with dg.instance_for_test() as inst:
        for key in daily.get_partition_keys():
            dg.materialize([daily_numbers], partition_key=key, instance=inst)
        result = dg.materialize([daily_numbers, total], selection=[total], instance=inst)
        check("value", result.output_for_node("total"))


@case("assetdep_mapping")
def _():
    @dg.asset(partitions_def=daily, deps=[dg.AssetDep(daily_numbers, partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1))])
    def lagged(context) -> str:
        return context.partition_key

    dep = next(iter(next(iter(lagged.specs)).deps))
    check("dep_key", dep.asset_key.to_user_string())
    check("dep_mapping_start", dep.partition_mapping.start_offset)
