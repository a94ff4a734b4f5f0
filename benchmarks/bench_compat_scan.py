"""Benchmark: ``headwater compat scan`` of a generated 1,000-file Dagster project.

The project, written to a temporary directory, has 1,000 ``.py`` files of about 60 lines each
in 20 packages, in the shapes real Dagster projects have: ``import dagster as dg`` with
``dg.NAME`` uses (assets, resources, schedules, sensors), ``from dagster import ...`` lists,
``dagster._core.errors`` / ``dagster_duckdb`` / ``dagster_dbt`` imports, and 1 file in 100
with a syntax error. Measured: wall time of ``scan()`` over the directory (reading, parsing and
checking every file), median of 5, and the CLI end to end (``python -m headwater compat scan``
in a fresh process, including interpreter start-up). Budget: <= 2 s for 1,000 files.

Run: ``python benchmarks/bench_compat_scan.py``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from headwater.compat.scan import scan

FILES = 1_000
PACKAGES = 20
BUDGET_S = 2.0

TEMPLATE = '''"""Generated module {i} of a Dagster project."""

import dagster as dg
from dagster import AssetExecutionContext, Definitions, MaterializeResult, asset
from dagster._core.errors import DagsterInvalidDefinitionError
from dagster_duckdb import DuckDBResource
{extra_import}


class Settings{i}(dg.Config):
    limit: int = {i}


@asset(group_name="group_{group}", kinds={{"python"}})
def raw_{i}(context: AssetExecutionContext, config: Settings{i}) -> list[int]:
    context.log.info("raw %d", config.limit)
    return list(range(config.limit))


@dg.asset(deps=[raw_{i}])
def clean_{i}(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> MaterializeResult:
    with duckdb.get_connection() as connection:
        rows = connection.execute("select 1").fetchall()
    return MaterializeResult(metadata={{"rows": dg.MetadataValue.int(len(rows))}})


@dg.asset_check(asset=clean_{i})
def clean_{i}_has_rows() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


job_{i} = dg.define_asset_job("job_{i}", selection=dg.AssetSelection.groups("group_{group}"))
schedule_{i} = dg.ScheduleDefinition(job=job_{i}, cron_schedule="0 {hour} * * *")


@dg.sensor(job=job_{i})
def sensor_{i}(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    if context.cursor is None:
        return dg.SkipReason("first tick")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=context.cursor)])


def check_{i}() -> None:
    try:
        Definitions(assets=[raw_{i}, clean_{i}])
    except DagsterInvalidDefinitionError as error:
        raise RuntimeError("bad definitions") from error
{broken}
'''


def write_project(root: Path) -> None:
    """Write the :data:`FILES`-file project under ``root``."""
    for i in range(FILES):
        group = i % PACKAGES
        package = root / f"project_{group}"
        package.mkdir(exist_ok=True)
        extra = "from dagster_dbt import DbtCliResource" if i % 10 == 0 else ""
        broken = "\ndef broken(:\n    pass\n" if i % 100 == 99 else ""
        source = TEMPLATE.format(i=i, group=group, hour=i % 24, extra_import=extra, broken=broken)
        (package / f"module_{i}.py").write_text(source, encoding="utf-8")


def main() -> None:
    """Generate the project, time the scan and print the figures."""
    with tempfile.TemporaryDirectory(prefix="headwater-bench-scan-") as directory:
        root = Path(directory)
        write_project(root)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            report = scan(root)
            times.append(time.perf_counter() - started)
        assert report.files == FILES, report.files
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "headwater", "compat", "scan", "--json", str(root)],
            check=True,
            capture_output=True,
            env=env,
        )
        cli = time.perf_counter() - started
    median = statistics.median(times)
    print(
        f"compat scan of {report.files:,} files ({len(report.uses):,} Dagster uses, "
        f"{len(report.missing):,} missing, {len(report.syntax_errors)} syntax errors): "
        f"median {median:.2f} s (min {min(times):.2f} s), CLI end to end {cli:.2f} s; "
        f"budget <= {BUDGET_S:.0f} s: {'OK' if max(median, cli) <= BUDGET_S else 'OVER'}"
    )


if __name__ == "__main__":
    main()
