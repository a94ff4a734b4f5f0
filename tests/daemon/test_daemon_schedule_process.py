"""A schedule in a real ``headwater daemon run`` process: kill -9 mid-tick, then restart."""

from __future__ import annotations

import os
import re
import signal
import textwrap
from pathlib import Path

import pytest
from daemon_helpers import Daemons, wait_for

from headwater import Instance
from headwater.orchestration.run_tags import SCHEDULE_NAME_TAG, SCHEDULED_EXECUTION_TIME_TAG
from headwater.storage.instigator_records import InstigatorId, InstigatorType, TickStatus

pytestmark = pytest.mark.slow  # waits for a minute boundary

DEFS = """
import time
from pathlib import Path
from headwater import (DefaultScheduleStatus, Definitions, RunRequest, ScheduleDefinition,
                       asset, define_asset_job, schedule)

HERE = Path(__file__).parent

@asset
def one() -> int:
    return 1

one_job = define_asset_job("one_job", selection=[one])

@schedule(cron_schedule="* * * * *", job=one_job, default_status=DefaultScheduleStatus.RUNNING)
def every_minute(context):
    if not (HERE / "slept").exists():
        (HERE / "slept").write_text(context.scheduled_execution_time.isoformat())
        time.sleep(60)  # the test kills the daemon meanwhile
    return RunRequest(tags={"minute": f"{context.scheduled_execution_time:%H:%M}"})

defs = Definitions(assets=[one], jobs=[one_job], schedules=[every_minute])
"""

ID = InstigatorId(
    instigator_type=InstigatorType.SCHEDULE, location_name="defs", name="every_minute"
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _ticks(home: Path) -> list:
    with Instance.from_path(home) as instance:
        return instance.storage.get_ticks(ID)


def _runs(home: Path) -> list:
    with Instance.from_path(home) as instance:
        return [r for r in instance.get_runs() if r.tags.get(SCHEDULE_NAME_TAG) == "every_minute"]


def test_a_tick_cut_short_by_kill_9_is_finished_by_the_next_daemon_once(
    daemons: Daemons, tmp_path: Path, home: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "defs.py").write_text(textwrap.dedent(DEFS), encoding="utf-8")
    first = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: (project / "slept").exists(), timeout=120, what="the first tick")
    tick_time = (project / "slept").read_text()
    (started,) = _ticks(home)
    assert started.status is TickStatus.STARTED
    servers = [int(p) for p in re.findall(r"loaded \(pid (\d+)\)", daemons.log(first))]
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    for pid in servers:  # --watch-parent: its code server goes too, mid-evaluation
        wait_for(lambda pid=pid: not _alive(pid), timeout=30, what="the orphaned code server")

    second = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _runs(home), timeout=120, what="the tick's run")
    runs_of_the_tick = [r for r in _runs(home) if r.tags[SCHEDULED_EXECUTION_TIME_TAG] == tick_time]
    assert len(runs_of_the_tick) == 1
    same_tick = [t for t in _ticks(home) if t.timestamp == started.timestamp]
    assert len(same_tick) == 1 and same_tick[0].tick_id == started.tick_id
    assert same_tick[0].status is TickStatus.SUCCESS
    assert same_tick[0].run_ids == (runs_of_the_tick[0].run_id,)
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0
