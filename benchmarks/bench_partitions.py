"""Partitions definitions at scale: 100,000+ hourly partitions and a daily x region product.

Figures (median of 5 repetitions, each on a fresh definition unless noted):

1. build an ``HourlyPartitionsDefinition`` spanning 2010-2022 in Europe/Berlin (105,192
   partitions, DST changes included) and list all its keys; listing again (cached);
2. ``has_partition_key`` and ``time_window_for_partition_key`` per second on it, and
   ``get_partition_keys_in_range`` for 1,000-key ranges per second;
3. a ``MultiPartitionsDefinition`` of daily partitions over 2013 x 10 regions: build and list
   its 3,650 keys.

No budget is asserted: the issue asks for the figures (docs/performance.md records them).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from headwater.declarations.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

RUNS = 5
LOOKUPS = 20_000
RANGES = 200


def median_seconds(work: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def hourly() -> HourlyPartitionsDefinition:
    return HourlyPartitionsDefinition(
        start_date="2010-01-01-00:00", end_date="2022-01-01-00:00", timezone="Europe/Berlin"
    )


def per_second(count: int, work: Callable[[], object]) -> float:
    return count / median_seconds(work)


def main() -> None:
    partitions_def = hourly()
    keys = partitions_def.get_partition_keys()
    build_and_list = median_seconds(lambda: hourly().get_partition_keys())
    cached = median_seconds(partitions_def.get_partition_keys)
    print(f"hourly partitions, 2010-2022, Europe/Berlin: {len(keys):,} keys")
    print(f"  build + list all keys          {build_and_list * 1000:8.1f} ms")
    print(f"  list all keys again (cached)   {cached * 1000:8.1f} ms")

    rng = random.Random(7)
    probes = [rng.choice(keys) for _ in range(LOOKUPS // 2)]
    probes += [f"{key[:-5]}30:00" for key in probes]  # not keys: wrong minute
    has_key = per_second(len(probes), lambda: [partitions_def.has_partition_key(k) for k in probes])
    windows = per_second(
        len(probes) // 2,
        lambda: [partitions_def.time_window_for_partition_key(k) for k in probes[: LOOKUPS // 2]],
    )
    starts = [rng.randrange(len(keys) - 1000) for _ in range(RANGES)]
    ranges = [PartitionKeyRange(keys[i], keys[i + 999]) for i in starts]
    in_range = per_second(
        RANGES, lambda: [partitions_def.get_partition_keys_in_range(r) for r in ranges]
    )
    print(f"  has_partition_key              {has_key:10,.0f} /s (half of them misses)")
    print(f"  time_window_for_partition_key  {windows:10,.0f} /s")
    print(f"  1,000-key range lookups        {in_range:10,.0f} /s")

    regions = StaticPartitionsDefinition([f"region-{i}" for i in range(10)])

    def multi() -> list[str]:
        days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
        return list(
            MultiPartitionsDefinition({"date": days, "region": regions}).get_partition_keys()
        )

    multi_keys = multi()
    print(f"multi partitions, daily 2013 x 10 regions: {len(multi_keys):,} keys")
    print(f"  build + list all keys          {median_seconds(multi) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
