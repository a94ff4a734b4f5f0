"""Run monitoring and run retries with real processes: a daemon, run workers, SQLite."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from queue_helpers import (
    DaemonProcess,
    Project,
    kill_workers,
    wait_finished,
    wait_for,
    write_home,
)

from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.keys import AssetKey
from headwater.storage.records import RunsFilter, RunStatus

pytestmark = pytest.mark.slow

HEARTBEAT = 1.0
YAML = f"""
daemon: {{heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5}}
run_queue: {{dequeue_interval_seconds: 0.2}}
run_monitoring: {{heartbeat_interval_seconds: {HEARTBEAT:g}, start_timeout_seconds: 60}}
run_retries: {{enabled: true, max_retries: 1}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")  # its own directory: the flaky asset keeps a marker


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    instance = Instance.from_path(write_home(tmp_path / "home", YAML))
    try:
        yield instance
    finally:
        kill_workers(instance)
        instance.dispose()


@pytest.fixture
def daemon(instance: Instance, tmp_path: Path) -> Iterator[DaemonProcess]:
    started = DaemonProcess(instance.root_directory, tmp_path / "daemon.log")
    try:
        yield started
    finally:
        started.kill()


def _worker_pid(instance: Instance, run_id: str) -> int | None:
    run = instance.get_run_by_id(run_id)
    beat = instance.get_run_worker_heartbeat(run_id)
    if run is None or run.status is not RunStatus.STARTED or beat is None:
        return None
    return beat.pid


def test_a_worker_killed_with_sigkill_fails_its_run_within_two_heartbeats(
    instance: Instance, project: Project, daemon: DaemonProcess
) -> None:
    run = project.queue(instance, "slow_job", {"headwater/max_retries": "0"})
    pid = wait_for(lambda: _worker_pid(instance, run.run_id), "the run to start")
    time.sleep(0.5)  # into its 300 s step
    os.kill(pid, signal.SIGKILL)
    killed = time.time()
    # A launch right after makes the daemon's launcher reap the dead worker first: its exit
    # signal must still be known.
    other = project.queue(instance, "quick_job")
    [failed] = wait_finished(instance, [run.run_id])
    assert failed.status is RunStatus.FAILURE
    [failure] = instance.all_logs(run.run_id, of_type=EventType.RUN_FAILURE)
    assert failure.timestamp - killed <= 2 * HEARTBEAT, daemon.output()
    engine = instance.all_logs(run.run_id, of_type=EventType.ENGINE_EVENT)[-1]
    assert engine.data["cause"] == "worker_died" and engine.data["signal"] == "SIGKILL"
    assert f"The run worker (pid {pid}" in engine.message and "SIGKILL (9)" in engine.message
    assert wait_finished(instance, [other.run_id])[0].status is RunStatus.SUCCESS


def test_a_failed_run_is_retried_from_failure_by_the_daemon(
    instance: Instance, project: Project, daemon: DaemonProcess
) -> None:
    original = project.queue(instance, "flaky_job")
    [failed] = wait_finished(instance, [original.run_id])
    assert failed.status is RunStatus.FAILURE
    retry = wait_for(
        lambda: instance.get_runs(RunsFilter(tags={"headwater/parent_run_id": original.run_id})),
        "the retry",
    )[0]
    [done] = wait_finished(instance, [retry.run_id])
    assert done.status is RunStatus.SUCCESS, daemon.output()
    assert (done.parent_run_id, done.root_run_id) == (original.run_id, original.run_id)
    assert done.tags["headwater/retry_number"] == "1"
    assert done.asset_selection == frozenset({AssetKey("flaky")})  # from failure
    assert (project.directory / "upstream.count").read_text() == "x"  # not recomputed
    materialized = instance.all_logs(done.run_id, of_type=EventType.ASSET_MATERIALIZATION)
    assert [e.asset_key for e in materialized] == [AssetKey("flaky")]
    time.sleep(2 * HEARTBEAT)  # the retry succeeded: nothing more is submitted
    assert instance.get_runs_count() == 2


def test_a_run_past_its_max_runtime_is_terminated(
    instance: Instance, project: Project, daemon: DaemonProcess
) -> None:
    run = project.queue(instance, "slow_job", {"headwater/max_runtime": "2"})
    [ended] = wait_finished(instance, [run.run_id])
    assert ended.status is RunStatus.CANCELED, daemon.output()
    messages = [e.message for e in instance.all_logs(run.run_id, of_type=EventType.ENGINE_EVENT)]
    assert any("exceeded its maximum runtime of 2 s" in m for m in messages)
