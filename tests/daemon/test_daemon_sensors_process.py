"""Schedules and sensors in a real ``headwater daemon run`` process, on real SQLite."""

from __future__ import annotations

import os
import re
import signal
import textwrap
from pathlib import Path

import pytest
from daemon_helpers import Daemons, wait_for

from headwater import Instance
from headwater.orchestration.run_tags import RUN_KEY_TAG, SENSOR_NAME_TAG
from headwater.storage.instigator_records import InstigatorId, InstigatorType, TickStatus
from headwater.storage.records import RunStatus

YAML = """
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5,
         sensor_timeout_seconds: 3}
run_queue: {dequeue_interval_seconds: 0.2}
run_monitoring: {heartbeat_interval_seconds: 1, start_timeout_seconds: 60}
"""

DEFS = """
import os, time
from pathlib import Path
from headwater import (DefaultSensorStatus, Definitions, RunRequest, SkipReason, asset,
                       define_asset_job, sensor)

HERE = Path(__file__).parent
RUNNING = DefaultSensorStatus.RUNNING

@asset
def one() -> int:
    return 1

one_job = define_asset_job("one_job", selection=[one])

@sensor(job=one_job, minimum_interval_seconds=1, default_status=RUNNING)
def inbox(context):
    names = sorted(p.name for p in (HERE / "inbox").glob("*.csv"))
    if (HERE / "slow").exists() and not (HERE / "slept").exists():
        (HERE / "slept").write_text("")
        time.sleep(30)  # the test kills the daemon meanwhile
    if not names:
        return SkipReason("empty inbox")
    return [RunRequest(run_key=name) for name in names]

@sensor(job=one_job, minimum_interval_seconds=1, default_status=RUNNING)
def ticker(context):
    return SkipReason("tick")

@sensor(job=one_job, minimum_interval_seconds=1,
        default_status=RUNNING if os.environ.get("HW_TEST_HANG") else DefaultSensorStatus.STOPPED)
def hangs(context):
    time.sleep(300)

@sensor(job=one_job, minimum_interval_seconds=1,
        default_status=RUNNING if os.environ.get("HW_TEST_CRASH") else DefaultSensorStatus.STOPPED)
def crashes(context):
    if not (HERE / "crashed").exists():
        (HERE / "crashed").write_text("")
        os._exit(1)  # kills its code server mid-evaluation
    return SkipReason("the server is back")

defs = Definitions(assets=[one], jobs=[one_job], sensors=[inbox, ticker, hangs, crashes])
"""


def _id(name: str) -> InstigatorId:
    return InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="defs", name=name)


@pytest.fixture
def project(tmp_path: Path, home: Path) -> Path:
    (home / "headwater.yaml").write_text(YAML, encoding="utf-8")
    project = tmp_path / "project"
    (project / "inbox").mkdir(parents=True)
    (project / "defs.py").write_text(textwrap.dedent(DEFS), encoding="utf-8")
    return project


def _ticks(home: Path, name: str) -> list:
    with Instance.from_path(home) as instance:
        return instance.storage.get_ticks(_id(name))


def _runs(home: Path) -> list:
    with Instance.from_path(home) as instance:
        return [r for r in instance.get_runs() if r.tags.get(SENSOR_NAME_TAG) == "inbox"]


