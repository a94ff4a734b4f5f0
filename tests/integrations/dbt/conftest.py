"""A real dbt project (``shop/``, dbt-duckdb) parsed once per session into a temporary copy.

``shop`` has a seed, a source (``raw.orders``, fed by a Python asset), staging views, an
ephemeral model, marts (one fails when ``--vars '{fail_country_revenue: true}'``), generic and
singular tests, a YAML selector, a dbt group with an owner and a ``meta.headwater`` key.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _shop import SHOP, raw_orders, shop_definitions

import headwater as hw
from headwater.integrations.dbt import DbtProject


@pytest.fixture(scope="session")
def parsed_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shop project with ``target/manifest.json`` written by ``dbt parse``."""
    root = tmp_path_factory.mktemp("dbt") / "shop"
    shutil.copytree(SHOP, root)
    DbtProject(root).prepare()
    return root


@pytest.fixture
def shop(parsed_shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The parsed project, with its DuckDB database in this test's temporary directory."""
    monkeypatch.setenv("SHOP_DUCKDB_PATH", str(tmp_path / "shop.duckdb"))
    return parsed_shop


@pytest.fixture
def shop_copy(parsed_shop: Path, shop: Path, tmp_path: Path) -> Path:
    """A private copy of the parsed project, for tests that change its files."""
    root = tmp_path / "shop"
    shutil.copytree(parsed_shop, root, ignore=shutil.ignore_patterns("headwater"))
    return root


@pytest.fixture
def materialized_orders(shop: Path, instance: Any) -> Iterator[Any]:
    """``raw/orders`` stored in the shop's DuckDB database."""
    defs, _ = shop_definitions(shop)
    result = hw.materialize(
        [raw_orders], resources={"io_manager": defs.resources["io_manager"]}, instance=instance
    )
    assert result.success
    yield instance
