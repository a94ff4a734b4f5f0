"""DynamicOut: yield DynamicOutput, map over them, collect the results."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.op(out=dg.DynamicOut())
def fan_out():
    for name in ["a", "b", "c"]:
        yield dg.DynamicOutput(name.upper(), mapping_key=name)


@dg.op
def shout(x: str) -> str:
    return x + "!"


@dg.op
def join(values: list) -> str:
    return ",".join(sorted(values))


@dg.job
def dynamic_job():
    join(fan_out().map(shout).collect())


@case("definition")
def _():
    out = fan_out.outs["result"]
    check("is_dynamic", out.is_dynamic)
    check("dynamic_output_key", dg.DynamicOutput(1, mapping_key="k").mapping_key)
    check("dynamic_output_value", dg.DynamicOutput(1, mapping_key="k").value)


@case("execute")
def _():
    result = dynamic_job.execute_in_process()
    check("success", result.success)
    check("joined", result.output_for_node("join"))
    check("mapped", dict(sorted(result.output_for_node("shout").items())))
    check_sorted("step_keys", [e.step_key for e in result.get_step_success_events()])


@case("bad_mapping_key")
def _():
    from _transcript import expect_error

    expect_error("dash_key", lambda: dg.DynamicOutput(1, mapping_key="a-b"), "DagsterInvalidDefinitionError", "DagsterError")


@case("empty_fan_out")
def _():
    @dg.op(out=dg.DynamicOut())
    def nothing_out():
        return
        yield

    @dg.job
    def empty_job():
        join(nothing_out().map(shout).collect())

    result = empty_job.execute_in_process()
    check("success", result.success)
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    check("skipped", skipped)
