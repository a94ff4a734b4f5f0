"""The ``headwater`` command tree, ``--home``, one instance per invocation, and the plan shown
before a run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
from click.testing import CliRunner, Result

from headwater import Instance
from headwater.cli.context import CliState, current_instance, current_state
from headwater.cli.main import cli

Invoke = Callable[..., Result]


def _tree(group: click.Group) -> dict[str, object]:
    return {
        name: _tree(command) if isinstance(command, click.Group) else None
        for name, command in sorted(group.commands.items())
    }


def test_every_command_is_registered_on_its_group() -> None:
    assert _tree(cli) == {
        "asset": {
            "launch": None, "list": None, "materialize": None, "partitions": None, "status": None,
            "why": None,
        },
        "backfill": {"cancel": None, "launch": None, "list": None, "resume": None, "show": None},
        "code-server": {"start": None},
        "compat": {"run": None, "scan": None},
        "daemon": {"run": None, "status": None},
        "definitions": {"validate": None},
        "dev": None,
        "instance": {
            "concurrency": {"delete": None, "get": None, "list": None, "set": None},
            "info": None,
            "migrate": None,
            "vacuum": None,
        },
        "job": {"execute": None, "launch": None, "list": None},
        "materialize": None,
        "run": {
            "list": None, "logs": None, "reexecute": None, "show": None, "terminate": None,
            "wait": None,
        },
        "run-worker": None,
        "schedule": {"list": None, "preview": None, "start": None, "stop": None, "ticks": None},
        "sensor": {
            "cursor": None, "list": None, "preview": None, "start": None, "stop": None,
            "ticks": None,
        },
        "webserver": None,
    }


def test_asset_materialize_is_defined_in_the_asset_group_module() -> None:
    command = cli.commands["asset"].commands["materialize"]  # type: ignore[attr-defined]
    assert command.callback.__module__ == "headwater.cli.asset"


def test_python_dash_m_headwater_cli_main_runs_the_command(home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "headwater.cli.main", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "headwater: an asset-centric data orchestrator." in proc.stdout
    for command in ("materialize", "asset", "run", "backfill", "job"):
        assert command in proc.stdout


def test_materialize_shows_the_plan_once_before_the_steps(invoke: Invoke, pipeline: Path) -> None:
    result = invoke("materialize", "-f", str(pipeline))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    plan_lines = [line for line in lines if line.strip().startswith("steps:")]
    assert plan_lines == ["  steps: raw_numbers, evens, total"]
    assert lines.index(plan_lines[0]) < next(
        i for i, line in enumerate(lines) if "[1/3] step raw_numbers succeeded" in line
    )
    assert lines[lines.index(plan_lines[0]) - 1].startswith("Materializing 3 assets in 3 steps")


def test_the_plan_of_a_long_run_is_shortened(invoke: Invoke, write: Callable[..., Path]) -> None:
    chain = ["from headwater import Definitions, asset", ""]
    for i in range(15):
        deps = f"deps=['a{i - 1}']" if i else ""
        chain += [f"@asset({deps})", f"def a{i}() -> None: ...", ""]
    chain.append(f"defs = Definitions(assets=[{', '.join(f'a{i}' for i in range(15))}])")
    path = write("chain.py", "\n".join(chain) + "\n")
    result = invoke("materialize", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "  steps: a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, ... (3 more)" in (
        result.output
    )


def test_home_option_chooses_the_instance(
    invoke: Invoke, pipeline: Path, tmp_path: Path, home: Path
) -> None:
    other = tmp_path / "other_home"
    result = invoke("--home", str(other), "materialize", "-f", str(pipeline))
    assert result.exit_code == 0, result.output
    with Instance.from_path(other) as instance:
        (run,) = instance.get_runs()
    with Instance.get() as default:  # $HEADWATER_HOME (the `home` fixture) got nothing
        assert default.get_runs() == []

    listed = invoke("--home", str(other), "run", "list", "--json")
    assert run.run_id in listed.output
    assert run.run_id not in invoke("run", "list", "--json").output
    assert home != other


def test_the_invocation_opens_its_instance_once_and_disposes_of_it(home: Path) -> None:
    seen: list[Instance] = []
    states: list[CliState] = []

    @cli.command("probe-instance")
    def probe() -> None:
        seen.extend([current_instance(), current_instance()])
        states.append(current_state())
        assert states[0].is_open
        click.echo(str(current_instance().root_directory))

    try:
        result = CliRunner().invoke(cli, ["probe-instance"], catch_exceptions=False)
    finally:
        del cli.commands["probe-instance"]
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(home)
    assert seen[0] is seen[1]
    assert not states[0].is_open  # disposed of when the invocation ended


def test_help_opens_no_instance(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert not home.exists()


def test_materialize_of_plain_assets_imports_neither_pydantic_nor_lark(
    home: Path, write: Callable[..., Path]
) -> None:
    path = write(
        "plain.py",
        """
        import headwater as hw

        @hw.asset
        def numbers() -> list[int]:
            return [1, 2, 3]

        @hw.asset
        def total(numbers: list[int]) -> int:
            return sum(numbers)

        defs = hw.Definitions(assets=[numbers, total])
        """,
    )
    code = (
        "import sys\n"
        "from headwater.cli.main import cli\n"
        f"for select in ('*', 'numbers or total', 'group:default'):\n"
        f"    try:\n"
        f"        cli(['materialize', '-f', {str(path)!r}, '--select', select])\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "heavy = [m for m in ('pydantic', 'lark', 'sqlalchemy', 'alembic', 'yaml', "
        "'headwater.execution.run.op_run') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "[2/2] step total succeeded" in proc.stdout
    assert "HEAVY []" in proc.stdout, proc.stdout


def test_materialize_plans_the_run_once(invoke: Invoke, pipeline: Path, monkeypatch) -> None:
    from headwater.execution.plan.execution_plan import ExecutionPlan

    real_build = ExecutionPlan.build
    plans: list[ExecutionPlan] = []

    def counting_build(*args: object, **kwargs: object) -> ExecutionPlan:
        plans.append(real_build(*args, **kwargs))  # type: ignore[arg-type]
        return plans[-1]

    monkeypatch.setattr(ExecutionPlan, "build", staticmethod(counting_build))
    result = invoke("materialize", "-f", str(pipeline), "--select", "raw_numbers+")
    assert result.exit_code == 0, result.output
    assert len(plans) == 1
    assert plans[0].step_keys == ["raw_numbers", "evens", "total"]
