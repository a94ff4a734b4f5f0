"""multi_asset: outs with AssetOut, specs with AssetSpec, Output/MaterializeResult per key."""

import dagster as dg
from _transcript import case, check, check_sorted

DEFS = {}


@case("define_outs")
def _():
    @dg.multi_asset(
        outs={
            "a": dg.AssetOut(group_name="g", description="first", metadata={"m": 1}),
            "b": dg.AssetOut(key_prefix="pre", code_version="2"),
        }
    )
    def two_outs():
        yield dg.Output(1, output_name="a")
        yield dg.Output(2, output_name="b")

    DEFS["two_outs"] = two_outs
    check_sorted("keys", [k.to_user_string() for k in two_outs.keys])
    check("keys_by_output_name", {n: k.to_user_string() for n, k in two_outs.keys_by_output_name.items()})
    check("group_names", {k.to_user_string(): g for k, g in two_outs.group_names_by_key.items()})
    check("code_versions", {k.to_user_string(): v for k, v in two_outs.code_versions_by_key.items()})
    check("descriptions", {k.to_user_string(): v for k, v in two_outs.descriptions_by_key.items()})
    check("can_subset", two_outs.can_subset)


@case("define_specs")
def _():
    @dg.multi_asset(specs=[dg.AssetSpec("x", group_name="s"), dg.AssetSpec(["y", "z"], deps=["x"])])
    def from_specs():
        yield dg.MaterializeResult(asset_key="x", metadata={"n": 1})
        yield dg.MaterializeResult(asset_key=["y", "z"], metadata={"n": 2})

    DEFS["from_specs"] = from_specs
    check_sorted("keys", [k.to_user_string() for k in from_specs.keys])
    check("group_names", {k.to_user_string(): g for k, g in from_specs.group_names_by_key.items()})
    check_sorted("dependency_keys", [k.to_user_string() for k in from_specs.dependency_keys])


@case("define_return_tuple")
def _():
    @dg.multi_asset(outs={"p": dg.AssetOut(), "q": dg.AssetOut()})
    def tuple_outs():
        return 10, 20

    DEFS["tuple_outs"] = tuple_outs


@case("materialize_outs")
def _():
    result = dg.materialize([DEFS["two_outs"]])
    check("success", result.success)
    check("a", result.output_for_node("two_outs", "a"))
    check("b", result.output_for_node("two_outs", "b"))
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])


@case("materialize_specs")
def _():
    result = dg.materialize([DEFS["from_specs"]])
    check("success", result.success)
    mats = {e.asset_key.to_user_string(): e.materialization.metadata["n"].value for e in result.get_asset_materialization_events()}
    check("metadata_n", mats)


@case("materialize_tuple")
def _():
    result = dg.materialize([DEFS["tuple_outs"]])
    check("success", result.success)
    check("p", result.output_for_node("tuple_outs", "p"))
    check("q", result.output_for_node("tuple_outs", "q"))


@case("downstream_of_multi")
def _():
    @dg.asset
    def total(p: int, q: int) -> int:
        return p + q

    result = dg.materialize([DEFS["tuple_outs"], total])
    check("total", result.output_for_node("total"))
