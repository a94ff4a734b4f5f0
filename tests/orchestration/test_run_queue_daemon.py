"""The run queue with real processes: a daemon subprocess, run workers, one SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from queue_helpers import (
    SRC,
    DaemonProcess,
    Project,
    intervals,
    kill_workers,
    max_overlap,
    starts,
    wait_finished,
    wait_for,
    write_home,
)

from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.storage.records import RunStatus

pytestmark = pytest.mark.slow

FAST = """
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5}
run_monitoring: {heartbeat_interval_seconds: 1, start_timeout_seconds: %s}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path_factory.mktemp("project"))


class Setup:
    """An instance with ``queue`` settings, and the daemons started on it."""

    def __init__(self, tmp_path: Path, project: Project) -> None:
        self.tmp_path = tmp_path
        self.project = project
        self.daemons: list[DaemonProcess] = []
        self.instance: Instance | None = None

    def open(self, queue_yaml: str, start_timeout: float = 60) -> Instance:
        yaml = FAST % start_timeout + textwrap.dedent(queue_yaml)
        home = write_home(self.tmp_path / "home", yaml)
        self.instance = Instance.from_path(home)
        return self.instance

    def daemon(self) -> DaemonProcess:
        assert self.instance is not None
        log = self.tmp_path / f"daemon-{len(self.daemons)}.log"
        started = DaemonProcess(self.instance.root_directory, log)
        self.daemons.append(started)
        return started

    def close(self) -> None:
        for daemon in self.daemons:
            daemon.kill()
        if self.instance is not None:
            kill_workers(self.instance)
            self.instance.dispose()


@pytest.fixture
def setup(tmp_path: Path, project: Project) -> Iterator[Setup]:
    started = Setup(tmp_path, project)
    try:
        yield started
    finally:
        started.close()


def test_ten_runs_with_two_at_a_time_never_overlap_more_and_all_succeed(setup: Setup) -> None:
    instance = setup.open("run_queue: {max_concurrent_runs: 2, dequeue_interval_seconds: 0.2}")
    ids = [setup.project.queue(instance, "quick_job").run_id for _ in range(10)]
    daemon = setup.daemon()
    runs = wait_finished(instance, ids)
    assert [r.status for r in runs] == [RunStatus.SUCCESS] * 10, daemon.output()
    spans = intervals(instance, ids)
    assert len(spans) == 10
    assert max_overlap(spans.values()) <= 2
    assert all(starts(instance, i) == 1 for i in ids)
    assert daemon.stop() == 0


def test_higher_priority_runs_start_first(setup: Setup) -> None:
    instance = setup.open("run_queue: {max_concurrent_runs: 1, dequeue_interval_seconds: 0.2}")
    queue = setup.project.queue
    low = queue(instance, "quick_job", {"headwater/priority": "-1"}).run_id
    first = queue(instance, "quick_job").run_id
    second = queue(instance, "quick_job").run_id
    high = queue(instance, "quick_job", {"dagster/priority": "3"}).run_id
    setup.daemon()
    ids = [low, first, second, high]
    wait_finished(instance, ids)
    spans = intervals(instance, ids)
    assert sorted(ids, key=lambda i: spans[i][0]) == [high, first, second, low]


def test_tag_limits_hold_runs_of_a_tag_to_their_limit(setup: Setup) -> None:
    instance = setup.open("""
        run_queue:
          max_concurrent_runs: 4
          dequeue_interval_seconds: 0.2
          tag_concurrency_limits:
            - {key: database, value: warehouse, limit: 1}
            - {key: customer, value: {applyLimitPerUniqueValue: true}, limit: 1}
    """)
    queue = setup.project.queue
    warehouse = [queue(instance, "quick_job", {"database": "warehouse"}).run_id for _ in range(3)]
    acme = [queue(instance, "quick_job", {"customer": "acme"}).run_id for _ in range(2)]
    globex = [queue(instance, "quick_job", {"customer": "globex"}).run_id for _ in range(2)]
    free = [queue(instance, "quick_job").run_id for _ in range(2)]
    setup.daemon()
    ids = warehouse + acme + globex + free
    runs = wait_finished(instance, ids)
    assert all(r.status is RunStatus.SUCCESS for r in runs)
    spans = intervals(instance, ids)
    for group in (warehouse, acme, globex):
        assert max_overlap(spans[i] for i in group) == 1
    assert max_overlap(spans.values()) <= 4


DEQUEUER = """
import sys, time
from headwater.instance.instance import Instance
from headwater.orchestration.run_queue import RunQueue
instance = Instance.from_path(sys.argv[1])
queue = RunQueue(instance, claimed_by=sys.argv[2])
deadline = time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    queue.dequeue()
    time.sleep(0.01)
"""


