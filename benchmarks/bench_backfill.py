"""Benchmark: backfill planning and the per-partition overhead of a multi-run backfill.

(a) Planning a backfill of 50 daily-partitioned assets (a chain, each depending on the
    previous two) over 1,000 daily partitions: ``plan_backfill`` from built Definitions to
    the list of run requests (1,000 runs of one partition each, the default policy).
    Median of 5. Budget: <= 1 s. Also printed: the same plus 10 monthly rollups of the daily
    assets (time-window partition mappings between the groups).
(b) Executing a multi-run backfill of 5 trivial daily assets over 200 partitions (200 runs
    of 5 steps) with the default filesystem IO manager on a real SQLite instance in a
    temporary directory: wall time of ``execute_backfill`` divided by the 1,000
    partition-steps. Budget: <= 20 ms per partition-step.

Run: ``python benchmarks/bench_backfill.py``
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from typing import Any

import headwater as hw
from headwater.declarations.partitions import (
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    PartitionKeyRange,
)
from headwater.orchestration.backfills.launch import execute_backfill, launch_backfill
from headwater.orchestration.backfills.plan import plan_backfill
from headwater.storage.backfill_records import BulkActionStatus

START = date(2020, 1, 1)
PLAN_ASSETS, PLAN_PARTITIONS = 50, 1_000
RUN_ASSETS, RUN_PARTITIONS = 5, 200
PLAN_BUDGET_S = 1.0
STEP_BUDGET_MS = 20.0


def daily_chain(n: int, partitions: int) -> list[Any]:
    """``n`` trivial daily assets over ``partitions`` days; asset i loads assets i-1 and i-2."""
    end = START + timedelta(days=partitions)
    daily = DailyPartitionsDefinition(start_date=START.isoformat(), end_date=end.isoformat())
    return [_asset(i, daily) for i in range(n)]


def _asset(i: int, daily: DailyPartitionsDefinition) -> Any:
    parents = [f"a{j}" for j in (i - 1, i - 2) if j >= 0]
    ins = {f"p{k}": hw.AssetIn(key=p) for k, p in enumerate(parents)}

    if not parents:

        def fn() -> int:
            return 1

    elif len(parents) == 1:

        def fn(p0: int) -> int:  # type: ignore[misc]
            return p0 + 1

    else:

        def fn(p0: int, p1: int) -> int:  # type: ignore[misc]
            return p0 + p1

    return hw.asset(name=f"a{i}", ins=ins, partitions_def=daily)(fn)


def _range(partitions: int) -> PartitionKeyRange:
    last = START + timedelta(days=partitions - 1)
    return PartitionKeyRange(START.isoformat(), last.isoformat())


def monthly_rollups(n: int, daily_assets: list[Any], partitions: int) -> list[Any]:
    """``n`` monthly assets, each loading one of the last daily assets."""
    end = START + timedelta(days=partitions)
    monthly = MonthlyPartitionsDefinition(start_date=START.isoformat(), end_date=end.isoformat())
    out = []
    for i in range(n):
        upstream = daily_assets[-1 - i].key

        def rollup(days: dict[str, int]) -> int:
            return sum(days.values())

        ins = {"days": hw.AssetIn(key=upstream)}
        out.append(hw.asset(name=f"monthly_{i}", ins=ins, partitions_def=monthly)(rollup))
    return out


def bench_planning(rollups: int = 0) -> tuple[float, int]:
    """Median seconds to plan 50 assets x 1,000 daily partitions (plus monthly rollups)."""
    assets = daily_chain(PLAN_ASSETS, PLAN_PARTITIONS)
    defs = hw.Definitions(assets=assets + monthly_rollups(rollups, assets, PLAN_PARTITIONS))
    rng = _range(PLAN_PARTITIONS)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        requests = plan_backfill(defs, "*", partition_key_range=rng)
        timings.append(time.perf_counter() - started)
    if rollups == 0 and len(requests) != PLAN_PARTITIONS:
        raise SystemExit(f"expected {PLAN_PARTITIONS} runs, planned {len(requests)}")
    return statistics.median(timings), len(requests)


def bench_execution() -> float:
    """Milliseconds per partition-step of a 5-asset x 200-partition multi-run backfill."""
    defs = hw.Definitions(assets=daily_chain(RUN_ASSETS, RUN_PARTITIONS))
    with tempfile.TemporaryDirectory() as home, hw.Instance.from_path(home) as instance:
        warm = launch_backfill(defs, "*", instance=instance, partition_keys=[START.isoformat()])
        execute_backfill(defs, warm.backfill_id, instance)  # imports, schema, directories
        backfill = launch_backfill(
            defs, "*", instance=instance, partition_key_range=_range(RUN_PARTITIONS)
        )
        started = time.perf_counter()
        done = execute_backfill(defs, backfill.backfill_id, instance)
        took = time.perf_counter() - started
    if done.status is not BulkActionStatus.COMPLETED_SUCCESS:
        raise SystemExit(f"backfill ended {done.status}")
    return took / (RUN_ASSETS * RUN_PARTITIONS) * 1000


def main() -> None:
    """Print both figures."""
    planning, _ = bench_planning()
    print(
        f"backfill planning, {PLAN_ASSETS} assets x {PLAN_PARTITIONS:,} daily partitions: "
        f"{planning * 1000:.0f} ms (budget {PLAN_BUDGET_S * 1000:.0f} ms)"
    )
    with_rollups, runs = bench_planning(rollups=10)
    print(f"  the same plus 10 monthly rollups ({runs:,} runs): {with_rollups * 1000:.0f} ms")
    per_step = bench_execution()
    print(
        f"multi-run backfill, {RUN_ASSETS} assets x {RUN_PARTITIONS} partitions, SQLite: "
        f"{per_step:.2f} ms per partition-step (budget {STEP_BUDGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
