"""Asset sensors: fired by a new materialization of the watched asset, read from the instance."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.errors import DefinitionError, InvalidInvocationError


@hw.asset
def watched() -> int:
    return 1


report_job = hw.define_asset_job("report_job", selection=[watched])


@hw.asset_sensor(asset_key=hw.AssetKey("watched"), job=report_job)
def on_watched(context: hw.SensorEvaluationContext, asset_event: Any) -> hw.RunRequest:
    return hw.RunRequest(run_key=asset_event.run_id)


def test_the_decorator_builds_an_asset_sensor_of_a_sensor() -> None:
    assert isinstance(on_watched, hw.AssetSensorDefinition)
    assert isinstance(on_watched, hw.SensorDefinition)
    assert (on_watched.name, on_watched.asset_key) == ("on_watched", hw.AssetKey("watched"))
    assert on_watched.job_name == "report_job"


def test_a_tick_fires_once_per_new_materialization(instance: Any) -> None:
    context = hw.build_sensor_context(instance=instance)
    assert on_watched.evaluate_tick(context).skip_message is not None  # nothing yet
    first = hw.materialize([watched], instance=instance)
    tick = on_watched.evaluate_tick(hw.build_sensor_context(instance=instance))
    assert [r.run_key for r in tick.run_requests] == [first.run_id]
    again = on_watched.evaluate_tick(hw.build_sensor_context(instance=instance, cursor=tick.cursor))
    assert again.run_requests == () and "No new materialization" in (again.skip_message or "")
    second = hw.materialize([watched], instance=instance)
    later = on_watched.evaluate_tick(hw.build_sensor_context(instance=instance, cursor=tick.cursor))
    assert [r.run_key for r in later.run_requests] == [second.run_id]
    assert int(later.cursor or 0) > int(tick.cursor or 0)


def test_calling_it_directly_evaluates_it_with_the_context(instance: Any) -> None:
    run = hw.materialize([watched], instance=instance)
    context = hw.build_sensor_context(instance=instance)
    request = on_watched(context)
    assert request.run_key == run.run_id
    assert context.cursor is not None  # the storage id of the event it saw
    with pytest.raises(InvalidInvocationError, match="build_sensor_context"):
        on_watched()


def test_resources_reach_an_asset_sensor(instance: Any) -> None:
    class Prefix(hw.ConfigurableResource):
        text: str

    @hw.asset_sensor(asset_key="watched", job=report_job)
    def prefixed(context: Any, asset_event: Any, prefix: Prefix) -> hw.RunRequest:
        return hw.RunRequest(run_key=f"{prefix.text}-{asset_event.run_id}")

    run = hw.materialize([watched], instance=instance)
    context = hw.build_sensor_context(instance=instance, resources={"prefix": Prefix(text="p")})
    assert prefixed.evaluate_tick(context).run_requests[0].run_key == f"p-{run.run_id}"
    assert prefixed.required_resource_keys == {"prefix"}


def test_bad_declarations_are_refused() -> None:
    with pytest.raises(DefinitionError, match="needs the watched asset"):
        hw.asset_sensor(lambda context, event: None)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError, match="asset_materialization_fn is required"):
        hw.AssetSensorDefinition("s", "watched")
