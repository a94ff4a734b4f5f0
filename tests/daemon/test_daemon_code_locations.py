"""``headwater daemon run -f/-m/-w``: the daemon serves code locations through code servers."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from daemon_helpers import Daemons, wait_for

from headwater.cli.daemon import daemon_workspace
from headwater.cli.main import cli
from headwater.cli.options import LocationArgs

DEFS = """
from headwater import Definitions, asset

@asset
def one() -> int:
    return 1

defs = Definitions(assets=[one])
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _loaded_pid(daemons: Daemons, process: object, name: str) -> int | None:
    match = re.search(rf"Code location '{name}' loaded \(pid (\d+)\)", daemons.log(process))  # type: ignore[arg-type]
    return int(match.group(1)) if match else None


def test_daemon_starts_a_code_server_per_location_and_stops_it(
    daemons: Daemons, tmp_path: Path
) -> None:
    (tmp_path / "shop.py").write_text(DEFS, encoding="utf-8")
    (tmp_path / "workspace.yaml").write_text(
        "load_from:\n  - python_file: {relative_path: shop.py, location_name: shop}\n",
        encoding="utf-8",
    )
    process = daemons.start("-w", str(tmp_path / "workspace.yaml"))
    pid = wait_for(lambda: _loaded_pid(daemons, process, "shop"), what="the location to load")
    assert isinstance(pid, int) and _alive(pid)

    def healthy_loops() -> list[str] | None:
        status = json.loads(daemons.cli("daemon", "status", "--json").stdout)
        return [loop["name"] for loop in status["loops"]] if status["healthy"] else None

    loops = wait_for(healthy_loops, what="a healthy daemon")
    assert {"run_monitoring", "run_queue", "scheduler", "sensors"} <= set(loops or ())
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    wait_for(lambda: not _alive(pid), timeout=30, what="the code server to stop")


def test_daemon_without_a_code_location_still_runs(daemons: Daemons, tmp_path: Path) -> None:
    process = daemons.start(cwd=tmp_path)  # no pyproject.toml there
    wait_for(lambda: "started" in daemons.log(process), what="the daemon to start")
    assert "Code location" not in daemons.log(process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_daemon_workspace_of_each_kind_of_option(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(DEFS, encoding="utf-8")
    (tmp_path / "b.py").write_text(DEFS, encoding="utf-8")
    ws = tmp_path / "workspace.yaml"
    ws.write_text("load_from:\n  - python_file: a.py\n  - python_file: b.py\n", encoding="utf-8")
    both = daemon_workspace(LocationArgs(None, None, None, None, str(ws)))
    assert both is not None and both.location_names == ["a", "b"]
    only_b = daemon_workspace(LocationArgs(None, None, None, None, str(ws), "b"))
    assert only_b is not None and only_b.location_names == ["b"]
    one = daemon_workspace(LocationArgs(None, str(tmp_path / "a.py"), None, str(tmp_path)))
    assert one is not None and one.location_names == ["a"]
    assert daemon_workspace(LocationArgs(None, None, None, str(tmp_path))) is None
    (tmp_path / "pyproject.toml").write_text('[tool.headwater]\nfile = "a.py"\n', encoding="utf-8")
    from_pyproject = daemon_workspace(LocationArgs(None, None, None, str(tmp_path)))
    assert from_pyproject is not None and from_pyproject.location_names == ["a"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-w", "missing.yaml"], "Cannot read the workspace file"),
        (["-w", "ws.yaml", "-f", "a.py"], "leave out -f"),
    ],
)
def test_daemon_run_rejects_bad_code_location_options(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "home"), "daemon", "run", *args], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert message in result.output
