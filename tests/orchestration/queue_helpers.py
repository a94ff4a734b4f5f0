"""Helpers of the daemon-process tests: a code location, runs on the queue, a daemon process,
and reading what happened from the event log."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import headwater
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.orchestration.code_location import load_definitions, resolve_code_location
from headwater.orchestration.submission import create_run_for_job
from headwater.storage.records import Run, RunsFilter, RunStatus

#: Seconds a test waits for runs at most: generous for a loaded 2-core machine.
TIMEOUT = 240.0

SRC = str(Path(headwater.__file__).resolve().parents[1])

DEFS = """
    import os
    import time
    from pathlib import Path

    from headwater import Definitions, asset, define_asset_job

    HERE = Path(__file__).parent

    @asset
    def quick() -> int:
        time.sleep(0.3)
        return 1

    @asset
    def slow() -> int:
        time.sleep(300)
        return 1

    @asset
    def upstream() -> int:
        with open(HERE / "upstream.count", "a") as counter:
            counter.write("x")
        return 1

    @asset
    def flaky(upstream: int) -> int:
        marker = HERE / "flaky.marker"
        if not marker.exists():
            marker.write_text("failed once")
            raise RuntimeError("the first attempt fails")
        return upstream + 1

    defs = Definitions(
        assets=[quick, slow, upstream, flaky],
        jobs=[
            define_asset_job("quick_job", selection=["quick"]),
            define_asset_job("slow_job", selection=["slow"]),
            define_asset_job("flaky_job", selection=["upstream", "flaky"]),
        ],
    )
"""


def write_home(home: Path, yaml: str) -> Path:
    """An instance directory with ``headwater.yaml`` (dedented)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "headwater.yaml").write_text(textwrap.dedent(yaml), encoding="utf-8")
    return home


class Project:
    """The test code location, loaded once in this process to create runs of its jobs."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "defs.py").write_text(textwrap.dedent(DEFS), encoding="utf-8")
        self.directory = directory
        self.origin = resolve_code_location(file="defs.py", working_directory=directory).to_origin()
        self.defs = load_definitions(file="defs.py", working_directory=str(directory))

    def queue(self, instance: Instance, job: str, tags: Mapping[str, str] | None = None) -> Run:
        """Create a QUEUED run of ``job`` (as ``headwater job launch`` does)."""
        return create_run_for_job(
            instance, self.defs.get_job_def(job), location=self.origin, tags=dict(tags or {})
        )


class DaemonProcess:
    """``headwater daemon run`` on ``home`` as a child process, killed at the end if alive."""

    def __init__(self, home: Path, log: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
        env.pop("HEADWATER_HOME", None)
        self.log = log
        with log.open("ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "headwater", "--home", str(home), "daemon", "run",
                 "--log-level", "debug"],
                stdout=subprocess.DEVNULL, stderr=stderr, env=env,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> int:
        """SIGTERM; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=60)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def kill_workers(instance: Instance) -> None:
    """Kill (by process group) every run worker still alive: no process outlives a test."""
    for beat in instance.get_run_worker_heartbeats().values():
        if beat.pid in (os.getpid(), os.getpgrp()):
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(beat.pid, signal.SIGKILL)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll ``condition`` every 0.1 s until it returns something truthy (returned)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def wait_finished(
    instance: Instance, run_ids: Iterable[str], timeout: float = TIMEOUT
) -> list[Run]:
    """Wait until every run has finished; the runs."""
    ids = list(run_ids)

    def finished() -> list[Run] | None:
        runs = instance.get_runs(RunsFilter(run_ids=ids))
        return runs if len(runs) == len(ids) and all(r.is_finished for r in runs) else None

    runs = wait_for(finished, f"{len(ids)} runs to finish", timeout)
    by_id = {r.run_id: r for r in runs}
    return [by_id[i] for i in ids]


def intervals(instance: Instance, run_ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """``run_id -> (RUN_START time, end time)`` from the event log."""
    ends = {EventType.RUN_SUCCESS, EventType.RUN_FAILURE, EventType.RUN_CANCELED}
    found = {}
    for run_id in run_ids:
        events = instance.all_logs(run_id, of_type={EventType.RUN_START, *ends})
        start = [e.timestamp for e in events if e.event_type is EventType.RUN_START]
        end = [e.timestamp for e in events if e.event_type in ends]
        if start and end:
            found[run_id] = (start[0], end[-1])
    return found


def max_overlap(spans: Iterable[tuple[float, float]]) -> int:
    """The most intervals open at one instant."""
    spans = list(spans)
    points = sorted(
        [(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda p: (p[0], p[1])
    )  # an end before a start at the same time
    most = open_now = 0
    for _, step in points:
        open_now += step
        most = max(most, open_now)
    return most


def starts(instance: Instance, run_id: str) -> int:
    """How many times the run was started (RUN_START events)."""
    return len(instance.all_logs(run_id, of_type=EventType.RUN_START))


def statuses(runs: Iterable[Run]) -> list[RunStatus]:
    return [r.status for r in runs]
