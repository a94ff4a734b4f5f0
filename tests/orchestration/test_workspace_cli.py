"""``-w workspace.yaml`` (with ``--location``) on the commands that take ``-m``/``-f``."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from headwater.cli.main import cli

SHOP = """
from headwater import Definitions, asset

@asset(group_name="shop")
def orders() -> int:
    return 3

defs = Definitions(assets=[orders])
"""

ANALYTICS = """
from headwater import Definitions, asset

@asset(group_name="analytics")
def kpis() -> int:
    return 1

defs = Definitions(assets=[kpis])
"""


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two locations in their own directories; the current directory is elsewhere."""
    for name, source in (("shop", SHOP), ("analytics", ANALYTICS)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}_defs.py").write_text(source)
    path = tmp_path / "workspace.yaml"
    path.write_text(textwrap.dedent("""
        load_from:
          - python_file: {relative_path: shop/shop_defs.py, location_name: shop,
                          working_directory: shop}
          - python_module: {module_name: analytics_defs, location_name: analytics,
                            working_directory: analytics}
    """))  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def asset_keys(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["key"] for row in json.loads(result.output)]


def test_a_location_of_the_workspace_is_chosen_with_location(workspace: Path) -> None:
    assert asset_keys(invoke("asset", "list", "-w", str(workspace), "--location", "shop",
                             "--json")) == ["orders"]  # fmt: skip
    assert asset_keys(invoke("asset", "list", "-w", str(workspace), "-l", "analytics",
                             "--json")) == ["kpis"]  # fmt: skip
    materialized = invoke("materialize", "-w", str(workspace), "-l", "shop")
    assert materialized.exit_code == 0, materialized.output
    assert invoke("definitions", "validate", "-w", str(workspace), "-l", "analytics").exit_code == 0


def test_a_workspace_of_one_location_needs_no_location(workspace: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.yaml"
    single.write_text("load_from:\n  - python_file: shop/shop_defs.py\n")
    assert asset_keys(invoke("asset", "list", "-w", str(single), "--json")) == ["orders"]


def test_misused_workspace_options_exit_2(workspace: Path) -> None:
    several = invoke("asset", "list", "-w", str(workspace))
    assert several.exit_code == 2
    assert "lists 2 code locations (shop, analytics); choose one with --location NAME" in (
        several.output
    )
    unknown = invoke("asset", "list", "-w", str(workspace), "-l", "nope")
    assert unknown.exit_code == 2 and "no code location named 'nope'" in unknown.output
    both = invoke("asset", "list", "-w", str(workspace), "-f", "x.py")
    assert both.exit_code == 2 and "-w names the code locations; leave out -f" in both.output
    alone = invoke("asset", "list", "--location", "shop")
    assert alone.exit_code == 2 and "--location chooses a location of a workspace" in alone.output


def test_a_bad_workspace_file_names_the_path(workspace: Path) -> None:
    workspace.write_text("load_from:\n  - python_file: {relative_path: a.py, locaton_name: a}\n")
    result = invoke("asset", "list", "-w", str(workspace))
    assert result.exit_code == 2
    assert "load_from[0].python_file.locaton_name: unknown key; expected one of" in result.output
