"""Definition errors: cycles, duplicate keys, missing resources, bad selections, bad arguments."""

import dagster as dg
from _transcript import case, expect_error


@case("cycle")
def _():
    @dg.asset(deps=["y"])
    def x():
        return 1

    @dg.asset(deps=["x"])
    def y():
        return 1

    expect_error(
        "definitions",
        lambda: dg.Definitions(assets=[x, y]).resolve_asset_graph(),
        "DagsterInvalidDefinitionError",
        "DagsterError",
        words=["circular", "cycle"],
    )
    expect_error("materialize", lambda: dg.materialize([x, y]), "DagsterInvalidDefinitionError", "DagsterError", words=["circular"])


@case("duplicate_keys")
def _():
    @dg.asset(name="same")
    def one():
        return 1

    @dg.asset(name="same")
    def two():
        return 2

    expect_error(
        "definitions",
        lambda: dg.Definitions(assets=[one, two]).resolve_asset_graph(),
        "DagsterInvalidDefinitionError",
        "DagsterError",
        words=["same", "multiple", "duplicate"],
    )
    expect_error("materialize", lambda: dg.materialize([one, two]), "DagsterInvalidDefinitionError", "DagsterError")


@case("missing_resource")
def _():
    @dg.asset(required_resource_keys={"db"})
    def needs_db(context):
        return 1

    expect_error(
        "definitions",
        lambda: dg.Definitions(assets=[needs_db]).resolve_implicit_global_asset_job_def(),
        "DagsterInvalidDefinitionError",
        "DagsterUnknownResourceError",
        "DagsterError",
        words=["db"],
    )
    expect_error("materialize", lambda: dg.materialize([needs_db]), "DagsterInvalidDefinitionError", "DagsterError", words=["db"])


@case("bad_selection")
def _():
    @dg.asset
    def present():
        return 1

    job = dg.define_asset_job("bad", selection=["absent"])
    expect_error(
        "job",
        lambda: dg.Definitions(assets=[present], jobs=[job]).get_job_def("bad"),
        "DagsterInvalidSubsetError",
        "DagsterInvalidDefinitionError",
        "DagsterError",
        words=["absent"],
    )
    expect_error(
        "materialize",
        lambda: dg.materialize([present], selection=["absent"]),
        "DagsterInvalidSubsetError",
        "DagsterInvalidDefinitionError",
        "DagsterError",
        words=["absent"],
    )


@case("unknown_job")
def _():
    expect_error("get_job_def", lambda: dg.Definitions().get_job_def("nope"), "DagsterInvariantViolationError", "DagsterError", "KeyError", words=["nope"])


@case("bad_op_names")
def _():
    def bad_name():
        @dg.op(name="has-dash")
        def f():
            return 1

    expect_error("dash", bad_name, "DagsterInvalidDefinitionError", "DagsterError")


@case("asset_in_missing_param")
def _():
    def mismatch():
        @dg.asset(ins={"nope": dg.AssetIn(key="x")})
        def f(other):
            return other

    expect_error("ins_mismatch", mismatch, "DagsterInvalidDefinitionError", "DagsterError", words=["nope"])


@case("op_in_job_missing_input")
def _():
    @dg.op
    def needs(x: int) -> int:
        return x

    def build():
        @dg.job
        def j():
            needs()

        return j

    expect_error("unconnected", lambda: build().execute_in_process(), "DagsterInvalidDefinitionError", "DagsterInvalidConfigError", "DagsterError", words=["x"])


@case("reserved_output_name")
def _():
    def bad():
        @dg.multi_asset(outs={"a": dg.AssetOut(key="k"), "b": dg.AssetOut(key="k")})
        def f():
            return 1, 2

    expect_error("same_key_twice", bad, "DagsterInvalidDefinitionError", "DagsterError")
