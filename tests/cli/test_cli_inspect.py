"""``headwater asset list``, ``run list``, ``run show``, ``definitions validate``, ``--version``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from headwater import Instance, __version__

Invoke = Callable[..., Result]
Write = Callable[[str, str], Path]


def _run_ids() -> list[str]:
    instance = Instance.get()
    try:
        return instance.get_run_ids()
    finally:
        instance.dispose()


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_asset_list_shows_last_materialization(invoke: Invoke, pipeline: Path) -> None:
    before = invoke("asset", "list", "-f", str(pipeline))
    assert before.exit_code == 0, before.output
    assert before.output.count("never") == 3

    assert invoke("materialize", "-f", str(pipeline), "-s", "raw_numbers").exit_code == 0
    (run_id,) = _run_ids()
    after = invoke("asset", "list", "-f", str(pipeline))
    assert after.exit_code == 0, after.output
    lines = {line.split()[0]: line for line in after.output.splitlines() if line.strip()}
    assert f"(run {run_id[:8]})" in lines["raw_numbers"]
    assert "just now" in lines["raw_numbers"] or "s ago" in lines["raw_numbers"]
    assert "raw" in lines["raw_numbers"] and "python" in lines["raw_numbers"]  # group, kinds
    assert "never" in lines["evens"]


def test_asset_list_json_and_select(invoke: Invoke, pipeline: Path) -> None:
    assert invoke("materialize", "-f", str(pipeline)).exit_code == 0
    result = invoke("asset", "list", "-f", str(pipeline), "--select", "evens+", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["key"] for row in rows] == ["evens", "total"]
    assert rows[0]["deps"] == ["raw_numbers"]
    assert rows[0]["last_materialization"]["run_id"] == _run_ids()[0]


def test_asset_list_unknown_selection_exits_2(invoke: Invoke, pipeline: Path) -> None:
    result = invoke("asset", "list", "-f", str(pipeline), "--select", "evns")
    assert result.exit_code == 2
    assert "did you mean 'evens'" in result.output


def test_definitions_validate_prints_counts(invoke: Invoke, pipeline: Path) -> None:
    result = invoke("definitions", "validate", "-f", str(pipeline))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert any(line.split() == ["3", "assets"] for line in result.output.splitlines())


def test_definitions_validate_reports_errors_with_exit_2(invoke: Invoke, write: Write) -> None:
    path = write(
        "missing_resource.py",
        """
        from headwater import Definitions, asset

        @asset(required_resource_keys={"warehouse"})
        def needs_warehouse() -> int:
            return 1

        defs = Definitions(assets=[needs_warehouse])
        """,
    )
    result = invoke("definitions", "validate", "-f", str(path))
    assert result.exit_code == 2
    assert "missing_resource.py:7" in result.output
    assert "warehouse" in result.output


def test_code_location_from_pyproject(invoke: Invoke, write: Write, pipeline: Path) -> None:
    write("pyproject.toml", '[tool.headwater]\nmodule = "pipeline"\n')
    result = invoke("definitions", "validate")
    assert result.exit_code == 0, result.output


def test_no_code_location_exits_2(invoke: Invoke) -> None:
    result = invoke("asset", "list")
    assert result.exit_code == 2
    assert "-m MODULE or -f FILE" in result.output


def test_run_list_filters_by_status(invoke: Invoke, pipeline: Path, failing: Path) -> None:
    assert invoke("materialize", "-f", str(pipeline)).exit_code == 0
    assert invoke("materialize", "-f", str(failing)).exit_code == 1
    failed_id, ok_id = _run_ids()  # newest first

    everything = invoke("run", "list")
    assert everything.exit_code == 0
    assert ok_id in everything.output and failed_id in everything.output

    failures = invoke("run", "list", "--status", "FAILURE")
    assert failures.exit_code == 0
    assert failed_id in failures.output
    assert ok_id not in failures.output

    as_json = json.loads(invoke("run", "list", "--status", "success", "--json").output)
    assert [r["run_id"] for r in as_json] == [ok_id]
    assert as_json[0]["status"] == "SUCCESS"

    assert len(json.loads(invoke("run", "list", "--limit", "1", "--json").output)) == 1
    assert json.loads(invoke("run", "list", "--job", "other", "--json").output) == []


def test_run_list_shows_user_tags(invoke: Invoke, pipeline: Path) -> None:
    assert invoke("materialize", "-f", str(pipeline), "--tag", "team=data").exit_code == 0
    assert "team=data" in invoke("run", "list").output


def test_run_show_of_a_failed_run_has_error_and_traceback(invoke: Invoke, failing: Path) -> None:
    assert invoke("materialize", "-f", str(failing)).exit_code == 1
    (run_id,) = _run_ids()
    result = invoke("run", "show", run_id[:6])  # a unique prefix is enough
    assert result.exit_code == 0, result.output
    out = result.output
    assert run_id in out and "FAILURE" in out
    assert "SKIPPED" in out  # downstream
    assert "ValueError: cannot divide 1 by zero" in out
    assert 'failing.py", line 9' in out  # the traceback of the failed step
    assert "source" in out  # the materialization of the step that succeeded


def test_run_show_json(invoke: Invoke, pipeline: Path) -> None:
    assert invoke("materialize", "-f", str(pipeline), "--tag", "a=b").exit_code == 0
    (run_id,) = _run_ids()
    data = json.loads(invoke("run", "show", run_id, "--json").output)
    assert data["run_id"] == run_id
    assert data["status"] == "SUCCESS"
    assert data["tags"]["a"] == "b"
    assert [s["step_key"] for s in data["steps"]] == ["raw_numbers", "evens", "total"]
    assert all(s["status"] == "SUCCESS" for s in data["steps"])
    evens = next(m for m in data["materializations"] if m["asset"] == "evens")
    assert evens["metadata"]["row_count"] == 5


def test_run_show_unknown_id_exits_2(invoke: Invoke) -> None:
    result = invoke("run", "show", "does-not-exist")
    assert result.exit_code == 2
    assert "No run with id 'does-not-exist'" in result.output


def test_run_show_ambiguous_prefix_exits_2(invoke: Invoke) -> None:
    instance = Instance.get()
    try:
        for run_id in ("abc00000-1", "abc00000-2"):
            instance.create_run(job_name="j", run_id=run_id)
    finally:
        instance.dispose()
    result = invoke("run", "show", "abc")
    assert result.exit_code == 2
    assert "ambiguous" in result.output
    assert invoke("run", "show", "abc00000-2").exit_code == 0


def test_module_option_imports_from_the_current_directory(invoke: Invoke, pipeline: Path) -> None:
    result = invoke("asset", "list", "-m", "pipeline", "--json")
    assert result.exit_code == 0, result.output
    assert [row["key"] for row in json.loads(result.output)] == ["raw_numbers", "evens", "total"]
