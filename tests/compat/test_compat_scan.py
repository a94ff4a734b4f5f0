"""``compat scan`` finds the Dagster APIs a project uses that headwater lacks, file and line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from headwater.compat.scan import format_report, scan

# Names starting with Future/future_ and the package dagster_futurepkg are invented: they stay
# missing however much of Dagster headwater comes to provide.

ASSETS = """
    import dagster as dg
    from dagster import FutureRunRequest, asset, future_sensor


    @asset
    def one() -> int:
        return 1


    @dg.asset(deps=[one])
    def two(context: dg.AssetExecutionContext) -> None:
        dg.get_dagster_logger().info("two")


    daily = dg.FutureScheduleDefinition(job=None, cron_schedule="0 0 * * *")
    hourly = dg.FutureScheduleDefinition(job=None, cron_schedule="0 * * * *")
"""

IMPORTS = """
    import dagster._core.errors as errors
    import dagster_futurepkg
    from dagster._core.definitions.asset_spec import AssetSpec
    from dagster._utils.backoff import backoff
    from dagster_duckdb import DuckDBIOManager, DuckDBResource, build_future_io_manager
    from dagster_myproject.assets import thing

    import dagster

    defs = dagster.components.FutureComponent(thing)
    caught = errors.DagsterError
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    files = {
        "dagster_myproject/__init__.py": "",
        "dagster_myproject/assets.py": ASSETS,
        "dagster_myproject/imports.py": IMPORTS,
        "dagster_myproject/broken.py": "import dagster as dg\n\ndef oops(:\n    pass\n",
        "dagster_myproject/plain.py": "import json\n\nprint(json.dumps({}))\n",
        ".venv/lib/dagster/__init__.py": "import dagster_internal_stuff\n",
        "README.md": "import dagster_not_python\n",
    }
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return root


def _missing(report_root: Path) -> list[tuple[str, int, str, str]]:
    return [(u.file, u.line, u.kind, u.target) for u in scan(report_root).missing]


def test_missing_names_are_listed_with_file_and_line(project: Path) -> None:
    missing = _missing(project)
    assert ("dagster_myproject/assets.py", 2, "name", "dagster.FutureRunRequest") in missing
    assert ("dagster_myproject/assets.py", 2, "name", "dagster.future_sensor") in missing
    assert (
        "dagster_myproject/assets.py",
        15,
        "name",
        "dagster.FutureScheduleDefinition",
    ) in missing
    assert (
        "dagster_myproject/assets.py",
        16,
        "name",
        "dagster.FutureScheduleDefinition",
    ) in missing


def test_supported_names_and_alias_modules_are_not_missing(project: Path) -> None:
    targets = {use.target for use in scan(project).missing}
    for supported in (
        "dagster",
        "dagster.asset",
        "dagster.AssetExecutionContext",
        "dagster.get_dagster_logger",
        "dagster._core.errors",
        "dagster._core.errors.DagsterError",
        "dagster._utils.backoff",
        "dagster_duckdb",
        "dagster_duckdb.DuckDBIOManager",
    ):
        assert supported not in targets


def test_modules_and_packages_headwater_lacks_are_missing(project: Path) -> None:
    missing = _missing(project)
    imports = "dagster_myproject/imports.py"
    assert (imports, 2, "package", "dagster_futurepkg") in missing
    assert (imports, 3, "module", "dagster._core.definitions.asset_spec") in missing
    assert (imports, 5, "name", "dagster_duckdb.build_future_io_manager") in missing
    # dagster.components is served; the chain stops at its first missing name, once
    assert [m for m in missing if m[0] == imports and m[1] == 10] == [
        (imports, 10, "name", "dagster.components.FutureComponent")
    ]


def test_the_projects_own_dagster_named_packages_are_not_dagster(project: Path) -> None:
    targets = {use.target for use in scan(project).uses}
    assert not any(t.startswith("dagster_myproject") for t in targets)


def test_syntax_error_is_reported_and_the_rest_is_scanned(project: Path) -> None:
    report = scan(project)
    assert [(p.file, p.line) for p in report.syntax_errors] == [("dagster_myproject/broken.py", 3)]
    assert report.files == 5  # the .venv directory and the README are not read
    assert any(use.file == "dagster_myproject/imports.py" for use in report.uses)


def test_summary_counts_uses_and_missing_by_name(project: Path) -> None:
    report = scan(project)
    assert dict(report.missing_by_target)["dagster.FutureScheduleDefinition"] == 2
    assert report.missing_by_target[0] == ("dagster.FutureScheduleDefinition", 2)
    supported = sum(use.supported for use in report.uses)
    assert report.supported_percent == pytest.approx(100 * supported / len(report.uses))
    text = format_report(report)
    assert "dagster_myproject/assets.py:15: dagster.FutureScheduleDefinition (name)" in text
    assert "dagster_myproject/broken.py:3: syntax error" in text
    assert f"5 files, {len(report.uses)} Dagster uses, {supported} supported" in text
    assert "      2  dagster.FutureScheduleDefinition" in text


def test_json_report_has_every_missing_use(project: Path) -> None:
    report = scan(project)
    document = json.loads(report.to_json())
    assert document["files"] == 5
    assert document["uses"] == len(report.uses)
    assert document["supported"] + len(document["missing"]) == document["uses"]
    assert {
        "file": "dagster_myproject/assets.py",
        "line": 15,
        "kind": "name",
        "target": "dagster.FutureScheduleDefinition",
        "supported": False,
    } in document["missing"]
    assert document["missing_by_target"][0] == {
        "target": "dagster.FutureScheduleDefinition",
        "kind": "name",
        "uses": 2,
    }
    assert document["syntax_errors"][0]["file"] == "dagster_myproject/broken.py"


def test_a_single_file_can_be_scanned(project: Path) -> None:
    report = scan(project / "dagster_myproject" / "assets.py")
    assert report.files == 1
    assert {use.file for use in report.uses} == {"assets.py"}


def test_a_project_without_dagster_is_fully_supported(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\n", encoding="utf-8")
    report = scan(tmp_path)
    assert (report.files, report.uses, report.supported_percent) == (1, [], 100.0)
