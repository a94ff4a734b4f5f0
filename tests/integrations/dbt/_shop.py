"""The shop project's Definitions for tests: a Python ``raw/orders`` asset and its dbt assets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

import headwater as hw
from headwater.integrations.dbt import DbtCliResource, dbt_assets
from headwater.integrations.duckdb import DuckDBPandasIOManager

SHOP = Path(__file__).parent / "shop"


ORDERS = pd.DataFrame({"id": [1, 2, 3], "customer_id": [1, 1, 2], "amount": [10.0, 5.0, 7.5]})


@hw.asset(key=["raw", "orders"])
def raw_orders() -> pd.DataFrame:
    """The orders the dbt source ``raw.orders`` reads."""
    return ORDERS


def shop_definitions(
    project_dir: Path, *, args: list[str] | None = None, **kwargs: Any
) -> tuple[hw.Definitions, list[Any]]:
    """``Definitions`` of ``raw/orders`` (Python) and the shop's dbt assets (``kwargs`` go to
    ``dbt_assets``), and the list each dbt invocation of a run is appended to.

    The dbt step runs ``dbt build`` plus ``args``.
    """
    invocations: list[Any] = []

    @dbt_assets(manifest=project_dir / "target" / "manifest.json", **kwargs)
    def shop_models(context: hw.AssetExecutionContext, dbt: DbtCliResource):
        invocation = dbt.cli(["build", *(args or [])], context=context)
        invocations.append(invocation)
        yield from invocation.stream()

    database = os.environ["SHOP_DUCKDB_PATH"]
    defs = hw.Definitions(
        assets=[raw_orders, shop_models],
        resources={
            "dbt": DbtCliResource(project_dir=str(project_dir)),
            "io_manager": DuckDBPandasIOManager(database=database),
        },
    )
    return defs, invocations
