"""Metadata values: one class per kind, table schemas with constraints, JSON round trips."""

from __future__ import annotations

import pickle

import pytest

from headwater import (
    AssetKey,
    BoolMetadataValue,
    DefinitionError,
    IntMetadataValue,
    JsonMetadataValue,
    MetadataValue,
    NullMetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
    TextMetadataValue,
)
from headwater.metadata import metadata_from_json, metadata_to_json, normalize_metadata


def test_raw_values_become_the_class_of_their_kind() -> None:
    normalized = normalize_metadata(
        {"i": 1, "f": 2.5, "s": "t", "b": False, "l": [1, 2], "d": {"k": "v"}, "n": None}
    )
    assert {k: type(v).__name__ for k, v in normalized.items()} == {
        "i": "IntMetadataValue", "f": "FloatMetadataValue", "s": "TextMetadataValue",
        "b": "BoolMetadataValue", "l": "JsonMetadataValue", "d": "JsonMetadataValue",
        "n": "NullMetadataValue",
    }  # fmt: skip
    assert all(isinstance(v, MetadataValue) for v in normalized.values())


def test_every_construction_form_gives_the_same_value() -> None:
    assert MetadataValue(3, "int") == MetadataValue.int(3) == IntMetadataValue(3)
    assert type(MetadataValue(3, "int")) is IntMetadataValue
    assert IntMetadataValue(3).kind == "int"
    assert MetadataValue.int(3) != MetadataValue.float(3)
    assert TextMetadataValue("x") != "x"
    assert hash(MetadataValue.json({"a": 1})) == hash(JsonMetadataValue({"a": 1}))
    assert {BoolMetadataValue(True), MetadataValue.bool(True)} == {MetadataValue.bool(True)}


def test_values_keep_their_class_through_json_and_pickle() -> None:
    raw = {"n": NullMetadataValue(None), "key": MetadataValue.asset(AssetKey(["a", "b"]))}
    back = metadata_from_json(metadata_to_json(raw))
    assert back == raw
    assert type(back["key"]).__name__ == "AssetMetadataValue"
    assert type(pickle.loads(pickle.dumps(back["n"]))) is NullMetadataValue


def test_table_columns_take_positional_arguments_and_constraints() -> None:
    unique = TableColumnConstraints(nullable=False, unique=True)
    column = TableColumn("id", "int", "the key", unique)
    assert (column.name, column.type, column.description) == ("id", "int", "the key")
    assert column.constraints == TableColumnConstraints(nullable=False, unique=True)
    plain = TableColumn("email")
    assert plain.type == "string"
    assert plain.constraints.nullable and not plain.constraints.unique
    schema = TableSchema([column, plain])
    assert [c.name for c in schema.columns] == ["id", "email"]


def test_a_table_schema_round_trips_through_json_with_constraints_and_tags() -> None:
    schema = TableSchema(
        columns=[
            TableColumn("id", "int", constraints=TableColumnConstraints(False, True, ["> 0"])),
            TableColumn("email", tags={"pii": "true"}),
        ]
    )
    value = MetadataValue.table_schema(schema)
    back = MetadataValue.from_json(value.to_json())
    assert back == value
    assert back.value.columns[0].constraints.other == ("> 0",)
    assert back.value.columns[1].tags == {"pii": "true"}
    assert "constraints" not in value.to_json()["value"][1]  # defaults stay out of the JSON


def test_a_column_needs_a_name() -> None:
    with pytest.raises(DefinitionError, match="TableColumn: name"):
        TableColumn("")