def _server_pids(daemons: Daemons, process: object) -> list[int]:
    log = daemons.log(process)  # type: ignore[arg-type]
    return [int(pid) for pid in re.findall(r"Code location 'defs' loaded \(pid (\d+)\)", log)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _stop(daemons: Daemons, process: object) -> None:
    pids = _server_pids(daemons, process)
    process.send_signal(signal.SIGTERM)  # type: ignore[attr-defined]
    assert process.wait(timeout=60) == 0  # type: ignore[attr-defined]
    for pid in pids:
        wait_for(lambda pid=pid: not _alive(pid), timeout=30, what=f"code server {pid} to stop")


def test_a_sensor_run_request_becomes_a_started_run(
    daemons: Daemons, project: Path, home: Path
) -> None:
    process = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _ticks(home, "inbox"), what="a first tick of the sensor")
    (project / "inbox" / "a.csv").write_text("1")
    runs = wait_for(lambda: _runs(home), what="the sensor's run")
    (run,) = runs  # type: ignore[misc]
    assert run.tags[RUN_KEY_TAG] == "a.csv"

    def finished() -> object:
        with Instance.from_path(home) as instance:
            current = instance.get_run_by_id(run.run_id)
            return current if current and current.status.is_finished else None

    done = wait_for(finished, what="the run to finish")
    assert done.status is RunStatus.SUCCESS, daemons.log(process)  # type: ignore[attr-defined]
    with Instance.from_path(home) as instance:
        kinds = [e.event_type.value for e in instance.all_logs(run.run_id)]
    assert "RUN_START" in kinds and "RUN_SUCCESS" in kinds
    assert len(_runs(home)) == 1  # later ticks see the same key: no second run
    _stop(daemons, process)


def test_kill_9_of_the_daemon_mid_tick_then_restart_launches_no_run_twice(
    daemons: Daemons, project: Path, home: Path
) -> None:
    (project / "inbox" / "a.csv").write_text("1")
    first = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _runs(home), what="the run of a.csv")
    (project / "inbox" / "b.csv").write_text("2")
    (project / "slow").write_text("")  # the next evaluation sleeps: kill the daemon in it
    wait_for(lambda: (project / "slept").exists(), what="a tick in progress")
    servers = _server_pids(daemons, first)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    for pid in servers:  # --watch-parent: the code server goes with its daemon
        wait_for(lambda pid=pid: not _alive(pid), timeout=30, what="the orphaned code server")
    assert _ticks(home, "inbox")[0].status is TickStatus.STARTED

    second = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: len(_runs(home)) >= 2, what="the run of b.csv")
    wait_for(lambda: len(_ticks(home, "inbox")) >= 6, what="more ticks")
    keys = sorted(r.tags[RUN_KEY_TAG] for r in _runs(home))
    assert keys == ["a.csv", "b.csv"]
    interrupted = [t for t in _ticks(home, "inbox") if t.error and "stopped before" in t.error]
    assert len(interrupted) == 1 and interrupted[0].status is TickStatus.FAILURE
    _stop(daemons, second)


def test_a_hanging_sensor_does_not_stop_another_from_ticking(
    daemons: Daemons, project: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_TEST_HANG", "1")
    process = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _ticks(home, "hangs"), what="the hanging sensor's tick")
    start = len(_ticks(home, "ticker"))
    failed = wait_for(
        lambda: [t for t in _ticks(home, "hangs") if t.status is TickStatus.FAILURE],
        timeout=30, what="the hanging tick to time out",
    )  # fmt: skip
    assert "no answer within 3 s" in (failed[-1].error or "")  # type: ignore[index]
    assert len(_ticks(home, "ticker")) >= start + 2  # ticked meanwhile, every second
    assert process.poll() is None
    _stop(daemons, process)


def test_a_sensor_killing_its_code_server_fails_its_tick_and_the_next_one_succeeds(
    daemons: Daemons, project: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_TEST_CRASH", "1")
    process = daemons.start("-f", "defs.py", cwd=project)
    ticks = wait_for(
        lambda: (t := _ticks(home, "crashes")) and t[0].status is TickStatus.SKIPPED and t,
        timeout=90, what="a tick after the restart",
    )  # fmt: skip
    failed = [t for t in ticks if t.status is TickStatus.FAILURE]  # type: ignore[union-attr]
    assert failed and "did it die?" in (failed[-1].error or "")
    assert len(_server_pids(daemons, process)) == 2  # started again by the daemon
    _stop(daemons, process)
