"""The backfill loop, tick by tick, with a real code server and real SQLite; the queued runs
are executed here with the run worker's own function (no run queue in these tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from location_helpers import served_location

from headwater import Instance
from headwater.daemon.backfills import BackfillLoop
from headwater.execution.run.in_process import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    PARTITION_TAG,
)
from headwater.orchestration.backfills.launch import cancel_backfill, launch_backfill
from headwater.orchestration.code_location import (
    load_definitions_from_origin,
    resolve_code_location,
)
from headwater.orchestration.run_worker import execute_run_worker
from headwater.orchestration.workspace_manager import WorkspaceManager
from headwater.storage.backfill_records import BACKFILL_ID_TAG, BulkActionStatus
from headwater.storage.records import RunsFilter, RunStatus

DEFS = """
from headwater import (BackfillPolicy, DailyPartitionsDefinition, Definitions,
                       WeeklyPartitionsDefinition, asset)

DAYS = DailyPartitionsDefinition(start_date="2023-12-31", end_date="2024-01-14")
WEEKS = WeeklyPartitionsDefinition(start_date="2023-12-31", end_date="2024-01-14")

@asset(partitions_def=DAYS, backfill_policy=BackfillPolicy.multi_run(3))
def events(context) -> dict:
    if context.partition_key_range.start == "2024-01-09":
        raise ValueError("bad days")
    return {key: 1 for key in context.partition_keys}

@asset(partitions_def=WEEKS)
def weekly(context, events: dict) -> int:
    return len(events)

defs = Definitions(assets=[events, weekly])
"""


PROJECT: dict[WorkspaceManager, Path] = {}


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    home = tmp_path / "home"
    home.mkdir()
    with Instance.from_path(home) as instance:
        yield instance


@pytest.fixture
def manager(tmp_path: Path, instance: Instance) -> Iterator[WorkspaceManager]:
    project = tmp_path / "project"
    with served_location(project, DEFS, instance_home=instance.root_directory) as served:
        PROJECT[served] = project
        yield served
        del PROJECT[served]


def _launch(instance: Instance, manager: WorkspaceManager) -> str:
    """A background backfill of every asset and partition of the served location."""
    origin = resolve_code_location(file="defs.py",
                                   working_directory=PROJECT[manager]).to_origin()  # fmt: skip
    defs = load_definitions_from_origin(origin)
    backfill = launch_backfill(defs, "*", instance=instance, all_partitions=True,
                               location=origin)  # fmt: skip
    return backfill.backfill_id


def _runs(instance: Instance, backfill_id: str, *statuses: RunStatus) -> list:
    return instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id},
                                        statuses=list(statuses) or None))  # fmt: skip


def _range(run: Any) -> tuple[str, str]:
    return (run.tags[PARTITION_RANGE_START_TAG], run.tags[PARTITION_RANGE_END_TAG])


def _execute_queued(instance: Instance, backfill_id: str) -> int:
    queued = _runs(instance, backfill_id, RunStatus.QUEUED)
    for run in queued:
        execute_run_worker(instance, run.run_id)
    return len(queued)


def test_runs_are_queued_as_their_upstream_partitions_succeed_and_the_backfill_completes(
    instance: Instance, manager: WorkspaceManager,
) -> None:
    backfill_id = _launch(instance, manager)
    loop = BackfillLoop(instance, manager)

    loop.run_once()
    first = _runs(instance, backfill_id)
    # events' BackfillPolicy.multi_run(3): 14 days in 5 runs; the weeks wait for them
    assert sorted(_range(r) for r in first) == [
        ("2023-12-31", "2024-01-02"), ("2024-01-03", "2024-01-05"), ("2024-01-06", "2024-01-08"),
        ("2024-01-09", "2024-01-11"), ("2024-01-12", "2024-01-13"),
    ]
    assert all(r.status is RunStatus.QUEUED for r in first)
    loop.run_once()  # nothing new: the queued runs have not finished
    assert len(_runs(instance, backfill_id)) == 5

    assert _execute_queued(instance, backfill_id) == 5
    loop.run_once()  # week 2023-12-31 is ready; week 2024-01-07 reads days that failed
    weeks = [r for r in _runs(instance, backfill_id) if r.tags.get(PARTITION_TAG)]
    assert [r.tags[PARTITION_TAG] for r in weeks] == ["2023-12-31"]
    assert _execute_queued(instance, backfill_id) == 1
    loop.run_once()

    done = instance.get_backfill(backfill_id)
    assert done is not None and done.status is BulkActionStatus.COMPLETED_FAILED
    runs = _runs(instance, backfill_id)
    assert len(runs) == 6  # every request that could run ran once, none twice
    assert [_range(r) for r in runs if r.status is RunStatus.FAILURE] == [
        ("2024-01-09", "2024-01-11")]


def test_a_loop_that_starts_again_resumes_from_the_stored_runs(
    instance: Instance, manager: WorkspaceManager,
) -> None:
    backfill_id = _launch(instance, manager)
    BackfillLoop(instance, manager).run_once()
    _execute_queued(instance, backfill_id)

    again = BackfillLoop(instance, manager)  # a new daemon: no memory of the first
    again.run_once()
    again.run_once()

    runs = _runs(instance, backfill_id)
    assert len(runs) == 5 + 1  # the week that can run queued once; events not again
    assert len(_runs(instance, backfill_id, RunStatus.QUEUED)) == 1


def test_a_canceled_backfill_cancels_its_queued_runs(
    instance: Instance, manager: WorkspaceManager,
) -> None:
    backfill_id = _launch(instance, manager)
    loop = BackfillLoop(instance, manager)
    loop.run_once()

    assert cancel_backfill(instance, backfill_id).status is BulkActionStatus.CANCELING
    loop.run_once()

    assert instance.get_backfill_status(backfill_id) is BulkActionStatus.CANCELED
    assert {r.status for r in _runs(instance, backfill_id)} == {RunStatus.CANCELED}
    loop.run_once()
    assert len(_runs(instance, backfill_id)) == 5
