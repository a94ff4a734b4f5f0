"""The run queue: 100 launched runs through the daemon with ``max_concurrent_runs: 4``.

A code location of one trivial asset in a temporary project, a real SQLite instance in a
temporary HEADWATER_HOME. 100 runs are queued (as ``headwater job launch`` does), then one
``headwater daemon run`` process starts them; the script waits until all have finished, stops
the daemon and reads the event log. It prints:

- the most runs STARTED at once (from the RUN_START and RUN_SUCCESS/FAILURE timestamps; the
  budget: never more than 4), the most in progress (from RUN_STARTING: what the limit counts)
  and how many runs succeeded (budget: all 100);
- the queue's reaction per run: from the moment a run could start (a slot had freed: the i-th
  claim needs i - 3 runs ended) to its claim (RUN_STARTING), median and 90th percentile (the
  queue overhead; budget <= 50 ms per run);
- the daemon's own CPU time per run (dequeues, launches, monitoring, heartbeats);
- the wall time of the 100 runs against the ideal: the sum of the runs' durations / 4.

Processes run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed), one run first to
warm the caches, as an installed package runs.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import headwater
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.orchestration.code_location import load_definitions, resolve_code_location
from headwater.orchestration.launcher import launch_run, wait_for_run
from headwater.orchestration.submission import create_run_for_job
from headwater.storage.records import RunsFilter, RunStatus

RUNS = 100
LIMIT = 4
DEFS = """
    from headwater import Definitions, asset, define_asset_job

    @asset
    def one() -> int:
        return 1

    defs = Definitions(assets=[one], jobs=[define_asset_job("one_job", selection="*")])
"""
YAML = f"""
run_queue: {{max_concurrent_runs: {LIMIT}}}
"""
ENDS = {EventType.RUN_SUCCESS, EventType.RUN_FAILURE, EventType.RUN_CANCELED}


def main() -> None:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="hw-bench-queue-") as tmp:
        root = Path(tmp)
        project, home = root / "project", root / "home"
        project.mkdir()
        home.mkdir()
        (project / "defs.py").write_text(textwrap.dedent(DEFS))
        (home / "headwater.yaml").write_text(YAML)
        origin = resolve_code_location(file="defs.py", working_directory=project).to_origin()
        job = load_definitions(file="defs.py", working_directory=str(project)).get_job_def(
            "one_job"
        )
        with Instance.from_path(home) as instance:
            warm = create_run_for_job(instance, job, location=origin, queued=False)
            launch_run(instance, warm.run_id)
            wait_for_run(instance, warm.run_id, timeout=300)
            ids = [create_run_for_job(instance, job, location=origin).run_id for _ in range(RUNS)]
            started = time.time()
            daemon, cpu = _run_daemon(home, instance, ids)
            wall = time.time() - started
            _report(instance, ids, wall, cpu, daemon)


def _run_daemon(home: Path, instance: Instance, ids: list[str]) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(Path(headwater.__file__).resolve().parents[1])}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "headwater", "--home", str(home), "daemon", "run",
         "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 1800
        while instance.get_runs_count(RunsFilter(run_ids=ids, statuses=_FINISHED)) < len(ids):
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise SystemExit("the runs did not finish (daemon exited or 30 min passed)")
            time.sleep(0.2)
        cpu = _cpu_seconds(daemon.pid)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=120)
    return daemon.returncode, cpu


_FINISHED = [RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _report(instance: Instance, ids: list[str], wall: float, cpu: float, daemon: int) -> None:
    runs = instance.get_runs(RunsFilter(run_ids=ids))
    succeeded = sum(r.status is RunStatus.SUCCESS for r in runs)
    starting, spans = {}, []
    for run_id in ids:
        events = instance.all_logs(run_id)
        times = {e.event_type: e.timestamp for e in events}
        starting[run_id] = times[EventType.RUN_STARTING]
        end = max(e.timestamp for e in events if e.event_type in ENDS)
        spans.append((times[EventType.RUN_START], end, starting[run_id]))
    most = _max_overlap([(s, e) for s, e, _ in spans])
    in_progress = _max_overlap([(c, e) for _, e, c in spans])
    # The i-th claim (i >= LIMIT) could happen once i - LIMIT + 1 runs had ended.
    claims = sorted(starting.values())
    ends = sorted(e for _, e, _ in spans)
    reactions = [claims[i] - ends[i - LIMIT] for i in range(LIMIT, len(claims))]
    reaction_ms = statistics.median(reactions) * 1000
    p90_ms = statistics.quantiles(reactions, n=10)[-1] * 1000
    busy = sum(e - c for s, e, c in spans)
    ideal = busy / LIMIT
    print(
        f"run queue, {RUNS} launched runs, max_concurrent_runs={LIMIT}: "
        f"at most {most} STARTED at once and {in_progress} in progress (STARTING..end; "
        f"budget {LIMIT}); {succeeded}/{RUNS} SUCCESS; "
        f"queue reaction (slot free -> claimed) median {reaction_ms:.0f} ms, p90 "
        f"{p90_ms:.0f} ms per run (budget 50 ms); daemon CPU {cpu / RUNS * 1000:.1f} ms per run; "
        f"wall {wall:.1f} s for an ideal {ideal:.1f} s (claim -> end {busy / RUNS:.2f} s per run "
        f"on average); daemon exit code {daemon}"
    )


def _max_overlap(spans: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    most = now = 0
    for _, step in points:
        now += step
        most = max(most, now)
    return most


if __name__ == "__main__":
    main()
