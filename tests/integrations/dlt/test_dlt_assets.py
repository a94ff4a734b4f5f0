"""dlt_assets and DltPipelineResource: real dlt pipelines loading into DuckDB files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest

from headwater import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    DefinitionError,
    HeadwaterError,
    asset,
    materialize,
)
from headwater.compat import importer
from headwater.integrations.dlt import (
    DltPipelineResource,
    DltResourceTranslatorData,
    DltTranslator,
    build_dlt_asset_specs,
    dlt_assets,
)


@pytest.fixture(autouse=True)
def _dlt_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dlt's global data dir (pipeline state) in the test's directory; no telemetry."""
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path / "dlt-home"))
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


@dlt.source
def shop(rows: int = 2) -> Any:
    @dlt.resource(primary_key="id", table_name="clients")
    def customers() -> Iterator[list[dict[str, Any]]]:
        """The shop's customers."""
        yield [{"id": i, "name": f"c{i}"} for i in range(rows)]

    @dlt.resource
    def orders() -> Iterator[list[dict[str, Any]]]:
        yield [{"id": 1, "amount": 3.5}]

    return customers, orders


def _pipeline(tmp_path: Path, name: str = "shop_pipeline") -> Any:
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(tmp_path / "dlt"),
        destination=dlt.destinations.duckdb(str(tmp_path / "warehouse.duckdb")),
        dataset_name="raw",
    )


def _tables(tmp_path: Path) -> dict[str, int]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
                "AND table_name NOT LIKE '_dlt%'"
            ).fetchall()
        ]
        return {n: conn.execute(f"SELECT count(*) FROM raw.{n}").fetchone()[0] for n in names}


def test_default_translation_names_each_resource_after_its_source(tmp_path: Path) -> None:
    specs = {s.key: s for s in build_dlt_asset_specs(shop(), _pipeline(tmp_path))}

    customers = specs[AssetKey("dlt_shop_customers")]
    assert set(specs) == {AssetKey("dlt_shop_customers"), AssetKey("dlt_shop_orders")}
    assert [d.asset_key for d in customers.deps] == [AssetKey("shop_customers")]
    assert customers.description == "The shop's customers."
    assert customers.kinds == frozenset({"dlt", "duckdb"})
    assert customers.metadata["dagster/table_name"] == "clients"  # definition metadata: as declared
    assert customers.metadata["dagster/storage_kind"] == "duckdb"
    assert specs[AssetKey("dlt_shop_orders")].description is None


def test_materialize_loads_every_resource_and_reports_what_it_loaded(tmp_path: Path) -> None:
    @dlt_assets(dlt_source=shop(3), dlt_pipeline=_pipeline(tmp_path), group_name="ingest")
    def shop_assets(context: AssetExecutionContext, dlt: DltPipelineResource) -> Iterator[Any]:
        yield from dlt.run(context=context)

    result = materialize([shop_assets], resources={"dlt": DltPipelineResource()})

    assert result.success
    assert _tables(tmp_path) == {"clients": 3, "orders": 1}
    assert {s.group_name for s in shop_assets.specs} == {"ingest"}
    by_key = {m.asset_key: m for m in result.asset_materializations_for_node("shop_assets")}
    customers = by_key[AssetKey("dlt_shop_customers")].metadata
    assert customers["rows_loaded"].value == 3
    assert customers["dataset_name"].value == "raw"
    assert customers["destination_name"].value == "duckdb"
    assert customers["first_run"].value is True
    assert [job["table_name"] for job in customers["jobs"].value] == ["clients"]
    columns = {c.name: c.type for c in customers["dagster/column_schema"].value.columns}
    assert columns["id"] == "bigint" and columns["name"] == "text"
    assert by_key[AssetKey("dlt_shop_orders")].metadata["rows_loaded"].value == 1


