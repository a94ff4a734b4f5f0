"""The flights example run by itself: its schedule, inbox sensor, automation and freshness.

Everything goes through real processes on a real SQLite instance in a temporary
``HEADWATER_HOME``: the schedule's tick through the daemon's scheduler loop at a fixed time of
2013 with the location served by a real code server, its run started by the run queue in a
run-worker process; the sensor, the automation conditions and the freshness policy through a
real ``headwater daemon run -m flights.definitions`` process. The sources are materialized
once for the module; the year of partitions once, in the daemon test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flights.assets.report import REPORT_FRESHNESS
from flights.definitions import PARTITIONED, SOURCES, defs
from flights.instigators import daily_flights_schedule
from flights.resources import DUCKDB_POOL, build_resources

from headwater import (
    AssetKey,
    Instance,
    PartitionKeyRange,
    RunStatus,
    build_schedule_context,
    execute_backfill,
    launch_backfill,
    materialize,
)
from headwater.daemon.scheduler import SchedulerLoop
from headwater.orchestration.code_location import resolve_code_location
from headwater.orchestration.freshness import update_freshness_states
from headwater.orchestration.launcher import launched_worker_exit, reap_workers
from headwater.orchestration.run_queue import RunQueue
from headwater.orchestration.workspace import Workspace
from headwater.orchestration.workspace_manager import LocationStatus, WorkspaceManager
from headwater.storage.instigator_records import InstigatorId, InstigatorType, TickStatus

FLIGHTS_DIR = Path(__file__).resolve().parents[1]
MODULE = "flights.definitions"
NEW_YORK = ZoneInfo("America/New_York")
YEAR = PartitionKeyRange("2013-01-01", "2013-12-31")
WHOLE_YEAR = ["route_performance", "aircraft_age_vs_delay", "weather_impact", "flights_report"]
YAML = """
daemon: {heartbeat_interval_seconds: 1, automation_interval_seconds: 1,
         freshness_interval_seconds: 1}
