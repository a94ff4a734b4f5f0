"""Op graphs: fan-in lists, inputs from run config, hooks on one node, op outputs' contexts."""

import dagster as dg
from _transcript import case, check, check_sorted, expect_error

CALLS = []


@dg.op
def two() -> int:
    return 2


@dg.op
def three() -> int:
    return 3


@dg.op
def total(values: list) -> int:
    return sum(values)


@dg.op
def needs(x: int) -> int:
    return x * 10


@case("fan_in_order_and_aliases")
def _():
    @dg.job
    def j():
        total([three(), two(), two.alias("two_again")()])

    result = j.execute_in_process()
    check("total", result.output_for_node("total"))
    inputs = [e for e in result.all_events if e.event_type_value == "LOADED_INPUT" and e.step_key == "total"]
    check("loaded_inputs", len(inputs))


@case("fan_in_with_unproduced_optional")
def _():
    @dg.op(out={"maybe": dg.Out(is_required=False), "sure": dg.Out()})
    def half():
        yield dg.Output(1, output_name="sure")

    @dg.job
    def j():
        maybe, sure = half()
        total([maybe, sure, two()])

    result = j.execute_in_process()
    check("success", result.success)
    check("total", result.output_for_node("total"))


@case("input_from_run_config")
def _():
    @dg.job
    def j():
        needs()

    check("value", j.execute_in_process(run_config={"ops": {"needs": {"inputs": {"x": 4}}}}).output_for_node("needs"))
    expect_error("missing", lambda: j.execute_in_process(), "DagsterInvalidConfigError", "DagsterError", words=["x"])
    expect_error(
        "unknown_input",
        lambda: j.execute_in_process(run_config={"ops": {"needs": {"inputs": {"x": 1, "y": 2}}}}),
        "DagsterInvalidConfigError",
        "DagsterError",
    )


@case("input_from_run_config_nested_graph")
def _():
    @dg.graph
    def inner():
        return needs()

    @dg.job
    def j():
        inner()

    result = j.execute_in_process(run_config={"ops": {"inner": {"ops": {"needs": {"inputs": {"x": 5}}}}}})
    check("value", result.output_for_node("inner.needs"))


@case("hooks_on_alias")
def _():
    CALLS.clear()

    @dg.success_hook
    def note(context):
        CALLS.append(context.op.name)

    @dg.job
    def j():
        two.alias("hooked").with_hooks({note})()
        two()

    result = j.execute_in_process()
    check("calls", CALLS)
    check("hook_completed", [e.step_key for e in result.all_events if e.event_type_value == "HOOK_COMPLETED"])


@case("hook_errored_event")
def _():
    @dg.success_hook
    def broken(context):
        raise RuntimeError("hook bug")

    @dg.job(hooks={broken})
    def j():
        two()

    result = j.execute_in_process()
    check("success", result.success)
    check("hook_errored", [e.step_key for e in result.all_events if e.event_type_value == "HOOK_ERRORED"])


@case("output_context_op_def")
def _():
    seen = []

    class Io(dg.ConfigurableIOManager):
        def handle_output(self, context, obj):
            seen.append((context.op_def.name, context.name))

        def load_input(self, context):
            return 0

    @dg.job(resource_defs={"io_manager": Io()})
    def j():
        two.alias("renamed")()

    j.execute_in_process()
    check("seen", seen)


@case("op_selected_output_names")
def _():
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def pair(context):
        check_sorted("selected", context.selected_output_names)
        return 1, 2

    @dg.job
    def j():
        pair()

    check("success", j.execute_in_process().success)


@case("build_op_context_positional")
def _():
    @dg.op(config_schema={"k": int})
    def cfg(context) -> int:
        return context.op_config["k"]

    check("value", cfg(dg.build_op_context(None, {"k": 3})))
    expect_error("no_context", lambda: cfg(), "DagsterInvalidInvocationError", "DagsterError")


@case("hook_events_in_order")
def _():
    @dg.success_hook
    def on_ok(context):
        pass

    @dg.failure_hook
    def on_bad(context):
        pass

    @dg.op
    def fails(x: int) -> int:
        raise ValueError("no")

    @dg.job(hooks={on_ok, on_bad})
    def j():
        fails(two())

    result = j.execute_in_process(raise_on_error=False)
    check("events", [(e.step_key, e.event_type_value) for e in result.all_events if e.event_type_value.startswith("HOOK_")])
