"""dbt_assets: a real manifest (``dbt parse`` of the shop project) -> asset and check specs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.integrations.dbt import (
    DbtCliResource,
    DbtProject,
    DbtTranslator,
    DbtTranslatorSettings,
    dbt_assets,
)

MODELS = {
    "seeds/raw_customers", "stg_customers", "stg_orders", "customer_orders", "country_revenue",
    "top_country", "reports/legacy",
}  # fmt: skip


def build(manifest: Any, **kwargs: Any) -> hw.AssetsDefinition:
    @dbt_assets(manifest=manifest, **kwargs)
    def shop_models(context: hw.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    return shop_models


def keys(assets_def: hw.AssetsDefinition) -> set[str]:
    return {key.to_user_string() for key in assets_def.keys}


def spec(assets_def: hw.AssetsDefinition, key: str) -> hw.AssetSpec:
    return assets_def.spec_for(hw.AssetKey.from_user_string(key))


def manifest_of(project: Path) -> Path:
    return project / "target" / "manifest.json"


def test_models_seeds_and_snapshots_become_one_subsettable_multi_asset(parsed_shop: Path) -> None:
    assets_def = build(manifest_of(parsed_shop))

    assert keys(assets_def) == MODELS  # the ephemeral int_order_totals is not an asset
    assert assets_def.can_subset
    assert assets_def.node_name == "shop_models"


def test_dependencies_follow_refs_sources_and_look_through_ephemeral_models(
    parsed_shop: Path,
) -> None:
    assets_def = build(manifest_of(parsed_shop))

    def deps(key: str) -> set[str]:
        return {d.to_user_string() for d in spec(assets_def, key).dep_keys}

    assert deps("stg_orders") == {"raw/orders"}  # the source, keyed [source_name, table]
    assert deps("stg_customers") == {"seeds/raw_customers"}  # seed with +schema: seeds
    assert deps("customer_orders") == {"stg_customers", "stg_orders"}  # through the ephemeral
    assert deps("top_country") == {"country_revenue"}


def test_descriptions_columns_groups_owners_tags_kinds_and_code_versions(
    parsed_shop: Path,
) -> None:
    assets_def = build(manifest_of(parsed_shop))
    customers = spec(assets_def, "stg_customers")

    assert customers.description == "Customers, one row each."
    columns = customers.metadata["columns"]  # definition metadata is kept as declared
    assert [(c.name, c.type) for c in columns.columns] == [
        ("customer_id", "integer"),
        ("country", "varchar"),
    ]
    assert columns.columns[0].description == "The customer's id."
    assert customers.metadata["dbt/unique_id"] == "model.shop.stg_customers"
    assert customers.metadata["dbt/materialized"] == "view"
    assert customers.kinds == {"dbt", "duckdb"}
    revenue = spec(assets_def, "country_revenue")
    assert revenue.group_name == "finance"  # the dbt group
    assert revenue.owners == ("finance@example.com",)  # its owner
    assert revenue.tags == {"daily": ""}
    legacy = spec(assets_def, "reports/legacy")  # key and owners from meta.headwater
    assert legacy.owners == ("team:finance",)
    assert spec(assets_def, "top_country").description == "dbt model top_country"
    versions = {key: spec(assets_def, key).code_version for key in MODELS}
    assert all(versions.values()) and len(set(versions.values())) == len(MODELS)


def test_code_version_changes_with_the_sql(parsed_shop: Path, tmp_path: Path) -> None:
    manifest = json.loads(manifest_of(parsed_shop).read_text())
    before = spec(build(manifest), "top_country").code_version
    manifest["nodes"]["model.shop.top_country"]["raw_code"] += " -- changed"

    assert spec(build(manifest), "top_country").code_version != before
    assert spec(build(manifest), "stg_orders").code_version == spec(
        build(manifest_of(parsed_shop)), "stg_orders"
    ).code_version


def test_generic_and_singular_tests_become_checks_of_their_model(parsed_shop: Path) -> None:
    assets_def = build(manifest_of(parsed_shop))
    checks = {c.key.to_user_string(): c for c in assets_def.check_specs}

    assert set(checks) == {
        "stg_customers:unique_stg_customers_customer_id",
        "stg_customers:not_null_stg_customers_customer_id",
        "stg_customers:accepted_values_stg_customers_country__UK__US__FI",
        "stg_orders:unique_stg_orders_order_id",
        "stg_orders:relationships_stg_orders_customer_id__customer_id__ref_stg_customers_",
        "customer_orders:not_null_customer_orders_amount",
        "customer_orders:assert_amounts_not_negative",  # singular: reads one model
    }  # the source's not_null test is not a check: raw/orders is another definition's
    relationship = checks[
        "stg_orders:relationships_stg_orders_customer_id__customer_id__ref_stg_customers_"
    ]
    assert relationship.additional_deps == (hw.AssetKey("stg_customers"),)
    assert not any(c.blocking for c in checks.values())
    warn = checks["customer_orders:not_null_customer_orders_amount"]
    assert warn.metadata["dbt/severity"].value == "warn"


def test_blocking_checks_are_the_error_severity_tests_when_asked(parsed_shop: Path) -> None:
    settings = DbtTranslatorSettings(blocking_asset_checks=True)
    assets_def = build(manifest_of(parsed_shop), dbt_translator=DbtTranslator(settings))
    blocking = {c.key.name: c.blocking for c in assets_def.check_specs}

    assert blocking["not_null_customer_orders_amount"] is False  # severity: warn
    assert blocking["unique_stg_orders_order_id"] is True


def test_checks_can_be_turned_off(parsed_shop: Path) -> None:
    settings = DbtTranslatorSettings(enable_asset_checks=False)
    assert build(manifest_of(parsed_shop), dbt_translator=DbtTranslator(settings)).check_specs == ()


def test_select_exclude_and_yaml_selectors(parsed_shop: Path) -> None:
    manifest = manifest_of(parsed_shop)

    assert keys(build(manifest, select="tag:daily")) == {"customer_orders", "country_revenue"}
    assert keys(build(manifest, select="stg_customers+", exclude="tag:deprecated")) == {
        "stg_customers", "customer_orders", "country_revenue", "top_country",
    }  # fmt: skip
    assert keys(build(manifest, select="+customer_orders,resource_type:model")) == {
        "stg_customers", "stg_orders", "customer_orders",
    }  # fmt: skip
    assert keys(build(manifest, select="staging")) == {"stg_customers", "stg_orders"}
    assert keys(build(manifest, select="path:models/marts/top_country.sql")) == {"top_country"}
    assert keys(build(manifest, select="source:raw+1")) == {"stg_orders"}
    assert keys(build(manifest, selector="customers_only")) == {
        "seeds/raw_customers", "stg_customers", "stg_orders", "customer_orders",
    }  # fmt: skip
    assert keys(build(manifest, select="config.materialized:table")) == {
        "customer_orders", "country_revenue", "top_country", "reports/legacy",
    }  # fmt: skip


def test_checks_of_a_selection_are_the_tests_of_its_models(parsed_shop: Path) -> None:
    assets_def = build(manifest_of(parsed_shop), select="tag:daily")
    assert {c.key.to_user_string() for c in assets_def.check_specs} == {
        "customer_orders:not_null_customer_orders_amount",
        "customer_orders:assert_amounts_not_negative",
    }


def test_a_translator_overrides_keys_and_groups(parsed_shop: Path) -> None:
    class Translator(DbtTranslator):
        def get_asset_key(self, dbt_resource_props: Any) -> hw.AssetKey:
            if dbt_resource_props["resource_type"] == "source":
                return hw.AssetKey(f"raw_{dbt_resource_props['name']}")
            return super().get_asset_key(dbt_resource_props).with_prefix("shop")

        def get_group_name(self, dbt_resource_props: Any) -> str:
            return dbt_resource_props["fqn"][1]

    assets_def = build(manifest_of(parsed_shop), dagster_dbt_translator=Translator())

    assert hw.AssetKey(["shop", "stg_orders"]) in assets_def.keys
    assert spec(assets_def, "shop/stg_orders").dep_keys == (hw.AssetKey("raw_orders"),)
    assert spec(assets_def, "shop/stg_orders").group_name == "staging"
    assert spec(assets_def, "shop/top_country").group_name == "marts"


def test_definitions_connect_a_python_asset_to_the_dbt_source(parsed_shop: Path) -> None:
    @hw.asset(key=["raw", "orders"])
    def orders() -> None: ...

    @hw.asset(deps=["top_country"])
    def report() -> None: ...

    defs = hw.Definitions(
        assets=[orders, build(manifest_of(parsed_shop)), report],
        resources={"dbt": DbtCliResource(project_dir=str(parsed_shop))},
    )
    graph = defs.resolve_asset_graph()

    upstream = hw.AssetSelection.assets("report").upstream().resolve(graph)
    assert hw.AssetKey(["raw", "orders"]) in upstream
    assert hw.AssetKey("stg_customers") in upstream


def test_a_missing_manifest_names_the_path_and_the_command(tmp_path: Path) -> None:
    missing = tmp_path / "transform" / "target" / "manifest.json"
    with pytest.raises(hw.DefinitionError) as raised:
        build(missing)
    message = str(raised.value)
    assert str(missing) in message
    assert f"dbt parse --project-dir {tmp_path / 'transform'}" in message


def test_an_unparsable_manifest_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "manifest.json"
    broken.write_text("{not json")
    with pytest.raises(hw.DefinitionError, match="cannot be read as JSON"):
        build(broken)
    broken.write_text('{"metadata": {}}')
    with pytest.raises(hw.DefinitionError, match=r"is not a dbt manifest\.json"):
        build(broken)


def test_a_selection_matching_nothing_is_an_error_at_load(parsed_shop: Path) -> None:
    with pytest.raises(hw.DefinitionError) as raised:
        build(manifest_of(parsed_shop), select="tag:nightly", exclude="tag:deprecated")
    assert "select='tag:nightly' exclude='tag:deprecated' matches no dbt model" in str(
        raised.value
    )
    with pytest.raises(hw.DefinitionError, match="unknown method 'colour'"):
        build(manifest_of(parsed_shop), select="colour:red")
    with pytest.raises(hw.DefinitionError, match="selector 'nope' is not defined"):
        build(manifest_of(parsed_shop), selector="nope")


def test_dbt_project_paths_and_staleness(parsed_shop: Path, shop_copy: Path) -> None:
    project = DbtProject(shop_copy)

    assert project.manifest_path == shop_copy / "target" / "manifest.json"
    assert project.resolved_profiles_dir() == shop_copy  # it has a profiles.yml
    assert not project.manifest_is_stale()
    model = shop_copy / "models" / "marts" / "top_country.sql"
    model.write_text(model.read_text() + "\n")
    stamp = project.manifest_path.stat().st_mtime_ns + 1_000_000_000
    os.utime(model, ns=(stamp, stamp))
    assert project.manifest_is_stale()
    with pytest.raises(hw.DefinitionError, match=r"has no dbt_project\.yml"):
        DbtProject(shop_copy / "models")


def test_the_dbt_integration_imports_without_dbt_or_duckdb() -> None:
    import subprocess
    import sys

    code = (
        "import sys, headwater.integrations.dbt; "
        "print(sorted(m for m in ('dbt', 'duckdb', 'agate') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
