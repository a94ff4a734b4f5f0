"""Daily partitions: keys, time windows, partition key in context, materialize one partition."""

import dagster as dg
from _transcript import case, check

daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")


@dg.asset(partitions_def=daily)
def events(context: dg.AssetExecutionContext) -> str:
    tw = context.partition_time_window
    check("ctx.partition_key", context.partition_key)
    check("ctx.has_partition_key", context.has_partition_key)
    check("ctx.window", [tw.start.isoformat(), tw.end.isoformat()])
    return context.partition_key


@dg.asset(partitions_def=daily)
def events_copy(events: str) -> str:
    return events + "!"


@case("keys")
def _():
    keys = daily.get_partition_keys()
    check("keys", keys)
    check("count", len(keys))
    check("first", daily.get_first_partition_key())
    check("last", daily.get_last_partition_key())
    check("fmt", daily.fmt)
    check("cron", daily.cron_schedule)
    check("timezone", daily.timezone)


@case("time_window")
def _():
    tw = daily.time_window_for_partition_key("2024-01-03")
    check("start", tw.start.isoformat())
    check("end", tw.end.isoformat())
    check("is_time_window_def", isinstance(daily, dg.TimeWindowPartitionsDefinition))
    check("has_key", daily.has_partition_key("2024-01-02"))
    check("has_bad_key", daily.has_partition_key("2025-01-02"))


@case("key_ranges")
def _():
    keys = daily.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-02", "2024-01-04"))
    check("in_range", keys)


@case("materialize_partition")
def _():
    result = dg.materialize([events, events_copy], partition_key="2024-01-02")
    check("success", result.success)
    check("copy", result.output_for_node("events_copy"))
    mats = result.get_asset_materialization_events()
    check("partitions", sorted((e.asset_key.to_user_string(), e.partition) for e in mats))
    check("run_partition_tag", result.dagster_run.tags.get("dagster/partition"))


@case("unknown_partition")
def _():
    from _transcript import expect_error

    expect_error(
        "bad_key",
        lambda: dg.materialize([events], partition_key="1999-01-01"),
        "DagsterUnknownPartitionError",
        "DagsterInvariantViolationError",
        "DagsterError",
    )


@case("other_time_partitions")
def _():
    hourly = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00", end_date="2024-01-01-03:00")
    check("hourly_keys", hourly.get_partition_keys())
    weekly = dg.WeeklyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-29")
    check("weekly_keys", weekly.get_partition_keys())
    monthly = dg.MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-04-01")
    check("monthly_keys", monthly.get_partition_keys())
    offset = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03", end_offset=1)
    check("end_offset_keys", offset.get_partition_keys())