run_queue: {dequeue_interval_seconds: 0.2}
run_monitoring: {heartbeat_interval_seconds: 2}
"""
TIMEOUT = 240.0


@dataclass
class Site:
    home: Path
    inbox: Path
    instance: Instance
    resources: dict[str, Any]

    def headwater(self, *args: str, location: bool = True) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "headwater", *args, *(["-m", MODULE] if location else [])]
        return subprocess.run(
            command, cwd=FLIGHTS_DIR, capture_output=True, text=True, timeout=120, check=False
        )

    def runs_where(self, tag: str, value: str | None = None) -> list[Any]:
        return [
            run
            for run in self.instance.get_runs()
            if tag in run.tags and (value is None or run.tags[tag] == value)
        ]


def wait_for(what: str, found: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := found()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)
    return value


def reap(pid: int) -> None:
    """Wait for a run worker this process launched to exit (it ends soon after its run)."""
    deadline = time.monotonic() + 60
    while launched_worker_exit(pid) == (True, None):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
    reap_workers()


def finished(site: Site, run_id: str) -> Any:
    run = site.instance.get_run_by_id(run_id)
    return run if run is not None and run.status.is_finished else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("flights-daemon")
    home, inbox, database = root / "home", root / "inbox", root / "flights.duckdb"
    home.mkdir()
    (home / "headwater.yaml").write_text(YAML, encoding="utf-8")
    paths = [str(FLIGHTS_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    with pytest.MonkeyPatch.context() as patch:  # inherited by every process started here
        patch.setenv("HEADWATER_HOME", str(home))
        patch.setenv("FLIGHTS_DUCKDB_PATH", str(database))
        patch.setenv("FLIGHTS_INBOX", str(inbox))
        patch.setenv("PYTHONPATH", os.pathsep.join(paths))
        instance = Instance.get()
        try:
            instance.set_concurrency_limit(DUCKDB_POOL, 1)  # one process on the file at once
            resources = build_resources(str(database))
            sources = materialize(
                [*defs.assets, *defs.asset_checks], selection=SOURCES, resources=resources,
                instance=instance,
            )  # fmt: skip
            assert sources.success
            yield Site(home, inbox, instance, resources)
        finally:
            instance.dispose()


def test_the_schedule_requests_the_day_that_ended_at_six_in_new_york() -> None:
    tick = datetime(2013, 7, 5, 6, tzinfo=NEW_YORK)
    request = daily_flights_schedule(build_schedule_context(scheduled_execution_time=tick))
    assert request.partition_key == request.run_key == "2013-07-04"
    assert daily_flights_schedule.cron_schedule == "0 6 * * *"
    assert daily_flights_schedule.execution_timezone == "America/New_York"


def test_schedule_preview_after_2013_requests_the_last_day_once(site: Site) -> None:
    listed = site.headwater("schedule", "list")
    assert listed.returncode == 0, listed.stderr
    assert "daily_flights_schedule" in listed.stdout and "STOPPED" in listed.stdout
    preview = site.headwater("schedule", "preview", "daily_flights_schedule", "--ticks", "2")
    assert preview.returncode == 0, preview.stderr
    ticks = [line for line in preview.stdout.splitlines() if "1 run(s)" in line]
    assert len(ticks) == 2 and all("T06:00:00-0" in line for line in ticks)
    assert preview.stdout.count("partition='2013-12-31'") == 2  # one run key: run once


def test_a_schedule_tick_in_the_scheduler_loop_runs_that_day_in_a_run_worker(
    site: Site,
) -> None:
    started = site.headwater("schedule", "start", "daily_flights_schedule")
    assert started.returncode == 0, started.stderr
    origin = resolve_code_location(module=MODULE, working_directory=FLIGHTS_DIR).to_origin()
    instigator = InstigatorId(
        instigator_type=InstigatorType.SCHEDULE,
        location_name=origin.location_name,
        name="daily_flights_schedule",
    )
    # Started (by the command above) at 05:59 New York time on 2013-07-05, not now.
    moment = datetime(2013, 7, 5, 5, 59, tzinfo=NEW_YORK).timestamp()
    site.instance.storage.update_instigator_state(instigator, last_tick_timestamp=moment)
    with WorkspaceManager(Workspace.of(origin)) as manager:  # a real code server process
        state = manager.wait_until_settled(timeout=120)[origin.location_name]
        assert state.status is LocationStatus.LOADED, state.error
        loop = SchedulerLoop(site.instance, manager, clock=lambda: moment + 90, wait=True)
        try:
            loop.run_once()  # 06:00:30: the tick of 06:00 is due, for the day that ended
        finally:
            loop.close()
    (run,) = site.runs_where("headwater/schedule_name", "daily_flights_schedule")
    assert run.status is RunStatus.QUEUED and run.job_name == "daily_flights"
    assert run.tags["headwater/partition"] == "2013-07-04"
    (tick,) = site.instance.storage.get_ticks(instigator)
    assert tick.status is TickStatus.SUCCESS and tick.run_ids == (run.run_id,)

    assert run.run_id in RunQueue(site.instance).dequeue().launched  # a run-worker process
    done = wait_for("the schedule's run", lambda: finished(site, run.run_id))
    reap(site.instance.get_run_worker_heartbeat(run.run_id).pid)
    assert done.status is RunStatus.SUCCESS
    event = site.instance.get_latest_materialization_event(AssetKey("flights_daily"))
    assert event.run_id == run.run_id and event.partition == "2013-07-04"
    stopped = site.headwater("schedule", "stop", "daily_flights_schedule")
    assert stopped.returncode == 0, stopped.stderr


@pytest.fixture
def daemon(site: Site) -> Iterator[subprocess.Popen[bytes]]:
    log = (site.home / "daemon.err").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "headwater", "daemon", "run", "-m", MODULE],
        cwd=FLIGHTS_DIR, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def automation_ticks(site: Site) -> list[Any]:
    instigator = InstigatorId(
        instigator_type=InstigatorType.SENSOR,
        location_name=MODULE,
        name="default_automation_condition_sensor",
    )
    return list(site.instance.storage.get_ticks(instigator))


def test_the_daemon_runs_the_inbox_then_the_analytics_and_the_report_turns_fresh(
    site: Site, daemon: subprocess.Popen[bytes]
) -> None:
    wait_for("the first automation tick", lambda: automation_ticks(site))  # sets its state only
    started = site.headwater("sensor", "start", "flights_inbox")
    assert started.returncode == 0, started.stderr

    # 1. A delivery file: one run of that day, keyed by the file name; other files ignored.
    site.inbox.mkdir(exist_ok=True)
    (site.inbox / "notes.txt").write_text("not a delivery\n")
    (site.inbox / "2013-07-05.csv").write_text("year,month,day\n2013,7,5\n")
    (run,) = wait_for("the sensor's run", lambda: site.runs_where("headwater/sensor_name"))
    done = wait_for("the sensor's run to finish", lambda: finished(site, run.run_id))
    assert done.status is RunStatus.SUCCESS, (site.home / "daemon.err").read_text()[-3000:]
    assert (run.job_name, run.tags["headwater/run_key"]) == ("daily_flights", "2013-07-05.csv")
    event = site.instance.get_latest_materialization_event(AssetKey("flights_daily"))
    assert event.run_id == run.run_id and event.partition == "2013-07-05"
    # Two days of 365 are there: eager() waits for every partition the marts read.
    assert not site.runs_where("headwater/automation_sensor")

    # 2. The year's partitions (one backfill, in this process): the daemon requests the
    #    whole-year marts and the report, in one run.
    launched = launch_backfill(defs, PARTITIONED, instance=site.instance, partition_key_range=YEAR)
    execute_backfill(defs, launched.backfill_id, site.instance, resources=site.resources)
    (auto,) = wait_for("the automation run", lambda: site.runs_where("headwater/automation_sensor"))
    done = wait_for("the automation run to finish", lambda: finished(site, auto.run_id), 300)
    assert done.status is RunStatus.SUCCESS, (site.home / "daemon.err").read_text()[-3000:]
    latest = site.instance.get_latest_materialization_events([AssetKey(k) for k in WHOLE_YEAR])
    assert {event.run_id for event in latest.values()} == {auto.run_id}
    why = site.headwater("asset", "why", "route_performance", location=False)
    assert why.returncode == 0, why.stderr
    assert "route_performance: tick" in why.stdout and "any_deps_updated" in why.stdout
    requested = [tick for tick in automation_ticks(site) if auto.run_id in tick.run_ids]
    assert [tick.status for tick in requested] == [TickStatus.SUCCESS]

    # 3. The freshness loop sees the new report.
    report = AssetKey("flights_report")

    def state() -> str | None:
        record = site.instance.storage.get_freshness_states([report]).get(report)
        return record.state.value if record is not None else None

    wait_for("the report's freshness to pass", lambda: state() == "PASS", 60)
    status = subprocess.run(
        [sys.executable, "-m", "headwater", "asset", "status", "--json", "-m", MODULE],
        cwd=FLIGHTS_DIR, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    shown = {row["asset_key"]: row for row in json.loads(status.stdout)}
    assert shown["flights_report"]["freshness"] == "PASS"


def test_the_report_warns_after_a_day_and_fails_after_two(site: Site) -> None:
    """After the daemon test (which materialized the report), at later evaluation times."""
    report = AssetKey("flights_report")
    updated = site.instance.get_latest_materialization_event(report).timestamp
    policies = {report: REPORT_FRESHNESS}
    day = timedelta(days=1).total_seconds()
    states = []
    for now in (updated + 60, updated + day + 60, updated + 2 * day + 60):
        changes = update_freshness_states(site.instance, policies, now=now)
        states.append(changes[0].state.value if changes else "unchanged")
    assert states[1:] == ["WARN", "FAIL"]
    assert states[0] in ("PASS", "unchanged")  # PASS already stored by the daemon
