"""What runs, asset records and instances say about themselves, read from a real SQLite store."""

from __future__ import annotations

from typing import Any

import headwater as hw
from headwater import Run, RunStatus


def test_run_status_predicates() -> None:
    def run(status: RunStatus) -> Run:
        return Run(run_id="r", job_name="j", status=status)

    assert run(RunStatus.SUCCESS).is_success and not run(RunStatus.SUCCESS).is_failure
    assert run(RunStatus.FAILURE).is_failure and run(RunStatus.FAILURE).is_failure_or_canceled
    assert run(RunStatus.CANCELED).is_failure_or_canceled
    assert not run(RunStatus.CANCELED).is_failure
    started = run(RunStatus.STARTED)
    assert not (started.is_success or started.is_failure or started.is_failure_or_canceled)


def test_stored_runs_report_how_they_ended(instance: Any) -> None:
    @hw.asset
    def fine() -> int:
        return 1

    @hw.asset
    def broken() -> int:
        raise ValueError("no")

    ok = hw.materialize([fine], instance=instance)
    bad = hw.materialize([broken], instance=instance, raise_on_error=False)
    assert instance.get_run_by_id(ok.run_id).is_success
    assert instance.get_run_by_id(bad.run_id).is_failure


def test_asset_record_reads_as_its_own_asset_entry(instance: Any) -> None:
    @hw.asset
    def recorded() -> int:
        return 1

    result = hw.materialize([recorded], instance=instance)
    [record] = instance.get_asset_records([hw.AssetKey("recorded")])
    entry = record.asset_entry
    assert entry is record
    assert entry.last_materialization is not None
    assert entry.last_materialization.run_id == result.run_id
    assert entry.last_materialization.asset_key == hw.AssetKey("recorded")
    assert entry.last_materialization_storage_id == record.last_materialization_record.storage_id
    assert entry.last_observation is None
    assert entry.last_run_id == result.run_id


def test_observation_is_reachable_from_the_event_record(instance: Any) -> None:
    instance.report_runless_asset_event(hw.AssetObservation(asset_key="seen", metadata={"n": 1}))
    [record] = instance.fetch_observations(hw.AssetKey("seen"), limit=1).records
    assert record.asset_observation is not None
    assert record.asset_observation.metadata["n"].value == 1
    assert record.asset_materialization is None
    [asset_record] = instance.get_asset_records([hw.AssetKey("seen")])
    assert asset_record.last_observation is not None
    assert asset_record.last_observation.asset_observation == record.asset_observation


def test_ephemeral_instances_are_not_persistent(instance: Any) -> None:
    assert instance.is_persistent and not instance.is_ephemeral
    with hw.Instance.ephemeral() as ephemeral:
        assert not ephemeral.is_persistent and ephemeral.is_ephemeral
    with hw.instance_for_test() as for_test:
        assert for_test.is_persistent
