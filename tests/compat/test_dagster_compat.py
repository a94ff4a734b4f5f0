"""Dagster-style code runs after changing the import to ``headwater.compat.dagster``."""

from __future__ import annotations

from typing import Any

import pytest

import headwater
import headwater.compat.dagster as dg


def test_branded_names_map_to_neutral_ones() -> None:
    assert dg.DagsterInstance is headwater.Instance
    assert dg.DagsterRunStatus is headwater.RunStatus
    assert dg.DagsterEventType is headwater.EventType
    assert dg.DagsterError is headwater.HeadwaterError
    assert dg.get_dagster_logger is headwater.get_logger
    assert set(headwater.__all__) <= set(dg.__all__)


def test_unsupported_name_says_so() -> None:
    with pytest.raises(AttributeError, match="does not provide this Dagster API"):
        dg.SomeFutureThing  # noqa: B018


def test_names_headwater_will_not_provide_name_the_alternative() -> None:
    with pytest.raises(AttributeError, match="will not: expectations are superseded by asset"):
        dg.ExpectationResult  # noqa: B018
    with pytest.raises(AttributeError, match="ResourceParam"):
        dg.Resource  # noqa: B018


def test_file_relative_path_joins_onto_the_modules_directory(tmp_path: Any) -> None:
    module = tmp_path / "defs" / "assets.py"
    assert dg.file_relative_path(str(module), "data.csv") == str(tmp_path / "defs" / "data.csv")
    assert "file_relative_path" in dg.__all__


@dg.asset(group_name="raw")
def raw_numbers() -> list[int]:
    return [3, 1, 2]


@dg.asset
def sorted_numbers(
    context: dg.AssetExecutionContext, raw_numbers: list[int]
) -> dg.Output[list[int]]:
    dg.get_dagster_logger().info("sorting")
    return dg.Output(sorted(raw_numbers), metadata={"count": len(raw_numbers)})


def test_dagster_style_project_materializes() -> None:
    defs = dg.Definitions(
        assets=[raw_numbers, sorted_numbers],
        jobs=[
            dg.define_asset_job(
                "all_numbers", selection=dg.AssetSelection.groups("raw").downstream()
            )
        ],
    )
    with dg.instance_for_test() as instance:
        result: Any = defs.get_job_def("all_numbers").execute_in_process(instance=instance)
        assert result.success
        assert result.output_for_node("sorted_numbers") == [1, 2, 3]
        run = instance.get_run_by_id(result.run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        logs = [e.message for e in instance.all_logs(result.run_id)]
        assert "sorting" in logs


def test_branded_record_attributes_read_the_neutral_ones() -> None:
    @dg.asset
    def logs_and_returns(context: dg.AssetExecutionContext) -> int:
        context.log.info("hello")
        return 1

    with dg.instance_for_test() as instance:
        result: Any = dg.materialize([logs_and_returns], instance=instance)
        logs = instance.all_logs(result.run_id)
        [line] = [e for e in logs if not e.is_dagster_event]
        assert line.user_message == "hello"
        assert line.dagster_event is None and line.dagster_event_type is None
        latest = instance.get_latest_materialization_event(dg.AssetKey("logs_and_returns"))
        assert latest.is_dagster_event and latest.dagster_event is latest.structured_event
        assert latest.dagster_event_type is dg.DagsterEventType.ASSET_MATERIALIZATION


def test_run_events_report_dagster_pipeline_values() -> None:
    @dg.asset
    def one() -> int:
        return 1

    result: Any = dg.materialize([one])
    values = [e.event_type_value for e in result.all_events]
    assert "PIPELINE_START" in values and values[-1] == "PIPELINE_SUCCESS"
    assert "RUN_START" not in values
    assert "STEP_SUCCESS" in values and "ASSET_MATERIALIZATION" in values
    # the enum itself keeps headwater's values
    assert result.get_job_success_event().event_type is dg.DagsterEventType.RUN_SUCCESS


@pytest.fixture
def dagster_shapes() -> Any:
    from headwater.compat import shapes

    shapes.activate()
    yield
    shapes.deactivate()


def test_system_tags_read_under_dagsters_names_and_stored_unchanged(dagster_shapes: Any) -> None:
    daily = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")

    @dg.asset(partitions_def=daily, kinds={"python"})
    def day(context: dg.AssetExecutionContext) -> str:
        return context.partition_key

    defs = dg.Definitions(assets=[day], jobs=[dg.define_asset_job("days", [day])])
    with dg.instance_for_test() as instance:
        result: Any = defs.get_job_def("days").execute_in_process(
            instance=instance, tags={"dagster/partition": "2024-01-02"}
        )
        run = instance.get_run_by_id(result.run_id)
        mat = result.get_asset_materialization_events()[0].materialization
        record = instance.get_latest_data_version_record(dg.AssetKey("day"))

    assert result.output_for_node("day") == "2024-01-02"
    assert run.tags["dagster/partition"] == run.tags["headwater/partition"] == "2024-01-02"
    assert "dagster/partition" in run.tags and "dagster/partition" not in dict(run.tags)
    assert day.spec_for(dg.AssetKey("day")).tags["dagster/kind/python"] == ""
    assert mat.data_version is not None and mat.tags["dagster/data_version"] == mat.data_version
    assert record is not None
    assert record.event_log_entry.data["data_version"] == mat.data_version


def test_recorded_errors_read_in_dagsters_shape_only_while_active() -> None:
    from headwater.compat import shapes

    @dg.asset
    def broken() -> int:
        raise ValueError("broken on purpose")

    result: Any = dg.materialize([broken], raise_on_error=False)
    [failure] = result.get_step_failure_events()
    shapes.activate()
    try:
        shaped = failure.step_failure_data.error
    finally:
        shapes.deactivate()
    plain = failure.step_failure_data.error

    assert shaped.cls_name == "DagsterExecutionStepExecutionError"
    assert "broken on purpose" not in shaped.message
    assert shaped.cause.cls_name == "ValueError" and shaped.cause.message == "broken on purpose"
    assert plain.cls_name == "ValueError" and "broken on purpose" in plain.message
