"""Time of ``import headwater`` in a fresh interpreter (median of 9). Budget: <= 0.15 s."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 9


def main() -> None:
    baseline, timings = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import headwater"], check=True)
        timings.append(time.perf_counter() - started)
    interp = statistics.median(baseline)
    total = statistics.median(timings)
    print(
        f"import headwater: {total - interp:.3f} s over a bare interpreter start "
        f"({total:.3f} s in all; budget 0.15 s)"
    )


if __name__ == "__main__":
    main()
