"""Ops, graphs and jobs: Out/In, multiple outputs, execute_in_process, output_for_node."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.op
def one() -> int:
    return 1


@dg.op(ins={"x": dg.In(int, description="a number")}, out=dg.Out(int, description="plus two"))
def plus_two(x):
    return x + 2


@dg.op(out={"even": dg.Out(is_required=False), "odd": dg.Out(is_required=False)})
def split(x: int):
    if x % 2 == 0:
        yield dg.Output(x, "even")
    else:
        yield dg.Output(x, "odd")


@dg.op
def show(context: dg.OpExecutionContext, x: int) -> str:
    return f"{context.op.name}:{x}"


@dg.job
def simple_job():
    split(plus_two(one()))


@dg.graph
def inner(x):
    return plus_two(x)


@dg.job(tags={"team": "a"}, description="a job with a sub-graph")
def nested_job():
    show(inner(one()))


@case("definitions")
def _():
    check("op_name", plus_two.name)
    check("op_is_op_def", isinstance(plus_two, dg.OpDefinition))
    check("ins", sorted(plus_two.ins))
    check("in_description", plus_two.ins["x"].description)
    check("outs", sorted(plus_two.outs))
    check("split_outs", sorted(split.outs))
    check("job_name", simple_job.name)
    check("job_is_job_def", isinstance(simple_job, dg.JobDefinition))
    check("graph_is_graph_def", isinstance(inner, dg.GraphDefinition))
    check("job_tags", dict(nested_job.tags))
    check("job_description", nested_job.description)
    check_sorted("node_names", [n.name for n in simple_job.graph.nodes])


@case("execute_simple")
def _():
    result = simple_job.execute_in_process()
    check("success", result.success)
    check("one", result.output_for_node("one"))
    check("plus_two", result.output_for_node("plus_two"))
    check("odd", result.output_for_node("split", "odd"))
    check_sorted("successful_steps", [e.step_key for e in result.get_step_success_events()])
    check("job_name", result.job_def.name)


@case("execute_nested")
def _():
    result = nested_job.execute_in_process()
    check("success", result.success)
    check("show", result.output_for_node("show"))
    check("inner", result.output_for_node("inner"))
    check("inner_plus_two", result.output_for_node("inner.plus_two"))
    check("run_tags_team", result.dagster_run.tags.get("team"))


@case("graph_to_job")
def _():
    job = inner.to_job(name="from_graph")
    check("name", job.name)

    @dg.graph
    def wrapper():
        return inner(one())

    result = wrapper.execute_in_process()
    check("success", result.success)
    check("graph_output", result.output_for_node("inner"))


@case("op_with_config_in_job")
def _():
    @dg.op(config_schema={"n": int})
    def configured(context) -> int:
        return context.op_config["n"] * 10

    @dg.job
    def cfg_job():
        configured()

    result = cfg_job.execute_in_process(run_config={"ops": {"configured": {"config": {"n": 4}}}})
    check("value", result.output_for_node("configured"))
