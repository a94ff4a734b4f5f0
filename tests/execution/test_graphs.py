"""Graphs: tracing op calls, aliases, nested graphs with inputs and outputs, nested config."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import (
    Config,
    DefinitionError,
    EventType,
    GraphDefinition,
    InvalidInvocationError,
    graph,
    job,
    op,
)


@op
def one() -> int:
    return 1


@op
def add_one(n: int) -> int:
    return n + 1


@op
def add(x: int, y: int) -> int:
    return x + y


class Factor(Config):
    factor: int = 2


@op
def times(config: Factor, n: int) -> int:
    return n * config.factor


@graph
def plus_two(n: int) -> Any:
    return add_one(add_one(n))


@graph(out={"doubled": None, "tripled": None})
def fan(n: int) -> Any:
    return {"doubled": times.alias("double")(n), "tripled": times.alias("triple")(n)}


def test_graph_records_nodes_in_dependency_order() -> None:
    assert isinstance(plus_two, GraphDefinition)
    assert list(plus_two.op_nodes) == ["add_one", "add_one_2"]
    assert plus_two.op_nodes["add_one_2"].inputs["n"].node == "add_one"
    assert plus_two.node_names == ["add_one", "add_one_2"]


def test_nested_graph_nodes_are_named_graph_dot_op(instance: Any) -> None:
    @job
    def nested() -> None:
        add(plus_two(one()), add_one(one()))

    result = nested.execute_in_process(instance=instance)

    assert result.output_for_node("plus_two.add_one_2") == 3
    assert result.output_for_node("add") == 5
    assert "plus_two.add_one" in {e.step_key for e in result.get_step_success_events()}


def test_graph_with_several_outputs_and_nested_config(instance: Any) -> None:
    @job
    def outer() -> None:
        doubled, tripled = fan(one())
        add(doubled, tripled)

    result = outer.execute_in_process(
        {"ops": {"fan": {"ops": {"triple": {"config": {"factor": 3}}}}}}, instance=instance
    )

    assert result.output_for_node("fan.double") == 2
    assert result.output_for_node("fan.triple") == 3
    assert result.output_for_node("add") == 5
    dotted = outer.execute_in_process(
        {"ops": {"fan.double": {"config": {"factor": 10}}}}, instance=instance
    )
    assert dotted.output_for_node("add") == 12


def test_graph_to_job_with_input_values(instance: Any) -> None:
    result = plus_two.to_job(name="from_five", input_values={"n": 5}).execute_in_process(
        instance=instance
    )

    assert result.output_for_node("add_one_2") == 7
    assert result.job_name == "from_five"
    stored = instance.all_logs(result.run_id, of_type=EventType.RUN_SUCCESS)
    assert len(stored) == 1


def test_graph_inside_graph_inside_job(instance: Any) -> None:
    @graph
    def plus_four(n: int) -> Any:
        return plus_two(plus_two(n))

    @job
    def deep() -> None:
        plus_four(one())

    result = deep.execute_in_process(instance=instance)

    assert result.output_for_node("plus_four.plus_two_2.add_one_2") == 5


def test_calling_a_graph_outside_a_graph_says_how_to_run_it() -> None:
    with pytest.raises(DefinitionError, match="to_job"):
        plus_two(1)


def test_passing_a_constant_to_an_op_in_a_graph_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="pass outputs of other ops"):

        @graph
        def constant() -> None:
            add_one(3)


def test_graph_inputs_without_values_need_input_values_when_run() -> None:
    job = plus_two.to_job()  # as in Dagster: the values may come at execution
    with pytest.raises(InvalidInvocationError, match="input_values"):
        job.execute_in_process()
    result = job.execute_in_process(input_values={"n": 1})
    assert result.success


@op
def total(values: list[int]) -> int:
    return sum(values)


def test_a_list_of_outputs_fans_in_to_one_input_in_call_order(instance: Any) -> None:
    @job
    def fan_in() -> None:
        total([add_one(one()), one(), plus_two(one())])

    result = fan_in.execute_in_process(instance=instance)

    assert result.output_for_node("total") == 2 + 1 + 3
    assert fan_in.graph_def.op_nodes["total"].inputs["values"].kind == "fan_in"


def test_fan_in_of_a_dynamic_output_says_to_collect() -> None:
    from headwater import DynamicOut, DynamicOutput

    @op(out=DynamicOut())
    def spread() -> Any:
        yield DynamicOutput(1, mapping_key="a")

    with pytest.raises(DefinitionError, match=r"\.collect\(\)"):

        @graph
        def bad() -> None:
            total([spread().map(add_one)])
