"""Core assets: cleaned, typed tables that the analytics build on."""

from __future__ import annotations

import pandas as pd

from headwater import Output, asset

KINDS = {"duckdb", "pandas"}
OWNERS = ["team:data-platform"]
TIME_HOUR_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

FLIGHT_COLUMNS = [
    "year", "month", "day", "carrier", "carrier_name", "flight", "tailnum", "origin", "dest",
    "scheduled_departure", "departure", "dep_delay", "arr_delay", "air_time", "distance",
    "time_hour",
]
WEATHER_MEASURES = [
    "temp", "dewp", "humid", "wind_dir", "wind_speed", "wind_gust", "precip", "pressure", "visib",
]


def is_cancelled(flights: pd.DataFrame) -> pd.Series:
    """Flights that never flew: no actual departure or arrival time."""
    return flights["dep_time"].isna() | flights["arr_time"].isna()


@asset(group_name="core", kinds=KINDS, owners=OWNERS, code_version="1")
def flights_clean(raw_flights: pd.DataFrame, raw_airlines: pd.DataFrame) -> Output[pd.DataFrame]:
    """Flights that operated (cancelled ones dropped), with the carrier's name and timestamps.

    ``scheduled_departure`` and ``departure`` are local New York times (naive);
    ``departure`` is the scheduled time plus ``dep_delay`` minutes, so it crosses midnight
    correctly. ``time_hour`` is the scheduled hour in UTC, the key to ``weather_hourly``.
    """
    cancelled = is_cancelled(raw_flights)
    flown = raw_flights.loc[~cancelled]
    scheduled = pd.to_datetime(flown[["year", "month", "day", "hour", "minute"]])
    airlines = raw_airlines.rename(columns={"name": "carrier_name"})
    clean = (
        flown.assign(
            scheduled_departure=scheduled,
            departure=scheduled + pd.to_timedelta(flown["dep_delay"], unit="min"),
            time_hour=pd.to_datetime(flown["time_hour"], format=TIME_HOUR_FORMAT, utc=True),
        )
        .merge(airlines, on="carrier", how="left", validate="many_to_one")
        .loc[:, FLIGHT_COLUMNS]
        .reset_index(drop=True)
    )
    return Output(
        clean,
        metadata={
            "rows_in": len(raw_flights),
            "cancelled_dropped": int(cancelled.sum()),
            "rows_kept": len(clean),
        },
    )


@asset(group_name="core", kinds=KINDS, owners=OWNERS, code_version="1")
def weather_hourly(raw_weather: pd.DataFrame) -> Output[pd.DataFrame]:
    """Weather per origin airport and UTC hour: one row per (origin, time_hour).

    Duplicate observations of an hour (the source has some around daylight-saving changes in
    other releases) are averaged.
    """
    weather = raw_weather.assign(
        time_hour=pd.to_datetime(raw_weather["time_hour"], format=TIME_HOUR_FORMAT, utc=True)
    )
    hourly = (
        weather.groupby(["origin", "time_hour"], as_index=False)[WEATHER_MEASURES]
        .mean()
        .sort_values(["origin", "time_hour"], ignore_index=True)
    )
    return Output(
        hourly,
        metadata={
            "rows_in": len(raw_weather),
            "hours": len(hourly),
            "first_hour": hourly["time_hour"].min().isoformat(),
            "last_hour": hourly["time_hour"].max().isoformat(),
        },
    )
