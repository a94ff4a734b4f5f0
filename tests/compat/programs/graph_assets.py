"""graph_asset and graph_multi_asset: assets computed by a graph of ops."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.op
def fetch() -> list:
    return [1, 2, 3]


@dg.op
def double(values: list) -> list:
    return [v * 2 for v in values]


@dg.op
def total(values: list) -> int:
    return sum(values)


@dg.asset
def base() -> int:
    return 100


@case("graph_asset")
def _():
    @dg.graph_asset(group_name="graphs")
    def doubled_total():
        return total(double(fetch()))

    check("key", doubled_total.key.to_user_string())
    check("group", doubled_total.group_names_by_key[doubled_total.key])
    result = dg.materialize([doubled_total])
    check("success", result.success)
    check("value", result.output_for_node("doubled_total"))
    check_sorted("step_keys", [e.step_key for e in result.get_step_success_events()])


@case("graph_asset_with_input")
def _():
    @dg.op
    def add_one(x: int) -> int:
        return x + 1

    @dg.graph_asset
    def plus_one(base):
        return add_one(base)

    check_sorted("deps", [k.to_user_string() for k in plus_one.dependency_keys])
    result = dg.materialize([base, plus_one])
    check("value", result.output_for_node("plus_one"))


@case("graph_multi_asset")
def _():
    @dg.op(out={"s": dg.Out(), "n": dg.Out()})
    def stats(values: list):
        return sum(values), len(values)

    @dg.graph_multi_asset(outs={"sum_out": dg.AssetOut(), "count_out": dg.AssetOut()})
    def summary():
        s, n = stats(fetch())
        return {"sum_out": s, "count_out": n}

    check_sorted("keys", [k.to_user_string() for k in summary.keys])
    result = dg.materialize([summary])
    check("success", result.success)
    check("sum", result.output_for_node("summary", "sum_out"))
    check("count", result.output_for_node("summary", "count_out"))


@case("graph_multi_asset_can_subset")
def _():
    @dg.op(out={"s": dg.Out(is_required=False), "n": dg.Out(is_required=False)})
    def stats2(context: dg.OpExecutionContext, values: list):
        if "s" in context.selected_output_names:
            yield dg.Output(sum(values), output_name="s")
        if "n" in context.selected_output_names:
            yield dg.Output(len(values), output_name="n")

    @dg.graph_multi_asset(outs={"s2": dg.AssetOut(), "n2": dg.AssetOut()}, can_subset=True)
    def summary2():
        s, n = stats2(fetch())
        return {"s2": s, "n2": n}

    check("can_subset", summary2.can_subset)
    result = dg.materialize([summary2], selection=["s2"])
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
