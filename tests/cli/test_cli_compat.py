"""``headwater compat run`` runs unchanged Dagster code; ``compat scan`` reports what is missing.

``compat run`` is exercised end to end: a real ``headwater`` process runs a real Python program
that imports ``dagster``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import headwater

# Future*/future_* names and dagster_futurepkg are invented, so they stay missing.
SRC = str(Path(headwater.__file__).resolve().parents[1])

DAGSTER_PROGRAM = """
    import subprocess
    import sys

    import dagster as dg
    from dagster._core.test_utils import instance_for_test


    @dg.asset
    def numbers() -> list[int]:
        return [3, 1, 2]


    @dg.asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)


    with instance_for_test() as instance:
        result = dg.materialize([numbers, total], instance=instance)
        print("success", result.success, "total", result.output_for_node("total"))
        print("status", instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS)
    print("module", dg.__name__, dg.asset.__module__.split(".")[0])
    child = "import dagster_duckdb; print('child', dagster_duckdb.DuckDBResource.__module__)"
    subprocess.run([sys.executable, "-c", child], check=True)
"""


def _compat_run(
    *command: str, cwd: Path, pythonpath: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "HEADWATER_COMPAT_HOOK"}}
    env["PYTHONPATH"] = os.pathsep.join([*(pythonpath or []), SRC])
    env["HEADWATER_HOME"] = str(cwd / "home")
    return subprocess.run(
        [sys.executable, "-m", "headwater", "compat", "run", "--", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


def test_compat_run_materializes_an_asset_written_with_import_dagster(tmp_path: Path) -> None:
    program = _write(tmp_path / "program.py", DAGSTER_PROGRAM)
    done = _compat_run(sys.executable, str(program), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "success True total 6" in lines
    assert "status True" in lines
    assert "module dagster headwater" in lines
    # the hook is active in the program's own subprocesses too
    assert "child headwater.integrations.duckdb.resource" in lines
    assert "Dagster is installed" not in done.stderr


def test_compat_run_exits_with_the_commands_exit_code(tmp_path: Path) -> None:
    done = _compat_run(sys.executable, "-c", "import sys; sys.exit(3)", cwd=tmp_path)
    assert done.returncode == 3


def test_compat_run_reports_a_missing_command(tmp_path: Path) -> None:
    done = _compat_run("no-such-program-headwater", cwd=tmp_path)
    assert done.returncode == 127
    assert "command not found: no-such-program-headwater" in done.stderr


def test_compat_run_warns_once_that_it_shadows_an_installed_dagster(tmp_path: Path) -> None:
    fake_site = tmp_path / "site"
    _write(fake_site / "dagster" / "__init__.py", "raise RuntimeError('real dagster imported')\n")
    code = "import dagster; print(dagster.Definitions.__module__)"
    done = _compat_run(sys.executable, "-c", code, cwd=tmp_path, pythonpath=[str(fake_site)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("headwater.")
    assert done.stderr.count("Dagster is installed in this environment") == 1
    assert str(fake_site / "dagster") in done.stderr


def test_compat_run_keeps_the_environments_own_sitecustomize(tmp_path: Path) -> None:
    site = tmp_path / "custom"
    _write(site / "sitecustomize.py", "import builtins\nbuiltins.CUSTOMIZED = 'yes'\n")
    code = "import builtins, dagster; print(builtins.CUSTOMIZED, dagster.asset.__module__[:9])"
    done = _compat_run(sys.executable, "-c", code, cwd=tmp_path, pythonpath=[str(site)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["yes", "headwater"]


def test_compat_run_needs_a_command(invoke: Callable[..., Result]) -> None:
    result = invoke("compat", "run")
    assert result.exit_code == 2
    assert "Missing argument 'COMMAND...'" in result.output


def test_compat_scan_prints_missing_uses_and_summary(
    invoke: Callable[..., Result], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write(
        "proj/defs.py",
        """
        import dagster as dg

        @dg.asset
        def a() -> int:
            return 1

        job_schedule = dg.FutureScheduleDefinition(job=None, cron_schedule="@daily")
        """,
    )
    write("proj/bad.py", "import dagster\ndef (\n")
    result = invoke("compat", "scan", str(tmp_path / "proj"))
    assert result.exit_code == 0, result.output
    assert (
        "defs.py:7: dagster.FutureScheduleDefinition (name) is not provided by headwater"
        in result.output
    )
    assert "bad.py:2: syntax error" in result.output
    assert "2 files, 3 Dagster uses, 2 supported by headwater (66.7%), 1 missing" in result.output


def test_compat_scan_json(
    invoke: Callable[..., Result], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write("proj/defs.py", "from dagster import asset, future_sensor\nimport dagster_futurepkg.s3\n")
    result = invoke("compat", "scan", "--json", str(tmp_path / "proj"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [(m["line"], m["target"]) for m in document["missing"]] == [
        (1, "dagster.future_sensor"),
        (2, "dagster_futurepkg"),
    ]
    assert document["supported_percent"] == pytest.approx(50.0)
