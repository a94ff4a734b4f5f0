"""Legacy ``config_schema=`` schemas: validation, defaults, error paths, and real runs."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from headwater import (
    Array,
    BoolSource,
    Config,
    DefinitionError,
    Enum,
    EnumValue,
    Field,
    IntSource,
    InvalidConfigError,
    Map,
    Noneable,
    Permissive,
    Selector,
    Shape,
    StringSource,
    asset,
    job,
    materialize,
    op,
)
from headwater.declarations.config.legacy import config_schema_model
from headwater.declarations.config.model import validate_run_config

SCHEMA = {
    "limit": int,
    "region": Field(str, default_value="eu", description="where"),
    "sample": Field(int, is_required=False),
    "cap": Field(Noneable(int)),
    "nested": Shape({"depth": Field(int, default_value=3)}),
    "extra": Permissive({"known": Field(int, default_value=1)}),
    "tables": Field(Array(str), default_value=["a"]),
    "color": Field(
        Enum("Color", [EnumValue("RED", python_value=1), EnumValue("BLUE")]), default_value="RED"
    ),
    "ratio": Field(float, default_value=1),
}


def _validate(config: Any, schema: Any = SCHEMA) -> Any:
    model = config_schema_model(schema, "op 'o'")
    resolved = validate_run_config({"ops": {"o": {"config": config}}}, config_schemas={"o": model})
    return resolved.op_config("o").model_dump()  # type: ignore[union-attr]


def _errors(config: Any, schema: Any = SCHEMA) -> list[tuple[str, str]]:
    with pytest.raises(InvalidConfigError) as info:
        _validate(config, schema)
    return info.value.errors


def test_defaults_are_filled_and_optional_fields_without_default_are_left_out() -> None:
    assert _validate({"limit": 5, "extra": {"anything": "kept"}, "ratio": 2}) == {
        "limit": 5,
        "region": "eu",
        "cap": None,
        "nested": {"depth": 3},
        "extra": {"known": 1, "anything": "kept"},
        "tables": ["a"],
        "color": 1,
        "ratio": 2.0,
    }


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"limit": "5"}, [("ops.o.config.limit", "expected int, got '5' (str)")]),
        ({"limit": True}, [("ops.o.config.limit", "expected int, got True (bool)")]),
        ({"limit": 1.5}, [("ops.o.config.limit", "expected int, got 1.5 (float)")]),
        ({}, [("ops.o.config.limit", "required field missing")]),
        ({"limit": 1, "nested": {"depth": "x"}},
         [("ops.o.config.nested.depth", "expected int, got 'x' (str)")]),
        ({"limit": 1, "tables": ["x", 2]},
         [("ops.o.config.tables[1]", "expected str, got 2 (int)")]),
        ({"limit": 1, "color": "GREEN"},
         [("ops.o.config.color", "expected one of 'RED', 'BLUE', got 'GREEN' (str)")]),
        ({"limit": 1, "region": None},
         [("ops.o.config.region", "expected str, got None (NoneType)")]),
        ({"limit": 1, "cap": "none"}, [("ops.o.config.cap", "expected int, got 'none' (str)")]),
    ],
)  # fmt: skip
def test_bad_config_names_the_path_and_the_expected_type(
    config: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert _errors(config) == expected


def test_unknown_fields_are_refused_except_in_permissive() -> None:
    [(path, problem)] = _errors({"limit": 1, "limt": 2})
    assert path == "ops.o.config.limt"
    assert "unknown field" in problem and "'limit'" in problem
    assert _validate({"limit": 1, "nested": {}, "extra": {"x": 1}})["extra"] == {"known": 1, "x": 1}


def test_every_problem_is_reported_at_once() -> None:
    paths = [p for p, _ in _errors({"limit": "x", "nested": {"depth": "y"}, "tables": "t"})]
    assert paths == ["ops.o.config.limit", "ops.o.config.nested.depth", "ops.o.config.tables"]


def test_scalar_and_array_schemas_validate_the_whole_config() -> None:
    assert _validate("hello", str) == "hello"
    assert _validate([1, 2], [int]) == [1, 2]
    assert _errors(3, str) == [("ops.o.config", "expected str, got 3 (int)")]
    assert _errors(["a", 1], Array(str)) == [("ops.o.config[1]", "expected str, got 1 (int)")]
    model = config_schema_model(Field(int, default_value=7), "op 'o'")
    resolved = validate_run_config({}, config_schemas={"o": model})
    assert resolved.op_config("o").model_dump() == 7  # type: ignore[union-attr]


def test_sources_read_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_PORT", "5432")
    monkeypatch.setenv("HW_HOST", "db.internal")
    monkeypatch.setenv("HW_DEBUG", "true")
    schema = {"port": IntSource, "host": StringSource, "debug": BoolSource}
    config = {"port": {"env": "HW_PORT"}, "host": {"env": "HW_HOST"}, "debug": {"env": "HW_DEBUG"}}
    assert _validate(config, schema) == {"port": 5432, "host": "db.internal", "debug": True}
    assert _validate({"port": 1, "host": "h", "debug": False}, schema)["port"] == 1
    [(path, problem)] = _errors(
        {"port": {"env": "HW_UNSET_VAR"}, "host": "h", "debug": True}, schema
    )
    assert path == "ops.o.config.port"
    assert "environment variable 'HW_UNSET_VAR' is not set" in problem
    [(path, problem)] = _errors({"port": 1, "host": {"env": "HW_HOST"}, "debug": True},
                                {"port": int, "host": str, "debug": bool})  # fmt: skip
    assert path == "ops.o.config.host" and "expected str" in problem


def test_an_environment_variable_value_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_SECRET_PORT", "hunter2")
    [(_, problem)] = _errors({"port": {"env": "HW_SECRET_PORT"}}, {"port": IntSource})
    assert "'HW_SECRET_PORT' is not a valid int" in problem
    assert "hunter2" not in problem


def test_map_selector_and_python_enums() -> None:
    class Level(enum.Enum):
        LOW = 1
        HIGH = 2

    schema = {
        "weights": Map(str, float),
        "format": Selector({"csv": {"sep": Field(str, default_value=",")}, "parquet": {}}),
        "level": Field(Enum.from_python_enum(Level), default_value="LOW"),
    }
    assert _validate({"weights": {"a": 1}, "format": {"csv": {}}}, schema) == {
        "weights": {"a": 1.0},
        "format": {"csv": {"sep": ","}},
        "level": Level.LOW,
    }
    [(path, problem)] = _errors({"weights": {}, "format": {"csv": {}, "parquet": {}}}, schema)
    assert path == "ops.o.config.format" and "exactly one of the keys csv, parquet" in problem


def test_bad_schemas_and_defaults_fail_at_definition_time() -> None:
    with pytest.raises(DefinitionError, match="default of config field 'n'"):
        config_schema_model({"n": Field(int, default_value="ten")}, "op 'o'")
    with pytest.raises(DefinitionError, match="is_required=True and a default_value"):
        Field(int, default_value=1, is_required=True)
    with pytest.raises(DefinitionError, match="is not a config schema"):
        config_schema_model({"n": object()}, "op 'o'")
    with pytest.raises(DefinitionError, match="exactly one item type"):
        config_schema_model({"n": [int, str]}, "op 'o'")


def test_field_requiredness_follows_dagster() -> None:
    assert Field(int).is_required
    assert not Field(int, default_value=1).is_required
    assert not Field(Noneable(int)).is_required
    assert not Field({"a": Field(int, default_value=1)}).is_required
    assert Field({"a": int}).is_required
    assert not Field(Permissive()).is_required


# --- in real runs -----------------------------------------------------------------------------


@op(config_schema={"greeting": Field(str, default_value="hello"), "times": int})
def greet(context: Any) -> str:
    return " ".join([context.op_config["greeting"]] * context.op_config["times"])


@op(config_schema=Array(int))
def total(context: Any) -> int:
    return sum(context.op_config)


@job
def greetings() -> None:
    greet()
    total()


def test_op_config_in_an_ops_job(instance: Any) -> None:
    result = greetings.execute_in_process(
        {"ops": {"greet": {"config": {"times": 2}}, "total": {"config": [1, 2, 3]}}},
        instance=instance,
    )

    assert result.output_for_node("greet") == "hello hello"
    assert result.output_for_node("total") == 6


def test_bad_op_config_in_a_job_lists_every_path_and_runs_nothing(instance: Any) -> None:
    with pytest.raises(InvalidConfigError) as info:
        greetings.execute_in_process(
            {"ops": {"greet": {"config": {"times": "2"}}, "total": {"config": [1, "x"]}}},
            instance=instance,
        )

    assert info.value.errors == [
        ("ops.greet.config.times", "expected int, got '2' (str)"),
        ("ops.total.config[1]", "expected int, got 'x' (str)"),
    ]
    assert instance.get_runs() == []


def test_asset_config_schema_is_checked_when_declared() -> None:
    from headwater import AssetOut, multi_asset

    class Settings(Config):
        n: int = 1

    with pytest.raises(DefinitionError, match="config_schema"):

        @asset(config_schema={"n": int})
        def both(config: Settings) -> int:
            return config.n

    @multi_asset(outs={"a": AssetOut(), "b": AssetOut()}, config_schema={"n": int})
    def pair(context: Any) -> tuple[int, int]:
        return context.op_config["n"], 2

    assert pair.config_class is not None
    assert list(pair.config_class.model_fields) == ["n"]


def test_asset_op_config_in_materialize(instance: Any) -> None:
    @asset(config_schema={"n": Field(int, default_value=2)})
    def doubled(context: Any) -> int:
        return int(context.op_config["n"]) * 2

    result = materialize(
        [doubled], run_config={"ops": {"doubled": {"config": {"n": 5}}}}, instance=instance
    )

    assert result.output_for_node("doubled") == 10
