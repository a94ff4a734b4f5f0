"""Fixed cost of one in-process run with a persisted SQLite instance, and the cost per step.

Two views of the same question, "what does a run cost before its first step?":

- **warm**: one process, one open instance; chains of 1, 10, 100 and 1,000 trivial assets
  (:func:`_chain.chain_of_assets`) materialized repeatedly; the medians are fitted by least
  squares to ``fixed + steps * per_step``. This is what a long-lived process (a test suite,
  the daemon, a notebook) pays per run.
- **cold**: a fresh interpreter per sample (what a ``headwater run-worker`` or a one-off script
  pays): ``import headwater`` and declaring one asset, then opening the instance on an existing
  database and the first ``materialize`` of that one asset, each timed separately.

Prints every median, the fit and the budget (fixed cost <= 20 ms, per step <= 2 ms), and a
VM speed figure (5 million additions in a Python loop) to compare runs taken at different
moments on a shared machine. ``--profile`` prints a cProfile of the cold first run instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

sys.path.insert(0, os.path.dirname(__file__))

SIZES = (1, 10, 100, 1000)
COLD_SAMPLES = 5
FIXED_BUDGET_MS = 20.0
STEP_BUDGET_MS = 2.0

COLD = textwrap.dedent(
    """
    import sys, time
    t0 = time.perf_counter()
    sys.path.insert(0, {bench_dir!r})
    import headwater as hw
    from _chain import chain_of_assets
    assets = chain_of_assets(1)
    t1 = time.perf_counter()
    instance = hw.Instance.from_path(sys.argv[1])
    t2 = time.perf_counter()
    result = hw.materialize(assets, instance=instance)
    t3 = time.perf_counter()
    instance.dispose()
    t4 = time.perf_counter()
    assert result.success
    print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
    """
)


def vm_speed() -> float:
    """Seconds for 5 million additions in a Python loop (0.64-0.89 s on the reference VM)."""
    code = compile("total = 0\nfor i in range(5_000_000):\n    total += i\n", "<speed>", "exec")
    started = time.perf_counter()
    exec(code, {})  # at module level, as the reference figure was taken
    return time.perf_counter() - started


def warm(home: str) -> dict[int, float]:
    """Median wall time (s) of a run per chain length, in this process, one open instance."""
    from _chain import chain_of_assets

    import headwater as hw

    medians: dict[int, float] = {}
    instance = hw.Instance.from_path(home)
    try:
        for steps in SIZES:
            assets = chain_of_assets(steps)
            hw.materialize(assets, instance=instance)  # warm-up: imports, files, statements
            timings = []
            for _ in range(3 if steps >= 1000 else 7):
                started = time.perf_counter()
                result = hw.materialize(assets, instance=instance)
                timings.append(time.perf_counter() - started)
                assert result.success
            medians[steps] = statistics.median(timings)
    finally:
        instance.dispose()
    return medians


def fit(medians: dict[int, float]) -> tuple[float, float]:
    """``(fixed, per_step)`` in seconds for ``time = fixed + steps * per_step``.

    Least squares on relative errors (each point weighted by ``1 / time**2``): the sizes span
    three decades, and a plain fit would let the 1,000-step run alone decide the intercept.
    """
    points = [(float(n), t, 1.0 / t**2) for n, t in medians.items()]
    sw = sum(w for _, _, w in points)
    sx = sum(w * x for x, _, w in points)
    sy = sum(w * y for _, y, w in points)
    sxx = sum(w * x * x for x, _, w in points)
    sxy = sum(w * x * y for x, y, w in points)
    slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx)
    return (sy - slope * sx) / sw, slope


def cold(home: str) -> list[list[float]]:
    """Per fresh process: import+declare, open the instance, first run, dispose (seconds)."""
    script = COLD.format(bench_dir=os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", script, home], check=True, capture_output=True)
    samples = []
    for _ in range(COLD_SAMPLES):
        out = subprocess.run(
            [sys.executable, "-c", script, home], check=True, capture_output=True, text=True
        )
        samples.append([float(v) for v in out.stdout.split()])
    return samples


def profile(home: str) -> None:
    """cProfile of opening the instance and the first run of one asset, in a fresh process."""
    script = COLD.format(bench_dir=os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", script, home], check=True, capture_output=True)
    profiled = script.replace(
        "instance = hw.Instance.from_path",
        "import cProfile, pstats; _p = cProfile.Profile(); _p.enable()\n"
        "instance = hw.Instance.from_path",
    ).replace(
        "t4 = time.perf_counter()",
        "t4 = time.perf_counter(); _p.disable()\n"
        "pstats.Stats(_p).sort_stats('cumulative').print_stats(45)",
    )
    subprocess.run([sys.executable, "-c", profiled, home], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="profile a cold first run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        if args.profile:
            profile(home)
            return
        speed = vm_speed()
        medians = warm(home)
        samples = cold(home)
    fixed, per_step = fit(medians)
    print(f"VM speed: 5M-addition loop {speed:.2f} s (reference VM 0.64-0.89 s)")
    for steps, seconds in medians.items():
        print(
            f"  warm run, {steps:>5}-asset chain: {seconds * 1000:8.1f} ms "
            f"({seconds / steps * 1000:.2f} ms per step)"
        )
    print(
        f"warm fit: fixed cost per run {fixed * 1000:.1f} ms (budget {FIXED_BUDGET_MS:.0f} ms), "
        f"{per_step * 1000:.2f} ms per step (budget {STEP_BUDGET_MS:.0f} ms)"
    )
    columns = list(zip(*samples, strict=True))
    names = ("import headwater + declare", "open instance", "first run", "dispose")
    parts = ", ".join(
        f"{name} {statistics.median(column) * 1000:.0f} ms"
        for name, column in zip(names, columns, strict=True)
    )
    first = statistics.median(s[1] + s[2] + s[3] for s in samples)
    print(
        f"cold 1-asset run in a fresh process (median of {COLD_SAMPLES}): {parts}; "
        f"open + first run + dispose {first * 1000:.0f} ms (budget {FIXED_BUDGET_MS:.0f} ms "
        "for the run's fixed cost)"
    )


if __name__ == "__main__":
    main()
