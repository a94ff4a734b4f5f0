"""Launched runs execute in a real ``headwater run-worker`` process on a real SQLite file."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from worker_helpers import RUN_TIMEOUT, poll

from headwater import EventType, Instance, RunStatus
from headwater.execution.plan.origin import CodeLocationOrigin
from headwater.orchestration import launcher
from headwater.orchestration.code_location import load_definitions_from_origin
from headwater.orchestration.launcher import launch_run, wait_for_run, worker_log_paths
from headwater.orchestration.submission import create_run_for_job
from headwater.orchestration.termination import terminate_run

PIPELINE = """
    import os
    import time
    from pathlib import Path
    from headwater import Definitions, asset, define_asset_job

    @asset
    def raw() -> list[int]:
        print("computing raw")
        return [1, 2, 3]

    @asset
    def total(raw: list[int]) -> int:
        return sum(raw)

    @asset
    def sleepy() -> int:
        (Path(os.environ["HEADWATER_HOME"]) / "sleepy_started").write_text(str(os.getpid()))
        time.sleep(300)
        return 1

    defs = Definitions(
        assets=[raw, total, sleepy],
        jobs=[define_asset_job("sums", selection=["raw", "total"]),
              define_asset_job("sleeper", selection=["sleepy"])],
    )
"""


def _launch(instance: Instance, origin: CodeLocationOrigin, job_name: str) -> tuple[str, int]:
    job = load_definitions_from_origin(origin).get_job_def(job_name)
    run = create_run_for_job(instance, job, location=origin, queued=False)
    return run.run_id, launch_run(instance, run.run_id)


def _types(instance: Instance, run_id: str) -> list[EventType]:
    return [e.event_type for e in instance.all_logs(run_id)]


def test_launched_run_succeeds_in_its_worker_with_events_and_logs(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    run_id, pid = _launch(worker_instance, location(PIPELINE), "sums")
    run = wait_for_run(worker_instance, run_id, timeout=RUN_TIMEOUT)
    assert run.status is RunStatus.SUCCESS
    types = _types(worker_instance, run_id)
    assert types.index(EventType.RUN_STARTING) < types.index(EventType.RUN_START)
    assert types.count(EventType.STEP_SUCCESS) == 2
    assert types[-1] is EventType.RUN_SUCCESS
    heartbeat = worker_instance.get_run_worker_heartbeat(run_id)
    assert heartbeat is not None and heartbeat.pid == pid
    stdout, _stderr = worker_log_paths(worker_instance, run_id)
    assert "computing raw" in stdout.read_text()
    assert run.job_origin is not None and run.job_origin.job_name == "sums"


def test_a_location_that_fails_to_import_fails_the_run_with_the_error(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    origin = location(PIPELINE)
    job = load_definitions_from_origin(origin).get_job_def("sums")
    run = create_run_for_job(worker_instance, job, location=origin, queued=False)
    assert origin.file is not None
    Path(origin.file).write_text("import missing_dependency_of_defs\n")
    launch_run(worker_instance, run.run_id)
    finished = wait_for_run(worker_instance, run.run_id, timeout=RUN_TIMEOUT)
    assert finished.status is RunStatus.FAILURE
    events = worker_instance.all_logs(run.run_id)
    engine = [e for e in events if e.event_type is EventType.ENGINE_EVENT and e.error]
    assert engine and engine[-1].error is not None
    assert "missing_dependency_of_defs" in engine[-1].error["message"]
    assert events[-1].event_type is EventType.RUN_FAILURE
    assert EventType.RUN_START not in [e.event_type for e in events]


def test_terminate_interrupts_the_sleeping_step_and_cancels_the_run(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    run_id, pid = _launch(worker_instance, location(PIPELINE), "sleeper")
    started = worker_instance.root_directory / "sleepy_started"
    poll(started.exists, "the sleeping step to start")
    result = terminate_run(worker_instance, run_id, grace_seconds=60)
    assert result.changed and not result.killed
    assert result.run.status is RunStatus.CANCELED
    events = worker_instance.all_logs(run_id)
    failure = next(e for e in events if e.event_type is EventType.STEP_FAILURE)
    assert failure.step_key == "sleepy" and failure.data["interrupted"] is True
    types = [e.event_type for e in events]
    assert EventType.RUN_CANCELING in types and types[-1] is EventType.RUN_CANCELED
    poll(lambda: launcher._children[pid].poll() is not None, "the worker to exit")
    again = terminate_run(worker_instance, run_id)
    assert not again.changed and "already finished" in again.message


def test_a_killed_worker_stops_heartbeating_and_the_run_stays_started(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    run_id, pid = _launch(worker_instance, location(PIPELINE), "sleeper")
    poll((worker_instance.root_directory / "sleepy_started").exists, "the step to start")
    first = worker_instance.get_run_worker_heartbeat(run_id)
    assert first is not None

    def beat_again() -> bool:
        latest = worker_instance.get_run_worker_heartbeat(run_id)
        return latest is not None and latest.timestamp > first.timestamp

    poll(beat_again, "a second heartbeat")
    os.killpg(pid, signal.SIGKILL)
    launcher._children[pid].wait(timeout=RUN_TIMEOUT)
    last = worker_instance.get_run_worker_heartbeat(run_id)
    time.sleep(2.5)  # 2.5 heartbeat intervals: a live worker would have beaten twice
    assert worker_instance.get_run_worker_heartbeat(run_id) == last
    run = worker_instance.get_run_by_id(run_id)
    assert run is not None and run.status is RunStatus.STARTED  # failing it is monitoring's job


def test_a_run_cannot_be_launched_twice(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    import pytest

    from headwater.errors import InvalidInvocationError

    run_id, _pid = _launch(worker_instance, location(PIPELINE), "sums")
    with pytest.raises(InvalidInvocationError, match="only a QUEUED or NOT_STARTED run"):
        launch_run(worker_instance, run_id)
    assert wait_for_run(worker_instance, run_id, timeout=RUN_TIMEOUT).is_success


def test_the_worker_command_line_skips_the_cli_and_uses_one_second_heartbeats(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin]
) -> None:
    import subprocess
    import sys

    assert worker_instance.heartbeat_interval_seconds == 1.0
    origin = location(PIPELINE)
    job = load_definitions_from_origin(origin).get_job_def("sums")
    run = create_run_for_job(worker_instance, job, location=origin)
    assert run.status is RunStatus.QUEUED
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "headwater", "run-worker", run.run_id],
        cwd=origin.working_directory, capture_output=True, text=True, timeout=RUN_TIMEOUT,
        env={**os.environ, "HEADWATER_HOME": str(worker_instance.root_directory)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "headwater.orchestration.run_worker" in imported
    assert "click" not in imported and "sqlalchemy" not in imported
    finished = worker_instance.get_run_by_id(run.run_id)
    assert finished is not None and finished.status is RunStatus.SUCCESS
