"""The schema's SDL file is current (graphql-codegen in ui/ reads it), and read-only means no
mutation at all."""

from __future__ import annotations

from headwater.webserver.graphql.export import SCHEMA_FILE, main, schema_sdl
from headwater.webserver.graphql.schema import build_schema


def test_schema_graphql_is_up_to_date_with_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "src/headwater/webserver/graphql/schema.graphql is stale: run "
        "python -m headwater.webserver.graphql.export"
    )
    assert main(["--check"]) == 0


def test_the_read_only_schema_has_no_mutation_type() -> None:
    sdl = str(build_schema(read_only=True))
    assert "type Mutation" not in sdl
    assert "materialize(input" not in sdl and "wipeAssets" not in sdl
    assert "type Query" in sdl and "type Subscription" in sdl


def test_every_field_of_the_schema_is_documented() -> None:
    schema = build_schema(read_only=False)._schema
    undocumented = [
        f"{name}.{field_name}"
        for name, gql_type in schema.type_map.items()
        if not name.startswith("__")
        and hasattr(gql_type, "fields")
        and name in {"Query", "Mutation", "Subscription", "Asset", "Run", "CodeLocation"}
        for field_name, field in gql_type.fields.items()
        if not field.description
    ]
    assert undocumented == []