def test_a_subset_run_loads_only_the_selected_resources(tmp_path: Path) -> None:
    @dlt_assets(dlt_source=shop(), dlt_pipeline=_pipeline(tmp_path))
    def shop_assets(context: AssetExecutionContext, dlt: DltPipelineResource) -> Iterator[Any]:
        yield from dlt.run(context=context)

    result = materialize(
        [shop_assets],
        resources={"dlt": DltPipelineResource()},
        selection=[AssetKey("dlt_shop_orders")],
    )

    assert result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        AssetKey("dlt_shop_orders")
    ]
    assert _tables(tmp_path) == {"orders": 1}


@dlt.source
def csv_rows(path: str | None = None) -> Any:
    def load_rows() -> Iterator[list[dict[str, str]]]:
        assert path is not None
        lines = Path(path).read_text().splitlines()
        header = lines[0].split(",")
        yield [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]

    return load_rows


class _AfterUpload(DltTranslator):
    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        return super().get_asset_spec(data).replace_attributes(deps=[AssetKey("upload")])


def test_a_translator_dependency_feeds_an_upstream_value_to_the_source(tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("name,city\nada,london\nalan,wilmslow\n")

    @asset
    def upload() -> str:
        return str(csv)

    @dlt_assets(
        dlt_source=csv_rows(),
        dlt_pipeline=_pipeline(tmp_path, "csv_pipeline"),
        dagster_dlt_translator=_AfterUpload(),
    )
    def csv_assets(
        context: AssetExecutionContext, dlt: DltPipelineResource, upload: str
    ) -> Iterator[Any]:
        yield from dlt.run(context=context, dlt_source=csv_rows(upload))

    result = materialize([upload, csv_assets], resources={"dlt": DltPipelineResource()})

    assert result.success
    (spec,) = csv_assets.specs
    assert spec.key == AssetKey("dlt_csv_rows_load_rows")
    assert [d.asset_key for d in spec.deps] == [AssetKey("upload")]
    assert _tables(tmp_path) == {"load_rows": 2}


def test_group_name_and_a_translator_group_together_are_refused(tmp_path: Path) -> None:
    class Grouped(DltTranslator):
        def get_group_name(self, resource: Any) -> str:
            return "translated"

    with pytest.raises(DefinitionError, match=r"group_name='ingest'.*dlt_shop_customers"):
        dlt_assets(
            dlt_source=shop(),
            dlt_pipeline=_pipeline(tmp_path),
            group_name="ingest",
            dagster_dlt_translator=Grouped(),
        )


def test_two_resources_with_one_key_are_refused(tmp_path: Path) -> None:
    class OneKey(DltTranslator):
        def get_asset_key(self, resource: Any) -> AssetKey:
            return AssetKey("everything")

    with pytest.raises(DefinitionError, match=r"'customers' and 'orders'.*'everything'"):
        build_dlt_asset_specs(shop(), _pipeline(tmp_path), OneKey())


def test_run_outside_dlt_assets_needs_a_source_and_pipeline(tmp_path: Path) -> None:
    @asset
    def not_dlt(context: AssetExecutionContext, dlt: DltPipelineResource) -> None:
        list(dlt.run(context=context))

    with pytest.raises(HeadwaterError, match="Pass dlt_source= and dlt_pipeline="):
        materialize([not_dlt], resources={"dlt": DltPipelineResource()})


@pytest.fixture
def hook() -> Iterator[None]:
    importer.install()
    try:
        yield
    finally:
        importer.uninstall()


def test_dagster_dlt_names_are_served_by_the_dlt_integration(hook: None) -> None:
    import dagster_dlt
    from dagster_dlt.translator import DagsterDltTranslator
    from dagster_dlt.translator import DltResourceTranslatorData as served_data

    assert dagster_dlt.DagsterDltResource is DltPipelineResource
    assert dagster_dlt.dlt_assets is dlt_assets
    assert dagster_dlt.build_dlt_asset_specs is build_dlt_asset_specs
    assert DagsterDltTranslator is DltTranslator
    assert served_data is DltResourceTranslatorData
