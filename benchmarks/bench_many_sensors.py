"""200 sensors at a 1 s interval, one of them hanging, in a real daemon process.

A code location of 199 sensors that skip at once and one that sleeps forever, all RUNNING with
``minimum_interval_seconds=1``; ``headwater daemon run -f defs.py`` with the default 8 sensor
workers and a 5 s evaluation timeout, on a real SQLite instance, for ``--seconds`` seconds.
Printed: the ticks per sensor, the gaps between two ticks of one sensor (median, 90th
percentile, max; the goal: every sensor but the hanging one still ticks every second), the
hanging sensor's ticks (each fails at the timeout, or at once while its evaluation still holds
its code server's thread), and the CPU seconds the daemon and its code server used.
"""

from __future__ import annotations

import argparse
import itertools
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
from headwater.storage.instigator_records import InstigatorType, TickStatus

DEFS = """
    import time
    from headwater import (DefaultSensorStatus, Definitions, SkipReason, asset,
                           define_asset_job, sensor)

    @asset
    def one() -> int:
        return 1

    job = define_asset_job("one_job", selection=[one])
    RUNNING = DefaultSensorStatus.RUNNING

    def quick(index):
        @sensor(name=f"s{index:03d}", job=job, minimum_interval_seconds=1, default_status=RUNNING)
        def _sensor(context):
            return SkipReason("nothing new")
        return _sensor

    @sensor(job=job, minimum_interval_seconds=1, default_status=RUNNING)
    def hangs(context):
        time.sleep(3600)

    defs = Definitions(assets=[one], jobs=[job], sensors=[quick(i) for i in range(199)] + [hangs])
"""
YAML = "daemon: {sensor_timeout_seconds: 5}\n"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project, home = Path(tmp) / "project", Path(tmp) / "home"
        project.mkdir()
        home.mkdir()
        (home / "headwater.yaml").write_text(YAML)
        (project / "defs.py").write_text(textwrap.dedent(DEFS))
        env = {**os.environ}
        env.pop("HEADWATER_HOME", None)
        daemon = subprocess.Popen(
            [sys.executable, "-m", "headwater", "--home", str(home), "daemon", "run",
             "-f", "defs.py"], cwd=project, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        instance = hw.Instance.from_path(home)
        try:
            deadline = time.monotonic() + 120
            while len(instance.storage.get_instigator_states(InstigatorType.SENSOR)) < 200:
                if time.monotonic() > deadline:
                    raise SystemExit("the sensors never ticked")
                time.sleep(0.2)
            servers = _children(daemon.pid)
            cpu_before = [_cpu_seconds(p) for p in [daemon.pid, *servers]]
            started = time.time()
            time.sleep(args.seconds)
            ended = time.time()
            pids = [daemon.pid, *servers]
            cpu = [_cpu_seconds(p) - c for p, c in zip(pids, cpu_before, strict=True)]
            gaps, counts, hung = [], [], []
            for state in instance.storage.get_instigator_states(InstigatorType.SENSOR):
                ticks = instance.storage.get_ticks(state.instigator, after=started, before=ended)
                if state.instigator.name == "hangs":
                    hung = ticks
                    continue
                times = sorted(t.timestamp for t in ticks)
                counts.append(len(times))
                gaps += [b - a for a, b in itertools.pairwise(times)]
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=60)
            instance.dispose()
    gaps.sort()
    print(f"{len(counts)} sensors over {args.seconds:g} s: ticks per sensor min "
          f"{min(counts)}, median {statistics.median(counts):g}")  # fmt: skip
    print(f"gap between two ticks of one sensor: median {statistics.median(gaps):.3f} s, "
          f"p90 {gaps[int(len(gaps) * 0.9)]:.3f} s, max {gaps[-1]:.3f} s")  # fmt: skip
    failed = sum(1 for t in hung if t.status is TickStatus.FAILURE)
    print(f"the hanging sensor: {len(hung)} ticks, {failed} FAILURE")
    print(f"CPU: daemon {cpu[0]:.1f} s, code server {sum(cpu[1:]):.1f} s "
          f"over {args.seconds:g} s")  # fmt: skip


if __name__ == "__main__":
    main()
