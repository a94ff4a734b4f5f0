"""Run status sensors: declared, found in Definitions, called directly with their context."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.errors import DefinitionError, InvalidInvocationError


@hw.asset
def nightly() -> int:
    return 1


nightly_job = hw.define_asset_job("nightly_job", selection=[nightly])


def test_run_status_sensor_keeps_its_status_and_monitored_jobs() -> None:
    @hw.run_status_sensor(run_status=hw.RunStatus.SUCCESS, monitored_jobs=[nightly_job])
    def on_success(context: hw.RunStatusSensorContext) -> None:
        return None

    assert isinstance(on_success, hw.RunStatusSensorDefinition)
    assert isinstance(on_success, hw.SensorDefinition)
    assert on_success.run_status == hw.RunStatus.SUCCESS
    assert on_success.monitored_job_names == ("nightly_job",)
    assert on_success.default_status == hw.DefaultSensorStatus.STOPPED


def test_run_failure_sensor_bare_or_with_arguments() -> None:
    @hw.run_failure_sensor
    def alert(context: Any) -> None:
        return None

    @hw.run_failure_sensor(name="pager", request_job=nightly_job)
    def page(context: Any) -> None:
        return None

    assert (alert.name, alert.run_status) == ("alert", hw.RunStatus.FAILURE)
    assert (page.name, page.job_name) == ("pager", "nightly_job")
    assert hw.Definitions(assets=[nightly], jobs=[nightly_job], sensors=[alert, page])
    found = hw.Definitions(jobs=[nightly_job], assets=[nightly], sensors=[page])
    assert found.get_sensor_def("pager") is page


def test_called_with_its_context_it_sees_the_run_and_returns_what_the_function_returns(
    instance: Any,
) -> None:
    @hw.asset
    def broken() -> int:
        raise RuntimeError("no data")

    result = hw.materialize([broken], instance=instance, raise_on_error=False)
    run = instance.get_run_by_id(result.run_id)

    @hw.run_failure_sensor(request_job=nightly_job)
    def rerun(context: hw.RunFailureSensorContext) -> hw.RunRequest:
        assert context.failure_event is context.dagster_event
        return hw.RunRequest(run_key=f"after-{context.dagster_run.run_id}")

    context = hw.build_run_status_sensor_context(
        sensor_name="rerun", dagster_event="the failure event", dagster_instance=instance,
        dagster_run=run,
    )  # fmt: skip
    assert rerun(context).run_key == f"after-{result.run_id}"
    assert context.instance is instance


def test_a_plain_tick_cannot_find_runs_and_says_how_to_test_it() -> None:
    @hw.run_failure_sensor
    def alert(context: Any) -> None:
        return None

    with pytest.raises(DefinitionError, match="build_run_status_sensor_context"):
        alert.evaluate_tick(hw.build_sensor_context())
    with pytest.raises(InvalidInvocationError, match="build_run_status_sensor_context"):
        alert(hw.build_sensor_context())


def test_run_status_must_be_a_run_status() -> None:
    with pytest.raises(DefinitionError, match="must be a RunStatus"):

        @hw.run_status_sensor(run_status="DONE")
        def nope(context: Any) -> None:
            return None
