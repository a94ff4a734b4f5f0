"""Analytics assets: delay statistics by carrier, route, aircraft age and weather.

A flight counts as delayed when it arrived (or, for the weather table, departed) more than
15 minutes late, the usual on-time threshold. Shares are fractions between 0 and 1 over the
flights whose delay is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flights.assets.core import TIMEZONE
from flights.markdown import markdown_table
from flights.resources import table
from headwater import (
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    MetadataValue,
    MonthlyPartitionsDefinition,
    Output,
    TimeWindowPartitionMapping,
    asset,
)
from headwater.integrations.duckdb import DuckDBResource

KINDS = {"duckdb", "pandas"}
OWNERS = ["team:analytics"]
DELAY_THRESHOLD_MINUTES = 15
MIN_FLIGHTS_PER_CARRIER_MONTH = 100  # smaller samples make noisy "worst month" rankings
AGE_BINS = [0, 5, 10, 15, 20, 25, 100]
AGE_LABELS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25+"]
PRECIP_BINS = [-np.inf, 0.0, 0.1, np.inf]
PRECIP_LABELS = ["none", "light (<= 0.1 in/h)", "heavy (> 0.1 in/h)"]
VISIB_BINS = [0, 1, 3, 6, 10, np.inf]
VISIB_LABELS = ["< 1 mi", "1-3 mi", "3-6 mi", "6-10 mi", "10 mi (clear)"]

monthly_partitions = MonthlyPartitionsDefinition(
    start_date="2013-01-01", end_date="2014-01-01", timezone=TIMEZONE
)
"""One partition per month of 2013, keyed by its first day (``2013-07-01``)."""

MONTH_EXPR = "CAST(make_date(year, month, 1) AS VARCHAR)"
"""SQL equal to the partition key of a row of ``delays_by_carrier_month``."""


def delayed(delay: pd.Series) -> pd.Series:
    """1.0 where ``delay`` exceeds the threshold, 0.0 where not, NaN where unknown."""
    return delay.gt(DELAY_THRESHOLD_MINUTES).astype("float64").where(delay.notna())


@asset(
    group_name="analytics",
    kinds=KINDS,
    owners=OWNERS,
    code_version="2",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    # Each month reads the days it spans (the default mapping between a daily and a monthly
    # asset; written out to show where it goes).
    ins={"flights_daily": AssetIn(partition_mapping=TimeWindowPartitionMapping())},
    metadata={"partition_expr": MONTH_EXPR},
)
def delays_by_carrier_month(
    context: AssetExecutionContext, flights_daily: pd.DataFrame
) -> Output[pd.DataFrame]:
    """Departure and arrival delays per carrier and month of 2013.

    A run of several months (a backfill) computes them all from their days in one pass.
    """
    stats = (
        flights_daily.assign(is_delayed=delayed(flights_daily["arr_delay"]))
        .groupby(["carrier", "carrier_name", "year", "month"], as_index=False, dropna=False)
        .agg(
            flights=("flight", "size"),
            mean_dep_delay=("dep_delay", "mean"),
            median_dep_delay=("dep_delay", "median"),
            mean_arr_delay=("arr_delay", "mean"),
            median_arr_delay=("arr_delay", "median"),
            share_delayed_15=("is_delayed", "mean"),
        )
        .sort_values(["carrier", "year", "month"], ignore_index=True)
    )
    metadata: dict[str, int | str] = {
        "months": len(context.partition_keys),
        "days_read": len(context.asset_partition_keys_for_input("flights_daily")),
        "carriers": int(stats["carrier"].nunique()),
    }
    ranked = stats.loc[stats["flights"] >= MIN_FLIGHTS_PER_CARRIER_MONTH]
    if not ranked.empty:
        worst = ranked.nlargest(1, "mean_arr_delay").iloc[0]
        metadata["worst_carrier_month"] = (
            f"{worst['carrier']} in month {worst['month']}: "
            f"{worst['mean_arr_delay']:.1f} min mean arrival delay"
        )
    return Output(stats, metadata=metadata)


@asset(
    group_name="analytics",
    kinds=KINDS,
    owners=OWNERS,
    code_version="1",
    deps=["flights_daily", "raw_airports"],
)
def route_performance(duckdb: DuckDBResource) -> Output[pd.DataFrame]:
    """Flights, arrival delay and on-time share per route (origin -> destination), busiest
    first, over every stored day. Computed in DuckDB with SQL over the ``flights_daily`` and
    ``raw_airports`` tables.
    """
    query = f"""
        SELECT
            f.origin,
            f.dest,
            a.name AS dest_name,
            count(*) AS flights,
            avg(f.arr_delay) AS mean_arr_delay,
            round(avg(f.distance))::BIGINT AS distance,
            avg(CASE WHEN f.arr_delay IS NULL THEN NULL
                     WHEN f.arr_delay <= {DELAY_THRESHOLD_MINUTES} THEN 1.0 ELSE 0.0 END)
                AS on_time_share
        FROM {table("flights_daily")} AS f
        LEFT JOIN {table("raw_airports")} AS a ON a.faa = f.dest
        GROUP BY f.origin, f.dest, a.name
        ORDER BY flights DESC, f.origin, f.dest
    """
    with duckdb.get_connection() as conn:
        routes: pd.DataFrame = conn.sql(query).to_arrow_table().to_pandas()
    routes.insert(0, "rank", np.arange(1, len(routes) + 1))
    busiest = routes.iloc[0]
    return Output(
        routes,
        metadata={
            "routes": len(routes),
            "busiest_route": f"{busiest['origin']} -> {busiest['dest']} "
            f"({busiest['flights']:,} flights)",
        },
    )


@asset(group_name="analytics", kinds=KINDS, owners=OWNERS, code_version="1")
def aircraft_age_vs_delay(
    flights_daily: pd.DataFrame, raw_planes: pd.DataFrame
) -> Output[pd.DataFrame]:
    """Mean delays by aircraft age (2013 minus year of manufacture), in 5-year buckets.

    Only flights whose tail number is in ``raw_planes`` with a known year take part.
    """
    planes = raw_planes.loc[raw_planes["year"].notna(), ["tailnum", "year"]]
    joined = flights_daily.merge(
        planes.rename(columns={"year": "built"}), on="tailnum", how="inner", validate="many_to_one"
    )
    age = 2013 - joined["built"]
    buckets = pd.cut(age, bins=AGE_BINS, labels=AGE_LABELS, right=False)
    stats = (
        joined.assign(age_bucket=buckets, is_delayed=delayed(joined["arr_delay"]))
        .groupby("age_bucket", observed=True)
        .agg(
            planes=("tailnum", "nunique"),
            flights=("flight", "size"),
            mean_dep_delay=("dep_delay", "mean"),
            mean_arr_delay=("arr_delay", "mean"),
            share_delayed_15=("is_delayed", "mean"),
        )
        .reset_index()
    )
    stats["age_bucket"] = stats["age_bucket"].astype("str")
    return Output(stats, metadata={"flights_matched": len(joined)})


@asset(group_name="analytics", kinds=KINDS, owners=OWNERS, code_version="1")
def weather_impact(flights_daily: pd.DataFrame) -> Output[pd.DataFrame]:
    """Mean departure delay by the weather at the origin in the scheduled hour, bucketed by
    precipitation and by visibility (one row per factor and bucket), over the flights whose
    hour has a weather observation."""
    joined = flights_daily.loc[flights_daily["has_weather"]]
    joined = joined.assign(is_delayed=delayed(joined["dep_delay"]))
    parts = []
    for factor, column, bins, labels, right in (
        ("precipitation", "precip", PRECIP_BINS, PRECIP_LABELS, True),  # (0, 0.1] is light
        ("visibility", "visib", VISIB_BINS, VISIB_LABELS, False),  # [1, 3) is 1-3 mi
    ):
        buckets = pd.cut(joined[column], bins=bins, labels=labels, right=right)
        part = (
            joined.assign(bucket=buckets)
            .groupby("bucket", observed=True)
            .agg(
                flights=("flight", "size"),
                mean_dep_delay=("dep_delay", "mean"),
                share_dep_delayed_15=("is_delayed", "mean"),
            )
            .reset_index()
        )
        part.insert(0, "factor", factor)
        part["bucket"] = part["bucket"].astype("str")
        parts.append(part)
    impact = pd.concat(parts, ignore_index=True)
    return Output(
        impact,
        metadata={
            "flights_matched": len(joined),
            "flights_without_weather": len(flights_daily) - len(joined),
            "summary": MetadataValue.md(markdown_table(impact)),
        },
    )
