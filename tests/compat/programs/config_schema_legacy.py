"""Legacy config_schema on ops and assets: plain types, Field with defaults, context.op_config."""

import dagster as dg
from _transcript import case, check, expect_error


@case("op_simple_schema")
def _():
    @dg.op(config_schema={"n": int, "label": str})
    def op_a(context) -> str:
        return f"{context.op_config['label']}={context.op_config['n']}"

    @dg.job
    def j():
        op_a()

    result = j.execute_in_process(run_config={"ops": {"op_a": {"config": {"n": 2, "label": "x"}}}})
    check("value", result.output_for_node("op_a"))


@case("op_field_default")
def _():
    @dg.op(config_schema={"n": dg.Field(int, default_value=7, description="how many"), "flag": dg.Field(bool, is_required=False)})
    def op_b(context) -> dict:
        return dict(context.op_config)

    @dg.job
    def j():
        op_b()

    result = j.execute_in_process()
    check("value", result.output_for_node("op_b"))


@case("asset_config_schema")
def _():
    @dg.asset(config_schema={"rows": int})
    def rows_asset(context) -> int:
        return context.op_config["rows"] * 2

    result = dg.materialize([rows_asset], run_config={"ops": {"rows_asset": {"config": {"rows": 21}}}})
    check("value", result.output_for_node("rows_asset"))


@case("scalar_schema")
def _():
    @dg.op(config_schema=int)
    def op_c(context) -> int:
        return context.op_config + 1

    @dg.job
    def j():
        op_c()

    result = j.execute_in_process(run_config={"ops": {"op_c": {"config": 41}}})
    check("value", result.output_for_node("op_c"))


@case("nested_shape")
def _():
    @dg.op(config_schema={"db": {"host": str, "port": dg.Field(int, default_value=5432)}})
    def op_d(context) -> list:
        return [context.op_config["db"]["host"], context.op_config["db"]["port"]]

    @dg.job
    def j():
        op_d()

    result = j.execute_in_process(run_config={"ops": {"op_d": {"config": {"db": {"host": "h"}}}}})
    check("value", result.output_for_node("op_d"))


@case("invalid")
def _():
    @dg.op(config_schema={"n": int})
    def op_e(context) -> int:
        return context.op_config["n"]

    @dg.job
    def j():
        op_e()

    expect_error(
        "wrong_type",
        lambda: j.execute_in_process(run_config={"ops": {"op_e": {"config": {"n": "x"}}}}),
        "DagsterInvalidConfigError",
        "DagsterError",
    )
    expect_error("missing", lambda: j.execute_in_process(), "DagsterInvalidConfigError", "DagsterError")


@case("job_level_config")
def _():
    @dg.op(config_schema={"n": int})
    def op_f(context) -> int:
        return context.op_config["n"]

    @dg.job(config={"ops": {"op_f": {"config": {"n": 5}}}})
    def j():
        op_f()

    result = j.execute_in_process()
    check("value", result.output_for_node("op_f"))
