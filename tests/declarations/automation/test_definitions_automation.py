"""Definitions(schedules=..., sensors=...): validation, lookups and merging."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater import DefinitionError, DuplicateKeyError, MissingResourceError


@hw.asset
def events() -> int:
    return 1


events_job = hw.define_asset_job("events_job", selection=[events])


def every_hour(name: str, **kwargs: object) -> hw.ScheduleDefinition:
    return hw.ScheduleDefinition(name=name, cron_schedule="0 * * * *", **kwargs)  # type: ignore[arg-type]


def test_schedules_are_found_by_name() -> None:
    hourly = every_hour("hourly", job=events_job)
    defs = hw.Definitions(assets=[events], jobs=[events_job], schedules=[hourly])
    assert defs.get_schedule_def("hourly") is hourly
    assert defs.schedules == [hourly]
    assert defs.schedule_names == ["hourly"]


def test_unknown_schedule_lists_those_there_are() -> None:
    defs = hw.Definitions(assets=[events], schedules=[every_hour("hourly", job=events_job)])
    with pytest.raises(
        DefinitionError, match=r"No schedule named 'daily'; the schedules are \['hourly'\]"
    ):
        defs.get_schedule_def("daily")


def test_a_job_given_only_to_a_schedule_becomes_a_job_of_the_definitions() -> None:
    defs = hw.Definitions(assets=[events], schedules=[every_hour("hourly", job=events_job)])
    assert "events_job" in defs.job_names
    assert defs.get_job_def("events_job").resolve_selection() == {hw.AssetKey("events")}


def test_a_schedule_may_name_its_job() -> None:
    defs = hw.Definitions(
        assets=[events], jobs=[events_job], schedules=[every_hour("by_name", job_name="events_job")]
    )
    assert defs.get_schedule_def("by_name").job_name == "events_job"
    with pytest.raises(DefinitionError, match="names its job only by job_name"):
        _ = defs.get_schedule_def("by_name").job


def test_an_unknown_job_name_is_a_definition_error_naming_the_schedule() -> None:
    with pytest.raises(
        DefinitionError, match=r"Schedule 'lost' targets job 'nope', which is not defined"
    ):
        hw.Definitions(assets=[events], schedules=[every_hour("lost", job_name="nope")])


def test_two_schedules_with_one_name_are_refused() -> None:
    with pytest.raises(DuplicateKeyError, match="Two definitions are named 'hourly'"):
        hw.Definitions(
            assets=[events],
            schedules=[every_hour("hourly", job=events_job), every_hour("hourly", job=events_job)],
        )


def test_a_different_job_with_the_name_of_a_listed_job_is_refused() -> None:
    other = hw.define_asset_job("events_job", selection="*")
    with pytest.raises(DuplicateKeyError, match="different job with that name"):
        hw.Definitions(assets=[events], jobs=[events_job], schedules=[every_hour("h", job=other)])


def test_something_that_is_not_a_schedule_is_refused() -> None:
    with pytest.raises(DefinitionError, match=r"Definitions\(schedules=...\) got 'hourly'"):
        hw.Definitions(assets=[events], schedules=["hourly"])


class Clock(hw.ConfigurableResource):
    zone: str = "UTC"


def test_resources_a_schedule_needs_must_be_provided() -> None:
    @hw.schedule("0 * * * *", job=events_job)
    def timed(context: hw.ScheduleEvaluationContext, clock: Clock) -> hw.RunRequest:
        return hw.RunRequest(tags={"zone": clock.zone})

    with pytest.raises(
        MissingResourceError, match=r"Schedule 'timed' requires resource\(s\) \['clock'\]"
    ):
        hw.Definitions(assets=[events], schedules=[timed])
    defs = hw.Definitions(
        assets=[events], schedules=[timed], resources={"clock": Clock(zone="CET")}
    )
    tick = defs.get_schedule_def("timed").evaluate_tick(hw.build_schedule_context(definitions=defs))
    assert tick.run_requests[0].tags["zone"] == "CET"  # the resource comes from the Definitions


def test_merge_keeps_schedules_of_both() -> None:
    first = hw.Definitions(assets=[events], schedules=[every_hour("a", job=events_job)])
    second = hw.Definitions(schedules=[every_hour("b", job=events_job)])
    merged = hw.Definitions.merge(first, second)
    assert merged.schedule_names == ["a", "b"]
    assert merged.get_schedule_def("b").job_name == "events_job"
