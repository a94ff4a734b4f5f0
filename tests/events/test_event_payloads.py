"""Event records read back as typed payloads: failures, retries, outputs, checks, log lines."""

from __future__ import annotations

import logging
from typing import Any

import headwater as hw
from headwater import EventLogEntry, EventType
from headwater.events.payloads import (
    AssetObservationData,
    ErrorInfo,
    HandledOutputData,
    LoadedInputData,
    StepFailureData,
    StepMaterializationData,
    StepOutputData,
)


def test_failure_raised_by_user_code_reads_back_as_user_failure_data(instance: Any) -> None:
    @hw.op
    def gives_up() -> None:
        raise hw.Failure(description="gave up", metadata={"attempts": 3})

    @hw.job
    def job() -> None:
        gives_up()

    result = job.execute_in_process(instance=instance, raise_on_error=False)
    [failure] = result.get_step_failure_events()
    data = failure.step_failure_data
    assert isinstance(data, StepFailureData)
    assert data.error is not None and data.error.cls_name == "Failure"
    assert data.user_failure_data is not None
    assert data.user_failure_data.description == "gave up"
    assert data.user_failure_data.metadata["attempts"].value == 3
    # the stored copy reads the same
    [stored] = instance.all_logs(result.run_id, of_type=EventType.STEP_FAILURE)
    assert stored.step_failure_data == data


def test_an_ordinary_exception_has_error_info_and_no_user_failure_data(instance: Any) -> None:
    @hw.asset
    def broken() -> int:
        raise ValueError("broken on purpose")

    result = hw.materialize([broken], instance=instance, raise_on_error=False)
    [failure] = result.get_step_failure_events()
    data = failure.step_failure_data
    assert data is not None and data.user_failure_data is None
    assert data.error is not None
    assert data.error.cls_name == "ValueError"
    assert "broken on purpose" in data.error.message
    assert any("broken on purpose" in line for line in data.error.stack)
    assert "broken on purpose" in data.error.to_string()
    assert failure.event_specific_data == data


def test_error_info_keeps_a_recorded_cause() -> None:
    info = ErrorInfo.from_data(
        {
            "message": "outer",
            "cls_name": "RuntimeError",
            "traceback": "line 1\nline 2\n",
            "cause": {"message": "inner", "cls_name": "KeyError"},
        }
    )
    assert info.stack == ("line 1\n", "line 2\n")
    assert info.cause == ErrorInfo(message="inner", cls_name="KeyError")
    assert info.to_string().endswith("KeyError: inner\n")


def test_retries_read_back_as_retry_data(instance: Any) -> None:
    attempts: list[int] = []

    @hw.asset(retry_policy=hw.RetryPolicy(max_retries=1))
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("try again")
        return 1

    result = hw.materialize([flaky], instance=instance)
    [retry] = result.filter_events(EventType.STEP_UP_FOR_RETRY)
    assert retry.is_step_up_for_retry
    data = retry.step_retry_data
    assert data is not None and data.retry_number == 1
    assert data.error is not None and data.error.cls_name == "ConnectionError"


def test_outputs_inputs_and_materializations_have_typed_payloads(instance: Any) -> None:
    @hw.asset
    def numbers() -> list[int]:
        return [1, 2]

    @hw.asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    result = hw.materialize([numbers, total], instance=instance)
    by_type = {(e.step_key, e.event_type): e for e in result.all_node_events}

    output = by_type[("numbers", EventType.STEP_OUTPUT)]
    assert output.is_successful_output
    assert isinstance(output.step_output_data, StepOutputData)
    assert output.step_output_data.output_name == "result"
    assert output.step_output_data.type_check_data is not None
    assert output.step_output_data.type_check_data.success

    handled = by_type[("numbers", EventType.HANDLED_OUTPUT)].event_specific_data
    assert isinstance(handled, HandledOutputData) and handled.manager_key == "io_manager"
    loaded = by_type[("total", EventType.LOADED_INPUT)].event_specific_data
    assert isinstance(loaded, LoadedInputData) and loaded.input_name == "numbers"

    mat = by_type[("total", EventType.ASSET_MATERIALIZATION)]
    assert mat.is_step_materialization
    assert isinstance(mat.step_materialization_data, StepMaterializationData)
    assert mat.step_materialization_data.materialization.asset_key == hw.AssetKey("total")
    assert mat.materialization == mat.asset_materialization
    # a payload of another kind is None, not an error
    assert mat.step_failure_data is None and mat.step_output_data is None


