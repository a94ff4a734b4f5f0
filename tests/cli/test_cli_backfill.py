"""``headwater backfill`` and ``headwater asset materialize``: output, exit codes, storage."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from headwater import BulkActionStatus, EventType, Instance

Write = Callable[[str, str], Path]
Invoke = Callable[..., Result]

DAILY = """
    from headwater import AssetExecutionContext, Definitions, asset
    from headwater.declarations.partitions import (
        DailyPartitionsDefinition,
        MonthlyPartitionsDefinition,
    )

    daily = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
    monthly = MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")

    @asset(partitions_def=daily)
    def events(context: AssetExecutionContext) -> int:
        if context.partition_key == "2024-01-03":
            raise ValueError("no data on the 3rd")
        return 1

    @asset(partitions_def=daily)
    def daily_total(events: int) -> int:
        return events

    @asset(partitions_def=monthly)
    def monthly_total(daily_total: dict[str, int]) -> int:
        return sum(daily_total.values())

    defs = Definitions(assets=[events, daily_total, monthly_total])
"""


@pytest.fixture
def daily(write: Write) -> Path:
    return write("daily.py", DAILY)


@pytest.fixture
def instance(home: Path) -> Iterator[Instance]:
    inst = Instance.get()
    try:
        yield inst
    finally:
        inst.dispose()


def _only_backfill(instance: Instance) -> Any:
    (backfill,) = instance.get_backfills()
    return backfill


def test_launch_runs_the_backfill_with_one_line_per_run_and_stores_it(
    invoke: Invoke, daily: Path, instance: Instance
) -> None:
    result = invoke(
        "backfill", "launch", "-f", str(daily), "--select", "events+",
        "--partition-range", "2024-02-01...2024-02-29", "--tag", "team=data",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    backfill = _only_backfill(instance)
    assert f"Launched backfill {backfill.backfill_id} (3 assets, 29 partitions, 30 runs)" in (
        result.output
    )
    assert "[1/30] events, daily_total [2024-02-01] succeeded in" in result.output
    assert "[29/30] events, daily_total [2024-02-29] succeeded in" in result.output
    assert "[30/30] monthly_total [2024-02-01] succeeded in" in result.output
    assert f"Backfill {backfill.backfill_id} COMPLETED_SUCCESS." in result.output
    assert backfill.status is BulkActionStatus.COMPLETED_SUCCESS
    assert backfill.tags == {"team": "data"}
    assert all(r.tags["team"] == "data" for r in instance.get_runs())


def test_failed_partition_exits_1_and_show_gives_ranges_per_status(
    invoke: Invoke, daily: Path, instance: Instance
) -> None:
    result = invoke(
        "backfill", "launch", "-f", str(daily), "--select", "events",
        "--partition-range", "2024-01-01...2024-01-06",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "[3/6] events [2024-01-03] failed after" in result.output
    assert "ValueError: no data on the 3rd" in result.output
    backfill_id = _only_backfill(instance).backfill_id
    assert f"Backfill {backfill_id} COMPLETED_FAILED." in result.output

    shown = invoke("backfill", "show", backfill_id)
    assert shown.exit_code == 0, shown.output
    assert "runs       6: 5 succeeded, 1 failed" in shown.output
    assert "SUCCEEDED  5           2024-01-01...2024-01-02, 2024-01-04...2024-01-06" in (
        shown.output
    )
    assert "FAILED     1           2024-01-03" in shown.output

    as_json = json.loads(invoke("backfill", "show", backfill_id, "--json").output)
    assert as_json["partitions"]["2024-01-03"] == "FAILED"
    assert as_json["runs_by_status"] == {"SUCCEEDED": 5, "FAILED": 1}
    listed = invoke("backfill", "list")
    assert backfill_id in listed.output and "5 succeeded, 1 failed" in listed.output
    rows = json.loads(invoke("backfill", "list", "--status", "completed_failed", "--json").output)
    assert [r["backfill_id"] for r in rows] == [backfill_id]


def test_asset_materialize_one_partition_is_one_run(
    invoke: Invoke, daily: Path, instance: Instance
) -> None:
    result = invoke(
        "asset", "materialize", "-f", str(daily), "--select", "events+1", "--partition",
        "2024-01-05",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (run,) = instance.get_runs()
    assert run.tags["headwater/partition"] == "2024-01-05"
    assert instance.get_backfills() == []


def test_asset_materialize_a_range_is_a_backfill(
    invoke: Invoke, daily: Path, instance: Instance
) -> None:
    result = invoke(
        "asset", "materialize", "-f", str(daily), "--select", "events",
        "--partition-range", "2024-01-10...2024-01-12",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    backfill = _only_backfill(instance)
    assert backfill.status is BulkActionStatus.COMPLETED_SUCCESS
    assert len(instance.get_runs()) == 3
    assert instance.get_materialized_partitions(backfill.asset_selection[0]) == {
        "2024-01-10", "2024-01-11", "2024-01-12"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--partitions", "2023-12-31"), "'2023-12-31' is not a partition of asset 'events'"),
        (("--partition-range", "2024-01-09...2024-01-02"), "of asset 'events' ends before"),
        (("--partition-range", "2024-01-09..2024-01-12"), "expected START...END"),
        (("--partitions", "2024-01-01", "--all-partitions"), "exactly one of"),
        ((), "exactly one of"),
    ],
)  # fmt: skip
def test_bad_partitions_exit_2_naming_the_asset_and_key(
    invoke: Invoke, daily: Path, instance: Instance, args: tuple[str, ...], message: str
) -> None:
    result = invoke("backfill", "launch", "-f", str(daily), "--select", "events", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert instance.get_backfills() == [] and instance.get_runs() == []


@pytest.mark.parametrize("command", ["show", "cancel", "resume"])
def test_unknown_backfill_id_exits_2(
    invoke: Invoke, daily: Path, instance: Instance, command: str
) -> None:
    location = ["-f", str(daily)] if command == "resume" else []
    result = invoke("backfill", command, *location, "zzzzzzzz")
    assert result.exit_code == 2, result.output
    assert "No backfill with id 'zzzzzzzz'" in result.output


def _launch_in_python(daily: Path, instance: Instance, **target: Any) -> tuple[Any, str]:
    from headwater.orchestration.backfills.launch import launch_backfill
    from headwater.orchestration.code_location import load_definitions

    defs = load_definitions(file=str(daily))
    return defs, launch_backfill(defs, "events", instance=instance, **target).backfill_id


def test_cancel_then_resume(invoke: Invoke, daily: Path, instance: Instance) -> None:
    _, backfill_id = _launch_in_python(daily, instance, partition_keys=["2024-01-01", "2024-01-02"])
    canceled = invoke("backfill", "cancel", backfill_id)
    assert canceled.exit_code == 0, canceled.output
    assert f"Backfill {backfill_id} CANCELED" in canceled.output
    again = invoke("backfill", "cancel", backfill_id)
    assert "already CANCELED; nothing to cancel" in again.output

    resumed = invoke("backfill", "resume", "-f", str(daily), backfill_id)
    assert resumed.exit_code == 0, resumed.output
    assert f"Backfill {backfill_id} COMPLETED_SUCCESS." in resumed.output
    assert len(instance.get_runs()) == 2


def test_resume_after_an_interruption_skips_finished_partitions(
    invoke: Invoke, daily: Path, instance: Instance
) -> None:
    from headwater.orchestration.backfills.launch import execute_backfill

    defs, backfill_id = _launch_in_python(daily, instance, partition_keys=["2024-01-01",
                                          "2024-01-02", "2024-01-04"])  # fmt: skip

    def interrupt_after_the_first_run(event: Any) -> None:
        if event.event_type is EventType.RUN_SUCCESS:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute_backfill(defs, backfill_id, instance, listeners=[interrupt_after_the_first_run])
    resumed = invoke("backfill", "resume", "-f", str(daily), backfill_id)
    assert resumed.exit_code == 0, resumed.output
    assert "[2/3] events [2024-01-02] succeeded" in resumed.output
    assert "2024-01-01" not in resumed.output
    assert "1 runs had already succeeded." in resumed.output
    assert len(instance.get_runs()) == 3


def test_progress_on_a_terminal_draws_a_bar_and_prints_only_failures() -> None:
    import io
    import logging

    from rich.console import Console

    from headwater.cli.backfill_progress import BackfillProgress
    from headwater.events.records import EventLogEntry
    from headwater.keys import AssetKey
    from headwater.orchestration.backfills.status import BackfillPartitionStatus, BackfillRunStatus
    from headwater.storage.backfill_records import BackfillRunRequest, PartitionBackfill
    from headwater.storage.records import Run

    keys = (AssetKey("events"),)
    requests = tuple(
        BackfillRunRequest(asset_keys=keys, partition_keys=(day,))
        for day in ("2024-01-01", "2024-01-02")
    )
    backfill = PartitionBackfill(backfill_id="abcdefgh", asset_selection=keys,
                                 run_requests=requests)  # fmt: skip
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    failure = EventLogEntry(
        run_id="r2", timestamp=1.0, event_type=EventType.STEP_FAILURE, step_key="events",
        level=logging.ERROR, data={"error": {"message": "boom", "cls_name": "ValueError"}},
    )  # fmt: skip
    with BackfillProgress(console, backfill) as progress:
        outcomes = [BackfillPartitionStatus.SUCCEEDED, BackfillPartitionStatus.FAILED]
        for index, (request, status) in enumerate(zip(requests, outcomes, strict=True)):
            progress.on_run_start(index, request)
            if status is BackfillPartitionStatus.FAILED:
                progress.on_event(failure)
            run = Run(run_id=f"r{index + 1}", job_name="__ASSET_JOB")
            progress.on_run_end(
                BackfillRunStatus(index=index, request=request, status=status, run=run)
            )
    text = out.getvalue()
    assert "✗ [2/2] events [2024-01-02] failed after" in text
    assert "ValueError: boom (run r2)" in text
    assert "[1/2] events [2024-01-01] succeeded" not in text  # the bar shows successes
    assert "partitions" in text  # the bar was drawn
    assert progress.counts == {"SUCCEEDED": 1, "FAILED": 1}
