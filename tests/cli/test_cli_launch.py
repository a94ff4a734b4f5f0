"""``headwater job launch`` / ``asset launch``, ``run wait``, ``run terminate``, ``run-worker``
and ``run reexecute`` without ``-f``, with real worker processes on a real SQLite file."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from headwater.orchestration import launcher

DEFS = """
    import os
    from pathlib import Path
    from headwater import DailyPartitionsDefinition, Definitions, asset, define_asset_job

    @asset(tags={"team": "data"})
    def raw() -> list[int]:
        return [1, 2, 3]

    @asset
    def total(raw: list[int]) -> int:
        if (Path(os.environ["HEADWATER_HOME"]) / "broken").exists():
            raise RuntimeError("total is broken")
        return sum(raw)

    @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-03-01"))
    def daily() -> int:
        return 1

    defs = Definitions(
        assets=[raw, total, daily], jobs=[define_asset_job("sums", selection=["raw", "total"])]
    )
"""

Invoke = Callable[..., Result]


@pytest.fixture
def defs_file(write: Callable[[str, str], Path], home: Path) -> Iterator[Path]:
    """``defs.py``; the instance's workers heartbeat every second; no worker outlives the test."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "headwater.yaml").write_text("run_monitoring:\n  heartbeat_interval_seconds: 1\n")
    yield write("defs.py", DEFS)
    for pid, process in list(launcher._children.items()):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            process.wait(timeout=30)
    launcher.reap_workers()


def _runs(invoke: Invoke) -> list[dict[str, object]]:
    return json.loads(invoke("run", "list", "--json").stdout)  # type: ignore[no-any-return]


def test_job_launch_queues_the_run_and_prints_only_its_id(invoke: Invoke, defs_file: Path) -> None:
    result = invoke("job", "launch", "-f", str(defs_file), "--job", "sums", "--tag", "k=v")
    assert result.exit_code == 0, result.output
    run_id = result.stdout.strip()
    assert "daemon" in result.stderr
    [run] = _runs(invoke)
    assert run["run_id"] == run_id and run["status"] == "QUEUED"
    assert run["tags"] == {"k": "v"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("job", "launch", "--job", "nope"), "nope"),
        (("asset", "launch", "--select", "missing_asset"), "missing_asset"),
        (("asset", "launch", "--select", "daily", "--partition", "1999-01-01"), "1999-01-01"),
    ],
)
def test_bad_launch_input_exits_2_and_creates_no_run(
    invoke: Invoke, defs_file: Path, args: tuple[str, ...], message: str
) -> None:
    command, sub, *rest = args
    result = invoke(command, sub, "-f", str(defs_file), *rest)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert _runs(invoke) == []


def test_launch_now_then_wait_exits_0_on_success(invoke: Invoke, defs_file: Path) -> None:
    launched = invoke("asset", "launch", "-f", str(defs_file), "--select", "raw+", "--now")
    assert launched.exit_code == 0, launched.output
    run_id = launched.stdout.strip()
    waited = invoke("run", "wait", run_id, "--timeout", "120")
    assert waited.exit_code == 0, waited.output
    assert "SUCCESS" in waited.stdout
    shown = json.loads(invoke("run", "show", run_id, "--json").stdout)
    assert [s["step_key"] for s in shown["steps"]] == ["raw", "total"]


def test_a_partition_launch_runs_that_partition(invoke: Invoke, defs_file: Path) -> None:
    launched = invoke("asset", "launch", "-f", str(defs_file), "--select", "daily",
                      "--partition", "2024-03-02", "--now")  # fmt: skip
    assert launched.exit_code == 0, launched.output
    run_id = launched.stdout.strip()
    assert invoke("run", "wait", run_id, "--timeout", "120").exit_code == 0
    shown = json.loads(invoke("run", "show", run_id, "--json").stdout)
    assert [m["partition"] for m in shown["materializations"]] == ["2024-03-02"]


def test_wait_exits_1_when_the_run_failed_and_reexecute_needs_no_f(
    invoke: Invoke, defs_file: Path, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "broken").write_text("")
    launched = invoke("job", "launch", "-f", str(defs_file), "--job", "sums", "--now")
    run_id = launched.stdout.strip()
    waited = invoke("run", "wait", run_id, "--timeout", "120")
    assert waited.exit_code == 1 and "FAILURE" in waited.stdout
    (home / "broken").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no -f and no pyproject.toml here: the run's origin is used
    result = invoke("run", "reexecute", run_id, "--from-failure")
    assert result.exit_code == 0, result.output
    newest = _runs(invoke)[0]
    assert newest["status"] == "SUCCESS"
    shown = json.loads(invoke("run", "show", str(newest["run_id"]), "--json").stdout)
    assert [s["step_key"] for s in shown["steps"]] == ["total"]


def test_terminate_cancels_a_queued_run_and_leaves_a_finished_one(
    invoke: Invoke, defs_file: Path
) -> None:
    run_id = invoke("job", "launch", "-f", str(defs_file), "--job", "sums").stdout.strip()
    result = invoke("run", "terminate", run_id)
    assert result.exit_code == 0 and "had not started" in result.stdout
    assert _runs(invoke)[0]["status"] == "CANCELED"
    again = invoke("run", "terminate", run_id)
    assert again.exit_code == 0 and "already finished (CANCELED)" in again.stdout
    assert _runs(invoke)[0]["status"] == "CANCELED"


def test_run_worker_executes_a_queued_run_in_the_foreground(
    invoke: Invoke, defs_file: Path
) -> None:
    run_id = invoke("job", "launch", "-f", str(defs_file), "--job", "sums").stdout.strip()
    result = invoke("run-worker", run_id)
    assert result.exit_code == 0, result.output
    assert _runs(invoke)[0]["status"] == "SUCCESS"
    again = invoke("run-worker", run_id)
    assert again.exit_code == 2 and "has status SUCCESS" in again.stderr
