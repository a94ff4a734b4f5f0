"""Graph composition: nested graphs with several outputs, GraphOut, fan-in lists, op reuse."""

import dagster as dg
from _transcript import case, check


@dg.op
def emit(context) -> int:
    return 2


@dg.op
def square(x: int) -> int:
    return x * x


@dg.op
def total(values: list[int]) -> int:
    return sum(values)


@dg.op(out={"lo": dg.Out(), "hi": dg.Out()})
def split(x: int):
    return x - 1, x + 1


@case("graph_out")
def _():
    @dg.graph(out={"low": dg.GraphOut(), "high": dg.GraphOut()})
    def bounds(x):
        lo, hi = split(x)
        return {"low": lo, "high": hi}

    @dg.job
    def j():
        low, high = bounds(emit())
        total([square(low), square(high)])

    result = j.execute_in_process()
    check("success", result.success)
    check("total", result.output_for_node("total"))
    check("bounds_low", result.output_for_node("bounds", "low"))
    check("bounds_high", result.output_for_node("bounds", "high"))
    check("inner_split_lo", result.output_for_node("bounds.split", "lo"))


@case("fan_in")
def _():
    @dg.job
    def j():
        total([square.alias(f"sq_{i}")(emit.alias(f"e_{i}")()) for i in range(3)])

    result = j.execute_in_process()
    check("total", result.output_for_node("total"))


@case("nested_two_levels")
def _():
    @dg.graph
    def inner(x):
        return square(x)

    @dg.graph
    def outer(x):
        return inner(inner(x))

    @dg.job
    def j():
        outer(emit())

    result = j.execute_in_process()
    check("outer", result.output_for_node("outer"))
    check_steps = sorted(e.step_key for e in result.get_step_success_events())
    check("steps", check_steps)


@case("graph_definition_fields")
def _():
    @dg.graph(description="described")
    def described(x):
        return square(x)

    check("name", described.name)
    check("description", described.description)
    check("input_names", [d.name for d in described.input_defs])
    check("output_names", [d.name for d in described.output_defs])


@case("job_from_graph_with_config")
def _():
    @dg.op(config_schema={"k": int})
    def cfg(context) -> int:
        return context.op_config["k"]

    @dg.graph
    def g():
        return square(cfg())

    job = g.to_job(name="g_job", config={"ops": {"cfg": {"config": {"k": 4}}}})
    check("value", job.execute_in_process().output_for_node("square"))
