"""Observable source assets: observations record data versions that staleness compares."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw

vendor_state = {"version": "2024-05-01", "rows": 10}


@hw.observable_source_asset(group_name="vendor")
def vendor_file(context: hw.AssetExecutionContext) -> hw.ObserveResult:
    context.log.info("checking the vendor file")
    return hw.ObserveResult(
        data_version=hw.DataVersion(vendor_state["version"]),
        metadata={"rows": vendor_state["rows"]},
    )


@hw.asset(code_version="1")
def cleaned(vendor_file: Any) -> int:
    return 1


def test_observation_records_data_version_and_metadata(instance: Any) -> None:
    result = hw.observe([vendor_file], instance=instance)
    (event,) = result.get_asset_observation_events()
    assert event.data["data_version"] == "2024-05-01"
    assert event.asset_observation.metadata["rows"].value == 10
    (record,) = instance.get_asset_records([hw.AssetKey("vendor_file")])
    assert record.last_observation_record.event_log_entry.data["data_version"] == "2024-05-01"
    assert hw.Definitions(assets=[vendor_file, cleaned]).get_assets_def("vendor_file").is_external


def test_new_observed_version_makes_downstream_stale(instance: Any) -> None:
    class Loader(hw.IOManager):
        def handle_output(self, context: Any, obj: Any) -> None:
            pass

        def load_input(self, context: Any) -> Any:
            return "file contents"

    defs = hw.Definitions(assets=[vendor_file, cleaned], resources={"io_manager": Loader()})
    vendor_state["version"] = "2024-05-01"
    hw.observe([vendor_file], instance=instance)
    hw.materialize([vendor_file, cleaned], resources={"io_manager": Loader()}, instance=instance)
    assert instance.get_stale_status(defs)[hw.AssetKey("cleaned")].status is hw.StaleStatus.FRESH

    vendor_state["version"] = "2024-06-01"
    hw.observe([vendor_file], instance=instance)
    status = instance.get_stale_status(defs)[hw.AssetKey("cleaned")]
    assert status.status is hw.StaleStatus.STALE
    assert status.causes[0].reason == "upstream 'vendor_file' has newer data"


def test_observe_needs_observable_assets_and_good_results(instance: Any) -> None:
    with pytest.raises(hw.ExecutionError, match="no observable source assets"):
        hw.observe([cleaned], instance=instance)

    @hw.observable_source_asset
    def bad() -> int:
        return 3

    result = hw.observe([bad], instance=instance, raise_on_error=False)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert "return an ObserveResult" in failure.message


def test_an_observation_runs_through_the_step_lifecycle_with_captured_output(
    instance: Any,
) -> None:
    @hw.observable_source_asset
    def noisy_source() -> hw.DataVersion:
        print("checking the vendor feed")
        return hw.DataVersion("v1")

    result = hw.observe([noisy_source], instance=instance)
    (captured,) = result.filter_events(hw.EventType.LOGS_CAPTURED)
    text = (instance.logs_directory / captured.data["stdout_path"]).read_text()
    assert text == "checking the vendor feed\n"
    assert [e.event_type for e in result.filter_events(hw.EventType.STEP_SUCCESS)] == [
        hw.EventType.STEP_SUCCESS
    ]


def test_a_resource_that_fails_to_set_up_fails_the_observation_run(instance: Any) -> None:
    class Broken(hw.ConfigurableResource):
        def setup_for_execution(self, context: Any) -> None:
            raise ConnectionError("vendor API down")

    @hw.observable_source_asset
    def vendor_api(api: Broken) -> hw.DataVersion:
        return hw.DataVersion("1")

    result = hw.observe([vendor_api], instance=instance, resources={"api": Broken()},
                        raise_on_error=False)  # fmt: skip

    assert not result.success
    types = [e.event_type for e in result.all_events]
    assert hw.EventType.ENGINE_EVENT in types and types[-1] is hw.EventType.RUN_FAILURE
    assert instance.get_run_by_id(result.run_id).status is hw.RunStatus.FAILURE
