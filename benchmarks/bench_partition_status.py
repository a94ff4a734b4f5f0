"""Partition status of one asset with 100,000 materialized partitions (budget 200 ms).

Stores one materialization (plus its planned event) for each of 100,000 hourly partitions of
one asset in a SQLite instance in a temporary directory, then times
``Instance.get_asset_partitions_summary`` (index read + status of every partition key of the
definition) followed by ``ranges()`` (the compact summary the CLI prints). Median of 7 runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time

from headwater.declarations.partitions import HourlyPartitionsDefinition
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.keys import AssetKey

PARTITIONS = 100_000
REPEATS = 7
BUDGET_MS = 200.0


def main() -> None:
    hourly = HourlyPartitionsDefinition(start_date="2010-01-01-00:00", end_date="2021-06-01-00:00")
    keys = list(hourly.get_partition_keys())[:PARTITIONS]
    asset = AssetKey(["warehouse", "events"])
    with tempfile.TemporaryDirectory() as home, Instance.from_path(home) as instance:
        run = instance.create_run(job_name="backfill")
        for start in range(0, len(keys), 5000):
            batch = []
            for key in keys[start : start + 5000]:
                for kind in (
                    EventType.ASSET_MATERIALIZATION_PLANNED,
                    EventType.ASSET_MATERIALIZATION,
                ):
                    batch.append(
                        EventLogEntry(run_id=run.run_id, timestamp=time.time(), event_type=kind,
                                      asset_key=asset, partition=key)
                    )  # fmt: skip
            instance.store_events(batch)
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            status = instance.get_asset_partitions_summary(asset, hourly)
            ranges = status.ranges()
            timings.append((time.perf_counter() - started) * 1000)
        materialized = status.counts()["MATERIALIZED"]
    print(
        f"partition status, 1 asset x {materialized:,} materialized partitions "
        f"({len(hourly.get_partition_keys()):,} in the definition, {len(ranges)} ranges): "
        f"{statistics.median(timings):.0f} ms (budget {BUDGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
