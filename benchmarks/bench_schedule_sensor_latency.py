"""Schedule tick -> run STARTED and sensor RunRequest -> run STARTED, in a real daemon process.

A code location of one trivial asset in a temporary project, a real SQLite instance in a
temporary HEADWATER_HOME, and ``headwater daemon run -f defs.py`` (its code server, run queue,
scheduler and sensor loops, run workers: every process as in production). Two figures, each a
median:

- schedule: a schedule on ``* * * * *``; from each cron tick's time to the RUN_START event of
  the run the tick queued (the scheduler evaluates the tick in the code server, the code server
  creates and queues the run, the run queue starts a run worker, the worker starts Python,
  loads the location and records RUN_START). ``--schedule-ticks`` ticks (one a minute);
- sensor: a sensor (``minimum_interval_seconds=1``) requesting a run for each new file of an
  inbox; from the start of the tick that returned the RunRequest to the run's RUN_START.
  ``--sensor-requests`` files, one every 3 s. The time a file waits for the next tick (at most
  the sensor's interval) is printed too, but not counted: it is the interval the user chose.

Budget (DESIGN.md): <= 1 s each. Dagster 1.13.27 on this kind of machine: 3.2 s / 6.4 s.

Processes run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment), as an installed package runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import headwater as hw
from headwater.events.types import EventType
from headwater.storage.instigator_records import InstigatorId, InstigatorType, TickStatus

DEFS = """
    from pathlib import Path
    from headwater import (DefaultScheduleStatus, DefaultSensorStatus, Definitions, RunRequest,
                           ScheduleDefinition, SkipReason, asset, define_asset_job, sensor)

    INBOX = Path(__file__).parent / "inbox"

    @asset
    def one() -> int:
        return 1

    one_job = define_asset_job("one_job", selection=[one])
    every_minute = ScheduleDefinition(name="every_minute", job=one_job,
                                      cron_schedule="* * * * *",
                                      default_status=DefaultScheduleStatus.RUNNING)

    @sensor(job=one_job, minimum_interval_seconds=1, default_status=DefaultSensorStatus.RUNNING)
    def inbox(context):
        names = sorted(p.name for p in INBOX.glob("*.csv"))
        return [RunRequest(run_key=n) for n in names] or SkipReason("empty")

    defs = Definitions(assets=[one], jobs=[one_job], schedules=[every_minute], sensors=[inbox])
"""
YAML = "run_queue: {max_concurrent_runs: 4}\n"


def _id(kind: InstigatorType, name: str) -> InstigatorId:
    return InstigatorId(instigator_type=kind, location_name="defs", name=name)


def _run_start(instance: hw.Instance, run_id: str) -> float | None:
    for entry in instance.all_logs(run_id):
        if entry.event_type is EventType.RUN_START:
            return entry.timestamp
    return None


def _latencies(instance: hw.Instance, instigator: InstigatorId) -> list[float]:
    found = []
    for tick in instance.storage.get_ticks(instigator):
        if tick.status is not TickStatus.SUCCESS:
            continue
        for run_id in tick.run_ids:
            started = _run_start(instance, run_id)
            if started is not None:
                found.append(started - tick.timestamp)
    return sorted(found)


def _queued(instance: hw.Instance, instigator: InstigatorId) -> list[float]:
    """From each tick's time to its run being queued (the RUN_ENQUEUED event)."""
    found = []
    for tick in instance.storage.get_ticks(instigator):
        for run_id in tick.run_ids if tick.status is TickStatus.SUCCESS else ():
            for entry in instance.all_logs(run_id):
                if entry.event_type is EventType.RUN_ENQUEUED:
                    found.append(entry.timestamp - tick.timestamp)
    return sorted(found)


def _wait(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out; see the daemon's log")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedule-ticks", type=int, default=3)
    parser.add_argument("--sensor-requests", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project, home = Path(tmp) / "project", Path(tmp) / "home"
        (project / "inbox").mkdir(parents=True)
        home.mkdir()
        (home / "headwater.yaml").write_text(YAML)
        (project / "defs.py").write_text(textwrap.dedent(DEFS))
        env = {**os.environ}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("HEADWATER_HOME", None)
        log = open(Path(tmp) / "daemon.log", "wb")  # noqa: SIM115 (closed below)
        daemon = subprocess.Popen(
            [sys.executable, "-m", "headwater", "--home", str(home), "daemon", "run",
             "-f", "defs.py"], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        instance = hw.Instance.from_path(home)
        sensor = _id(InstigatorType.SENSOR, "inbox")
        schedule = _id(InstigatorType.SCHEDULE, "every_minute")
        try:
            _wait(lambda: instance.storage.get_ticks(sensor), 120)
            waits = []
            for index in range(args.sensor_requests):
                written = time.time()
                (project / "inbox" / f"{index}.csv").write_text("x")
                _wait(lambda i=index: len(_latencies(instance, sensor)) > i, 60)
                tick = next(t for t in instance.storage.get_ticks(sensor) if t.run_ids)
                waits.append(tick.timestamp - written)
                time.sleep(3)
            _wait(lambda: len(_latencies(instance, schedule)) >= args.schedule_ticks,
                  65 * (args.schedule_ticks + 1))  # fmt: skip
            sensor_figures = _latencies(instance, sensor)
            schedule_figures = _latencies(instance, schedule)
            queued = {"schedule": _queued(instance, schedule), "sensor": _queued(instance, sensor)}
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=60)
            log.close()
            instance.dispose()
    print(f"schedule tick -> run STARTED: median {statistics.median(schedule_figures):.3f} s "
          f"over {len(schedule_figures)} ticks "
          f"({', '.join(f'{x:.3f}' for x in schedule_figures)})")  # fmt: skip
    print(f"sensor RunRequest -> run STARTED: median {statistics.median(sensor_figures):.3f} s "
          f"over {len(sensor_figures)} requests "
          f"({', '.join(f'{x:.3f}' for x in sensor_figures)})")  # fmt: skip
    for what, figures in queued.items():
        print(f"  {what}: of which tick -> run queued, median {statistics.median(figures):.3f} s")
    print(f"  (a new file waited {statistics.median(waits):.3f} s median for the sensor's next "
          "tick, interval 1 s: not counted)")  # fmt: skip


if __name__ == "__main__":
    main()
