"""Schedules (definition side): ScheduleDefinition, @schedule, build_schedule_context, RunRequest, status."""

import datetime

import dagster as dg
from _transcript import case, check


@dg.asset
def nightly_table() -> int:
    return 1


nightly_job = dg.define_asset_job("nightly_job", selection=[nightly_table])


@case("schedule_definition")
def _():
    s = dg.ScheduleDefinition(job=nightly_job, cron_schedule="0 2 * * *")
    check("is_schedule_def", isinstance(s, dg.ScheduleDefinition))
    check("name", s.name)
    check("cron", s.cron_schedule)
    check("job_name", s.job_name)
    check("default_status", s.default_status)
    check("timezone", s.execution_timezone)


@case("schedule_definition_named")
def _():
    s = dg.ScheduleDefinition(
        name="every_hour",
        job_name="nightly_job",
        cron_schedule="@hourly",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        execution_timezone="Europe/Paris",
        description="hourly",
    )
    check("name", s.name)
    check("cron", s.cron_schedule)
    check("default_status", s.default_status)
    check("timezone", s.execution_timezone)
    check("description", s.description)


@case("decorated_schedule")
def _():
    @dg.schedule(job=nightly_job, cron_schedule="0 0 * * *")
    def midnight(context: dg.ScheduleEvaluationContext):
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        return dg.RunRequest(run_key=day, tags={"day": day})

    check("name", midnight.name)
    ctx = dg.build_schedule_context(scheduled_execution_time=datetime.datetime(2024, 5, 1, 0, 0))
    req = midnight(ctx)
    check("run_key", req.run_key)
    check("tags", dict(req.tags))
    check("is_run_request", isinstance(req, dg.RunRequest))


@case("schedule_skip")
def _():
    @dg.schedule(job=nightly_job, cron_schedule="0 0 * * *")
    def skipper(context):
        return dg.SkipReason("not today")

    result = skipper(dg.build_schedule_context())
    check("is_skip", isinstance(result, dg.SkipReason))
    check("skip_message", result.skip_message)


@case("schedule_run_config")
def _():
    @dg.schedule(job_name="nightly_job", cron_schedule="*/5 * * * *")
    def with_config(context):
        return dg.RunRequest(run_config={"ops": {}}, tags={"k": "v"})

    req = with_config(dg.build_schedule_context())
    check("run_config", req.run_config)
    check("run_key", req.run_key)


@case("definitions_with_schedule")
def _():
    s = dg.ScheduleDefinition(job=nightly_job, cron_schedule="0 2 * * *")
    defs = dg.Definitions(assets=[nightly_table], jobs=[nightly_job], schedules=[s])
    got = defs.get_schedule_def("nightly_job_schedule")
    check("found", got.name)
    check("job_name", got.job_name)


@case("schedule_from_partitioned_job")
def _():
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01")

    @dg.asset(partitions_def=daily)
    def p() -> int:
        return 1

    job = dg.define_asset_job("partitioned_job", selection=[p], partitions_def=daily)
    s = dg.build_schedule_from_partitioned_job(job)
    check("cron", s.cron_schedule)
    check("name", s.name)


@case("run_request_fields")
def _():
    r = dg.RunRequest(run_key="k", partition_key="2024-01-01", tags={"a": "b"}, asset_selection=[dg.AssetKey("x")])
    check("run_key", r.run_key)
    check("partition_key", r.partition_key)
    check("tags", dict(r.tags))
    check("asset_selection", [k.to_user_string() for k in r.asset_selection])
    check("default_run_key", dg.RunRequest().run_key)
