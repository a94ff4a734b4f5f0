"""Benchmark: latest materialization of 10,000 assets from SQLite storage (budget 50 ms).

Stores 3 materializations (with a little metadata) for each of 10,000 assets in a fresh
SQLite instance in a temporary directory, then times
``Storage.get_latest_materialization_records`` for all 10,000 keys and prints the median of
several runs.

Run: ``python benchmarks/bench_latest_materializations.py``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from headwater.declarations.results import AssetMaterialization
from headwater.events.records import EventLogEntry, materialization_data
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.keys import AssetKey
from headwater.storage.records import RunStatus

ASSETS = 10_000
HISTORY = 3
REPEATS = 11
BUDGET_MS = 50.0


def _populate(instance: Instance, keys: list[AssetKey]) -> None:
    for generation in range(HISTORY):
        run = instance.create_run(job_name="__asset_job", status=RunStatus.STARTED)
        events = [
            EventLogEntry(
                run_id=run.run_id,
                timestamp=time.time(),
                event_type=EventType.ASSET_MATERIALIZATION,
                job_name=run.job_name,
                step_key=key.to_python_identifier(),
                asset_key=key,
                message=f"Materialized value {key.to_user_string()}.",
                data=materialization_data(
                    AssetMaterialization(
                        key, metadata={"rows": 1000 + generation, "path": f"/data/{key}.parquet"}
                    )
                ),
            )
            for key in keys
        ]
        for start in range(0, len(events), 1000):
            instance.store_events(events[start : start + 1000])


def main() -> float:
    """Run the benchmark and print its figure; returns the median in milliseconds."""
    keys = [AssetKey(["warehouse", f"group_{i % 50}", f"asset_{i}"]) for i in range(ASSETS)]
    with tempfile.TemporaryDirectory() as home, Instance.from_path(home) as instance:
        _populate(instance, keys)
        storage = instance.storage
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            latest = storage.get_latest_materialization_records(keys)
            timings.append((time.perf_counter() - start) * 1000)
            if len(latest) != ASSETS:
                raise SystemExit(f"expected {ASSETS} records, got {len(latest)}")
    median = statistics.median(timings)
    print(
        f"latest materialization of {ASSETS:,} assets: {median:.1f} ms (budget {BUDGET_MS:.0f} ms)"
    )
    return median


if __name__ == "__main__":
    sys.exit(0 if main() <= BUDGET_MS else 1)
