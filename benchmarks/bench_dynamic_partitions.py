"""Benchmark: adding 100,000 dynamic partitions to SQLite storage (budget 5 s).

Opens a fresh SQLite instance in a temporary directory and times, through the public
``Instance`` methods:

- ``add_dynamic_partitions`` of 100,000 new keys in one call (the budget);
- adding the same 100,000 keys again plus one new key (every existing key is ignored);
- ``get_dynamic_partitions`` listing all of them (median of several runs);
- ``has_dynamic_partition`` for 1,000 keys (median time per check).

Run: ``python benchmarks/bench_dynamic_partitions.py``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from headwater.instance.instance import Instance

KEYS = 100_000
CHECKS = 1_000
REPEATS = 5
BUDGET_S = 5.0


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> float:
    """Run the benchmark and print its figures; returns the seconds to add 100,000 keys."""
    keys = [f"customer-{i:06d}" for i in range(KEYS)]
    with tempfile.TemporaryDirectory() as home, Instance.from_path(home) as instance:
        add = _timed(lambda: instance.add_dynamic_partitions("customers", keys))
        again = _timed(lambda: instance.add_dynamic_partitions("customers", [*keys, "new"]))
        listing = statistics.median(
            _timed(lambda: instance.get_dynamic_partitions("customers")) for _ in range(REPEATS)
        )
        stored = instance.get_dynamic_partitions("customers")
        if len(stored) != KEYS + 1 or stored[-1] != "new":
            raise SystemExit(f"expected {KEYS + 1:,} keys ending in 'new', got {len(stored):,}")
        probes = keys[:: KEYS // CHECKS]
        checks = []
        for key in probes:
            start = time.perf_counter()
            instance.has_dynamic_partition("customers", key)
            checks.append(time.perf_counter() - start)
        check = statistics.median(checks)
    print(f"adding {KEYS:,} dynamic partitions: {add:.2f} s (budget {BUDGET_S:.0f} s)")
    print(f"adding them again plus one new key: {again:.2f} s")
    print(f"listing {KEYS + 1:,} dynamic partitions: {listing * 1000:.0f} ms")
    print(f"checking membership of one key: {check * 1e6:.0f} µs (median of {len(probes):,})")
    return add


if __name__ == "__main__":
    sys.exit(0 if main() <= BUDGET_S else 1)
