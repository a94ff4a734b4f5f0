"""``headwater materialize``: output, exit codes, stored runs, and errors before the run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from headwater import Instance, RunStatus

Write = Callable[[str, str], Path]
Invoke = Callable[..., Result]


def _stored_runs() -> list:
    instance = Instance.get()
    try:
        return instance.get_runs()
    finally:
        instance.dispose()


def _assert_short(output: str, *needles: str) -> None:
    lines = output.strip().splitlines()
    assert len(lines) < 10, output
    for needle in needles:
        assert needle in output, (needle, output)


def test_materialize_success_prints_progress_summary_and_stores_the_run(
    invoke: Invoke, write: Write, pipeline: Path
) -> None:
    result = invoke("materialize", "-f", str(pipeline))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[1/3] step raw_numbers succeeded in" in out
    assert "[3/3] step total succeeded in" in out
    assert "raw_numbers INFO: generating 10 numbers" in out  # live log line
    assert "row_count=5" in out  # key metadata in the summary table
    (run,) = _stored_runs()
    assert run.status is RunStatus.SUCCESS
    assert f"Run {run.run_id} succeeded" in out
    assert f"headwater run show {run.run_id}" in out

    shown = invoke("run", "show", run.run_id)
    assert shown.exit_code == 0, shown.output
    for step in ("raw_numbers", "evens", "total"):
        assert step in shown.output
    assert shown.output.count("SUCCESS") >= 4  # the run and its three steps


def test_select_materializes_only_the_selection(
    invoke: Invoke, write: Write, pipeline: Path
) -> None:
    result = invoke("materialize", "-f", str(pipeline), "--select", "raw_numbers+1")
    assert result.exit_code == 0, result.output
    assert "[2/2] step evens succeeded" in result.output
    assert "total" not in result.output.split("Asset")[1]
    (run,) = _stored_runs()
    assert {k.to_user_string() for k in run.asset_selection} == {"raw_numbers", "evens"}


def test_failing_asset_exits_1_naming_the_step_and_error(invoke: Invoke, failing: Path) -> None:
    result = invoke("materialize", "-f", str(failing))
    assert result.exit_code == 1, result.output
    out = result.output
    assert "step broken failed" in out
    assert "ValueError: cannot divide 1 by zero" in out
    assert "failing.py:9" in out  # where the user's code raised
    assert "step downstream skipped" in out
    (run,) = _stored_runs()
    assert run.status is RunStatus.FAILURE
    assert f"Run {run.run_id} failed" in out


def test_syntax_error_exits_2_with_a_short_message(invoke: Invoke, write: Write) -> None:
    path = write(
        "bad_syntax.py", "from headwater import asset\n\n@asset\ndef a() -> int\n    ...\n"
    )
    result = invoke("materialize", "-f", str(path))
    assert result.exit_code == 2
    _assert_short(result.output, "bad_syntax.py:4", "Syntax error")
    assert "Traceback" not in result.output
    assert _stored_runs() == []


def test_raising_import_exits_2_with_file_line_and_verbose_shows_traceback(
    invoke: Invoke, write: Write
) -> None:
    path = write("raises.py", "import os\n\nVALUE = int(os.environ.get('NOPE', 'x'))\n")
    result = invoke("materialize", "-f", str(path))
    assert result.exit_code == 2
    _assert_short(result.output, "raises.py:3", "ValueError", "invalid literal")
    assert "Traceback" not in result.output

    verbose = invoke("--verbose", "materialize", "-f", str(path))
    assert verbose.exit_code == 2
    assert "Traceback (most recent call last)" in verbose.output


def test_headwater_debug_env_shows_the_traceback(invoke: Invoke, write: Write, monkeypatch) -> None:
    path = write("raises.py", "raise RuntimeError('at import')\n")
    monkeypatch.setenv("HEADWATER_DEBUG", "1")
    result = invoke("materialize", "-f", str(path))
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.output


def test_cycle_exits_2_with_a_short_message(invoke: Invoke, write: Write) -> None:
    path = write(
        "cycle.py",
        """
        from headwater import Definitions, asset

        @asset(deps=["b"])
        def a() -> None: ...

        @asset(deps=["a"])
        def b() -> None: ...

        defs = Definitions(assets=[a, b])
        """,
    )
    result = invoke("materialize", "-f", str(path))
    assert result.exit_code == 2
    _assert_short(result.output, "cycle.py:9", "CycleError")


def test_unknown_selection_exits_2_with_a_suggestion(
    invoke: Invoke, write: Write, pipeline: Path
) -> None:
    result = invoke("materialize", "-f", str(pipeline), "--select", "raw_number")
    assert result.exit_code == 2
    _assert_short(result.output, "'raw_number'", "did you mean 'raw_numbers'")
    assert _stored_runs() == []


def test_unparsable_selection_exits_2_showing_the_column(
    invoke: Invoke, write: Write, pipeline: Path
) -> None:
    result = invoke("materialize", "-f", str(pipeline), "--select", "raw_numbers & evens")
    assert result.exit_code == 2
    assert "column" in result.output and "'and'" in result.output


def test_bad_config_exits_2_listing_the_config_path(
    invoke: Invoke, write: Write, pipeline: Path
) -> None:
    config = write("run.yaml", "ops:\n  raw_numbers:\n    config:\n      limit: ten\n")
    result = invoke("materialize", "-f", str(pipeline), "--config", str(config))
    assert result.exit_code == 2
    _assert_short(result.output, "run.yaml", "ops.raw_numbers.config.limit")
    assert _stored_runs() == []
    assert "Materializing" not in result.output  # nothing started


def test_missing_config_file_exits_2(invoke: Invoke, write: Write, pipeline: Path) -> None:
    result = invoke("materialize", "-f", str(pipeline), "-c", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml" in result.output


def test_config_file_is_applied(invoke: Invoke, write: Write, pipeline: Path) -> None:
    config = write("run.yaml", "ops:\n  raw_numbers:\n    config:\n      limit: 4\n")
    result = invoke("materialize", "-f", str(pipeline), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "generating 4 numbers" in result.output
    assert "row_count=2" in result.output


def test_tags_land_in_run_tags(invoke: Invoke, write: Write, pipeline: Path) -> None:
    result = invoke("materialize", "-f", str(pipeline), "--tag", "team=data", "--tag", "env=dev")
    assert result.exit_code == 0, result.output
    (run,) = _stored_runs()
    assert run.tags["team"] == "data"
    assert run.tags["env"] == "dev"


def test_malformed_tag_is_a_usage_error(invoke: Invoke, write: Write, pipeline: Path) -> None:
    result = invoke("materialize", "-f", str(pipeline), "--tag", "nokey")
    assert result.exit_code == 2
    assert "KEY=VALUE" in result.output


def test_job_option_runs_within_the_job(invoke: Invoke, write: Write, pipeline_source: str) -> None:
    source = pipeline_source.replace(
        "defs = Definitions(assets=[raw_numbers, evens, total])",
        "defs = Definitions(assets=[raw_numbers, evens, total], jobs=[define_asset_job("
        "'small', selection='raw_numbers', tags={'kind': 'small'})])",
    ).replace("import AssetExecutionContext,", "import AssetExecutionContext, define_asset_job,")
    path = write("jobs.py", source)
    result = invoke("materialize", "-f", str(path), "--job", "small")
    assert result.exit_code == 0, result.output
    assert "[1/1] step raw_numbers succeeded" in result.output
    (run,) = _stored_runs()
    assert run.job_name == "small"
    assert run.tags["kind"] == "small"

    unknown = invoke("materialize", "-f", str(path), "--job", "big")
    assert unknown.exit_code == 2
    assert "small" in unknown.output  # the message lists the jobs there are


def test_python_dash_m_headwater_in_a_real_process(
    home: Path, pipeline: Path, failing: Path
) -> None:
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    env.pop("HEADWATER_DEBUG", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "headwater",
            "materialize",
            "-f",
            str(pipeline),
            "-s",
            "raw_numbers+",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "[3/3] step total succeeded in" in proc.stdout  # plain lines: stdout is a pipe
    assert "\x1b[" not in proc.stdout  # and no colour codes

    proc = subprocess.run(
        [sys.executable, "-m", "headwater", "materialize", "-f", str(failing)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "cannot divide 1 by zero" in proc.stdout


def test_help_does_not_import_heavy_modules(home: Path) -> None:
    code = (
        "import sys\n"
        "from headwater.cli.main import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='headwater')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'pandas', 'pydantic', 'rich', 'lark') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "HEAVY []" in proc.stdout, proc.stdout
