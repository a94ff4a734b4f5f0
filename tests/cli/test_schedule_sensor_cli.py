"""``headwater schedule`` and ``headwater sensor``: list, start, stop, preview, cursor, ticks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from headwater import Instance
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickStatus,
)

Invoke = Callable[..., Result]

DEFS = """
    from headwater import (DefaultSensorStatus, Definitions, RunRequest, SkipReason, asset,
                           define_asset_job, schedule, sensor)

    @asset
    def one() -> int:
        return 1

    one_job = define_asset_job("one_job", selection=[one])

    @schedule(cron_schedule="0 3 * * *", job=one_job, execution_timezone="Europe/Paris")
    def nightly(context):
        moment = context.scheduled_execution_time
        if moment.day % 2 == 0:
            return SkipReason(f"even day {moment:%d}")
        return RunRequest(run_key=f"{moment:%Y-%m-%d}", tags={"day": f"{moment:%d}"})

    @schedule(cron_schedule="*/10 * * * *", job=one_job)
    def broken_schedule(context):
        raise KeyError("missing_setting")

    @sensor(job=one_job, minimum_interval_seconds=5, default_status=DefaultSensorStatus.RUNNING)
    def files(context):
        seen = int(context.cursor or 0)
        context.update_cursor(str(seen + 2))
        return [RunRequest(run_key=f"file-{i}") for i in (seen + 1, seen + 2)]

    @sensor(job=one_job)
    def broken_sensor(context):
        raise RuntimeError("the bucket is gone")

    defs = Definitions(assets=[one], jobs=[one_job], schedules=[nightly, broken_schedule],
                       sensors=[files, broken_sensor])
"""


@pytest.fixture
def defs(write: Callable[[str, str], Path]) -> str:
    return str(write("defs.py", DEFS))


def _id(kind: str, name: str) -> InstigatorId:
    return InstigatorId(instigator_type=InstigatorType(kind), location_name="defs", name=name)


def test_schedule_list_start_stop(invoke: Invoke, defs: str, home: Path) -> None:
    listed = json.loads(invoke("schedule", "list", "-f", defs, "--json").output)
    assert [(r["name"], r["status"]) for r in listed] == [
        ("broken_schedule", "STOPPED (default)"),
        ("nightly", "STOPPED (default)"),
    ]
    assert listed[1]["execution_timezone"] == "Europe/Paris" and listed[1]["job"] == "one_job"
    started = invoke("schedule", "start", "nightly", "-f", defs)
    assert started.exit_code == 0 and "now RUNNING" in started.output
    assert "already RUNNING" in invoke("schedule", "start", "nightly", "-f", defs).output
    table = invoke("schedule", "list", "-f", defs)
    assert "nightly" in table.output and "RUNNING" in table.output
    with Instance.from_path(home) as instance:
        state = instance.storage.get_instigator_state(_id("SCHEDULE", "nightly"))
        assert state is not None and state.status is InstigatorStatus.RUNNING
        assert state.last_tick_timestamp is not None  # counts its ticks from the start
    stopped = invoke("schedule", "stop", "nightly", "-f", defs)
    assert "now STOPPED (was RUNNING)" in stopped.output
    unknown = invoke("schedule", "start", "nope", "-f", defs)
    assert unknown.exit_code == 2 and "No schedule named 'nope'" in unknown.output
    assert "broken_schedule, nightly" in unknown.output


def test_schedule_preview_evaluates_the_next_ticks(invoke: Invoke, defs: str) -> None:
    result = invoke("schedule", "preview", "nightly", "-f", defs, "--ticks", "4")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "T03:00:00" in line]
    assert len(lines) == 4 and all("+01:00" in line or "+02:00" in line for line in lines)
    assert "SKIPPED even day" in result.output and "RunRequest(run_key=" in result.output
    failed = invoke("schedule", "preview", "broken_schedule", "-f", defs)
    assert failed.exit_code == 1
    assert "KeyError" in failed.output and "missing_setting" in failed.output


def test_sensor_preview_cursor_and_failure(invoke: Invoke, defs: str) -> None:
    preview = invoke("sensor", "preview", "files", "-f", defs, "--cursor", "4")
    assert preview.exit_code == 0, preview.output
    assert "2 run(s) requested" in preview.output
    assert "run_key='file-5'" in preview.output and "run_key='file-6'" in preview.output
    assert "cursor: '4' -> '6'" in preview.output
    assert invoke("sensor", "cursor", "files", "-f", defs).output.strip() == ""  # unchanged
    assert "now '10'" in invoke("sensor", "cursor", "files", "-f", defs, "--set", "10").output
    assert invoke("sensor", "cursor", "files", "-f", defs).output.strip() == "10"
    stored = invoke("sensor", "preview", "files", "-f", defs)  # from the stored cursor
    assert "run_key='file-11'" in stored.output
    assert "None" in invoke("sensor", "cursor", "files", "-f", defs, "--delete").output
    failed = invoke("sensor", "preview", "broken_sensor", "-f", defs)
    assert failed.exit_code == 1
    assert "RuntimeError" in failed.output and "the bucket is gone" in failed.output
    assert 'raise RuntimeError("the bucket is gone")' in failed.output


def test_sensor_list_start_stop_and_ticks(invoke: Invoke, defs: str, home: Path) -> None:
    listed = json.loads(invoke("sensor", "list", "-f", defs, "--json").output)
    assert [(r["name"], r["status"]) for r in listed] == [
        ("broken_sensor", "STOPPED (default)"),
        ("files", "RUNNING (default)"),
    ]
    stop = invoke("sensor", "stop", "files", "-f", defs)
    assert "now STOPPED (was RUNNING by default)" in stop.output
    assert "now RUNNING" in invoke("sensor", "start", "broken_sensor", "-f", defs).output
    assert "No ticks yet" in invoke("sensor", "ticks", "files", "-f", defs).output
    with Instance.from_path(home) as instance:
        storage = instance.storage
        storage.add_tick(
            InstigatorTick(
                instigator=_id("SENSOR", "files"),
                timestamp=1e9,
                status=TickStatus.SUCCESS,
                run_ids=("r1", "r2"),
            )
        )
        storage.add_tick(
            InstigatorTick(
                instigator=_id("SENSOR", "files"),
                timestamp=2e9,
                status=TickStatus.FAILURE,
                error="RuntimeError: boom\n\nTraceback ...",
            )
        )
    ticks = invoke("sensor", "ticks", "files", "-f", defs)
    lines = ticks.output.splitlines()
    assert lines[0].split() == ["TICK", "STATUS", "RUNS", "DETAIL"]
    assert "FAILURE" in lines[1] and "RuntimeError: boom" in lines[1]
    assert "SUCCESS" in lines[2] and "r1, r2" in lines[2]
    as_json = json.loads(invoke("sensor", "ticks", "files", "-f", defs, "--json").output)
    assert [t["status"] for t in as_json] == ["FAILURE", "SUCCESS"]
