"""The code location: ``defs`` is what ``headwater materialize -m flights.definitions`` loads."""

from __future__ import annotations

from flights.assets import analytics, core, raw, report
from flights.resources import build_resources
from headwater import Definitions, define_asset_job, load_assets_from_modules

all_assets = load_assets_from_modules([raw, core, analytics, report])

refresh_analytics = define_asset_job(
    "refresh_analytics",
    selection="group:analytics+",
    description="Recompute the analytics tables and the report from the stored core tables.",
)

defs = Definitions(assets=all_assets, jobs=[refresh_analytics], resources=build_resources())
