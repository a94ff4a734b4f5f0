"""DuckDBPandasIOManager and DuckDBResource against real DuckDB files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from headwater import (
    AssetIn,
    AssetKey,
    Definitions,
    HeadwaterError,
    MetadataValue,
    TableSchema,
    TypeCheckError,
    asset,
    build_input_context,
    build_output_context,
    materialize,
)
from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "carrier": pd.Series(["UA", "AA", None], dtype="str"),
            "flights": [10, 20, 30],
            "delay": [1.5, float("nan"), -2.0],
            "departed_at": pd.to_datetime(
                ["2013-01-01 05:15", "2013-06-30 23:59", "2013-12-31 00:00"]
            ).tz_localize("UTC"),
        }
    )


def _store(manager: DuckDBPandasIOManager, key: Any, value: Any, **kwargs: Any) -> Any:
    context = build_output_context(asset_key=key, **kwargs)
    manager.handle_output(context, value)
    return context


def _load(manager: DuckDBPandasIOManager, key: Any, **kwargs: Any) -> pd.DataFrame:
    return manager.load_input(build_input_context(asset_key=key, **kwargs))


def _query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "warehouse.duckdb"


@pytest.fixture
def manager(database: Path) -> DuckDBPandasIOManager:
    return DuckDBPandasIOManager(database=str(database))


def test_dataframe_round_trips_with_dtypes(manager: DuckDBPandasIOManager) -> None:
    frame = _frame()
    _store(manager, "carriers", frame)
    loaded = _load(manager, "carriers")
    pd.testing.assert_frame_equal(loaded, frame)


def test_single_component_key_uses_default_schema(
    manager: DuckDBPandasIOManager, database: Path
) -> None:
    _store(manager, "carriers", _frame())
    assert _query(database, "SELECT count(*) FROM public.carriers") == [(3,)]


def test_schema_setting_applies_to_unprefixed_keys(database: Path) -> None:
    # the schema shares its name with the database file: table names must stay unambiguous
    manager = DuckDBPandasIOManager(database=str(database), schema="warehouse")
    _store(manager, "carriers", _frame())
    assert _query(database, "SELECT count(*) FROM warehouse.warehouse.carriers") == [(3,)]
    assert len(_load(manager, "carriers")) == 3


def test_key_prefix_becomes_schema(manager: DuckDBPandasIOManager, database: Path) -> None:
    _store(manager, ["analytics", "delays"], _frame().head(2))
    assert _query(database, "SELECT count(*) FROM analytics.delays") == [(2,)]
    assert len(_load(manager, AssetKey(["analytics", "delays"]))) == 2


def test_storing_again_replaces_the_table(manager: DuckDBPandasIOManager) -> None:
    _store(manager, "carriers", _frame())
    _store(manager, "carriers", pd.DataFrame({"only": [1]}))
    loaded = _load(manager, "carriers")
    assert list(loaded.columns) == ["only"]
    assert loaded["only"].tolist() == [1]


def test_output_metadata_describes_the_table(manager: DuckDBPandasIOManager) -> None:
    context = _store(manager, ["core", "carriers"], _frame())
    metadata = context.output_metadata
    assert metadata["row_count"] == MetadataValue.int(3)
    assert metadata["table"] == MetadataValue.text("core.carriers")
    schema = metadata["columns"].value
    assert isinstance(schema, TableSchema)
    assert [(c.name, c.type) for c in schema.columns] == [
        ("carrier", "VARCHAR"),
        ("flights", "BIGINT"),
        ("delay", "DOUBLE"),
        ("departed_at", "TIMESTAMP WITH TIME ZONE"),
    ]


def test_none_output_stores_nothing(manager: DuckDBPandasIOManager, database: Path) -> None:
    context = _store(manager, "nothing", None)
    assert dict(context.output_metadata) == {}
    assert not database.exists()


def test_wrong_type_error_names_asset_type_and_fix(manager: DuckDBPandasIOManager) -> None:
    @asset
    def carriers() -> Any:
        return [{"carrier": "UA"}]

    with pytest.raises(TypeCheckError) as info:
        materialize([carriers], resources={"io_manager": manager})
    message = str(info.value)
    assert "'carriers'" in message
    assert "builtins.list" in message
    assert "pandas.DataFrame" in message
    assert "io_manager_key" in message


def test_unconvertible_column_is_a_clear_error(manager: DuckDBPandasIOManager) -> None:
    frame = pd.DataFrame({"mixed": pd.Series([1, "two"], dtype=object)})
    with pytest.raises(HeadwaterError, match=r"'mixed_asset'.*public\.mixed_asset"):
        _store(manager, "mixed_asset", frame)


def test_missing_database_file_says_materialize_first(
    manager: DuckDBPandasIOManager, database: Path
) -> None:
    with pytest.raises(HeadwaterError, match=r"Materialize 'raw/flights' first"):
        _load(manager, ["raw", "flights"])
    assert not database.exists()


def test_missing_table_says_materialize_first(manager: DuckDBPandasIOManager) -> None:
    _store(manager, "carriers", _frame())
    with pytest.raises(HeadwaterError, match=r"no table public\.planes.*Materialize 'planes'"):
        _load(manager, "planes")


def test_partitions_replace_only_their_rows(
    manager: DuckDBPandasIOManager, database: Path
) -> None:
    meta = {"partition_expr": MetadataValue.text("month")}
    for month, rows in (("1", 3), ("2", 2), ("1", 1)):
        frame = pd.DataFrame({"month": [month] * rows, "n": range(rows)})
        _store(manager, "monthly", frame, partition_key=month, definition_metadata=meta)
    assert _query(database, "SELECT month, count(*) FROM public.monthly GROUP BY 1 ORDER BY 1") == [
        ("1", 1),
        ("2", 2),
    ]
    upstream = build_output_context(asset_key="monthly", definition_metadata=meta)
    loaded = _load(manager, "monthly", partition_key="2", upstream_output=upstream)
    assert loaded["month"].tolist() == ["2", "2"]


def test_failed_partition_write_leaves_previous_rows(
    manager: DuckDBPandasIOManager, database: Path
) -> None:
    meta = {"partition_expr": MetadataValue.text("month")}
    _store(manager, "monthly", pd.DataFrame({"month": ["1", "1"]}), partition_key="1",
           definition_metadata=meta)
    with pytest.raises(duckdb.Error):
        _store(manager, "monthly", pd.DataFrame({"month": ["1"], "extra": [1]}),
               partition_key="1", definition_metadata=meta)
    assert _query(database, "SELECT count(*) FROM public.monthly") == [(2,)]


def test_partition_without_partition_expr_is_an_error(manager: DuckDBPandasIOManager) -> None:
    with pytest.raises(HeadwaterError, match="partition_expr"):
        _store(manager, "monthly", pd.DataFrame({"month": ["1"]}), partition_key="1")


def test_unpartitioned_upstream_loads_whole_in_a_partitioned_run(
    manager: DuckDBPandasIOManager,
) -> None:
    _store(manager, "carriers", _frame())
    upstream = build_output_context(asset_key="carriers", partition_key="2013-01")
    loaded = _load(manager, "carriers", partition_key="2013-01", upstream_output=upstream)
    assert len(loaded) == 3


def test_in_memory_database_keeps_tables_within_the_manager() -> None:
    manager = DuckDBPandasIOManager(database=":memory:")
    _store(manager, "carriers", _frame())
    pd.testing.assert_frame_equal(_load(manager, "carriers"), _frame())


def test_assets_pass_dataframes_through_duckdb(
    manager: DuckDBPandasIOManager, database: Path, instance: Any
) -> None:
    @asset(key_prefix="raw")
    def trips() -> pd.DataFrame:
        return pd.DataFrame({"route": ["EWR-ORD", "JFK-LAX", "EWR-ORD"], "delay": [5, 15, 25]})

    @asset(key_prefix="core", ins={"trips": AssetIn(key=["raw", "trips"])})
    def routes(trips: pd.DataFrame) -> pd.DataFrame:
        return trips.groupby("route", as_index=False)["delay"].mean()

    result = materialize([trips, routes], resources={"io_manager": manager}, instance=instance)
    assert result.success
    assert _query(database, "SELECT route, delay FROM core.routes ORDER BY route") == [
        ("EWR-ORD", 15.0),
        ("JFK-LAX", 15.0),
    ]
    event = instance.get_latest_materialization_event(AssetKey(["core", "routes"]))
    metadata = event.asset_materialization.metadata
    assert metadata["row_count"] == MetadataValue.int(2)
    assert metadata["table"] == MetadataValue.text("core.routes")


def test_duckdb_resource_queries_tables_the_io_manager_stored(
    manager: DuckDBPandasIOManager, database: Path, instance: Any
) -> None:
    _store(manager, "carriers", _frame())

    @asset(deps=["carriers"])
    def carrier_count(duckdb: DuckDBResource) -> pd.DataFrame:
        with duckdb.get_connection() as conn:
            counted = conn.sql("SELECT count(*) AS n FROM public.carriers")
            return counted.to_arrow_table().to_pandas()

    defs = Definitions(
        assets=[carrier_count],
        resources={"io_manager": manager, "duckdb": DuckDBResource(database=str(database))},
    )
    result = materialize(defs.assets, resources=defs.resources, instance=instance)
    assert result.output_for_node("carrier_count")["n"].tolist() == [3]
    assert _query(database, "SELECT n FROM public.carrier_count") == [(3,)]
