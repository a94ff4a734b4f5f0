"""Benchmark: one declarative-automation tick (``evaluate_automation_conditions``).

(a) 10,000 unpartitioned assets with ``AutomationCondition.eager()`` in 100 chains of 100,
    every root materialized once before the measured tick (so 100 downstream assets are
    requested), on a real SQLite instance in a temporary directory. Budget: <= 1 s.
(b) 35 daily-partitioned assets over 2,000 partitions with ``eager()`` (a chain, each asset
    depending on the previous one), every partition of every asset materialized (70,000
    materializations written in bulk), then the latest partition of the root re-materialized
    before the measured tick. Budget: <= 2 s.

(c) Memory over 1,000 ticks of the code server's automation sensor tick
    (``evaluate_sensor_tick``) over 200 eager assets in a chain, the root updated every 10
    ticks: the traced Python memory after tick 100 and after tick 1,000 (flat: no growth).

Each figure of (a) and (b) is the wall time of a tick that has a cursor (the evaluations after
the first, which only initialises the state), median of 3, with the definitions already
collected once by the garbage collector (as in a code server that loaded them before its
first tick).

Run: ``python benchmarks/bench_automation_tick.py``
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import headwater as hw
from headwater.events.records import EventLogEntry, materialization_data

EAGER = hw.AutomationCondition.eager()
START = date(2020, 1, 1)
SENSOR = "default_automation_condition_sensor"
NOW = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=2_000, hours=1)


def unpartitioned(chains: int = 100, length: int = 100) -> list[Any]:
    specs = []
    for c in range(chains):
        for i in range(length):
            deps = [f"c{c}_{i - 1}"] if i else []
            specs.append(hw.AssetSpec(f"c{c}_{i}", deps=deps, automation_condition=EAGER))
    return [_materializable(specs)]


def _materializable(specs: list[Any]) -> Any:
    @hw.multi_asset(specs=specs, can_subset=True)
    def all_assets(context: Any) -> Any:
        return None

    return all_assets


def partitioned(n: int = 35) -> tuple[list[Any], Any]:
    daily = hw.DailyPartitionsDefinition(start_date=START.isoformat())
    specs = [
        hw.AssetSpec(
            f"p{i}",
            deps=[f"p{i - 1}"] if i else [],
            partitions_def=daily,
            automation_condition=EAGER,
        )
        for i in range(n)
    ]
    return [_materializable(specs)], daily


def _report(instance: Any, keys: list[str], partitions: list[str | None]) -> None:
    entries = [
        EventLogEntry(
            run_id="",
            timestamp=time.time(),
            event_type=hw.EventType.ASSET_MATERIALIZATION,
            message="",
            asset_key=hw.AssetKey(key),
            partition=p,
            data=materialization_data(hw.AssetMaterialization(asset_key=key, partition=p)),
        )
        for key in keys
        for p in partitions
    ]
    for i in range(0, len(entries), 5_000):
        instance.store_events(entries[i : i + 5_000])


def _tick(defs: Any, instance: Any, cursor: str | None) -> tuple[float, Any]:
    started = time.perf_counter()
    result = hw.evaluate_automation_conditions(defs, instance, cursor=cursor, evaluation_time=NOW)
    return time.perf_counter() - started, result


def measure(defs: Any, instance: Any, update: Any) -> tuple[float, int]:
    _, result = _tick(defs, instance, None)
    # A code server loaded its definitions long before a tick: they are old objects for the
    # garbage collector, not the newest ones it scans first.
    gc.collect()
    times, requested = [], 0
    for _ in range(3):
        update()
        elapsed, result = _tick(defs, instance, result.cursor)
        times.append(elapsed)
        requested = result.total_requested
    return statistics.median(times), requested


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        defs = hw.Definitions(assets=unpartitioned())
        roots = [f"c{c}_0" for c in range(100)]
        seconds, requested = measure(defs, instance, lambda: _report(instance, roots, [None]))
        print(
            f"automation tick, 10,000 unpartitioned eager assets: {seconds:.3f} s "
            f"({requested} requested; budget 1 s)"
        )
        instance.dispose()
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        assets, daily = partitioned()
        defs = hw.Definitions(assets=assets)
        keys = daily.get_partition_keys(current_time=NOW)
        _report(instance, [f"p{i}" for i in range(35)], list(keys))
        seconds, requested = measure(defs, instance, lambda: _report(instance, ["p0"], [keys[-1]]))
        print(
            f"automation tick, 35 assets x {len(keys):,} daily partitions: {seconds:.3f} s "
            f"({requested} requested; budget 2 s)"
        )
        instance.dispose()
    after_100, after_1000 = memory_over_ticks()
    print(
        f"traced memory over 1,000 ticks (200 eager assets): {after_100 / 2**20:.1f} MiB "
        f"after 100 ticks, {after_1000 / 2**20:.1f} MiB after 1,000"
    )


def memory_over_ticks(ticks: int = 1_000) -> tuple[int, int]:
    import tracemalloc

    from headwater.orchestration.automation.sensor_tick import evaluate_sensor_tick

    specs = [hw.AssetSpec(f"a{i}", deps=[f"a{i - 1}"] if i else [], automation_condition=EAGER)
             for i in range(200)]  # fmt: skip
    defs = hw.Definitions(assets=[_materializable(specs)])
    sizes = []
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        cursor = None
        tracemalloc.start()
        for tick in range(ticks):
            if tick % 10 == 0:
                instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="a0"))
            answer = evaluate_sensor_tick(
                defs, instance, location_name="bench", cursor=cursor, sensor_name=SENSOR
            )
            cursor = answer["cursor"]
            if tick + 1 in (100, ticks):
                gc.collect()
                sizes.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        instance.dispose()
    return sizes[0], sizes[1]


if __name__ == "__main__":
    main()
