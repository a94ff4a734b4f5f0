"""Hooks: success_hook, failure_hook, on ops and on jobs, HookContext fields."""

import dagster as dg
from _transcript import case, check

CALLS = []


@dg.success_hook
def on_ok(context: dg.HookContext):
    CALLS.append(f"ok:{context.op.name}")


@dg.failure_hook
def on_fail(context: dg.HookContext):
    CALLS.append(f"fail:{context.op.name}:{type(context.op_exception).__name__}")


@dg.op
def good() -> int:
    return 1


@dg.op
def bad(x: int) -> int:
    raise KeyError("bad")


@case("hook_definitions")
def _():
    check("is_hook_def", isinstance(on_ok, dg.HookDefinition))
    check("name", on_ok.name)


@case("job_hooks")
def _():
    CALLS.clear()

    @dg.job(hooks={on_ok, on_fail})
    def j():
        bad(good())

    result = j.execute_in_process(raise_on_error=False)
    check("success", result.success)
    check("calls", sorted(CALLS))


@case("op_hook")
def _():
    CALLS.clear()

    @dg.job
    def j():
        good.with_hooks({on_ok})()
        good.alias("other")()

    j.execute_in_process()
    check("calls", CALLS)


@case("hook_with_resources")
def _():
    CALLS.clear()

    @dg.success_hook(required_resource_keys={"sink"})
    def to_sink(context):
        context.resources.sink.append(context.op.name)

    sink = []

    @dg.job(resource_defs={"sink": dg.ResourceDefinition.hardcoded_resource(sink)}, hooks={to_sink})
    def j():
        good()

    j.execute_in_process()
    check("sink", sink)


@case("hook_events")
def _():
    @dg.job(hooks={on_ok})
    def j():
        good()

    result = j.execute_in_process()
    check("hook_completed", [e.step_key for e in result.all_events if e.event_type_value == "HOOK_COMPLETED"])
