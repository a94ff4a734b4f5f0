"""Running dbt through DbtCliResource: real dbt-duckdb builds of the shop project."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest
from _shop import shop_definitions

import headwater as hw
from headwater.integrations.dbt import DbtCliResource, DbtProject

pytestmark = pytest.mark.slow

ASSETS = {
    "seeds/raw_customers", "stg_customers", "stg_orders", "customer_orders", "country_revenue",
    "top_country", "reports/legacy",
}  # fmt: skip


def run(defs: hw.Definitions, instance: Any, selection: Any = None, **kwargs: Any) -> Any:
    dbt_keys = [k for k in defs.assets_by_key if k != hw.AssetKey(["raw", "orders"])]
    return hw.materialize(
        defs.assets,
        resources=defs.resources,
        instance=instance,
        selection=selection if selection is not None else dbt_keys,
        raise_on_error=False,
        **kwargs,
    )


def materialized(result: Any) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def evaluations(result: Any) -> dict[str, bool]:
    events = result.filter_events(hw.EventType.ASSET_CHECK_EVALUATION)
    return {
        f"{e.asset_key.to_user_string()}:{e.data['check_name']}": e.data["passed"] for e in events
    }


def captured_output(instance: Any, result: Any) -> str:
    (event,) = result.filter_events(hw.EventType.LOGS_CAPTURED)
    return (instance.logs_directory / event.data["stdout_path"]).read_text()


def table(name: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(os.environ["SHOP_DUCKDB_PATH"], read_only=True) as conn:
        return conn.execute(f"select * from {name} order by all").fetchall()


def test_dbt_build_materializes_each_model_and_evaluates_each_test(
    shop: Path, materialized_orders: Any
) -> None:
    defs, invocations = shop_definitions(shop)
    result = run(defs, materialized_orders)

    assert result.success
    assert materialized(result) == ASSETS
    checks = evaluations(result)
    assert len(checks) == 7 and all(checks.values())
    assert table("main.customer_orders") == [(1, "Ada", 2, 15.0), (2, "Grace", 1, 7.5),
                                             (3, "Linus", 0, 0.0)]  # fmt: skip
    event = materialized_orders.get_latest_materialization_event(hw.AssetKey("customer_orders"))
    metadata = event.asset_materialization.metadata
    assert metadata["dbt/unique_id"].value == "model.shop.customer_orders"
    assert metadata["execution_duration"].value > 0
    assert metadata["dbt/relation"].value.endswith('"main"."customer_orders"')
    assert metadata["adapter_response"].value == {"_message": "OK"}
    assert invocations[0].command.count("--select") == 1
    assert invocations[0].command[invocations[0].command.index("--select") + 1] == "fqn:*"


def test_dbt_logs_land_in_the_steps_captured_output(shop: Path, materialized_orders: Any) -> None:
    defs, _ = shop_definitions(shop)
    result = run(defs, materialized_orders, selection=["seeds/raw_customers"])

    output = captured_output(materialized_orders, result)
    assert "OK loaded seed file main_seeds.raw_customers" in output
    assert "Completed successfully" in output
    assert '"info"' not in output  # dbt's text lines, not its JSON
    assert "SQL" not in output.split("Completed successfully")[0].split("START")[0]


def test_a_subset_runs_exactly_its_models_and_their_tests(
    shop: Path, materialized_orders: Any
) -> None:
    defs, invocations = shop_definitions(shop)
    assert run(defs, materialized_orders).success  # everything once, so upstream tables exist

    result = run(defs, materialized_orders, selection="stg_customers+")

    expected = {"stg_customers", "customer_orders", "country_revenue", "top_country",
                "reports/legacy"}  # fmt: skip
    assert result.success
    assert materialized(result) == expected
    command = invocations[-1].command
    selected = command[command.index("--select") + 1 : command.index("--select") + 6]
    assert set(selected) == {
        "fqn:shop.staging.stg_customers", "fqn:shop.marts.customer_orders",
        "fqn:shop.marts.country_revenue", "fqn:shop.marts.top_country",
        "fqn:shop.marts.legacy_report",
    }  # fmt: skip
    ran = {r["unique_id"] for r in invocations[-1].get_artifact("run_results.json")["results"]}
    assert {uid for uid in ran if not uid.startswith("test.")} == {
        f"model.shop.{name}" for name in ("stg_customers", "customer_orders", "country_revenue",
                                          "top_country", "legacy_report")
    }  # fmt: skip
    assert set(evaluations(result)) == {
        "stg_customers:unique_stg_customers_customer_id",
        "stg_customers:not_null_stg_customers_customer_id",
        "stg_customers:accepted_values_stg_customers_country__UK__US__FI",
        "customer_orders:not_null_customer_orders_amount",
        "customer_orders:assert_amounts_not_negative",
    }  # the relationships test of stg_orders ran (eager), but stg_orders is not selected


def test_a_failing_model_fails_its_asset_and_skips_its_downstream_only(
    shop: Path, materialized_orders: Any
) -> None:
    defs, _ = shop_definitions(shop, args=["--vars", "{fail_country_revenue: true}"])
    result = run(defs, materialized_orders)

    assert not result.success
    assert materialized(result) == ASSETS - {"country_revenue", "top_country"}
    (failure,) = result.filter_events(hw.EventType.STEP_FAILURE)
    assert "dbt build failed: 1 node(s) failed, 1 skipped downstream" in failure.message
    assert "model country_revenue (error): Runtime Error in model country_revenue" in (
        failure.message
    )
    assert "a_table_that_does_not_exist does not exist" in failure.message
    assert "Traceback" not in failure.message
    assert failure.data["metadata"]["failed_nodes"]["value"] == ["model.shop.country_revenue"]
    assert all(evaluations(result).values())  # the tests of the models that were built ran


def test_a_project_that_no_longer_compiles_fails_the_step_with_dbts_message(
    shop_copy: Path, materialized_orders: Any
) -> None:
    defs, _ = shop_definitions(shop_copy)
    (shop_copy / "models" / "marts" / "top_country.sql").write_text(
        "select * from {{ ref('no_such_model') }}"
    )
    result = run(defs, materialized_orders)

    assert not result.success
    assert materialized(result) == set()
    (failure,) = result.filter_events(hw.EventType.STEP_FAILURE)
    assert "dbt build failed (exit code 2)" in failure.message
    assert "depends on a node named 'no_such_model' which was not found" in failure.message


def test_a_missing_profile_is_one_line_naming_it_and_where_headwater_looked(
    shop: Path, tmp_path: Path, instance: Any
) -> None:
    defs, _ = shop_definitions(shop)
    empty = tmp_path / "profiles"
    empty.mkdir()
    resources = {**defs.resources, "dbt": DbtCliResource(project_dir=str(shop),
                                                         profiles_dir=str(empty))}  # fmt: skip
    result = hw.materialize(
        defs.assets, resources=resources, instance=instance, selection=["top_country"],
        raise_on_error=False,
    )  # fmt: skip

    (failure,) = result.filter_events(hw.EventType.STEP_FAILURE)
    assert failure.message.endswith(
        f"dbt profile 'shop' not found: headwater looked in {empty / 'profiles.yml'} (no such "
        "file). Set DbtCliResource(profiles_dir=...) or $DBT_PROFILES_DIR to the directory of "
        "its profiles.yml."
    )


def test_partitioned_dbt_assets_pass_the_time_window_as_vars(
    shop: Path, materialized_orders: Any
) -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2026-01-01")
    defs, invocations = shop_definitions(
        shop, select="raw_customers", partitions_def=daily, args=["--vars", "{a: 1}"]
    )
    result = run(defs, materialized_orders, partition_key="2026-03-04")

    assert result.success
    command = invocations[0].command
    variables = json.loads(command[len(command) - 1 - command[::-1].index("--vars") + 1])
    assert variables == {
        "a": 1,
        "partition_start": "2026-03-04T00:00:00+00:00",
        "partition_end": "2026-03-05T00:00:00+00:00",
        "partition_key": "2026-03-04",
        "partition_keys": ["2026-03-04"],
    }
    (event,) = result.get_asset_materialization_events()
    assert event.partition == "2026-03-04"


def test_the_resource_runs_any_command_and_reads_its_artifacts(shop: Path) -> None:
    dbt = DbtCliResource(project_dir=DbtProject(shop))
    invocation = dbt.cli(["seed"]).wait()

    assert invocation.is_successful()
    results = invocation.get_artifact("run_results.json")["results"]
    assert [r["unique_id"] for r in results] == ["seed.shop.raw_customers"]
    assert [o.status for o in invocation.node_outcomes] == ["success"]
    assert invocation.elapsed_seconds is not None and invocation.elapsed_seconds > 0
    with pytest.raises(hw.HeadwaterError, match="cannot be read"):
        invocation.get_artifact("catalog.json")


def test_a_missing_dbt_executable_says_how_to_install_dbt(shop: Path) -> None:
    dbt = DbtCliResource(project_dir=str(shop), dbt_executable="/nowhere/dbt")
    with pytest.raises(hw.HeadwaterError, match=r"Cannot find the dbt executable '/nowhere/dbt'"):
        dbt.cli(["build"])
