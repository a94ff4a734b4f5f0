"""The code location: ``defs`` is what ``headwater materialize -m flights.definitions`` loads.

The raw tables and ``weather_hourly`` are unpartitioned; ``flights_daily`` (by day) and
``delays_by_carrier_month`` (by month) are partitioned over 2013; the other analytics and the
report are unpartitioned and read every stored partition. The checks are in ``flights.checks``.
"""

from __future__ import annotations

from flights.assets import analytics, core, raw, report
from flights.checks import all_checks
from flights.resources import build_resources
from headwater import Definitions, define_asset_job, load_assets_from_modules

all_assets = load_assets_from_modules([raw, core, analytics, report])

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
