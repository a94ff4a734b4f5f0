"""The code location: ``defs`` is what ``headwater materialize -m flights.definitions`` loads."""

from __future__ import annotations

from flights.assets.analytics import (
    aircraft_age_vs_delay,
    delays_by_carrier_month,
    route_performance,
    weather_impact,
)
from flights.assets.core import flights_clean, weather_hourly
from flights.assets.raw import raw_airlines, raw_airports, raw_flights, raw_planes, raw_weather
from flights.assets.report import flights_report
from flights.resources import build_resources
from headwater import Definitions, define_asset_job

all_assets = [
    raw_flights,
    raw_airlines,
    raw_airports,
    raw_planes,
    raw_weather,
    flights_clean,
    weather_hourly,
    delays_by_carrier_month,
    route_performance,
    aircraft_age_vs_delay,
    weather_impact,
    flights_report,
]

refresh_analytics = define_asset_job(
    "refresh_analytics",
    selection="group:analytics+",
    description="Recompute the analytics tables and the report from the stored core tables.",
)

defs = Definitions(assets=all_assets, jobs=[refresh_analytics], resources=build_resources())
