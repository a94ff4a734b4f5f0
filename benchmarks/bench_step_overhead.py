"""Per-step overhead of in-process materialization with a persisted SQLite (and PostgreSQL)
event log.

A chain of 300 trivial assets (each depends on the previous two; type checks on every input
and output), once plain and once with an asset check evaluated in every step; default
filesystem IO manager, real SQLite instance in a temporary HEADWATER_HOME. Prints the median of
5 runs, and their median CPU time (``time.process_time``, this process's own work including
its system calls; on a shared machine it leaves out the time spent waiting for a CPU).
Budget: <= 2 ms per step (Dagster 1.13.27 measured 88-121 ms per step here). Then the same on
PostgreSQL (a scratch database on $HEADWATER_TEST_POSTGRES_URL, default the local server;
skipped when none answers; ``--backend sqlite|postgres`` runs one). Budget: <= 3 ms per step.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from _chain import chain_of_assets, chain_with_checks

import headwater as hw
from headwater.testing.postgres import scratch_database, server_unavailable_reason

STEPS = 300
RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    backend = parser.parse_args().backend
    if backend in ("sqlite", "both"):
        measure("", chain_of_assets(STEPS), expected_checks=0)
        measure(" with an asset check per step", chain_with_checks(STEPS), expected_checks=STEPS)
    if backend in ("postgres", "both"):
        reason = server_unavailable_reason()
        if reason is not None:
            print(f"PostgreSQL: skipped ({reason})")
            return
        measure("", chain_of_assets(STEPS), expected_checks=0, postgres=True)
        measure(
            " with an asset check per step",
            chain_with_checks(STEPS),
            expected_checks=STEPS,
            postgres=True,
        )


@contextlib.contextmanager
def instance_home(postgres: bool) -> Iterator[str]:
    """A temporary instance directory, on a scratch PostgreSQL database if asked."""
    with tempfile.TemporaryDirectory() as home:
        if not postgres:
            yield home
            return
        with scratch_database(prefix="headwater_bench") as url:
            Path(home, "headwater.yaml").write_text(f"storage:\n  postgres:\n    url: '{url}'\n")
            yield home


def measure(label: str, assets: list[object], expected_checks: int, postgres: bool = False) -> None:
    """Time materializing ``assets`` and print the per-step figure."""
    with instance_home(postgres) as home:
        instance = hw.Instance.from_path(home)
        hw.materialize(assets, instance=instance)  # warm-up: imports, schema, files
        timings, cpu = [], []
        for _ in range(RUNS):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = hw.materialize(assets, instance=instance)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert result.success
        events = len(instance.all_logs(result.run_id))
        checks = len(result.filter_events(hw.EventType.ASSET_CHECK_EVALUATION))
        assert checks == expected_checks, checks
        instance.dispose()
    per_step = statistics.median(timings) / STEPS * 1000
    cpu_per_step = statistics.median(cpu) / STEPS * 1000
    database, budget = ("PostgreSQL", 3) if postgres else ("SQLite", 2)
    print(
        f"in-process materialize, {STEPS}-asset chain{label}, {database} event log: "
        f"{per_step:.2f} ms per step (budget {budget} ms; {events} events per run; "
        f"best {min(timings) / STEPS * 1000:.2f} ms; CPU {cpu_per_step:.2f} ms)"
    )


if __name__ == "__main__":
    main()
