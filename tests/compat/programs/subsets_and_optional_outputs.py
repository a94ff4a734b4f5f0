"""Subsets and optional outputs: multi-asset selections in jobs, skipped readers, graph assets with fan-in."""

import dagster as dg
from _transcript import case, check, check_sorted, expect_error


@dg.multi_asset(outs={"p": dg.AssetOut(), "q": dg.AssetOut()})
def pq():
    return 1, 2


@dg.asset
def after_p(p: int) -> int:
    return p + 1


@dg.op
def one() -> int:
    return 1


@dg.op
def add_all(values: list) -> int:
    return sum(values)


@case("job_selecting_part_of_fixed_multi_asset")
def _():
    job = dg.define_asset_job("part", selection=["p"])
    defs = dg.Definitions(assets=[pq, after_p], jobs=[job])
    expect_error("run", lambda: defs.get_job_def("part").execute_in_process(), "DagsterInvalidDefinitionError", "DagsterError")


@case("whole_multi_asset_and_reader")
def _():
    result = dg.materialize([pq, after_p], selection=["p", "q", "after_p"])
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("after_p", result.output_for_node("after_p"))


@case("op_job_optional_output_skips_reader")
def _():
    @dg.op(out={"kept": dg.Out(is_required=False), "dropped": dg.Out(is_required=False)})
    def choose():
        yield dg.Output(5, output_name="kept")

    @dg.op
    def use(x: int) -> int:
        return x * 2

    @dg.job
    def j():
        kept, dropped = choose()
        use.alias("use_kept")(kept)
        use.alias("use_dropped")(dropped)

    result = j.execute_in_process()
    check("success", result.success)
    check("use_kept", result.output_for_node("use_kept"))
    check("skipped", [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"])


@case("graph_asset_with_fan_in")
def _():
    @dg.graph_asset
    def summed():
        return add_all([one(), one.alias("one_b")(), one.alias("one_c")()])

    result = dg.materialize([summed])
    check("success", result.success)
    check("value", result.output_for_node("summed"))


@case("optional_asset_chain")
def _():
    @dg.asset(output_required=False)
    def sometimes():
        if False:
            yield dg.Output(1)

    @dg.asset
    def first_reader(sometimes: int) -> int:
        return sometimes

    @dg.asset
    def second_reader(first_reader: int) -> int:
        return first_reader

    @dg.asset(deps=[sometimes])
    def dep_only() -> int:
        return 3

    result = dg.materialize([sometimes, first_reader, second_reader, dep_only])
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check_sorted("skipped", [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"])