def test_two_dequeuing_processes_never_start_a_run_twice(setup: Setup) -> None:
    """Two run queues on one instance (a split brain: each believes it is the daemon)."""
    instance = setup.open("run_queue: {max_concurrent_runs: -1}")
    ids = [setup.project.queue(instance, "quick_job").run_id for _ in range(12)]
    env = {**os.environ, "PYTHONPATH": SRC}
    home = str(instance.root_directory)
    racers = [
        subprocess.Popen([sys.executable, "-c", DEQUEUER, home, name, "20"], env=env)
        for name in ("left", "right")
    ]
    try:
        runs = wait_finished(instance, ids)
    finally:
        for racer in racers:
            racer.kill()
            racer.wait(timeout=30)
    assert all(r.status is RunStatus.SUCCESS for r in runs)
    for run_id in ids:
        assert starts(instance, run_id) == 1
        engine = [e.message for e in instance.all_logs(run_id, of_type=EventType.ENGINE_EVENT)]
        assert sum(m.startswith("Started the run worker") for m in engine) == 1
        assert sum(m.startswith("Dequeued by daemon") for m in engine) == 1


def test_a_daemon_killed_while_dequeuing_loses_no_run_and_starts_none_twice(
    setup: Setup,
) -> None:
    instance = setup.open(
        """
        run_queue: {max_concurrent_runs: 6, dequeue_interval_seconds: 0.2}
    """,
        start_timeout=20,
    )
    ids = [setup.project.queue(instance, "quick_job").run_id for _ in range(12)]
    first = setup.daemon()

    def some_claimed() -> bool:
        return any(instance.all_logs(i, of_type=EventType.RUN_STARTING) for i in ids)

    wait_for(some_claimed, "the daemon to start dequeuing")
    os.kill(first.pid, signal.SIGKILL)
    first.process.wait(timeout=30)
    setup.daemon()  # on this host the dead daemon's pid tells: it takes over at once
    runs = wait_finished(instance, ids)
    for run in runs:
        assert starts(instance, run.run_id) <= 1
        if run.status is not RunStatus.SUCCESS:  # claimed, then the daemon died: no worker
            [engine] = instance.all_logs(run.run_id, of_type=EventType.ENGINE_EVENT)[-1:]
            assert engine.data.get("cause") == "start_timeout", engine.message
    assert sum(r.status is RunStatus.SUCCESS for r in runs) >= 1


def test_a_paused_daemon_that_was_taken_over_stops(setup: Setup) -> None:
    instance = setup.open("run_queue: {max_concurrent_runs: 2, dequeue_interval_seconds: 0.2}")
    first = setup.daemon()
    wait_for(
        lambda: any(b.loop_name == "run_queue" for b in instance.get_daemon_heartbeats()),
        "the first daemon's loops",
    )
    _pause_outside_a_transaction(first.pid, instance)
    try:
        ids = [setup.project.queue(instance, "quick_job").run_id for _ in range(6)]
        second = setup.daemon()  # refused while the paused daemon's heartbeat is fresh,
        outcome = wait_for(
            lambda: (
                ("exited" if second.process.poll() is not None else None)
                or ("owner" if _owned_by(instance, second) else None)
            ),
            "the second daemon to start or refuse",
        )
        if outcome == "exited":
            assert second.process.returncode == 2, second.output()
            assert "Another daemon is running" in second.output()
            wait_for(lambda: not _fresh(instance, 5.0), "the paused daemon's heartbeat to expire")
            second = setup.daemon()  # ... and takes over once it expired
            wait_for(lambda: _owned_by(instance, second), "the second daemon to take over")
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert first.process.wait(timeout=60) == 1
    assert "taken over" in first.output()
    runs = wait_finished(instance, ids)
    assert all(r.status is RunStatus.SUCCESS for r in runs)
    assert all(starts(instance, i) == 1 for i in ids)
    assert second.process.poll() is None


def _pause_outside_a_transaction(pid: int, instance: Instance) -> None:
    """SIGSTOP the daemon at a moment it holds no write lock on the database.

    A process stopped inside a write transaction would hold SQLite's lock until SIGCONT, and
    every other writer (the test queueing runs, the second daemon) would time out with "database
    is locked": that is not what the test is about. So stop it, check that the database takes a
    write at once, and if not let it go on for a moment and try again.
    """
    import sqlite3

    database = instance.config.sqlite_path
    for _ in range(200):
        os.kill(pid, signal.SIGSTOP)
        conn = sqlite3.connect(database, timeout=0.2, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return
        except sqlite3.OperationalError:
            os.kill(pid, signal.SIGCONT)
            time.sleep(0.05)
        finally:
            conn.close()
    raise AssertionError("the daemon never paused outside a write transaction")


def _owned_by(instance: Instance, daemon: DaemonProcess) -> bool:
    return any(
        b.loop_name == "controller" and b.info.get("pid") == daemon.pid
        for b in instance.get_daemon_heartbeats()
    )


def _fresh(instance: Instance, tolerance: float) -> bool:
    return any(
        b.loop_name == "controller" and b.age(time.time()) < tolerance
        for b in instance.get_daemon_heartbeats()
    )
