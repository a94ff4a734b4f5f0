"""``dagster_dbt`` under the compat import hook: Dagster-style dbt code runs on headwater."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.compat import importer
from headwater.integrations import dbt as hw_dbt


@pytest.fixture
def hook() -> Iterator[None]:
    importer.install()
    try:
        yield
    finally:
        importer.uninstall()


def test_dagster_dbt_serves_the_dbt_integration(hook: None) -> None:
    import dagster_dbt

    assert dagster_dbt.DagsterDbtTranslator is hw_dbt.DbtTranslator
    assert dagster_dbt.DagsterDbtTranslatorSettings is hw_dbt.DbtTranslatorSettings
    assert dagster_dbt.DbtCliResource is hw_dbt.DbtCliResource
    assert dagster_dbt.DbtProject is hw_dbt.DbtProject
    assert dagster_dbt.dbt_assets is hw_dbt.dbt_assets
    with pytest.raises(AttributeError, match="headwater does not provide this Dagster API"):
        dagster_dbt.DbtCloudWorkspace  # noqa: B018


def test_a_dagster_dbt_project_with_a_custom_translator_loads(
    hook: None, parsed_shop: Path
) -> None:
    import dagster as dg
    from dagster_dbt import (
        DagsterDbtTranslator,
        DbtCliResource,
        DbtProject,
        build_dbt_asset_selection,
        dbt_assets,
        get_asset_key_for_model,
    )

    dbt_project = DbtProject(project_dir=parsed_shop)
    dbt_project.prepare_if_dev()

    class CustomizedDagsterDbtTranslator(DagsterDbtTranslator):
        def get_group_name(self, dbt_resource_props: Any) -> str:
            return dbt_resource_props["fqn"][1]

        def get_asset_key(self, dbt_resource_props: Any) -> dg.AssetKey:
            if dbt_resource_props["resource_type"] == "source":
                return dg.AssetKey(f"taxi_{dbt_resource_props['name']}")
            return super().get_asset_key(dbt_resource_props)

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        dagster_dbt_translator=CustomizedDagsterDbtTranslator(),
        exclude="tag:deprecated",
    )
    def dbt_analytics(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    selection = build_dbt_asset_selection([dbt_analytics], "stg_customers+")
    job = dg.define_asset_job("customers_job", selection=selection)
    resources = {"dbt": DbtCliResource(project_dir=dbt_project)}
    defs = dg.Definitions(assets=[dbt_analytics], jobs=[job], resources=resources)

    assert {k.to_user_string() for k in defs.get_job_def("customers_job").resolve_selection()} == {
        "stg_customers", "customer_orders", "country_revenue", "top_country",
    }  # fmt: skip
    stg_orders = dbt_analytics.spec_for(dg.AssetKey("stg_orders"))
    assert stg_orders.dep_keys == (dg.AssetKey("taxi_orders"),)
    assert stg_orders.group_name == "staging"
    assert get_asset_key_for_model([dbt_analytics], "top_country") == hw.AssetKey("top_country")
