"""Op inputs: In(default_value), Optional inputs, input values in to_job/execute_in_process, aliases, tags."""


import dagster as dg
from _transcript import case, check


@dg.op(ins={"n": dg.In(int, default_value=3)})
def with_default(n) -> int:
    return n * 2


@dg.op
def maybe(x: int | None = None) -> str:
    return "none" if x is None else str(x)


@dg.op
def add(a: int, b: int) -> int:
    return a + b


@case("default_value")
def _():
    @dg.job
    def j():
        with_default()

    result = j.execute_in_process()
    check("value", result.output_for_node("with_default"))
    check("in_has_default", with_default.ins["n"].default_value)


@case("optional_default")
def _():
    @dg.job
    def j():
        maybe()

    check("value", j.execute_in_process().output_for_node("maybe"))


@case("graph_input_values")
def _():
    @dg.graph
    def adder(a, b):
        return add(a, b)

    job = adder.to_job(name="adder_job", input_values={"a": 2, "b": 5})
    result = job.execute_in_process()
    check("value", result.output_for_node("add"))


@case("execute_with_input_values")
def _():
    @dg.graph
    def adder2(a, b):
        return add(a, b)

    result = adder2.execute_in_process(input_values={"a": 1, "b": 1})
    check("value", result.output_for_node("add"))


@case("aliases")
def _():
    @dg.job
    def j():
        x = add.alias("first_add")(with_default(), with_default())
        add.alias("second_add")(x, x)

    result = j.execute_in_process()
    check("first", result.output_for_node("first_add"))
    check("second", result.output_for_node("second_add"))
    check("nodes", sorted(n.name for n in j.graph.nodes))


@case("input_config")
def _():
    @dg.op
    def needs(x: int) -> int:
        return x + 100

    @dg.job
    def j():
        needs()

    result = j.execute_in_process(run_config={"ops": {"needs": {"inputs": {"x": 1}}}})
    check("value", result.output_for_node("needs"))


@case("op_tags_and_description")
def _():
    @dg.op(tags={"k": "v"}, description="does a thing", name="renamed_op")
    def tagged() -> int:
        return 1

    check("name", tagged.name)
    check("tags", dict(tagged.tags))
    check("description", tagged.description)
