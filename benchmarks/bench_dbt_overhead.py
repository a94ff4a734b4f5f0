"""Orchestration overhead of a ``dbt build`` of 50 models: headwater vs. dbt directly.

Generates a 50-model project (``_dbt_project.py``: 5 layers of 10 one-row views, 1-3 refs
each) on a DuckDB file and builds it once (tables and partial parse in place). Then, in
alternation, times:

- **dbt directly**: ``dbt build`` of the project in a subprocess, as a user runs it, and the
  same with the flags headwater adds (JSON log at debug level, a fresh target directory
  reusing the project's partial parse): the overheads are over the latter, so they measure
  headwater, not dbt's logging;
- **headwater, in-process**: ``materialize([dbt assets])`` in one long-lived process with a
  persisted SQLite instance: the dbt step runs the same ``dbt build`` (through
  ``DbtCliResource``: precise selection, JSON log parsed event by event, a materialization per
  model recorded in the event log);
- **headwater, new process**: ``headwater materialize -f defs.py`` in a new process
  (interpreter, code location loading, instance, run);
- **headwater, launched**: ``headwater asset launch -f defs.py --select '*' --now``, which
  records the run and starts a ``headwater run-worker`` process for it, until the instance
  shows the run finished (polled every 20 ms).

Prints the median of 5 of each. The overhead of a headwater run is its wall time minus the
lifetime of its dbt process (measured by the invocation), median of 5: on this shared machine
two dbt builds of the same project differ by seconds, far more than the overhead, so the
difference from the direct runs (also printed) is only indicative. Budget: <= 1 s in-process
and launched (Dagster 1.13.27 with dagster-dbt 0.29.27 measured
12.5 s directly, 22.9 s in-process (+10.4 s) and 29.2 s as a multiprocess job (+16.7 s) on
this kind of machine).
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
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _dbt_project import generate

RUNS = 5
BUDGET_S = 1.0
LAYERS, PER_LAYER = 5, 10

DEFS = textwrap.dedent(
    """
    import os

    import headwater as hw
    from headwater.integrations.dbt import DbtCliResource, DbtProject, dbt_assets

    project = DbtProject({root!r})

    @dbt_assets(manifest=project.manifest_path)
    def bench(context: hw.AssetExecutionContext, dbt: DbtCliResource):
        invocation = dbt.cli(["build"], context=context)
        yield from invocation.stream()
        with open(os.environ["BENCH_DBT_SECONDS"], "a") as file:  # how long dbt itself ran
            file.write(f"{{invocation.elapsed_seconds}}\\n")

    defs = hw.Definitions(assets=[bench], resources={{"dbt": DbtCliResource(project_dir=project)}})
    """
)


def _env(home: Path) -> dict[str, str]:
    # Bytecode caching on, as in an installed deployment (this machine's shell turns it off).
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "HEADWATER_HOME": str(home),
    }


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    from headwater.integrations.dbt.process import dbt_environment, resolve_dbt_executable

    dbt = resolve_dbt_executable()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "bench", layers=LAYERS, per_layer=PER_LAYER)
        home = Path(tmp) / "home"
        home.mkdir()
        seconds_file = Path(tmp) / "dbt-seconds.txt"
        os.environ["BENCH_DBT_SECONDS"] = str(seconds_file)
        env = _env(home)
        dbt_env = dbt_environment()
        direct_cmd = [dbt, "build", "--project-dir", str(root), "--profiles-dir", str(root)]
        subprocess.run(direct_cmd, env=dbt_env, cwd=root, check=True, capture_output=True)
        flagged_env = {
            **dbt_env, "DBT_PARTIAL_PARSE_FILE_PATH": str(root / "target" / "partial_parse.msgpack")
        }

        def flagged_cmd() -> list[str]:
            target = Path(tempfile.mkdtemp(dir=tmp))
            return [*direct_cmd, "--log-format", "json", "--log-level", "debug", "--target-path",
                    str(target), "--log-path", str(target), "--select", "fqn:*"]  # fmt: skip

        (root / "defs.py").write_text(DEFS.format(root=str(root)))
        process_cmd = [sys.executable, "-m", "headwater", "materialize", "-f", "defs.py"]
        launch_cmd = [sys.executable, "-m", "headwater", "asset", "launch", "-f", "defs.py",
                      "--select", "*", "--now"]  # fmt: skip

        os.environ["HEADWATER_HOME"] = str(home)
        sys.path.insert(0, str(root))
        from defs import defs  # type: ignore[import-not-found]

        import headwater as hw

        instance = hw.Instance.get()
        _in_process(defs, instance)  # warm-up: imports and the first run's one-time costs
        _timed(process_cmd, env, root)  # writes the bytecode
        plain, direct, in_process, new_process, launched = [], [], [], [], []
        dbt_seconds: dict[str, list[float]] = {"in-process": [], "new process": [], "launched": []}

        def dbt_ran(kind: str) -> None:
            dbt_seconds[kind].append(float(seconds_file.read_text().split()[-1]))

        for _ in range(args.runs):
            plain.append(_timed(direct_cmd, dbt_env, root))
            direct.append(_timed(flagged_cmd(), flagged_env, root))
            in_process.append(_in_process(defs, instance))
            dbt_ran("in-process")
            new_process.append(_timed(process_cmd, env, root))
            dbt_ran("new process")
            launched.append(_launched(launch_cmd, env, root, instance))
            dbt_ran("launched")
        instance.dispose()
    _report(plain, direct, {"in-process": in_process, "new process": new_process,
                            "launched": launched}, dbt_seconds)  # fmt: skip


def _in_process(defs: object, instance: object) -> float:
    import headwater as hw

    started = time.perf_counter()
    result = hw.materialize(defs.assets, resources=defs.resources, instance=instance)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    assert result.success and len(result.get_asset_materialization_events()) == LAYERS * PER_LAYER
    return elapsed


def _launched(command: list[str], env: dict[str, str], cwd: Path, instance: object) -> float:
    import headwater as hw

    started = time.perf_counter()
    out = subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True, text=True)
    run_id = out.stdout.split()[-1]
    done = {hw.RunStatus.SUCCESS, hw.RunStatus.FAILURE, hw.RunStatus.CANCELED}
    while True:
        run = instance.get_run_by_id(run_id)  # type: ignore[attr-defined]
        if run is not None and run.status in done:
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    assert run.status is hw.RunStatus.SUCCESS, run.status
    return elapsed


def _report(
    plain: list[float],
    direct: list[float],
    headwater: dict[str, list[float]],
    dbt_seconds: dict[str, list[float]],
) -> None:
    models = LAYERS * PER_LAYER
    print(f"dbt build of {models} models (dbt-duckdb), median of {len(direct)}:")
    print(f"  dbt directly (dbt build)           {statistics.median(plain):6.2f} s")
    print(f"  dbt directly, headwater's flags    {statistics.median(direct):6.2f} s")
    for kind, values in headwater.items():
        own = statistics.median(h - d for h, d in zip(values, dbt_seconds[kind], strict=True))
        versus = statistics.median(values) - statistics.median(direct)
        verdict = "OK" if own <= BUDGET_S else "OVER"
        print(
            f"  headwater, {kind:<22}{statistics.median(values):6.2f} s   overhead over its dbt "
            f"process {own:+.2f} s (budget <= {BUDGET_S:.1f} s: {verdict}); median vs. "
            f"direct {versus:+.2f} s"
        )


if __name__ == "__main__":
    main()
