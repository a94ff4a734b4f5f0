"""The controller in this process: loop threads, errors in heartbeats, losing the instance."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import wait_for

from headwater import Instance
from headwater.daemon.controller import DaemonController
from headwater.daemon.loop import DaemonLoop
from headwater.daemon.status import get_daemon_status
from headwater.errors import DaemonError
from headwater.storage.daemon_records import CONTROLLER_LOOP, DaemonHeartbeat


class Counting(DaemonLoop):
    name = "counting"
    interval_seconds = 0.05

    def __init__(self) -> None:
        self.ticks = 0
        self.resumed_from: str | None = "unset"

    def resume(self, cursor: str | None) -> None:
        self.resumed_from = cursor

    @property
    def cursor(self) -> str | None:
        return str(self.ticks)

    def run_once(self) -> None:
        self.ticks += 1


class Failing(DaemonLoop):
    name = "failing"
    interval_seconds = 0.05

    def __init__(self) -> None:
        self.attempts = 0

    def run_once(self) -> None:
        self.attempts += 1
        raise RuntimeError(f"tick {self.attempts} went wrong")


@pytest.fixture
def instance(home: Path) -> Iterator[Instance]:
    with Instance.from_path(home) as instance:
        yield instance


def _run_in_thread(controller: DaemonController) -> threading.Thread:
    thread = threading.Thread(target=controller.run, daemon=True)
    thread.start()
    return thread


def test_a_failing_loop_records_its_error_and_the_others_go_on(instance: Instance) -> None:
    counting, failing = Counting(), Failing()
    controller = DaemonController(instance, [counting, failing])
    thread = _run_in_thread(controller)
    try:
        wait_for(lambda: failing.attempts >= 3 and counting.ticks >= 20, what="ticks")
        status = wait_for(
            lambda: (
                (s := get_daemon_status(instance)).daemon is not None
                and all(loop.heartbeat is not None for loop in s.loops)
                and s
            ),
            what="heartbeats of both loops",
        )
    finally:
        controller.stop()
        thread.join(timeout=30)
    loops = {loop.name: loop for loop in status.loops}
    assert loops["failing"].healthy and loops["counting"].healthy  # failing, but alive
    error = loops["failing"].heartbeat.last_error
    assert error is not None and "RuntimeError: tick" in error and "went wrong" in error
    assert loops["counting"].heartbeat.last_error is None
    assert not thread.is_alive()


def test_a_restarted_loop_resumes_from_its_stored_cursor(instance: Instance) -> None:
    first = Counting()
    controller = DaemonController(instance, [first])
    thread = _run_in_thread(controller)
    wait_for(lambda: first.ticks >= 5, what="ticks")
    controller.stop()
    thread.join(timeout=30)
    stored = {b.loop_name: b.cursor for b in instance.get_daemon_heartbeats()}["counting"]
    assert stored is not None and int(stored) >= 5

    second = Counting()
    controller = DaemonController(instance, [second])
    thread = _run_in_thread(controller)
    try:
        wait_for(lambda: second.resumed_from != "unset", what="resume")
    finally:
        controller.stop()
        thread.join(timeout=30)
    assert second.resumed_from == stored


def test_a_daemon_whose_instance_was_taken_over_stops_its_loops(instance: Instance) -> None:
    loop = Counting()
    controller = DaemonController(instance, [loop])
    thread = _run_in_thread(controller)
    wait_for(lambda: loop.ticks > 0, what="a tick")
    usurper = DaemonHeartbeat(loop_name=CONTROLLER_LOOP, daemon_id="usurper", timestamp=time.time())
    instance.claim_daemon_heartbeat(usurper, expired_before=0.0, replacing=controller.daemon_id)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert controller.lost_reason is not None and "usurper" in controller.lost_reason
    owner = {b.loop_name: b.daemon_id for b in instance.get_daemon_heartbeats()}
    assert owner[CONTROLLER_LOOP] == "usurper"  # not released by the daemon that lost it


def test_claiming_twice_in_one_process_refuses_the_second(instance: Instance) -> None:
    first = DaemonController(instance, [Counting()])
    first.claim()
    with pytest.raises(DaemonError, match=f"daemon {first.daemon_id}"):
        DaemonController(instance, [Counting()]).claim()


def test_loops_need_distinct_names(instance: Instance) -> None:
    with pytest.raises(DaemonError, match="distinct names"):
        DaemonController(instance, [Counting(), Counting()])


class Stuck(DaemonLoop):
    name = "stuck"
    interval_seconds = 0.05

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.ticks = 0

    def run_once(self) -> None:
        self.ticks += 1
        if self.ticks > 3:  # healthy at first, then a tick that hangs
            self.entered.set()
            self.release.wait(60)


def test_a_stuck_loop_shows_as_unhealthy_while_the_others_stay_healthy(
    instance: Instance,
) -> None:
    stuck, counting = Stuck(), Counting()
    controller = DaemonController(instance, [stuck, counting])
    thread = _run_in_thread(controller)
    try:
        wait_for(lambda: stuck.entered.is_set(), what="the stuck tick")
        assert any(b.loop_name == "stuck" for b in instance.get_daemon_heartbeats())
        status = wait_for(
            lambda: (s := get_daemon_status(instance)).daemon is not None and not s.healthy and s,
            timeout=60,
            what="the stuck loop to turn unhealthy",
        )
    finally:
        stuck.release.set()
        controller.stop()
        thread.join(timeout=30)
    loops = {loop.name: loop.healthy for loop in status.loops}
    assert loops == {"counting": True, "stuck": False}
