"""A dbt project declared by a ``defs.yaml`` component in a defs folder (Dagster's layout)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.compat import importer

DEFS_YAML = """\
type: {type}

attributes:
  project: '{{{{ context.project_root }}}}/dbt_project'
  exclude: "tag:deprecated"
  translation:
    group_name: transformation
"""


@pytest.fixture
def layout(parsed_shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``write(component_type)``: a project whose defs folder holds a Python module and a dbt
    component folder (``jaffle_shop/defs.yaml``) over a copy of the shop project."""
    root = tmp_path / "univ"
    shutil.copytree(parsed_shop, root / "dbt_project", ignore=shutil.ignore_patterns("headwater"))
    (root / "pyproject.toml").write_text(
        '[project]\nname = "univ"\n\n[tool.dg]\ndirectory_type = "project"\n\n'
        '[tool.dg.project]\nroot_module = "univ"\n'
    )
    defs = root / "src" / "univ" / "defs"
    (defs / "jaffle_shop").mkdir(parents=True)
    (defs / "__init__.py").write_text("")
    (defs / "raw.py").write_text(
        "import headwater as hw\n\n@hw.asset(key=['raw', 'orders'])\ndef orders() -> None: ...\n"
    )
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)

    def write(component_type: str, text: str = DEFS_YAML) -> Path:
        path = defs / "jaffle_shop" / "defs.yaml"
        path.write_text(text.format(type=component_type))
        return root

    yield write
    for name in set(sys.modules) - before:
        if name == "univ" or name.startswith("univ."):
            del sys.modules[name]


def test_a_dbt_project_component_loads_the_projects_models(layout: Any) -> None:
    root = layout("headwater.integrations.dbt.DbtProjectComponent")

    defs = hw.load_from_defs_folder(project_root=root)

    keys = {key.to_user_string() for key in defs.get_all_asset_keys()}
    assert {"raw/orders", "stg_orders", "customer_orders", "top_country"} <= keys
    assert "reports/legacy" not in keys  # excluded: tag:deprecated
    dbt_def = defs.get_assets_def("stg_orders")
    assert dbt_def.node_name == "jaffle_shop"
    assert {spec.group_name for spec in dbt_def.specs} == {"transformation"}
    stg_orders = dbt_def.spec_for(hw.AssetKey("stg_orders"))
    assert stg_orders.dep_keys == (hw.AssetKey(["raw", "orders"]),)


def test_the_component_runs_dbt(
    layout: Any, instance: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SHOP_DUCKDB_PATH", str(tmp_path / "univ.duckdb"))
    root = layout("headwater.integrations.dbt.DbtProjectComponent")
    defs = hw.load_from_defs_folder(project_root=root)

    result = hw.materialize(defs.assets, selection="seeds/raw_customers", instance=instance)

    assert result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        hw.AssetKey(["seeds", "raw_customers"])
    ]


def test_dagster_dbts_component_type_loads_under_the_compat_hook(layout: Any) -> None:
    root = layout("dagster_dbt.DbtProjectComponent")
    importer.install()
    try:
        defs = hw.load_from_defs_folder(project_root=root)
    finally:
        importer.uninstall()
    assert hw.AssetKey("stg_orders") in defs.get_all_asset_keys()


def test_bad_attributes_and_templates_name_the_file(layout: Any) -> None:
    root = layout(
        "headwater.integrations.dbt.DbtProjectComponent",
        "type: {type}\nattributes:\n  project: '{{{{ context.project_root }}}}/dbt_project'\n"
        "  colour: red\n",
    )
    with pytest.raises(hw.DefsFolderError, match=r"jaffle_shop/defs\.yaml.*'colour'"):
        hw.load_from_defs_folder(project_root=root)
    layout(
        "headwater.integrations.dbt.DbtProjectComponent",
        "type: {type}\nattributes:\n  project: '{{{{ env.HOME }}}}/dbt_project'\n",
    )
    with pytest.raises(hw.DefsFolderError, match=r"the template \{\{ env\.HOME \}\} is not"):
        hw.load_from_defs_folder(project_root=root)
