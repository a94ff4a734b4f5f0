"""Time-window partitions in detail: timezone, fmt, minute/hour offsets, TimeWindowPartitionsDefinition, windows."""

import datetime

import dagster as dg
from _transcript import case, check


@case("timezone")
def _():
    p = dg.DailyPartitionsDefinition(start_date="2024-03-30", end_date="2024-04-02", timezone="Europe/Paris")
    check("keys", p.get_partition_keys())
    check("timezone", p.timezone)
    tw = p.time_window_for_partition_key("2024-03-31")
    check("window", [tw.start.isoformat(), tw.end.isoformat()])


@case("offsets")
def _():
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04", hour_offset=6, minute_offset=30)
    check("keys", p.get_partition_keys())
    check("cron", p.cron_schedule)
    tw = p.time_window_for_partition_key("2024-01-02")
    check("window", [tw.start.isoformat(), tw.end.isoformat()])


@case("custom_fmt")
def _():
    p = dg.DailyPartitionsDefinition(start_date="20240101", end_date="20240103", fmt="%Y%m%d")
    check("keys", p.get_partition_keys())
    check("fmt", p.fmt)


@case("generic_cron")
def _():
    p = dg.TimeWindowPartitionsDefinition(start="2024-01-01-00:00", end="2024-01-02-00:00", cron_schedule="0 */6 * * *", fmt="%Y-%m-%d-%H:%M")
    check("keys", p.get_partition_keys())


@case("start_datetime")
def _():
    p = dg.DailyPartitionsDefinition(start_date=datetime.datetime(2024, 5, 1), end_date=datetime.datetime(2024, 5, 3))
    check("keys", p.get_partition_keys())
    check("start", p.start.isoformat())


@case("hourly_window")
def _():
    p = dg.HourlyPartitionsDefinition(start_date="2024-01-01-00:00", end_date="2024-01-01-02:00")
    tw = p.time_window_for_partition_key("2024-01-01-01:00")
    check("window", [tw.start.isoformat(), tw.end.isoformat()])
    check("fmt", p.fmt)


@case("weekly_monthly_windows")
def _():
    w = dg.WeeklyPartitionsDefinition(start_date="2024-01-07", end_date="2024-01-28")
    check("weekly_keys", w.get_partition_keys())
    check("weekly_cron", w.cron_schedule)
    m = dg.MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01", day_offset=1)
    check("monthly_keys", m.get_partition_keys())
    check("monthly_cron", m.cron_schedule)


@case("key_ranges_and_windows")
def _():
    p = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-08")
    check("range", p.get_partition_keys_in_range(dg.PartitionKeyRange(start="2024-01-03", end="2024-01-05")))
    tw = dg.TimeWindow(datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC), datetime.datetime(2024, 1, 4, tzinfo=datetime.UTC))
    check("keys_in_window", p.get_partition_keys_in_time_window(tw))
    check("next_key", p.get_next_partition_key("2024-01-03"))
