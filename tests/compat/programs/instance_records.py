"""Instance records: fetch_observations, asset records, run records fields, runs filters, deleting runs."""

import dagster as dg
from _transcript import case, check


@dg.asset(group_name="g")
def recorded() -> int:
    return 1


@dg.observable_source_asset
def watched_source():
    return dg.DataVersion("w1")


@case("run_record_fields")
def _():
    with dg.instance_for_test() as inst:
        result = dg.materialize([recorded], instance=inst, tags={"who": "me"})
        records = inst.get_run_records()
        check("count", len(records))
        rec = records[0]
        check("is_run_record", isinstance(rec, dg.RunRecord))
        check("run_id_matches", rec.dagster_run.run_id == result.run_id)
        check("status", rec.dagster_run.status)
        check("tag_who", rec.dagster_run.tags.get("who"))
        check("has_start_time", rec.start_time is not None)
        check("has_end_time", rec.end_time is not None)
        check("create_before_update", rec.create_timestamp <= rec.update_timestamp)


@case("runs_filters")
def _():
    with dg.instance_for_test() as inst:
        r1 = dg.materialize([recorded], instance=inst, tags={"k": "a"})
        dg.materialize([recorded], instance=inst, tags={"k": "b"})
        check("by_tag", len(inst.get_runs(filters=dg.RunsFilter(tags={"k": "a"}))))
        check("by_id", [r.run_id == r1.run_id for r in inst.get_runs(filters=dg.RunsFilter(run_ids=[r1.run_id]))])
        check("by_job", len(inst.get_runs(filters=dg.RunsFilter(job_name="__ephemeral_asset_job__"))))
        check("limit", len(inst.get_runs(limit=1)))
        check("count", inst.get_runs_count())
        inst.delete_run(r1.run_id)
        check("after_delete", inst.get_runs_count())
        check("deleted_lookup", inst.get_run_by_id(r1.run_id))


@case("asset_records")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([recorded], instance=inst)
        recs = inst.get_asset_records([dg.AssetKey("recorded")])
        check("count", len(recs))
        entry = recs[0].asset_entry
        check("key", entry.asset_key.to_user_string())
        check("has_last_materialization", entry.last_materialization is not None)
        check("last_run_matches", entry.last_run_id is not None)


@case("fetch_observations")
def _():
    with dg.instance_for_test() as inst:
        job = dg.define_asset_job("obs", selection=[watched_source])
        defs = dg.Definitions(assets=[watched_source], jobs=[job])
        defs.get_job_def("obs").execute_in_process(instance=inst)
        recs = inst.fetch_observations(dg.AssetKey("watched_source"), limit=5).records
        check("count", len(recs))
        check("data_version", recs[0].event_log_entry.asset_observation.data_version if recs else None)


@case("materialization_records_filter")
def _():
    with dg.instance_for_test() as inst:
        r1 = dg.materialize([recorded], instance=inst)
        dg.materialize([recorded], instance=inst)
        recs = inst.fetch_materializations(dg.AssetRecordsFilter(asset_key=dg.AssetKey("recorded")), limit=10).records
        check("count", len(recs))
        check("run_ids_distinct", len({r.run_id for r in recs}))
        check("oldest_is_first_run", recs[-1].run_id == r1.run_id)
        asc = inst.fetch_materializations(dg.AssetKey("recorded"), limit=10, ascending=True).records
        check("ascending_first_is_first_run", asc[0].run_id == r1.run_id)
