"""Core assets: hourly weather, and the flights of each day of 2013 with their weather.

``flights_daily`` is partitioned by day (365 partitions, New York time). It reads the raw
tables, which are loaded once and unpartitioned, and keeps only the days it is asked for, so
a run of one day and a run of the whole year (``BackfillPolicy.single_run()``) both parse
the CSV file zero times and filter the stored table once.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from headwater import (
    AssetExecutionContext,
    AssetObservation,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Output,
    asset,
)

KINDS = {"duckdb", "pandas"}
OWNERS = ["team:data-platform"]
TIME_HOUR_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TIMEZONE = "America/New_York"  # a partition is a calendar day at the NYC airports

daily_partitions = DailyPartitionsDefinition(
    start_date="2013-01-01", end_date="2014-01-01", timezone=TIMEZONE
)
"""One partition per day of 2013, keyed ``YYYY-MM-DD`` (the scheduled local departure date)."""

DAY_EXPR = "CAST(make_date(year, month, day) AS VARCHAR)"
"""SQL equal to the partition key of a row of ``flights_daily`` (its scheduled date)."""

FLIGHT_COLUMNS = [
    "year", "month", "day", "carrier", "carrier_name", "flight", "tailnum", "origin", "dest",
    "scheduled_departure", "departure", "dep_delay", "arr_delay", "air_time", "distance",
    "time_hour",
]  # fmt: skip
WEATHER_MEASURES = [
    "temp", "dewp", "humid", "wind_dir", "wind_speed", "wind_gust", "precip", "pressure", "visib",
]  # fmt: skip


def is_cancelled(flights: pd.DataFrame) -> pd.Series:
    """Flights that never flew: no actual departure or arrival time."""
    return flights["dep_time"].isna() | flights["arr_time"].isna()


def local_dates(start: datetime, end: datetime) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A time window's bounds as naive local timestamps, comparable to scheduled dates."""
    first, last = (pd.Timestamp(t).tz_convert(TIMEZONE).tz_localize(None) for t in (start, end))
    return first, last


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


@asset(
    group_name="core",
    kinds=KINDS,
    owners=OWNERS,
    code_version="2",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    metadata={"partition_expr": DAY_EXPR},
)
def flights_daily(
    context: AssetExecutionContext,
    raw_flights: pd.DataFrame,
    raw_airlines: pd.DataFrame,
    weather_hourly: pd.DataFrame,
) -> Output[pd.DataFrame]:
    """The flights of a day that operated (cancelled ones dropped), with the carrier's name,
    timestamps and the weather at the origin in the scheduled hour.

    ``scheduled_departure`` and ``departure`` are local New York times (naive);
    ``departure`` is the scheduled time plus ``dep_delay`` minutes, so it crosses midnight
    correctly. ``time_hour`` is the scheduled hour in UTC, the key to ``weather_hourly``;
    ``has_weather`` says whether that hour has a weather observation (the measures are
    empty where not). A run of several days (a backfill) returns them in one DataFrame; each
    day also gets an observation with its own counts (``flights``, ``cancelled``).
    """
    start, end = local_dates(*context.partition_time_window)
    scheduled_dates = pd.to_datetime(raw_flights[["year", "month", "day"]])
    in_window = raw_flights.loc[(scheduled_dates >= start) & (scheduled_dates < end)]
    cancelled = is_cancelled(in_window)
    flown = in_window.loc[~cancelled]
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
        .merge(
            weather_hourly,
            on=["origin", "time_hour"],
            how="left",
            validate="many_to_one",
            indicator="has_weather",
        )
        .reset_index(drop=True)
    )
    clean["has_weather"] = clean["has_weather"].eq("both")
    _observe_days(context, in_window, cancelled)
    return Output(
        clean,
        metadata={
            "days": len(context.partition_keys),
            "rows_in": len(in_window),
            "cancelled_dropped": int(cancelled.sum()),
            "rows_kept": len(clean),
            "without_weather": int((~clean["has_weather"]).sum()),
        },
    )


def _observe_days(
    context: AssetExecutionContext, flights: pd.DataFrame, cancelled: pd.Series
) -> None:
    """One observation per day with that day's counts (a run's metadata covers all its days)."""
    dates = pd.to_datetime(flights[["year", "month", "day"]]).dt.strftime("%Y-%m-%d")
    counts = pd.DataFrame({"date": dates, "cancelled": cancelled}).groupby("date")["cancelled"]
    totals, dropped = counts.size(), counts.sum()
    for key in context.partition_keys:
        scheduled = int(totals.get(key, 0))
        gone = int(dropped.get(key, 0))
        context.log_event(
            AssetObservation(
                asset_key=context.asset_key,
                partition=key,
                metadata={"flights": scheduled - gone, "cancelled": gone},
            )
        )
