"""Run monitoring, one check at a time, on a real SQLite instance with real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import EventLogEntry, EventType, Instance, RunStatus
from headwater.instance.daemon_settings import RunMonitoringConfig
from headwater.orchestration.monitoring import RunMonitor

FAST = RunMonitoringConfig(heartbeat_interval_seconds=1.0, start_timeout_seconds=60.0)


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.from_path(tmp_path / "home") as instance:
        yield instance


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    """A real child process standing in for a run worker (this process is its parent)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _wait_unreaped(process: subprocess.Popen[bytes]) -> None:
    """Wait until ``process`` has exited, leaving it for the monitor to reap (as the daemon,
    its parent, does): the monitor then knows how it ended."""
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)


def _started(
    instance: Instance, run_id: str, *, started_at: float | None = None, **tags: str
) -> None:
    instance.create_run(job_name="job", run_id=run_id, tags=tags, status=RunStatus.STARTING)
    when = time.time() if started_at is None else started_at
    instance.store_event(
        EventLogEntry(run_id=run_id, timestamp=when, event_type=EventType.RUN_START)
    )


def _engine_messages(instance: Instance, run_id: str) -> list[str]:
    return [e.message for e in instance.all_logs(run_id, of_type=EventType.ENGINE_EVENT)]


def test_a_killed_worker_fails_its_run_naming_the_signal(
    instance: Instance, worker: subprocess.Popen[bytes]
) -> None:
    _started(instance, "r")
    instance.record_run_worker_heartbeat("r", pid=worker.pid)
    monitor = RunMonitor(instance, FAST)
    assert monitor.check().failed == ()  # alive and heartbeating
    worker.kill()
    worker_gone = time.time()
    _wait_unreaped(worker)
    assert monitor.check().failed == ("r",)
    run = instance.get_run_by_id("r")
    assert run is not None and run.status is RunStatus.FAILURE
    [engine] = instance.all_logs("r", of_type=EventType.ENGINE_EVENT)
    assert f"pid {worker.pid}" in engine.message and "SIGKILL (9)" in engine.message
    assert engine.data["cause"] == "worker_died"
    [failure] = instance.all_logs("r", of_type=EventType.RUN_FAILURE)
    assert failure.timestamp - worker_gone < 2 * FAST.heartbeat_interval_seconds


def test_a_worker_that_stopped_heartbeating_fails_its_run(instance: Instance) -> None:
    _started(instance, "r")
    # A worker on another machine: only its heartbeat tells whether it lives.
    from headwater.storage.records import RunWorkerHeartbeat

    instance.storage.record_run_worker_heartbeat(
        RunWorkerHeartbeat(
            run_id="r", pid=4242, hostname="another-host", timestamp=time.time() - 2.5
        )
    )
    assert RunMonitor(instance, FAST).check().failed == ("r",)
    [message] = _engine_messages(instance, "r")
    assert "stopped heartbeating" in message and "2 intervals of 1 s" in message
    assert "pid 4242 on host another-host" in message


def test_a_fresh_heartbeat_on_another_host_keeps_the_run(instance: Instance) -> None:
    from headwater.storage.records import RunWorkerHeartbeat

    _started(instance, "r")
    instance.storage.record_run_worker_heartbeat(
        RunWorkerHeartbeat(run_id="r", pid=4242, hostname="another-host", timestamp=time.time())
    )
    assert RunMonitor(instance, FAST).check().failed == ()
    assert instance.get_run_by_id("r").status is RunStatus.STARTED  # type: ignore[union-attr]


def test_a_run_stuck_starting_past_the_timeout_fails(instance: Instance) -> None:
    instance.create_run(job_name="job", run_id="stuck", status=RunStatus.STARTING)
    instance.create_run(job_name="job", run_id="young", status=RunStatus.STARTING)
    time.sleep(0.3)
    config = RunMonitoringConfig(heartbeat_interval_seconds=1.0, start_timeout_seconds=0.2)
    monitor = RunMonitor(instance, config)
    instance.add_run_tags("young", {"touched": "now"})  # its update timestamp is now
    assert monitor.check().failed == ("stuck",)
    [message] = _engine_messages(instance, "stuck")
    assert "still STARTING" in message and "start_timeout_seconds is 0.2" in message


