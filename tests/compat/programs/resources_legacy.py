"""Function-style resources: @resource with config_schema, ResourceDefinition helpers, context.resources."""

import dagster as dg
from _transcript import case, check

EVENTS = []


@case("resource_decorator")
def _():
    @dg.resource(config_schema={"prefix": str})
    def prefixer(init_context):
        p = init_context.resource_config["prefix"]
        return lambda s: p + s

    check("is_resource_def", isinstance(prefixer, dg.ResourceDefinition))

    @dg.op(required_resource_keys={"prefixer"})
    def greet(context) -> str:
        return context.resources.prefixer("world")

    @dg.job(resource_defs={"prefixer": prefixer})
    def j():
        greet()

    result = j.execute_in_process(run_config={"resources": {"prefixer": {"config": {"prefix": "hello "}}}})
    check("value", result.output_for_node("greet"))


@case("configured")
def _():
    @dg.resource(config_schema={"n": int})
    def number(init_context):
        return init_context.resource_config["n"]

    @dg.asset(required_resource_keys={"number"})
    def uses_number(context) -> int:
        return context.resources.number * 3

    result = dg.materialize([uses_number], resources={"number": number.configured({"n": 5})})
    check("value", result.output_for_node("uses_number"))


@case("hardcoded_and_none")
def _():
    @dg.asset(required_resource_keys={"thing", "nothing"})
    def uses_both(context) -> list:
        return [context.resources.thing, context.resources.nothing]

    result = dg.materialize(
        [uses_both],
        resources={"thing": dg.ResourceDefinition.hardcoded_resource({"a": 1}), "nothing": dg.ResourceDefinition.none_resource()},
    )
    check("value", result.output_for_node("uses_both"))


@case("plain_object_as_resource")
def _():
    @dg.asset(required_resource_keys={"plain"})
    def uses_plain(context) -> str:
        return context.resources.plain

    result = dg.materialize([uses_plain], resources={"plain": "just a string"})
    check("value", result.output_for_node("uses_plain"))


@case("generator_resource")
def _():
    @dg.resource
    def managed(_):
        EVENTS.append("enter")
        yield "managed-value"
        EVENTS.append("exit")

    @dg.asset(required_resource_keys={"managed"})
    def uses_managed(context) -> str:
        EVENTS.append("body")
        return context.resources.managed

    result = dg.materialize([uses_managed], resources={"managed": managed})
    check("value", result.output_for_node("uses_managed"))
    check("events", EVENTS)


@case("resource_param")
def _():
    @dg.asset
    def typed(thing: dg.ResourceParam[dict]) -> int:
        return thing["a"]

    result = dg.materialize([typed], resources={"thing": {"a": 42}})
    check("value", result.output_for_node("typed"))


@case("build_init_resource_context")
def _():
    @dg.resource(config_schema={"n": int})
    def number(init_context):
        return init_context.resource_config["n"] + 1

    ctx = dg.build_init_resource_context(config={"n": 9})
    check("direct_call", number(ctx))
