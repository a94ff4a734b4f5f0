"""Partitioned asset jobs: define_asset_job with partitions, execute_in_process(partition_key), tags, ranges."""

import dagster as dg
from _transcript import case, check

daily = dg.DailyPartitionsDefinition(start_date="2024-03-01", end_date="2024-03-05")


@dg.asset(partitions_def=daily)
def day_asset(context) -> str:
    return context.partition_key


@dg.asset(partitions_def=daily)
def day_range(context) -> None:
    r = context.partition_key_range
    check("range_run.in_asset", [r.start, r.end, len(context.partition_keys)])


job = dg.define_asset_job("daily_job", selection=[day_asset], partitions_def=daily)
range_job = dg.define_asset_job("range_job", selection=[day_range], partitions_def=daily)
defs = dg.Definitions(assets=[day_asset, day_range], jobs=[job, range_job])


@case("one_partition")
def _():
    with dg.instance_for_test() as inst:
        result = defs.get_job_def("daily_job").execute_in_process(partition_key="2024-03-02", instance=inst)
        check("success", result.success)
        check("value", result.output_for_node("day_asset"))
        run = inst.get_run_by_id(result.run_id)
        check("partition_tag", run.tags.get("dagster/partition"))
        check("job_name", run.job_name)


@case("partitions_def_on_job")
def _():
    j = defs.get_job_def("daily_job")
    check("partition_keys", j.partitions_def.get_partition_keys())


@case("range_run")
def _():
    result = defs.get_job_def("range_job").execute_in_process(
        tags={"dagster/asset_partition_range_start": "2024-03-01", "dagster/asset_partition_range_end": "2024-03-03"}
    )
    check("success", result.success)
    check("materialized", sorted(e.partition for e in result.get_asset_materialization_events()))


@case("materialized_partitions_on_instance")
def _():
    with dg.instance_for_test() as inst:
        for key in ["2024-03-01", "2024-03-03"]:
            dg.materialize([day_asset], partition_key=key, instance=inst)
        check("materialized", sorted(inst.get_materialized_partitions(dg.AssetKey("day_asset"))))
        latest = inst.get_latest_materialization_event(dg.AssetKey("day_asset"))
        check("latest_partition", latest.dagster_event.partition)


@case("run_request_for_partition")
def _():
    j = defs.get_job_def("daily_job")
    req = dg.RunRequest(partition_key="2024-03-04")
    check("req_partition", req.partition_key)
    check("job_has_partitions", j.partitions_def is not None)