def test_a_starting_run_whose_worker_exited_fails_at_once(
    instance: Instance, worker: subprocess.Popen[bytes]
) -> None:
    instance.create_run(job_name="job", run_id="r", status=RunStatus.STARTING)
    instance.record_run_worker_heartbeat("r", pid=worker.pid)
    worker.terminate()
    _wait_unreaped(worker)
    assert RunMonitor(instance, FAST).check().failed == ("r",)
    assert "SIGTERM (15)" in _engine_messages(instance, "r")[0]


def test_finished_runs_are_left_alone(instance: Instance) -> None:
    instance.create_run(job_name="job", run_id="done", status=RunStatus.SUCCESS)
    assert RunMonitor(instance, FAST).check() == RunMonitor(instance, FAST).check()
    assert instance.get_run_by_id("done").status is RunStatus.SUCCESS  # type: ignore[union-attr]


def test_a_canceling_run_whose_worker_is_gone_ends_canceled(
    instance: Instance, worker: subprocess.Popen[bytes]
) -> None:
    instance.create_run(job_name="job", run_id="r", status=RunStatus.CANCELING)
    instance.record_run_worker_heartbeat("r", pid=worker.pid)
    assert RunMonitor(instance, FAST).check().canceled == ()
    worker.kill()
    _wait_unreaped(worker)
    assert RunMonitor(instance, FAST).check().canceled == ("r",)
    assert instance.get_run_by_id("r").status is RunStatus.CANCELED  # type: ignore[union-attr]


def test_a_run_past_its_max_runtime_is_terminated_once(instance: Instance) -> None:
    _started(instance, "slow", started_at=time.time() - 30, **{"headwater/max_runtime": "10"})
    _started(instance, "ok", started_at=time.time() - 30, **{"dagster/max_runtime": "60"})
    _started(instance, "default", started_at=time.time() - 30)
    for run_id in ("slow", "ok", "default"):
        instance.record_run_worker_heartbeat(run_id)  # this process: alive
    terminated: list[tuple[str, str]] = []
    monitor = RunMonitor(
        instance,
        RunMonitoringConfig(heartbeat_interval_seconds=60.0, max_runtime_seconds=20.0),
        terminate=lambda inst, run_id, reason: terminated.append((run_id, reason)),
    )
    assert sorted(monitor.check().terminated) == ["default", "slow"]
    assert monitor.check().terminated == ()  # asked once, not at every tick
    deadline = time.monotonic() + 30
    while len(terminated) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(run_id for run_id, _ in terminated) == ["default", "slow"]
    assert "maximum runtime of 10 s" in dict(terminated)["slow"]
    assert any("maximum runtime of 10 s" in m for m in _engine_messages(instance, "slow"))


def test_pool_slots_of_a_dead_run_are_given_back(
    instance: Instance, worker: subprocess.Popen[bytes]
) -> None:
    instance.set_concurrency_limit("warehouse", 1)
    _started(instance, "dead")
    instance.record_run_worker_heartbeat("dead", pid=worker.pid)
    assert instance.claim_concurrency_slot("warehouse", "dead", "orders")
    instance.create_run(job_name="job", run_id="ended", status=RunStatus.FAILURE)
    instance.set_concurrency_limit("lake", 1)
    assert instance.claim_concurrency_slot("lake", "ended", "load")  # left behind earlier
    worker.kill()
    _wait_unreaped(worker)
    assert RunMonitor(instance, FAST).check().failed == ("dead",)
    assert instance.get_concurrency_slots() == []
    assert instance.claim_concurrency_slot("warehouse", "next", "orders")
    assert any("Gave back 1 concurrency pool slot" in m for m in _engine_messages(instance, "dead"))
