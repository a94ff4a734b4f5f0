"""Definitions + asset graph for 10,000 assets in a plain script, three graph shapes.

Each sample is a fresh interpreter running an ordinary script (the cyclic GC on, no loader):
``import headwater``, decorate 10,000 assets, ``Definitions(assets=...)``, then
``resolve_asset_graph()``. Shapes:

- ``chain``: asset i depends on asset i-1;
- ``fan``: one root, every other asset depends on it;
- ``groups``: 100 groups of 100, each asset depending on up to three random earlier assets
  (the module of ``bench_definitions.py``), with tags and kinds.

Prints the median of 5 processes per shape, split into decorating, ``Definitions`` and the
graph, the median CPU time of the three (``time.process_time``: on a shared machine it leaves
out the time spent waiting for a CPU, so it moves less than the wall time), and the budget
(<= 0.5 s for the three together; Dagster 1.13.27 measured 7.4-15.6 s here). The imports (``import
headwater`` and the first use of ``asset`` and ``Definitions``, which load the definitions
machinery) are timed and printed apart, as in ``bench_definitions.py``. ``--profile SHAPE``
prints a cProfile of one sample instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap

N = 10_000
RUNS = 5
BUDGET_S = 0.5

SCRIPT = textwrap.dedent(
    """
    import random, sys, time
    t0 = time.perf_counter()
    import headwater as hw
    hw.asset, hw.Definitions  # the lazy public API loads the definitions machinery here
    t1 = time.perf_counter()
    shape, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(7)

    def deps_of(i):
        if i == 0:
            return []
        if shape == "chain":
            return [f"asset_{{i - 1}}"]
        if shape == "fan":
            return ["asset_0"]
        return sorted({{f"asset_{{rng.randrange(i)}}" for _ in range(3)}})

    {profile_start}
    c1 = time.process_time()
    assets = []
    for i in range(n):
        def fn() -> None:
            return None

        extra = {{}}
        if shape == "groups":
            extra = dict(
                group_name=f"group_{{i // 100}}",
                tags={{"tier": "gold" if i % 2 else "silver"}},
                kinds={{"duckdb"}},
            )
        assets.append(hw.asset(name=f"asset_{{i}}", deps=deps_of(i), **extra)(fn))
    t2 = time.perf_counter()
    defs = hw.Definitions(assets=assets)
    t3 = time.perf_counter()
    graph = defs.resolve_asset_graph()
    t4 = time.perf_counter()
    c4 = time.process_time()
    {profile_end}
    assert len(graph.all_keys) == n
    print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, c4 - c1)
    """
)

PROFILE_START = "import cProfile, pstats; _p = cProfile.Profile(); _p.enable()"
PROFILE_END = "_p.disable(); pstats.Stats(_p).sort_stats('cumulative').print_stats(40)"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def sample(shape: str) -> list[float]:
    """One fresh process: seconds for import, decorating, Definitions, graph, and the CPU time
    of the last three together."""
    script = SCRIPT.format(profile_start="", profile_end="")
    out = subprocess.run(
        [sys.executable, "-c", script, shape, str(N)],
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return [float(v) for v in out.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("chain", "fan", "groups"), help="profile one shape")
    options = parser.parse_args()
    if options.profile:
        script = SCRIPT.format(profile_start=PROFILE_START, profile_end=PROFILE_END)
        subprocess.run([sys.executable, "-c", script, options.profile, str(N)], env=_env())
        return
    sample("chain")  # write bytecode
    for shape in ("chain", "fan", "groups"):
        samples = [sample(shape) for _ in range(RUNS)]
        imports, decorate, definitions, graph, cpu = (
            statistics.median(column) for column in zip(*samples, strict=True)
        )
        total = statistics.median(s[1] + s[2] + s[3] for s in samples)
        best = min(s[1] + s[2] + s[3] for s in samples)
        print(
            f"{N:,} assets, {shape:<6} shape, plain script: {total:.3f} s (best {best:.3f} s, "
            f"CPU {cpu:.3f} s; decorate {decorate:.3f}, Definitions {definitions:.3f}, "
            f"graph {graph:.3f}; "
            f"importing headwater, asset and Definitions {imports:.3f} s not counted); "
            f"budget {BUDGET_S} s"
        )


if __name__ == "__main__":
    main()
