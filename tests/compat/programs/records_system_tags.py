"""Records as Dagster shapes them: step errors and their causes, system tags, data versions, check selections."""

import dagster as dg
from _transcript import case, check, check_sorted

daily = dg.DailyPartitionsDefinition(start_date="2024-05-01", end_date="2024-05-04")


@dg.asset(partitions_def=daily, kinds={"python", "duckdb"})
def daily_table(context) -> str:
    return context.partition_key


@dg.asset
def broken() -> int:
    raise KeyError("no such row")


@dg.asset
def plain() -> int:
    return 1


@dg.asset_check(asset=plain)
def plain_positive(plain: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=plain > 0)


@dg.observable_source_asset
def feed():
    return dg.DataVersion("f1")


@case("user_error_shape")
def _():
    result = dg.materialize([broken], raise_on_error=False)
    err = result.get_step_failure_events()[0].step_failure_data.error
    check("cls_name", err.cls_name)
    check("cause_cls_name", err.cause.cls_name if err.cause else None)
    check("cause_mentions_row", "no such row" in (err.cause.message if err.cause else ""))


@case("run_tags")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([daily_table], partition_key="2024-05-02", instance=inst)
        run = inst.get_runs()[0]
        check("partition", run.tags.get("dagster/partition"))
        check("has_partition_tag", "dagster/partition" in run.tags)
        record = inst.get_run_records()[0]
        check("record_partition", record.dagster_run.tags.get("dagster/partition"))


@case("kind_tags")
def _():
    spec = daily_table.specs_by_key[dg.AssetKey("daily_table")] if hasattr(daily_table, "specs_by_key") else next(iter(daily_table.specs))
    check("kinds", sorted(spec.kinds))
    check("kind_tags", sorted(k for k in spec.tags if k.startswith("dagster/kind/")))


@case("data_versions")
def _():
    with dg.instance_for_test() as inst:
        dg.materialize([plain], instance=inst)
        defs = dg.Definitions(assets=[feed], jobs=[dg.define_asset_job("watch", selection=[feed])])
        defs.get_job_def("watch").execute_in_process(instance=inst)
        observed = inst.get_latest_data_version_record(dg.AssetKey("feed"), is_source=True)
        check("observed_version", observed.asset_observation.data_version if observed else None)
        check("observed_tag", observed.asset_observation.tags.get("dagster/data_version") if observed else None)
        made = inst.get_latest_data_version_record(dg.AssetKey("plain"))
        check("made_has_version", made is not None and made.asset_materialization.tags.get("dagster/data_version") is not None)
        check("missing", inst.get_latest_data_version_record(dg.AssetKey("nothing_here")))


@case("check_selections")
def _():
    only = dg.define_asset_job("only_checks", selection=dg.AssetSelection.checks_for_assets(plain))
    both = dg.define_asset_job("both", selection=dg.AssetSelection.checks_for_assets(plain) | dg.AssetSelection.assets(daily_table))
    defs = dg.Definitions(assets=[plain, daily_table], asset_checks=[plain_positive], jobs=[only, both])
    with dg.instance_for_test() as inst:
        dg.materialize([plain], instance=inst)
        result = defs.get_job_def("only_checks").execute_in_process(instance=inst)
        check("only.materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
        check("only.evals", [(e.asset_key.to_user_string(), e.passed) for e in result.get_asset_check_evaluations()])
    graph = defs.resolve_asset_graph()
    check_sorted("graph_check_keys", [k.to_user_string() for k in graph.asset_check_keys])


@case("resolve_list")
def _():
    check_sorted("upstream", [k.to_user_string() for k in dg.AssetSelection.assets(plain).upstream().resolve([plain, daily_table])])
    check_sorted("all", [k.to_user_string() for k in dg.AssetSelection.all().resolve([plain, daily_table])])
