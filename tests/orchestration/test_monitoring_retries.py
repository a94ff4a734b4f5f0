"""Run retries: failed runs re-executed from failure as new QUEUED runs (real SQLite)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import AssetKey, EventLogEntry, EventType, Instance, RunStatus
from headwater.execution.plan.run_snapshot import RunPlanSnapshot
from headwater.instance.daemon_settings import RunRetriesConfig
from headwater.orchestration.run_retries import RunRetries, retry_run_id

ENABLED = RunRetriesConfig(enabled=True, max_retries=2)
A, B, C = AssetKey("a"), AssetKey("b"), AssetKey("c")


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.from_path(tmp_path / "home") as instance:
        yield instance


def _event(
    run_id: str, event_type: EventType, step: str | None = None, **kw: object
) -> EventLogEntry:
    return EventLogEntry(
        run_id=run_id, timestamp=time.time(), event_type=event_type, step_key=step, **kw
    )  # type: ignore[arg-type]


def _failed_run(instance: Instance, run_id: str, *, step_failed: bool = True, **tags: str) -> None:
    """A run of a, b, c where a succeeded, b failed (or the worker died in b), c never ran."""
    instance.create_run(
        job_name="__ASSET_JOB",
        run_id=run_id,
        tags={"team": "data", "headwater/partition": "2024-01-01", **tags},
        asset_selection=[A, B, C],
        status=RunStatus.STARTED,
        plan_snapshot=RunPlanSnapshot(
            job_name="__ASSET_JOB", asset_selection=(A, B, C), partition_key="2024-01-01"
        ),
    )
    events = [
        _event(run_id, EventType.STEP_START, "a"),
        _event(run_id, EventType.ASSET_MATERIALIZATION, "a", asset_key=A),
        _event(run_id, EventType.STEP_SUCCESS, "a"),
        _event(run_id, EventType.STEP_START, "b"),
    ]
    if step_failed:
        events.append(_event(run_id, EventType.STEP_FAILURE, "b"))
    instance.store_events(events)
    run = instance.get_run_by_id(run_id)
    assert run is not None and instance.report_run_failed(run, "failed")


def _retries(instance: Instance, config: RunRetriesConfig = ENABLED) -> RunRetries:
    retries = RunRetries(instance, config)
    assert retries.process() == []  # the first call only sets the cursor
    return retries


def test_a_failed_run_is_retried_from_failure(instance: Instance) -> None:
    retries = _retries(instance)
    _failed_run(instance, "r1")
    [retry] = retries.process()
    assert retry.run_id == retry_run_id("r1") and retry.status is RunStatus.QUEUED
    assert (retry.parent_run_id, retry.root_run_id) == ("r1", "r1")
    assert retry.asset_selection == frozenset({B, C})  # a succeeded: not run again
    assert retry.tags["team"] == "data" and retry.tags["headwater/retry_number"] == "1"
    assert retry.tags["headwater/parent_run_id"] == "r1"
    snapshot = instance.get_run_plan_snapshot(retry)
    assert snapshot is not None and snapshot.asset_selection == (B, C)
    assert snapshot.partition_key == "2024-01-01"
    assert [e.event_type for e in instance.all_logs(retry.run_id)] == [EventType.RUN_ENQUEUED]


def test_retries_stop_at_max_retries_and_chain_to_the_root(instance: Instance) -> None:
    retries = _retries(instance)
    _failed_run(instance, "r1")
    [first] = retries.process()
    _fail_queued(instance, first.run_id)
    [second] = retries.process()
    assert second.tags["headwater/retry_number"] == "2"
    assert (second.parent_run_id, second.root_run_id) == (first.run_id, "r1")
    _fail_queued(instance, second.run_id)
    assert retries.process() == []  # max_retries is 2


def _fail_queued(instance: Instance, run_id: str) -> None:
    run = instance.get_run_by_id(run_id)
    assert run is not None and instance.report_run_failed(run, "failed again")


def test_tags_override_the_settings_including_dagster_names(instance: Instance) -> None:
    retries = _retries(instance, RunRetriesConfig(enabled=True, max_retries=0))
    _failed_run(instance, "none")
    _failed_run(instance, "tagged", **{"headwater/max_retries": "1"})
    _failed_run(instance, "dagster", **{"dagster/max_retries": "1"})
    assert sorted(r.parent_run_id or "" for r in retries.process()) == ["dagster", "tagged"]


def test_without_retry_on_step_failure_only_other_failures_are_retried(
    instance: Instance,
) -> None:
    retries = _retries(
        instance, RunRetriesConfig(enabled=True, max_retries=1, retry_on_asset_or_op_failure=False)
    )
    _failed_run(instance, "step-failed")
    _failed_run(instance, "worker-died", step_failed=False)
    _failed_run(instance, "tag-says-yes", **{"headwater/retry_on_asset_or_op_failure": "true"})
    parents = sorted(r.parent_run_id or "" for r in retries.process())
    assert parents == ["tag-says-yes", "worker-died"]


def test_a_failure_handled_twice_makes_one_retry(instance: Instance, tmp_path: Path) -> None:
    cursor = _retries(instance).cursor
    _failed_run(instance, "r1")
    [retry] = RunRetries(instance, ENABLED, cursor=cursor).process()
    with Instance.from_path(tmp_path / "home") as other:  # e.g. a daemon that crashed before
        assert RunRetries(other, ENABLED, cursor=cursor).process() == []  # saving its cursor
    assert instance.get_runs_count() == 2
    assert instance.get_run_by_id(retry.run_id).status is RunStatus.QUEUED  # type: ignore[union-attr]


def test_a_retry_created_but_not_queued_is_queued_by_the_next_attempt(instance: Instance) -> None:
    cursor = _retries(instance).cursor
    _failed_run(instance, "r1")
    # As if a daemon died between creating the retry and queueing it.
    instance.create_run(job_name="__ASSET_JOB", run_id=retry_run_id("r1"))
    [retry] = RunRetries(instance, ENABLED, cursor=cursor).process()
    assert retry.status is RunStatus.QUEUED


def test_failures_while_retries_are_disabled_are_not_retried_later(instance: Instance) -> None:
    disabled = _retries(instance, RunRetriesConfig(enabled=False, max_retries=3))
    _failed_run(instance, "r1")
    assert disabled.process() == []
    enabled = RunRetries(instance, ENABLED, cursor=disabled.cursor)
    assert enabled.process() == []
