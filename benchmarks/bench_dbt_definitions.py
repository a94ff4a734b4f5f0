"""2,000 dbt models -> asset definitions, in a fresh process, whole.

Generates the benchmark project (``_dbt_project.py``: 20 layers of 100 one-row views, 1-3
refs each), parses it once with ``dbt parse``, then times fresh interpreters that each run an
ordinary code location: ``import headwater``, ``@dbt_assets(manifest=...)`` over the whole
project, ``Definitions(assets=..., resources={"dbt": DbtCliResource(...)})`` and
``resolve_asset_graph()``. The figure is the wall time of the whole process, interpreter
start-up included (what ``headwater materialize`` or a code server pays to load the
location), median of 5 after one that writes the bytecode (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment); the script also prints the time inside the process by phase.

Budget: <= 1.5 s (Dagster 1.13.27 with dagster-dbt 0.29.27 measured 3.6-5.3 s on this kind of
machine for the same project). ``--keep DIR`` reuses (or keeps) the generated project.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from _dbt_project import generate, parse

RUNS = 5
BUDGET_S = 1.5

SCRIPT = textwrap.dedent(
    """
    import sys, time
    t0 = time.perf_counter()
    import headwater as hw
    from headwater.integrations.dbt import DbtCliResource, DbtProject, dbt_assets
    t1 = time.perf_counter()
    project = DbtProject(sys.argv[1])
    project.prepare_if_dev()  # up to date: only stats, dbt is not started

    @dbt_assets(manifest=project.manifest_path)
    def bench(context: hw.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    t2 = time.perf_counter()
    defs = hw.Definitions(assets=[bench], resources={"dbt": DbtCliResource(project_dir=project)})
    graph = defs.resolve_asset_graph()
    t3 = time.perf_counter()
    assert len(graph.all_keys) == int(sys.argv[2]), len(graph.all_keys)
    print(t1 - t0, t2 - t1, t3 - t2)
    """
)


def _env() -> dict[str, str]:
    # Bytecode caching on, as in an installed deployment (this machine's shell turns it off).
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(root: Path, models: int) -> None:
    walls, cpus, phases = [], [], []
    for sample in range(RUNS + 1):
        started, cpu = time.perf_counter(), _children_cpu()
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(root), str(models)],
            env=_env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        if sample == 0:
            continue  # writes the bytecode
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
        phases.append([float(x) for x in out.stdout.split()])
    wall = statistics.median(walls)
    imports, decorate, definitions = (statistics.median(p[i] for p in phases) for i in range(3))
    size = (root / "target" / "manifest.json").stat().st_size / 1e6
    print(f"{models} dbt models ({size:.1f} MB manifest) -> definitions, fresh process:")
    print(f"  whole process (interpreter start-up included), median of {RUNS}: {wall:.2f} s")
    print(f"    CPU time of the process (less sensitive to a busy machine): "
          f"{statistics.median(cpus):.2f} s")
    print(f"    import headwater + dbt integration  {imports * 1000:7.0f} ms")
    print(f"    @dbt_assets (read manifest, specs)  {decorate * 1000:7.0f} ms")
    print(f"    Definitions + asset graph           {definitions * 1000:7.0f} ms")
    print(f"  budget <= {BUDGET_S:.1f} s: {'OK' if wall <= BUDGET_S else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this directory")
    parser.add_argument("--layers", type=int, default=20)
    parser.add_argument("--per-layer", type=int, default=100)
    args = parser.parse_args()
    models = args.layers * args.per_layer
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "bench"
        if not (root / "target" / "manifest.json").is_file():
            generate(root, layers=args.layers, per_layer=args.per_layer)
            started = time.perf_counter()
            parse(root)
            print(f"(dbt parse of the generated project: {time.perf_counter() - started:.1f} s)")
        measure(root, models)


if __name__ == "__main__":
    main()
