"""materialize(): steps in order, events persisted to real SQLite, failures isolated."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import headwater as hw
from headwater import TypeCheckError


@hw.asset(group_name="raw")
def numbers() -> list[int]:
    return [1, 2, 3, 4]


@hw.asset
def total(context: hw.AssetExecutionContext, numbers: list[int]) -> int:
    context.log.info("summing %d numbers", len(numbers))
    logging.getLogger("user.module").info("python logging works")
    context.add_output_metadata({"count": len(numbers)})
    return sum(numbers)


@hw.asset
def doubled(total: int) -> int:
    return total * 2


@hw.asset
def broken(numbers: list[int]) -> int:
    raise ValueError("bad numbers")


@hw.asset
def after_broken(broken: int) -> int:
    return broken


ALL = [numbers, total, doubled, broken, after_broken]


def event_types(result: hw.ExecuteInProcessResult, step: str) -> list[str]:
    return [e.event_type.value for e in result.events_for_node(step)]


def test_materialize_runs_in_dependency_order_and_records_events(instance: Any) -> None:
    result = hw.materialize([numbers, total, doubled], instance=instance)

    assert result.success
    assert result.output_for_node("doubled") == 20
    assert result.asset_value("total") == 10
    assert event_types(result, "total") == [
        "STEP_START",
        "LOADED_INPUT",
        "STEP_INPUT",
        "LOG_MESSAGE",
        "LOG_MESSAGE",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "HANDLED_OUTPUT",
        "STEP_SUCCESS",
    ]
    # the result holds the run's events from RUN_START on; storage also has what was planned
    stored = instance.all_logs(result.run_id)
    planned = hw.EventType.ASSET_MATERIALIZATION_PLANNED
    assert [e.event_type for e in stored if e.event_type is not planned] == [
        e.event_type for e in result.all_events
    ]
    assert result.all_events[0].event_type is hw.EventType.RUN_START
    assert stored[-1].event_type is hw.EventType.RUN_SUCCESS
    run = instance.get_run_by_id(result.run_id)
    assert run.status is hw.RunStatus.SUCCESS
    assert run.asset_selection == {hw.AssetKey(k) for k in ("numbers", "total", "doubled")}


def test_logs_from_context_and_python_logging_land_in_the_event_log(instance: Any) -> None:
    result = hw.materialize([numbers, total], instance=instance)
    messages = [
        e.message
        for e in instance.all_logs(result.run_id)
        if e.event_type is hw.EventType.LOG_MESSAGE
    ]
    assert messages == ["summing 4 numbers", "python logging works"]


def test_materialization_metadata_is_queryable_from_the_instance(instance: Any) -> None:
    hw.materialize([numbers, total], instance=instance)
    event = instance.get_latest_materialization_event(hw.AssetKey("total"))
    mat = event.asset_materialization
    assert mat.metadata["count"] == hw.MetadataValue.int(4)
    assert mat.metadata["path"].kind == "path"


def test_failing_step_skips_downstream_but_independent_branches_run(instance: Any) -> None:
    result = hw.materialize(ALL, instance=instance, raise_on_error=False)

    assert not result.success
    assert result.get_failed_step_keys() == {"broken"}
    assert result.get_skipped_step_keys() == {"after_broken"}
    assert result.output_for_node("doubled") == 20
    (failure,) = result.get_step_failure_events()
    assert failure.error["cls_name"] == "ValueError"
    assert "bad numbers" in failure.error["traceback"]
    assert 'raise ValueError("bad numbers")' in failure.error["traceback"]
    run = instance.get_run_by_id(result.run_id)
    assert run.status is hw.RunStatus.FAILURE
    # storage is consistent: every event of the run is readable, in order, ending in RUN_FAILURE
    stored = instance.all_logs(result.run_id)
    assert stored[-1].event_type is hw.EventType.RUN_FAILURE
    planned = [e for e in stored if e.event_type is hw.EventType.ASSET_MATERIALIZATION_PLANNED]
    assert len(stored) == len(result.all_events) + len(planned)


def test_raise_on_error_raises_the_users_own_error_noting_the_step(instance: Any) -> None:
    with pytest.raises(ValueError, match="bad numbers") as info:
        hw.materialize([numbers, broken], instance=instance)
    (note,) = info.value.__notes__
    assert "step 'broken'" in note
    # the run was still recorded as failed
    (run,) = instance.get_runs()
    assert run.status is hw.RunStatus.FAILURE


def test_selection_materializes_a_subset_loading_upstream_from_storage(instance: Any) -> None:
    hw.materialize([numbers, total], instance=instance)
    result = hw.materialize([numbers, total, doubled], selection="doubled", instance=instance)
    assert result.output_for_node("doubled") == 20
    assert [e.step_key for e in result.get_step_success_events()] == ["doubled"]


def test_unknown_selection_fails_before_anything_is_stored(instance: Any) -> None:
    with pytest.raises(hw.InvalidSelectionError):
        hw.materialize([numbers, total], selection="totl", instance=instance)
    assert instance.get_runs() == []


def test_bad_run_config_lists_every_path_and_stores_nothing(instance: Any) -> None:
    class Limits(hw.Config):
        low: int
        high: int = 10

    @hw.asset
    def bounded(config: Limits) -> int:
        return config.low

    bounded.params.config_param  # noqa: B018 - analyzed at decoration
    with pytest.raises(hw.InvalidConfigError) as info:
        hw.materialize(
            [bounded],
            instance=instance,
            run_config={"ops": {"bounded": {"config": {"low": "x", "high": "y"}}}},
        )
    assert {path for path, _ in info.value.errors} == {
        "ops.bounded.config.low",
        "ops.bounded.config.high",
    }
    assert instance.get_runs() == []


class Multiplier(hw.Config):
    factor: int = 2


@hw.asset
def scaled(config: Multiplier, numbers: list[int]) -> list[int]:
    return [n * config.factor for n in numbers]


def test_config_parameter_receives_run_config(instance: Any) -> None:
    result = hw.materialize(
        [numbers, scaled],
        instance=instance,
        run_config={"ops": {"scaled": {"config": {"factor": 10}}}},
    )
    assert result.output_for_node("scaled") == [10, 20, 30, 40]
    assert hw.materialize([numbers, scaled], instance=instance).output_for_node("scaled")[0] == 2


def test_wrong_return_type_is_a_type_check_error(instance: Any) -> None:
    @hw.asset
    def typed() -> int:
        return "not an int"  # type: ignore[return-value]

    result = hw.materialize([typed], instance=instance, raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert failure.error["cls_name"] == "TypeCheckError"
    assert "failed its type check 'int': Value of type builtins.str is not a int" in failure.message
    with pytest.raises(TypeCheckError):
        hw.materialize([typed], instance=instance)


def test_multi_asset_outputs_and_subsetting(instance: Any) -> None:
    @hw.multi_asset(outs={"low": hw.AssetOut(), "high": hw.AssetOut()}, can_subset=True)
    def split(context: hw.AssetExecutionContext, numbers: list[int]) -> Any:
        if hw.AssetKey("low") in context.selected_asset_keys:
            yield hw.Output([n for n in numbers if n <= 2], output_name="low")
        if hw.AssetKey("high") in context.selected_asset_keys:
            yield hw.Output([n for n in numbers if n > 2], output_name="high", metadata={"n": 2})

    result = hw.materialize([numbers, split], instance=instance)
    assert result.output_for_node("split", "low") == [1, 2]
    assert result.output_for_node("split", "high") == [3, 4]
    mats = {m.asset_key: m for m in result.asset_materializations_for_node("split")}
    assert mats[hw.AssetKey("high")].metadata["n"].value == 2

    only_high = hw.materialize([numbers, split], selection="high", instance=instance)
    assert [m.asset_key for m in only_high.asset_materializations_for_node("split")] == [
        hw.AssetKey("high")
    ]


def test_multi_asset_missing_required_output_fails_the_step(instance: Any) -> None:
    @hw.multi_asset(outs={"a": hw.AssetOut(), "b": hw.AssetOut()})
    def only_a() -> Any:
        yield hw.Output(1, output_name="a")

    result = hw.materialize([only_a], instance=instance, raise_on_error=False)
    assert "did not produce required output 'b'" in result.get_step_failure_events()[0].message


def test_materialize_result_records_metadata_without_io_manager(instance: Any) -> None:
    @hw.asset
    def side_effect() -> hw.MaterializeResult:
        return hw.MaterializeResult(metadata={"rows": 7})

    result = hw.materialize([side_effect], instance=instance)
    assert event_types(result, "side_effect") == [
        "STEP_START",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "STEP_SUCCESS",
    ]
    assert result.asset_materializations_for_node("side_effect")[0].metadata["rows"].value == 7


def test_materialize_to_memory_keeps_values_in_process(instance: Any) -> None:
    result = hw.materialize_to_memory([numbers, total], instance=instance)
    assert result.output_for_node("total") == 10
    assert not (instance.storage_directory / "total").exists()


def test_resources_are_injected_and_torn_down(instance: Any) -> None:
    calls: list[str] = []

    class Counter(hw.ConfigurableResource):
        start: int = 0

        def setup_for_execution(self, context: Any) -> None:
            calls.append("setup")

        def teardown_after_execution(self, context: Any) -> None:
            calls.append("teardown")

    @hw.asset(required_resource_keys={"counter"})
    def counted(context: hw.AssetExecutionContext) -> int:
        return context.resources.counter.start + 1

    result = hw.materialize([counted], resources={"counter": Counter(start=41)}, instance=instance)
    assert result.output_for_node("counted") == 42
    assert calls == ["setup", "teardown"]


def test_swapping_a_resource_in_a_test() -> None:
    @hw.asset(required_resource_keys={"source"})
    def pulled(context: hw.AssetExecutionContext) -> list[int]:
        return context.resources.source.fetch()

    class FakeSource:
        def fetch(self) -> list[int]:
            return [7]

    result = hw.materialize_to_memory([pulled], resources={"source": FakeSource()})
    assert result.output_for_node("pulled") == [7]


def test_job_execute_in_process_and_load_asset_value(instance: Any) -> None:
    defs = hw.Definitions(
        assets=[numbers, total, doubled],
        jobs=[hw.define_asset_job("totals", selection=["numbers", "total"])],
    )
    result = defs.get_job_def("totals").execute_in_process(instance=instance)
    assert result.success
    assert instance.get_run_by_id(result.run_id).job_name == "totals"
    assert {e.step_key for e in result.get_step_success_events()} == {"numbers", "total"}
    assert defs.load_asset_value("total", instance=instance) == 10


def test_direct_invocation_with_build_asset_context() -> None:
    context = hw.build_asset_context()
    assert total(context, [1, 2]) == 3
    with pytest.raises(hw.InvalidInvocationError, match="build_asset_context"):
        total(numbers=[5])  # as in Dagster: a function taking a context needs one


def test_interrupted_run_is_recorded_as_canceled(instance: Any) -> None:
    @hw.asset
    def interrupted() -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        hw.materialize([numbers, interrupted], instance=instance)
    (run,) = instance.get_runs()
    assert run.status is hw.RunStatus.CANCELED
    types = [e.event_type for e in instance.all_logs(run.run_id)]
    assert hw.EventType.STEP_START in types
    assert types[-1] is hw.EventType.RUN_CANCELED


def test_step_failure_records_its_duration(instance: Any) -> None:
    result = hw.materialize([numbers, broken], instance=instance, raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert failure.data["duration_ms"] >= 0


def test_unpartitioned_upstream_is_loaded_whole_in_a_partitioned_run(instance: Any) -> None:
    hw.materialize([numbers], instance=instance)
    result = hw.materialize(
        [numbers, total], selection="total", partition_key="p", instance=instance
    )
    assert result.output_for_node("total") == 10


def test_failed_asset_is_noted_in_the_asset_index(instance: Any) -> None:
    hw.materialize([numbers], instance=instance)
    hw.materialize([numbers, broken], instance=instance, raise_on_error=False)
    hw.materialize([numbers, broken], instance=instance, raise_on_error=False)
    failed_run = instance.get_runs(limit=1)[0]
    (record,) = instance.get_asset_records([hw.AssetKey("broken")])
    assert record.last_failed_run_id == failed_run.run_id


def test_filesystem_io_manager_recreates_a_removed_storage_directory(instance: Any) -> None:
    import shutil

    hw.materialize([numbers], instance=instance)
    shutil.rmtree(instance.storage_directory)  # e.g. someone cleaned the instance's storage
    result = hw.materialize([numbers, total], instance=instance)
    assert result.output_for_node("total") == 10
    assert (instance.storage_directory / "total").exists()


def test_an_optional_asset_not_produced_skips_the_assets_reading_it(instance: Any) -> None:
    @hw.asset(output_required=False)
    def maybe() -> Any:
        yield from ()

    @hw.asset
    def reads_maybe(maybe: int) -> int:
        return maybe

    @hw.asset
    def independent() -> int:
        return 1

    result = hw.materialize([maybe, reads_maybe, independent], instance=instance)

    assert result.success
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == [
        "independent"
    ]
    [skipped] = result.filter_events(hw.EventType.STEP_SKIPPED)
    assert skipped.step_key == "reads_maybe"
    assert "optional asset(s) ['maybe']" in skipped.message
    assert skipped.data["upstream_failed"] == []


def test_selecting_part_of_a_multi_asset_that_cannot_be_subset_is_refused(instance: Any) -> None:
    @hw.multi_asset(outs={"x": hw.AssetOut(), "y": hw.AssetOut()})
    def pair() -> Any:
        return 1, 2

    with pytest.raises(hw.DefinitionError, match=r"\['x'\] of the multi-asset 'pair'.*can_subset"):
        hw.materialize([pair], selection=["x"], instance=instance)
    assert hw.materialize([pair], selection=["x", "y"], instance=instance).success
