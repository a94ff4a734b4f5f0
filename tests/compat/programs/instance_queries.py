"""Instance queries: latest materialization, fetch events, run records and status."""

import dagster as dg
from _transcript import case, check


@dg.asset
def tracked(context) -> int:
    context.add_output_metadata({"n": 3})
    return 3


@dg.asset
def broken() -> int:
    raise ValueError("boom")


@case("ephemeral_instance")
def _():
    inst = dg.DagsterInstance.ephemeral()
    check("is_instance", isinstance(inst, dg.DagsterInstance))
    check("is_persistent", inst.is_persistent)
    result = dg.materialize([tracked], instance=inst)
    run = inst.get_run_by_id(result.run_id)
    check("run_status", run.status)
    check("run_is_success", run.is_success)
    check("run_job_name", run.job_name)
    check("run_id_matches", run.run_id == result.run_id)


@case("instance_for_test")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([tracked], instance=inst)
        dg.materialize([tracked], instance=inst)
        latest = inst.get_latest_materialization_event(dg.AssetKey("tracked"))
        check("latest.is_event_log_entry", isinstance(latest, dg.EventLogEntry))
        check("latest.asset_key", latest.asset_materialization.asset_key.to_user_string())
        check("latest.metadata_n", latest.asset_materialization.metadata["n"].value)
        check("latest.dagster_event_type", latest.dagster_event.event_type_value)
        check("latest.is_dagster_event", latest.is_dagster_event)
        check("none_for_unknown", inst.get_latest_materialization_event(dg.AssetKey("nope")))

        records = inst.fetch_materializations(dg.AssetKey("tracked"), limit=10).records
        check("fetch.count", len(records))
        check("fetch.first_is_newest", records[0].storage_id > records[1].storage_id)
        check("fetch.record_asset_key", records[0].asset_key.to_user_string())
        check("fetch.record_event_type", records[0].event_log_entry.dagster_event.event_type_value)

        runs = inst.get_runs()
        check("runs.count", len(runs))
        check("runs.statuses", [r.status for r in runs])
        check("run_records.count", len(inst.get_run_records()))


@case("failed_run")
def _():
    with dg.instance_for_test() as inst:
        result = dg.materialize([broken], instance=inst, raise_on_error=False)
        check("success", result.success)
        run = inst.get_run_by_id(result.run_id)
        check("status", run.status)
        check("is_failure", run.is_failure)
        failed = inst.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]))
        check("failed_runs", len(failed))
        logs = inst.all_logs(result.run_id)
        types = [e.dagster_event.event_type_value for e in logs if e.is_dagster_event]
        check("has_step_failure", "STEP_FAILURE" in types)
        check("last_event", types[-1])


@case("event_records_filter")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([tracked], instance=inst)
        recs = inst.get_event_records(dg.EventRecordsFilter(event_type=dg.DagsterEventType.ASSET_MATERIALIZATION, asset_key=dg.AssetKey("tracked")))
        check("count", len(recs))
        check("asset", recs[0].event_log_entry.dagster_event.asset_key.to_user_string())


@case("asset_keys_and_wipe")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([tracked], instance=inst)
        check("asset_keys", [k.to_user_string() for k in inst.get_asset_keys()])
        inst.wipe_assets([dg.AssetKey("tracked")])
        check("after_wipe", inst.get_latest_materialization_event(dg.AssetKey("tracked")))
