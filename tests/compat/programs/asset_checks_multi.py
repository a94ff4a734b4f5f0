"""multi_asset_check and checks in multi_asset; selecting checks; asset check keys in Definitions."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset
def table_a() -> list:
    return [1, 2]


@dg.asset
def table_b() -> list:
    return []


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("has_rows", asset="table_a"),
        dg.AssetCheckSpec("has_rows", asset="table_b"),
    ]
)
def rows_checks(context: dg.AssetCheckExecutionContext):
    for key in sorted(context.selected_asset_check_keys, key=lambda k: k.asset_key.to_user_string()):
        yield dg.AssetCheckResult(asset_key=key.asset_key, check_name="has_rows", passed=key.asset_key.path[-1] == "table_a")


@case("definition")
def _():
    check_sorted("check_keys", [f"{k.asset_key.to_user_string()}:{k.name}" for k in rows_checks.check_keys])


@case("run_all")
def _():
    result = dg.materialize([table_a, table_b, rows_checks])
    check("success", result.success)
    evals = sorted((e.asset_key.to_user_string(), e.check_name, e.passed) for e in result.get_asset_check_evaluations())
    check("evals", evals)


@case("multi_asset_with_checks")
def _():
    @dg.multi_asset(
        specs=[dg.AssetSpec("m1"), dg.AssetSpec("m2")],
        check_specs=[dg.AssetCheckSpec("c1", asset="m1"), dg.AssetCheckSpec("c2", asset="m2")],
    )
    def both():
        yield dg.MaterializeResult(asset_key="m1", check_results=[dg.AssetCheckResult(asset_key="m1", check_name="c1", passed=True)])
        yield dg.MaterializeResult(asset_key="m2", check_results=[dg.AssetCheckResult(asset_key="m2", check_name="c2", passed=False)])

    check_sorted("check_keys", [f"{k.asset_key.to_user_string()}:{k.name}" for k in both.check_keys])
    result = dg.materialize([both])
    check("evals", sorted((e.asset_key.to_user_string(), e.check_name, e.passed) for e in result.get_asset_check_evaluations()))


@case("definitions_with_checks")
def _():
    defs = dg.Definitions(assets=[table_a, table_b], asset_checks=[rows_checks])
    graph = defs.resolve_asset_graph()
    check_sorted("graph_checks", [f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys])
    check_sorted("checks_def_keys", [f"{k.asset_key.to_user_string()}:{k.name}" for k in defs.get_asset_checks_def(dg.AssetCheckKey(dg.AssetKey("table_a"), "has_rows")).check_keys])


@case("asset_check_selection")
def _():
    @dg.asset_check(asset=table_a)
    def single() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    job = dg.define_asset_job("checks_only", selection=dg.AssetSelection.checks_for_assets(table_a))
    defs = dg.Definitions(assets=[table_a, table_b], asset_checks=[single], jobs=[job])
    result = defs.get_job_def("checks_only").execute_in_process()
    check("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("evals", sorted((e.asset_key.to_user_string(), e.passed) for e in result.get_asset_check_evaluations()))
