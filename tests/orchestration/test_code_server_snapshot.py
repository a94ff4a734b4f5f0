"""The definitions snapshot a code server hands out: what it says, JSON round trips, tables."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from code_server_helpers import SHOP

from headwater import (
    AutomationCondition,
    DailyPartitionsDefinition,
    Definitions,
    DynamicPartitionsDefinition,
    HourlyPartitionsDefinition,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    TimeWindowPartitionsDefinition,
    asset,
)
from headwater.errors import InvalidInvocationError
from headwater.keys import AssetKey
from headwater.orchestration.code_location import load_definitions
from headwater.orchestration.definitions_snapshot import (
    DefinitionsSnapshot,
    PartitionsSnapshot,
    snapshot_definitions,
)


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DefinitionsSnapshot:
    (tmp_path / "shop.py").write_text(SHOP)
    monkeypatch.setattr(sys, "path", list(sys.path))
    defs = load_definitions(file="shop.py", working_directory=tmp_path)
    return snapshot_definitions(defs, location_name="shop")


def test_assets_carry_what_the_ui_and_daemon_need(shop: DefinitionsSnapshot) -> None:
    orders = shop.asset(AssetKey("orders"))
    assert (orders.node_name, orders.group_name, orders.description) == (
        "orders", "raw", "Orders of one day.")  # fmt: skip
    assert orders.kinds == ("duckdb", "python")
    assert (orders.tags, orders.owners) == ({"tier": "gold"}, ("team:data",))
    assert orders.code_version == "2"
    assert orders.metadata == {"rows": {"kind": "int", "value": 10}}
    assert orders.check_names == ("has_rows",)
    partitions = shop.partitions_of(orders)
    assert partitions is not None and partitions.kind == "time_window"
    assert partitions.description == (
        "daily partitions from 2024-01-01 to 2024-01-31 (Europe/Berlin)"
    )

    revenue = shop.asset(AssetKey("revenue"))
    assert revenue.deps == (AssetKey("orders"), AssetKey(["raw", "payments"]))
    text = shop.automation_condition_of(revenue)
    assert text is not None and text.splitlines()[0] == "AND (eager)"
    assert "any_deps_missing" in text
    assert shop.partitions_of(revenue) is None

    payments = shop.asset(AssetKey(["raw", "payments"]))
    assert not payments.is_materializable and payments.node_name is None
    assert shop.partitions_of(shop.asset(AssetKey("customer_report"))) == PartitionsSnapshot(
        kind="dynamic", class_name="DynamicPartitionsDefinition",
        description="dynamic partitions 'customers'", name="customers",
    )  # fmt: skip


def test_checks_jobs_schedules_sensors_and_resources(shop: DefinitionsSnapshot) -> None:
    checks = {(c.asset_key.to_user_string(), c.name): c for c in shop.checks}
    has_rows = checks["orders", "has_rows"]
    assert has_rows.blocking and has_rows.node_name == "orders"
    assert checks["revenue", "revenue_positive"].description == "revenue is positive"

    assert [j.name for j in shop.jobs] == ["daily_orders", "housekeeping", "revenue_job"]
    assert shop.job("housekeeping").kind == "ops" and shop.job("housekeeping").op_names == ("ping",)
    revenue_job = shop.job("revenue_job")
    assert (revenue_job.kind, revenue_job.asset_keys, revenue_job.tags) == (
        "assets", (AssetKey("revenue"),), {"team": "data"})  # fmt: skip
    daily = shop.job("daily_orders").partitions
    assert daily is not None and daily.timezone == "Europe/Berlin"

    nightly = shop.schedule("nightly")
    assert (nightly.cron_schedule, nightly.job_name, nightly.execution_timezone) == (
        "0 3 * * *", "revenue_job", "Europe/Berlin")  # fmt: skip
    assert shop.schedule("daily_orders_schedule").job_name == "daily_orders"
    inbox = shop.sensor("inbox")
    assert (inbox.job_names, inbox.minimum_interval_seconds, inbox.default_status) == (
        ("revenue_job",), 5, "STOPPED")  # fmt: skip
    assert [(r.key, r.type) for r in shop.resources] == [("warehouse", "shop.Warehouse")]
    assert shop.metadata == {"team": {"kind": "text", "value": "data"}}
    with pytest.raises(KeyError, match="No sensor named 'nope'"):
        shop.sensor("nope")


def test_json_round_trip_is_exact_and_its_id_is_stable(shop: DefinitionsSnapshot) -> None:
    data = shop.to_json()
    assert json.loads(data)["format"] == 1
    again = DefinitionsSnapshot.from_json(data)
    assert again == shop
    assert again.snapshot_id == shop.snapshot_id
    assert again.to_dict() == json.loads(data)
    with pytest.raises(InvalidInvocationError, match="format 1"):
        DefinitionsSnapshot.from_json(data.replace(b'"format":1', b'"format":7'))


def test_shared_partitions_and_conditions_are_written_once() -> None:
    daily = DailyPartitionsDefinition(start_date="2024-01-01")
    assets = [
        asset(name=f"a{i}", partitions_def=daily,
              automation_condition=AutomationCondition.eager() | AutomationCondition.missing())(
            lambda: None)
        for i in range(50)
    ]  # fmt: skip
    snap = snapshot_definitions(Definitions(assets=assets), location_name="many")
    assert len(snap.partitions) == 1 and len(snap.automation_conditions) == 1
    assert {a.partitions_ref for a in snap.assets} == {0}
    assert len(snap.to_json()) < 50 * 200  # the tables are not repeated per asset


@pytest.mark.parametrize(
    "partitions_def",
    [
        DailyPartitionsDefinition(
            start_date="2024-01-01", end_date="2024-03-01", timezone="America/New_York"
        ),
        HourlyPartitionsDefinition(start_date="2024-03-30-00:00", end_offset=1),
        TimeWindowPartitionsDefinition(
            cron_schedule="0 */6 * * *", fmt="%Y-%m-%d-%H:%M",
            start=datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC")),
        ),
        StaticPartitionsDefinition(["eu", "us", "apac"]),
        DynamicPartitionsDefinition(name="files"),
        MultiPartitionsDefinition({
            "date": DailyPartitionsDefinition(start_date="2024-01-01"),
            "region": StaticPartitionsDefinition(["eu", "us"]),
        }),
    ],
    ids=["daily", "hourly", "cron", "static", "dynamic", "multi"],
)
def test_partitions_snapshot_rebuilds_an_equal_definition(partitions_def: object) -> None:
    snap = PartitionsSnapshot.from_partitions_def(partitions_def)
    rebuilt = snap.to_partitions_def()
    assert rebuilt == partitions_def
    if not isinstance(partitions_def, DynamicPartitionsDefinition):
        when = datetime(2024, 2, 1, tzinfo=ZoneInfo("UTC"))
        assert list(rebuilt.get_partition_keys(when)) == list(
            partitions_def.get_partition_keys(when)  # type: ignore[attr-defined]
        )


def test_a_user_defined_partitions_class_is_described_not_rebuilt() -> None:
    class EveryOtherDay(StaticPartitionsDefinition):
        def describe(self) -> str:
            return "every other day"

    snap = PartitionsSnapshot.from_partitions_def(EveryOtherDay(["a"]))
    assert (snap.kind, snap.class_name) == ("static", "EveryOtherDay")

    from headwater.declarations.partitions.base import PartitionsDefinition

    class Custom(PartitionsDefinition):
        def get_partition_keys(self, current_time=None, dynamic_partitions_store=None):  # type: ignore[no-untyped-def]
            return ["x"]

    custom = PartitionsSnapshot.from_partitions_def(Custom())
    assert custom.kind == "other" and custom.description == "Custom"
    with pytest.raises(InvalidInvocationError, match="user-defined partitions definition"):
        custom.to_partitions_def()
