"""Cost of a skipped step with ``skip_unchanged=True`` on an unchanged 300-asset chain.

Materializes the chain (each asset depends on the previous two, all with a code version) once
into a SQLite instance in a temporary directory, then times re-materializing it with
``skip_unchanged=True``: every step is skipped and recorded as such. Median of 5 runs.
Budget: <= 1 ms per skipped step.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from _chain import chain_of_assets

import headwater as hw

STEPS = 300
RUNS = 5


def main() -> None:
    assets = chain_of_assets(STEPS)
    with tempfile.TemporaryDirectory() as home:
        instance = hw.Instance.from_path(home)
        hw.materialize(assets, instance=instance)
        hw.materialize(assets, instance=instance, skip_unchanged=True)  # warm-up
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = hw.materialize(assets, instance=instance, skip_unchanged=True)
            timings.append(time.perf_counter() - started)
        skipped = len(result.filter_events(hw.EventType.STEP_SKIPPED))
        instance.dispose()
    assert skipped == STEPS, skipped
    per_step = statistics.median(timings) / STEPS * 1000
    print(
        f"skip_unchanged on an unchanged {STEPS}-asset chain: {per_step:.2f} ms per skipped step "
        f"(budget 1 ms; best {min(timings) / STEPS * 1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
