"""The multiprocess executor: per-step cost on a chain, and concurrency against the ideal.

1. A chain of 20 trivial assets (each adds one to the previous), ``execute_job`` with the
   multiprocess executor, default filesystem IO manager, real SQLite instance in a temporary
   directory. Per step = the whole ``execute_job`` call (planning, recording, starting the
   worker pool, every step, stopping the pool) divided by 20. "cold" is the first run in a
   fresh Python process (the fork server starts too; measured in 3 fresh processes), "warm"
   a later run in the same process (median of 5). Budget: <= 30 ms per step (Dagster 1.13.27:
   2,106 ms per step, one process per step).
2. 50 independent steps, each sleeping 0.2 s, ``max_concurrent=2``: the wall time of
   ``execute_job`` against the ideal, the sum of the steps' own durations (from their
   STEP_SUCCESS events) divided by 2. Budget: within 1.1x.

Run: ``.venv/bin/python benchmarks/bench_multiprocess.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import headwater as hw

CHAIN_LENGTH = 20
INDEPENDENT = 50
SLEEP = 0.2
WARM_RUNS = 5
COLD_RUNS = 3


def _link(i: int) -> Any:
    if i == 0:

        def first() -> int:
            return 1

        return hw.asset(name="link0")(first)

    def fn(previous: int) -> int:
        return previous + 1

    return hw.asset(name=f"link{i}", ins={"previous": hw.AssetIn(key=f"link{i - 1}")})(fn)


def _sleeper(i: int) -> Any:
    def fn() -> int:
        time.sleep(SLEEP)
        return i

    return hw.asset(name=f"sleep{i}")(fn)


CHAIN = [_link(i) for i in range(CHAIN_LENGTH)]
SLEEPERS = [_sleeper(i) for i in range(INDEPENDENT)]
defs = hw.Definitions(
    assets=[*CHAIN, *SLEEPERS],
    jobs=[
        hw.define_asset_job("chain", selection=[a.key for a in CHAIN],
                            executor_def=hw.multiprocess_executor),
        hw.define_asset_job("independent", selection=SLEEPERS,
                            executor_def=hw.multiprocess_executor.configured(
                                {"max_concurrent": 2})),
    ],
)  # fmt: skip


def chain_job() -> Any:
    return defs.get_job_def("chain")


def independent_job() -> Any:
    return defs.get_job_def("independent")


def time_chain(instance: hw.Instance) -> float:
    """Seconds of one ``execute_job`` of the chain."""
    started = time.perf_counter()
    result = hw.execute_job(hw.reconstructable(chain_job), instance=instance)
    elapsed = time.perf_counter() - started
    assert result.success and result.output_for_node(f"link{CHAIN_LENGTH - 1}") == CHAIN_LENGTH
    return elapsed


def cold_chain_once() -> None:
    """In a fresh process: print the seconds of a first run (fork server start included), the
    CPU seconds of this process during it, and those of the fork server and its workers."""
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        cpu = time.process_time()
        wall = time_chain(instance)
        cpu = time.process_time() - cpu
        instance.dispose()
    print(wall, cpu, _fork_server_tree_cpu())


def _fork_server_tree_cpu() -> float:
    """CPU seconds of the fork server and of the workers it has reaped (Linux ``/proc``)."""
    from multiprocessing import forkserver

    pid = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return float("nan")
    time.sleep(0.2)  # the last worker is reaped by the fork server
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    colds, cpus = [], []
    for _ in range(COLD_RUNS):
        out = subprocess.run([sys.executable, __file__, "--cold-chain"], check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
        wall, parent_cpu, tree_cpu = (float(x) for x in out.strip().splitlines()[-1].split())
        colds.append(wall)
        cpus.append((parent_cpu, tree_cpu))
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        time_chain(instance)  # warm-up: fork server, imports
        warms = [time_chain(instance) for _ in range(WARM_RUNS)]
        ratios, walls, ideals = [], [], []
        for _ in range(3):
            started = time.perf_counter()
            result = hw.execute_job(hw.reconstructable(independent_job), instance=instance)
            wall = time.perf_counter() - started
            assert result.success
            busy = sum(e.data["duration_ms"] for e in result.get_step_success_events()) / 1000
            ideal = busy / 2
            ratios.append(wall / ideal)
            walls.append(wall)
            ideals.append(ideal)
        instance.dispose()
    cold = statistics.median(colds) / CHAIN_LENGTH * 1000
    warm = statistics.median(warms) / CHAIN_LENGTH * 1000
    parent_cpu = statistics.median(c for c, _ in cpus) * 1000
    tree_cpu = statistics.median(t for _, t in cpus) * 1000
    print(
        f"multiprocess executor, {CHAIN_LENGTH}-asset chain: {cold:.1f} ms per step cold (first "
        f"run in a fresh process, fork server start included; runs "
        f"{', '.join(f'{c * 1000:.0f}' for c in colds)} ms; CPU {parent_cpu:.0f} ms in the run's "
        f"process, {tree_cpu:.0f} ms in the fork server and its workers), {warm:.1f} ms per step "
        f"warm (best {min(warms) / CHAIN_LENGTH * 1000:.1f} ms) (budget 30 ms; Dagster 2,106 ms)"
    )
    best = min(range(3), key=lambda i: ratios[i])
    print(
        f"multiprocess executor, {INDEPENDENT} independent {SLEEP:g} s steps, max_concurrent=2: "
        f"{statistics.median(ratios):.3f}x the ideal (median of 3; best {ratios[best]:.3f}x: "
        f"{walls[best]:.2f} s for an ideal of {ideals[best]:.2f} s) (budget 1.1x)"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--cold-chain"]:
        cold_chain_once()
    else:
        main()
