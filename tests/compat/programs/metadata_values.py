"""Metadata: MetadataValue constructors, TableSchema/TableColumn, raw values normalized in events."""

import dagster as dg
from _transcript import case, check


@case("constructors")
def _():
    check("int", dg.MetadataValue.int(3).value)
    check("float", dg.MetadataValue.float(1.5).value)
    check("text", dg.MetadataValue.text("hi").value)
    check("bool", dg.MetadataValue.bool(True).value)
    check("url", dg.MetadataValue.url("http://x").value)
    check("path", dg.MetadataValue.path("/tmp/x").value)
    check("json", dg.MetadataValue.json({"a": [1, 2]}).value)
    check("md", dg.MetadataValue.md("# t").value)
    check("null", dg.MetadataValue.null().value)
    check("timestamp", dg.MetadataValue.timestamp(1700000000.0).value)


@case("table_schema")
def _():
    schema = dg.TableSchema(columns=[dg.TableColumn("id", "int"), dg.TableColumn(name="name", type="string", description="who")])
    check("names", [c.name for c in schema.columns])
    check("types", [c.type for c in schema.columns])
    check("description", schema.columns[1].description)
    mv = dg.MetadataValue.table_schema(schema)
    check("wrapped_names", [c.name for c in mv.value.columns])


@case("table_column_constraints")
def _():
    col = dg.TableColumn("id", "int", constraints=dg.TableColumnConstraints(nullable=False, unique=True))
    check("nullable", col.constraints.nullable)
    check("unique", col.constraints.unique)
    check("default_type", dg.TableColumn("x").type)


@case("raw_values_in_materialization")
def _():
    @dg.asset
    def with_meta(context) -> int:
        context.add_output_metadata({"i": 1, "f": 2.5, "s": "t", "b": False, "l": [1, 2], "d": {"k": "v"}, "n": None})
        return 1

    result = dg.materialize([with_meta])
    md = result.get_asset_materialization_events()[0].materialization.metadata
    md = {k: v for k, v in md.items() if k in {"i", "f", "s", "b", "l", "d", "n"}}
    check("keys", sorted(md))
    check("values", {k: v.value for k, v in md.items()})
    check("wrapper_types", {k: type(v).__name__ for k, v in md.items()})


@case("column_schema_metadata")
def _():
    @dg.asset(metadata={"dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn("a", "int")])})
    def with_schema() -> int:
        return 1

    spec = next(iter(with_schema.specs))
    schema = spec.metadata["dagster/column_schema"]
    check("column_names", [c.name for c in schema.columns])


@case("asset_materialization_event")
def _():
    m = dg.AssetMaterialization(asset_key="ext", description="external", metadata={"rows": 10})
    check("key", m.asset_key.to_user_string())
    check("description", m.description)
    check("rows", m.metadata["rows"].value)
    o = dg.AssetObservation(asset_key=["a", "b"], metadata={"seen": True})
    check("obs_key", o.asset_key.to_user_string())
    check("obs_seen", o.metadata["seen"].value)
