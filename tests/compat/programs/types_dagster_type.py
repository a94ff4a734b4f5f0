"""DagsterType: type_check_fn, TypeCheck results, failing type checks, Python-type inference."""

import dagster as dg
from _transcript import case, check, expect_error


def _is_even(_context, value):
    if not isinstance(value, int):
        return dg.TypeCheck(success=False, description="not an int", metadata={"got": type(value).__name__})
    return value % 2 == 0


Even = dg.DagsterType(name="Even", type_check_fn=_is_even, description="an even int")


@case("definition")
def _():
    check("name", Even.unique_name)
    check("display_name", Even.display_name)
    check("description", Even.description)
    check("is_nothing", Even.is_nothing)
    check("is_dagster_type", isinstance(Even, dg.DagsterType))


@case("type_check_direct")
def _():
    r = dg.check_dagster_type(Even, 4)
    check("even.success", r.success)
    r = dg.check_dagster_type(Even, 3)
    check("odd.success", r.success)
    r = dg.check_dagster_type(Even, "x")
    check("str.success", r.success)
    check("str.description", r.description)
    check("builtin_int.success", dg.check_dagster_type(int, 3).success)
    check("builtin_int_bad.success", dg.check_dagster_type(int, "3").success)


@case("op_output_type")
def _():
    @dg.op(out=dg.Out(Even))
    def make(context) -> int:
        return context.op_config

    @dg.op(config_schema=int, out=dg.Out(Even))
    def make_cfg(context):
        return context.op_config

    @dg.job
    def j():
        make_cfg()

    ok = j.execute_in_process(run_config={"ops": {"make_cfg": {"config": 2}}})
    check("ok.success", ok.success)
    bad = j.execute_in_process(run_config={"ops": {"make_cfg": {"config": 3}}}, raise_on_error=False)
    check("bad.success", bad.success)
    err = bad.get_step_failure_events()[0].step_failure_data.error
    check("bad.error_cls", err.cls_name)


@case("raise_type_error")
def _():
    @dg.op(out=dg.Out(Even))
    def odd():
        return 5

    @dg.job
    def j():
        odd()

    expect_error("odd", lambda: j.execute_in_process(), "DagsterTypeCheckDidNotPass", "DagsterError", words=["even"])


@case("asset_dagster_type")
def _():
    @dg.asset(dagster_type=Even)
    def even_asset():
        return 8

    result = dg.materialize([even_asset])
    check("success", result.success)
    outs = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    check("type_check_success", outs[0].event_specific_data.type_check_data.success)


@case("python_annotation_mismatch")
def _():
    @dg.asset
    def says_int() -> int:
        return "not an int"

    result = dg.materialize([says_int], raise_on_error=False)
    check("success", result.success)
