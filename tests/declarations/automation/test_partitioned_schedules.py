"""build_schedule_from_partitioned_job: the cron it ticks on and the partition each tick runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import headwater as hw
from headwater import DefinitionError

days = hw.DailyPartitionsDefinition(start_date="2024-01-01")
hours = hw.HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
weeks = hw.WeeklyPartitionsDefinition(start_date="2024-01-07")
months = hw.MonthlyPartitionsDefinition(start_date="2024-01-01")
paris_days = hw.DailyPartitionsDefinition(start_date="2024-01-01", timezone="Europe/Paris")


def job_over(
    partitions_def: hw.PartitionsDefinition, name: str, *, on_job: bool = True
) -> hw.UnresolvedAssetJobDefinition:
    @hw.asset(name=f"{name}_asset", partitions_def=partitions_def)
    def the_asset() -> None: ...

    return hw.define_asset_job(
        name, selection=[the_asset], partitions_def=partitions_def if on_job else None
    )


def partition_at(schedule: hw.ScheduleDefinition, moment: datetime) -> str | None:
    tick = schedule.evaluate_tick(hw.build_schedule_context(scheduled_execution_time=moment))
    if not tick.run_requests:
        return None
    (request,) = tick.run_requests
    assert request.run_key == request.partition_key == request.tags["headwater/partition"]
    return request.partition_key


def test_daily_schedule_runs_the_day_that_just_ended() -> None:
    schedule = hw.build_schedule_from_partitioned_job(job_over(days, "daily_job"))
    assert (schedule.name, schedule.cron_schedule, schedule.execution_timezone) == (
        "daily_job_schedule",
        "0 0 * * *",
        "UTC",
    )
    assert partition_at(schedule, datetime(2024, 3, 5)) == "2024-03-04"
    assert partition_at(schedule, datetime(2024, 3, 5, 10, 30)) == "2024-03-04"
    (request,) = schedule.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 5))
    ).run_requests
    assert request.job_name == "daily_job"


def test_offsets_move_the_tick_not_the_partition() -> None:
    schedule = hw.build_schedule_from_partitioned_job(
        job_over(days, "late_job"), hour_of_day=3, minute_of_hour=15, name="late", tags={"t": "1"}
    )
    assert (schedule.name, schedule.cron_schedule) == ("late", "15 3 * * *")
    (request,) = schedule.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 5, 3, 15))
    ).run_requests
    assert request.partition_key == "2024-03-04"
    assert request.tags["t"] == "1"


def test_hourly_weekly_and_monthly_schedules() -> None:
    hourly = hw.build_schedule_from_partitioned_job(job_over(hours, "hourly_job"), minute_of_hour=5)
    assert hourly.cron_schedule == "5 * * * *"
    assert partition_at(hourly, datetime(2024, 3, 5, 3, 5)) == "2024-03-05-02:00"
    weekly = hw.build_schedule_from_partitioned_job(
        job_over(weeks, "weekly_job"), day_of_week=2, hour_of_day=1
    )
    assert weekly.cron_schedule == "0 1 * * 2"
    assert partition_at(weekly, datetime(2024, 1, 16, 1)) == "2024-01-07"
    monthly = hw.build_schedule_from_partitioned_job(
        job_over(months, "monthly_job"), day_of_month=3
    )
    assert monthly.cron_schedule == "0 0 3 * *"
    assert partition_at(monthly, datetime(2024, 3, 3)) == "2024-02-01"


def test_ticks_are_read_in_the_partitions_time_zone() -> None:
    schedule = hw.build_schedule_from_partitioned_job(job_over(paris_days, "paris_job"))
    assert schedule.execution_timezone == "Europe/Paris"
    # 23:30 on March 4th in Paris: March 4th has not ended yet there
    assert partition_at(schedule, datetime(2024, 3, 4, 23, 30)) == "2024-03-03"
    # 00:00 UTC on March 5th is 01:00 in Paris: March 4th has ended
    assert partition_at(schedule, datetime(2024, 3, 5, tzinfo=UTC)) == "2024-03-04"


def test_a_tick_before_the_first_partition_ends_is_skipped() -> None:
    schedule = hw.build_schedule_from_partitioned_job(job_over(days, "early_job"))
    tick = schedule.evaluate_tick(
        hw.build_schedule_context(scheduled_execution_time=datetime(2024, 1, 1))
    )
    assert tick.run_requests == ()
    assert tick.skip_message is not None and "none that ended" in tick.skip_message


def test_calling_it_directly_returns_the_run_request() -> None:
    schedule = hw.build_schedule_from_partitioned_job(job_over(days, "direct_job"))
    request = schedule(hw.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 5)))
    assert isinstance(request, hw.RunRequest)
    assert request.partition_key == "2024-03-04"


def test_partitions_from_the_selected_assets_resolve_in_definitions() -> None:
    @hw.asset(partitions_def=days)
    def trips() -> None: ...

    job = hw.define_asset_job("trips_job", selection=hw.AssetSelection.assets(trips))
    schedule = hw.build_schedule_from_partitioned_job(job, hour_of_day=2)
    assert schedule.cron_schedule is None  # not known until Definitions resolves the job
    with pytest.raises(DefinitionError, match="pass definitions="):
        schedule(hw.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 5)))
    defs = hw.Definitions(assets=[trips], jobs=[job], schedules=[schedule])
    resolved = defs.get_schedule_def("trips_job_schedule")
    assert resolved.cron_schedule == "0 2 * * *"
    assert partition_at(resolved, datetime(2024, 3, 5, 2)) == "2024-03-04"
    by_context = hw.build_schedule_context(
        scheduled_execution_time=datetime(2024, 3, 5), definitions=defs
    )
    assert schedule(by_context).partition_key == "2024-03-04"


def test_offsets_that_do_not_fit_the_partitions_are_refused() -> None:
    with pytest.raises(DefinitionError, match="day_of_week cannot be set for daily partitions"):
        hw.build_schedule_from_partitioned_job(job_over(days, "dow_job"), day_of_week=2)
    with pytest.raises(DefinitionError, match="hour_of_day cannot be set for hourly"):
        hw.build_schedule_from_partitioned_job(job_over(hours, "hod_job"), hour_of_day=2)
    with pytest.raises(DefinitionError, match="out of range"):
        hw.build_schedule_from_partitioned_job(job_over(days, "range_job"), hour_of_day=24)


def test_a_job_not_partitioned_by_time_is_refused() -> None:
    colors = hw.StaticPartitionsDefinition(["red", "blue"])
    with pytest.raises(DefinitionError, match="not by time windows"):
        hw.build_schedule_from_partitioned_job(job_over(colors, "color_job"))
