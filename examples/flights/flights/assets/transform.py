"""The dbt models of ``transform/`` as assets: staging (group core) and marts (analytics).

``transform/`` is a dbt project (dbt-duckdb) on the DuckDB file the raw tables are stored in.
Its sources are the raw tables: ``FlightsTranslator`` keys each source by its table's name,
so the dbt source ``nycflights13.raw_flights`` is the Python asset ``raw_flights``, and the
lineage runs from the CSV files through dbt to the report without a gap. Every dbt test
becomes an asset check of its model.

Three definitions share the one manifest, one per partitioning: the daily ``flights_daily``,
the monthly ``delays_by_carrier_month`` and the unpartitioned rest. A partitioned run passes
its time window to dbt as ``--vars`` (``partition_start``, ``partition_end``), which the
incremental models read to replace exactly the rows of their days or months.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flights.partitions import DAY_EXPR, daily_partitions, monthly_partitions
from flights.resources import DUCKDB_POOL, TRANSFORM_DIR, dbt_env, default_database_path, table
from headwater import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    AutomationCondition,
    BackfillPolicy,
)
from headwater.integrations.dbt import DbtCliResource, DbtProject, DbtTranslator, dbt_assets
from headwater.integrations.duckdb import DuckDBResource

project = DbtProject(project_dir=TRANSFORM_DIR, env=dbt_env(default_database_path()))
project.prepare_if_dev()  # `dbt parse` when target/manifest.json is missing or older than a model

PARTITIONED = "flights_daily delays_by_carrier_month"
"""The dbt models with partitions (dbt selection syntax)."""

WHOLE_YEAR_MARTS = ("route_performance", "aircraft_age_vs_delay", "weather_impact")
"""The unpartitioned marts, read from every stored partition of flights_daily."""


class FlightsTranslator(DbtTranslator):
    """A dbt source is the asset of the same name: ``nycflights13.raw_flights`` is
    ``raw_flights``, which the raw Python asset stores as table ``public.raw_flights``.

    The whole-year marts (unpartitioned models of the analytics group) are ``eager()``: the
    daemon requests them once every partition they read is there and one was updated since.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        if dbt_resource_props["name"] in WHOLE_YEAR_MARTS:
            return AutomationCondition.eager()
        return None


TRANSLATOR = FlightsTranslator()


@dbt_assets(
    manifest=project.manifest_path,
    exclude=PARTITIONED,
    dbt_translator=TRANSLATOR,
    project=project,
    pool=DUCKDB_POOL,
)
def transform(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """``weather_hourly`` and the whole-year marts, with their tests."""
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=project.manifest_path,
    select="flights_daily",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dbt_translator=TRANSLATOR,
    project=project,
    pool=DUCKDB_POOL,
)
def daily_flights(
    context: AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource
) -> Iterator[Any]:
    """``flights_daily`` for the run's days (one or the whole year), then an observation per
    day with that day's own counts: the materialization describes the run."""
    yield from dbt.cli(["build"], context=context).stream()
    _observe_days(context, duckdb)


@dbt_assets(
    manifest=project.manifest_path,
    select="delays_by_carrier_month",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dbt_translator=TRANSLATOR,
    project=project,
    pool=DUCKDB_POOL,
)
def carrier_months(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """``delays_by_carrier_month`` for the run's months, from their days of flights_daily."""
    yield from dbt.cli(["build"], context=context).stream()


def _observe_days(context: AssetExecutionContext, duckdb: DuckDBResource) -> None:
    """One observation per day of the run: flights kept and cancelled (from the raw table)."""
    query = f"""
        SELECT {DAY_EXPR} AS flight_date,
               count(*) FILTER (WHERE dep_time IS NOT NULL AND arr_time IS NOT NULL),
               count(*) FILTER (WHERE dep_time IS NULL OR arr_time IS NULL)
        FROM {table("raw_flights")}
        WHERE {DAY_EXPR} IN (SELECT unnest($days::VARCHAR[]))
        GROUP BY flight_date
    """
    days = list(context.partition_keys)
    with duckdb.get_connection() as conn:
        counts = {day: (kept, gone) for day, kept, gone in conn.execute(query, {"days": days})
                  .fetchall()}  # fmt: skip
    for day in days:
        kept, gone = counts.get(day, (0, 0))
        context.log_event(
            AssetObservation(
                asset_key=AssetKey("flights_daily"),
                partition=day,
                metadata={"flights": kept, "cancelled": gone},
            )
        )


dbt_definitions = [transform, daily_flights, carrier_months]
