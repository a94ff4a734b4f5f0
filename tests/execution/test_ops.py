"""Ops and jobs of ops: outputs, inputs through IO managers, config, selection, failures."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import (
    AssetMaterialization,
    Config,
    Definitions,
    EventType,
    In,
    InMemoryIOManager,
    InvalidConfigError,
    InvalidInvocationError,
    InvalidSelectionError,
    Nothing,
    Out,
    Output,
    RetryPolicy,
    RunStatus,
    build_op_context,
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


@job
def diamond() -> None:
    start = one()
    add(add_one(start), add_one(start))


def test_linear_job_passes_values_through_the_filesystem_io_manager(instance: Any) -> None:
    @job
    def linear() -> None:
        add_one(add_one(one()))

    result = linear.execute_in_process(instance=instance)

    assert result.success
    assert result.output_for_node("add_one_2") == 3
    assert instance.get_run_by_id(result.run_id).status is RunStatus.SUCCESS
    assert (instance.storage_directory / "add_one" / "result").exists()


def test_diamond_runs_each_op_once_in_dependency_order(instance: Any) -> None:
    result = diamond.execute_in_process(instance=instance)

    starts = [e.step_key for e in result.filter_events(EventType.STEP_START)]
    assert starts == ["one", "add_one", "add_one_2", "add"]
    assert result.output_for_node("add") == 4


def test_events_are_stored_in_the_instance_in_order(instance: Any) -> None:
    result = diamond.execute_in_process(instance=instance)

    stored = [(e.event_type, e.step_key) for e in instance.all_logs(result.run_id)]
    assert stored == [(e.event_type, e.step_key) for e in result.all_events]
    types = [t for t, key in stored if key == "add"]
    assert types[:1] == [EventType.STEP_START]
    assert EventType.LOADED_INPUT in types and EventType.HANDLED_OUTPUT in types
    assert types[-1] is EventType.STEP_SUCCESS
    assert stored[0][0] is EventType.RUN_START and stored[-1][0] is EventType.RUN_SUCCESS


def test_multiple_outputs_from_a_tuple_and_from_yielded_outputs(instance: Any) -> None:
    @op(out={"low": Out(int), "high": Out(int)})
    def split() -> tuple[int, int]:
        return 1, 100

    @op(out={"a": Out(), "b": Out(is_required=False)})
    def yields() -> Any:
        yield Output(5, output_name="a")

    @op
    def never(b: int) -> int:
        return b

    @job
    def outs() -> None:
        low, high = split()
        add(low, high)
        a, b = yields()
        add_one(a)
        never(b)

    result = outs.execute_in_process(instance=instance)

    assert result.output_for_node("add") == 101
    assert result.output_for_node("add_one") == 6
    assert result.get_skipped_step_keys() == {"never"}


def test_failing_op_skips_downstream_and_fails_the_run(instance: Any) -> None:
    @op
    def boom(n: int) -> int:
        raise ValueError("no")

    @job
    def failing() -> None:
        start = one()
        add_one(boom(start))
        add_one(start)

    result = failing.execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    assert result.get_failed_step_keys() == {"boom"}
    assert result.get_skipped_step_keys() == {"add_one"}
    assert result.output_for_node("add_one_2") == 2
    assert instance.get_run_by_id(result.run_id).status is RunStatus.FAILURE
    with pytest.raises(Exception, match="no"):
        failing.execute_in_process(instance=instance)


def test_retry_policy_reruns_the_op(instance: Any) -> None:
    attempts: list[int] = []

    @op(retry_policy=RetryPolicy(max_retries=2))
    def flaky(context: Any) -> int:
        attempts.append(context.retry_number)
        if len(attempts) < 3:
            raise RuntimeError("try again")
        return 7

    @job
    def retried() -> None:
        flaky()

    result = retried.execute_in_process(instance=instance)

    assert attempts == [0, 1, 2]
    assert result.output_for_node("flaky") == 7
    assert len(result.filter_events(EventType.STEP_UP_FOR_RETRY)) == 2


class Scale(Config):
    factor: int
    label: str = "x"


@op
def scaled(config: Scale, n: int) -> int:
    return n * config.factor


@op(config_schema={"greeting": str})
def greet(context: Any) -> str:
    return str(context.op_config["greeting"])


@job
def configured() -> None:
    scaled(one())
    greet()


def test_op_config_from_run_config(instance: Any) -> None:
    result = configured.execute_in_process(
        {"ops": {"scaled": {"config": {"factor": 5}}, "greet": {"config": {"greeting": "hi"}}}},
        instance=instance,
    )

    assert result.output_for_node("scaled") == 5
    assert result.output_for_node("greet") == "hi"


def test_bad_run_config_lists_every_path_and_runs_nothing(instance: Any) -> None:
    with pytest.raises(InvalidConfigError) as info:
        configured.execute_in_process(
            {"ops": {"scaled": {"config": {"factor": "ten"}}, "nope": {}}}, instance=instance
        )

    message = str(info.value) + repr(info.value.errors)
    assert "ops.scaled.config.factor" in message
    assert "ops.nope" in message
    assert "ops.greet.config.greeting" in message
    assert instance.get_runs() == []


def test_op_selection_runs_the_selected_ops_and_loads_the_rest(instance: Any) -> None:
    diamond.execute_in_process(instance=instance)

    result = diamond.execute_in_process(instance=instance, op_selection=["add"])

    assert [e.step_key for e in result.filter_events(EventType.STEP_START)] == ["add"]
    assert result.output_for_node("add") == 4
    upstream = diamond.execute_in_process(instance=instance, op_selection=["*add_one"])
    assert {e.step_key for e in upstream.get_step_success_events()} == {"one", "add_one"}
    downstream = diamond.execute_in_process(instance=instance, op_selection=["one+"])
    assert {e.step_key for e in downstream.get_step_success_events()} == {
        "one", "add_one", "add_one_2",
    }  # fmt: skip
    with pytest.raises(InvalidSelectionError, match="matches no node"):
        diamond.execute_in_process(instance=instance, op_selection=["missing"])


def test_log_event_records_asset_materializations(instance: Any) -> None:
    @op
    def writes(context: Any) -> None:
        context.log_event(AssetMaterialization(asset_key="exported", metadata={"rows": 3}))

    @job
    def exporting() -> None:
        writes()

    result = exporting.execute_in_process(instance=instance)

    events = instance.all_logs(result.run_id, of_type=EventType.ASSET_MATERIALIZATION)
    assert [e.asset_key.to_user_string() for e in events] == ["exported"]
    assert events[0].step_key == "writes"


def test_type_check_failure_fails_the_step(instance: Any) -> None:
    @op
    def wrong() -> int:
        return "text"  # type: ignore[return-value]

    @job
    def typed() -> None:
        wrong()

    result = typed.execute_in_process(instance=instance, raise_on_error=False)

    assert result.get_failed_step_keys() == {"wrong"}
    error = result.get_step_failure_events()[0].data["error"]
    assert error["cls_name"] == "TypeCheckError"


def test_nothing_inputs_order_ops_without_passing_values(instance: Any) -> None:
    order: list[str] = []

    @op
    def first() -> None:
        order.append("first")

    @op(ins={"after": In(Nothing)})
    def second() -> None:
        order.append("second")

    @job
    def ordered() -> None:
        second(after=first())

    assert ordered.execute_in_process(instance=instance).success
    assert order == ["first", "second"]


def test_direct_invocation_with_and_without_context() -> None:
    @op
    def uses_context(context: Any, n: int) -> str:
        return f"{context.run_id}:{n}"

    assert add_one(1) == 2
    assert uses_context(build_op_context(), 3) == "EPHEMERAL:3"
    with pytest.raises(InvalidInvocationError, match="takes a context"):
        uses_context(n=4)


def test_an_unconnected_input_takes_its_value_from_run_config(instance: Any) -> None:
    @job
    def from_config() -> None:
        add_one()

    result = from_config.execute_in_process(
        {"ops": {"add_one": {"inputs": {"n": 41}}}}, instance=instance
    )

    assert result.output_for_node("add_one") == 42
    with pytest.raises(InvalidConfigError, match=r"ops\.add_one\.inputs\.n: missing"):
        from_config.execute_in_process(instance=instance)
    with pytest.raises(InvalidConfigError, match=r"ops\.add_one\.inputs\.m: unknown input"):
        from_config.execute_in_process({"ops": {"add_one": {"inputs": {"n": 1, "m": 2}}}})
    wrong_type = from_config.execute_in_process(
        {"ops": {"add_one": {"inputs": {"n": "x"}}}}, instance=instance, raise_on_error=False
    )  # the value goes through the input's type check, as a loaded value does
    assert not wrong_type.success
    assert "failed its type check 'int'" in wrong_type.get_step_failure_events()[0].message


def test_inputs_in_run_config_are_refused_for_an_op_whose_inputs_are_connected() -> None:
    @job
    def connected() -> None:
        add_one(one())

    with pytest.raises(InvalidConfigError, match=r"ops\.add_one\.inputs: unknown key"):
        connected.execute_in_process({"ops": {"add_one": {"inputs": {"n": 1}}}})


def test_definitions_accepts_op_jobs_and_in_memory_io_manager() -> None:
    defs = Definitions(jobs=[diamond])

    found = defs.get_job_def("diamond")

    assert found is diamond
    result = found.execute_in_process(resources={"io_manager": InMemoryIOManager()})
    assert result.output_for_node("add") == 4


def test_an_io_manager_sees_the_op_and_the_out_metadata_of_what_it_stores() -> None:
    seen: dict[str, Any] = {}

    class Recording(InMemoryIOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            seen["op"] = context.op_def.name
            seen["metadata"] = dict(context.definition_metadata)
            super().handle_output(context, obj)

    @op(out=Out(metadata={"where": "here"}))
    def emits() -> int:
        return 1

    @job(resource_defs={"io_manager": Recording()})
    def recorded() -> None:
        emits()

    assert recorded.execute_in_process().success
    assert seen == {"op": "emits", "metadata": {"where": "here"}}