def test_observations_logged_from_an_op_have_observation_data(instance: Any) -> None:
    @hw.op
    def looks_and_logs(context: hw.OpExecutionContext) -> int:
        context.log_event(hw.AssetObservation(asset_key="ext/table", metadata={"rows": 5}))
        return 1

    @hw.job
    def job() -> None:
        looks_and_logs()

    result = job.execute_in_process(instance=instance)
    [obs] = [e for e in result.all_events if e.is_asset_observation]
    data = obs.asset_observation_data
    assert isinstance(data, AssetObservationData)
    assert data.asset_observation.asset_key == hw.AssetKey(["ext", "table"])
    assert data.asset_observation.metadata["rows"].value == 5


def test_check_evaluations_of_a_run_in_order(instance: Any) -> None:
    @hw.asset
    def orders() -> list[int]:
        return [1, 2, 3]

    @hw.asset_check(asset=orders)
    def not_empty(orders: list[int]) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=bool(orders), metadata={"rows": len(orders)})

    @hw.asset_check(asset=orders)
    def under_two(orders: list[int]) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=len(orders) < 2, severity=hw.AssetCheckSeverity.WARN)

    result = hw.materialize([orders, not_empty, under_two], instance=instance)
    evaluations = result.get_asset_check_evaluations()
    assert sorted((e.check_name, e.passed) for e in evaluations) == [
        ("not_empty", True),
        ("under_two", False),
    ]
    by_name = {e.check_name: e for e in evaluations}
    assert by_name["not_empty"].metadata["rows"].value == 3
    assert by_name["under_two"].severity is hw.AssetCheckSeverity.WARN
    assert all(e.run_id == result.run_id and e.asset_key == hw.AssetKey("orders")
               for e in evaluations)  # fmt: skip
    # the same evaluations as the instance stored
    stored = instance.get_latest_asset_check_evaluation(hw.AssetCheckKey(hw.AssetKey("orders"),
                                                                         "not_empty"))  # fmt: skip
    assert stored.passed is True and stored.run_id == result.run_id


def test_a_run_without_checks_has_no_evaluations(instance: Any) -> None:
    @hw.asset
    def plain() -> int:
        return 1

    result = hw.materialize([plain], instance=instance)
    assert result.get_asset_check_evaluations() == []
    assert result.get_job_success_event().is_run_success
    assert {e.step_key for e in result.all_node_events} == {"plain"}


def test_a_failed_run_has_a_failure_event_naming_its_steps(instance: Any) -> None:
    @hw.asset
    def broken() -> int:
        raise ValueError("no")

    result = hw.materialize([broken], instance=instance, raise_on_error=False)
    event = result.get_job_failure_event()
    assert event.is_run_failure
    assert event.event_specific_data.failed_steps == ("broken",)
    try:
        result.get_job_success_event()
    except hw.HeadwaterError as exc:
        assert "RUN_SUCCESS" in str(exc)
    else:  # pragma: no cover - the assertion above is the test
        raise AssertionError("a failed run has no success event")


def test_log_lines_are_not_structured_events(instance: Any) -> None:
    @hw.asset
    def chatty(context: hw.AssetExecutionContext) -> int:
        context.log.debug("d")
        context.log.warning("w")
        return 1

    result = hw.materialize([chatty], instance=instance)
    logs = instance.all_logs(result.run_id)
    lines = [(e.user_message, e.level) for e in logs if not e.is_structured_event]
    assert lines == [("d", logging.DEBUG), ("w", logging.WARNING)]
    for entry in logs:
        if entry.is_structured_event:
            assert entry.structured_event is entry
            assert entry.structured_event_type is entry.event_type
        else:
            assert entry.structured_event is None and entry.structured_event_type is None


def test_payload_of_an_event_without_one_is_none() -> None:
    entry = EventLogEntry(run_id="r", timestamp=0.0, event_type=EventType.STEP_START,
                          step_key="s")  # fmt: skip
    assert entry.event_specific_data is None
    assert entry.is_step_start and entry.is_step_event
    assert not entry.is_step_skipped
