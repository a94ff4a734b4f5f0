"""Config classes, EnvVar, run config validation and run config files."""

from __future__ import annotations

import enum
import pickle
from pathlib import Path
from typing import Annotated, Literal

import pydantic
import pytest

from headwater import (
    Config,
    ConfigurableResource,
    DefinitionError,
    EnvVar,
    InvalidConfigError,
    InvalidInvocationError,
    PermissiveConfig,
    ResourceParam,
    RunConfig,
)
from headwater.declarations.config.model import (
    IntEnvVar,
    is_config_class,
    is_resource_class,
    load_run_config_file,
    validate_run_config,
)


class Inner(Config):
    a: int = 1


class OrdersConfig(Config):
    limit: int
    name: str = "orders"
    inner: Inner = Inner()
    key: int | str = 1
    items: list[int] = pydantic.Field(default_factory=list)


class Defaults(Config):
    limit: int = 10


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Constrained(Config):
    mode: Literal["fast", "slow"] = "fast"
    color: Color = Color.RED
    count: Annotated[int, pydantic.Field(gt=0)] = 1


class Warehouse(ConfigurableResource):
    path: str
    timeout: int = 30


def errors_of(exc_info: pytest.ExceptionInfo[InvalidConfigError]) -> list[tuple[str, str]]:
    return exc_info.value.errors


# --- Config -------------------------------------------------------------------------------


def test_config_instances_are_frozen() -> None:
    config = Defaults(limit=3)
    with pytest.raises(InvalidInvocationError, match=r"Defaults.limit cannot be assigned.*copy"):
        config.limit = 4
    assert config.limit == 3
    assert config.model_copy(update={"limit": 4}).limit == 4


def test_enum_fields_take_the_member_its_name_or_its_value() -> None:
    assert Constrained(color="BLUE").color is Color.BLUE  # type: ignore[arg-type]
    assert Constrained(color="blue").color is Color.BLUE  # type: ignore[arg-type]
    assert Constrained(color=Color.BLUE).color is Color.BLUE
    resolved = validate_run_config(
        {"ops": {"c": {"config": {"color": "BLUE"}}}}, config_schemas={"c": Constrained}
    )
    assert resolved.ops["c"].color is Color.BLUE


def test_permissive_config_keeps_undeclared_fields() -> None:
    class Loose(PermissiveConfig):
        known: int = 1

    resolved = validate_run_config(
        {"ops": {"loose": {"config": {"known": 5, "extra": "x"}}}},
        config_schemas={"loose": Loose},
    )
    assert resolved.ops["loose"].model_dump() == {"known": 5, "extra": "x"}
    with pytest.raises(pydantic.ValidationError):
        Loose(known="five")  # type: ignore[arg-type]


def test_config_rejects_unknown_fields() -> None:
    with pytest.raises(pydantic.ValidationError, match="limt"):
        Defaults(limt=3)  # type: ignore[call-arg]


def test_is_config_class_tells_config_from_resources_and_other_types() -> None:
    assert is_config_class(OrdersConfig)
    assert not is_config_class(Warehouse)
    assert not is_config_class(int)
    assert not is_config_class(OrdersConfig(limit=1))
    assert not is_config_class("OrdersConfig")


def test_is_resource_class_accepts_resources_and_resource_params() -> None:
    assert is_resource_class(Warehouse)
    assert is_resource_class(ResourceParam[dict[str, int]])
    assert not is_resource_class(OrdersConfig)
    assert not is_resource_class(Annotated[int, "other"])
    assert not is_resource_class(str)


# --- EnvVar -------------------------------------------------------------------------------


def test_env_var_is_a_str_naming_the_variable_and_never_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HW_TEST_SECRET", "hunter2")
    var = EnvVar("HW_TEST_SECRET")
    assert isinstance(var, str)
    assert var == "HW_TEST_SECRET"
    assert var.name == "HW_TEST_SECRET"
    assert repr(var) == "EnvVar('HW_TEST_SECRET')"
    assert "hunter2" not in str(var) + repr(var) + f"{var}"
    assert var.get_value() == "hunter2"


def test_env_var_reads_the_variable_when_asked_not_when_created(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HW_TEST_LATE", raising=False)
    var = EnvVar("HW_TEST_LATE")
    assert var.get_value() is None
    assert var.get_value(default="fallback") == "fallback"
    monkeypatch.setenv("HW_TEST_LATE", "now")
    assert var.get_value() == "now"


def test_env_var_needs_a_name() -> None:
    with pytest.raises(DefinitionError, match="name of an environment variable"):
        EnvVar("")


def test_int_env_var_is_an_int_that_survives_pickling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_TEST_PORT", "5432")
    var = EnvVar.int("HW_TEST_PORT")
    assert isinstance(var, int) and isinstance(var, IntEnvVar)
    assert repr(var) == str(var) == "EnvVar.int('HW_TEST_PORT')"
    copy = pickle.loads(pickle.dumps(var))
    assert isinstance(copy, IntEnvVar)
    assert copy.name == "HW_TEST_PORT"
    assert copy.get_value() == "5432"
    assert pickle.loads(pickle.dumps(EnvVar("X"))) == EnvVar("X")


# --- validate_run_config ----------------------------------------------------------------------


def test_every_bad_path_is_reported_at_once() -> None:
    run_config = {
        "ops": {
            "orders": {
                "config": {
                    "limit": "ten",
                    "nme": "x",
                    "inner": {"a": "b"},
                    "key": [1],
                    "items": [1, "z"],
                }
            },
            "custmers": {},
        },
        "opz": {},
    }
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            run_config,
            config_schemas={"orders": OrdersConfig, "customers": None, "report": OrdersConfig},
        )
    assert errors_of(exc_info) == [
        ("opz", "unknown top-level key (did you mean 'ops'?)"),
        ("ops.custmers", "unknown op (did you mean 'customers'?)"),
        ("ops.orders.config.limit", "expected int, got 'ten' (str)"),
        ("ops.orders.config.inner.a", "expected int, got 'b' (str)"),
        ("ops.orders.config.key", "expected int or str, got [1] (list)"),
        ("ops.orders.config.items[1]", "expected int, got 'z' (str)"),
        ("ops.orders.config.nme", "unknown field (did you mean 'name'?)"),
        ("ops.report.config.limit", "required field missing"),
    ]
    message = str(exc_info.value)
    assert "8 problems" in message
    assert "  - ops.orders.config.limit: expected int, got 'ten' (str)" in message


def test_valid_config_is_converted_and_absent_ops_get_defaults() -> None:
    resolved = validate_run_config(
        {"ops": {"orders": {"config": {"limit": "5", "inner": {"a": 2}}}}},
        config_schemas={"orders": OrdersConfig, "defaults": Defaults, "plain": None},
    )
    assert resolved.op_config("orders") == OrdersConfig(limit=5, inner=Inner(a=2))
    assert resolved.op_config("defaults") == Defaults(limit=10)
    assert resolved.op_config("plain") is None
    assert resolved.op_config("not_in_run") is None


def test_no_run_config_is_valid_when_every_config_has_defaults() -> None:
    resolved = validate_run_config(None, config_schemas={"a": Defaults, "b": None})
    assert resolved.op_config("a") == Defaults()
    assert resolved.resource_config("anything") == {}


def test_an_op_without_config_rejects_config_but_accepts_an_empty_entry() -> None:
    schemas: dict[str, type[Config] | None] = {"plain": None}
    assert validate_run_config({"ops": {"plain": {}}}, config_schemas=schemas).ops == {
        "plain": None
    }
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config({"ops": {"plain": {"config": {"x": 1}}}}, config_schemas=schemas)
    assert errors_of(exc_info) == [("ops.plain.config", "'plain' takes no config")]


def test_op_entries_accept_only_a_config_key_and_must_be_mappings() -> None:
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"a": {"config": {}, "inputs": {}}, "b": 3}},
            config_schemas={"a": Defaults, "b": Defaults},
        )
    assert errors_of(exc_info) == [
        ("ops.a.inputs", "unknown key (only 'config' is allowed here)"),
        ("ops.b", "expected mapping with a 'config' key, got 3 (int)"),
    ]


def test_sections_must_be_mappings() -> None:
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config({"ops": ["a"], "resources": 1}, config_schemas={})
    assert errors_of(exc_info) == [
        ("ops", "expected mapping, got ['a'] (list)"),
        ("resources", "expected mapping, got 1 (int)"),
    ]


def test_a_non_mapping_run_config_is_rejected() -> None:
    with pytest.raises(InvalidConfigError, match="must be a mapping or a RunConfig"):
        validate_run_config([1], config_schemas={})  # type: ignore[arg-type]


def test_execution_and_loggers_sections_are_passed_through() -> None:
    resolved = validate_run_config(
        {"execution": {"config": {"multiprocess": {}}}, "loggers": {"console": {}}},
        config_schemas={},
    )
    assert resolved.execution == {"config": {"multiprocess": {}}}
    assert resolved.loggers == {"console": {}}


def test_literal_enum_and_constraint_errors_say_what_is_allowed() -> None:
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"c": {"config": {"mode": "medium", "color": "green", "count": 0}}}},
            config_schemas={"c": Constrained},
        )
    assert errors_of(exc_info) == [
        ("ops.c.config.mode", "expected one of 'fast' or 'slow', got 'medium' (str)"),
        ("ops.c.config.color", "expected one of 'red' or 'blue', got 'green' (str)"),
        ("ops.c.config.count", "expected greater than 0, got 0 (int)"),
    ]


def test_nested_config_must_be_a_mapping_and_unknown_nested_fields_get_suggestions() -> None:
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"o": {"config": {"limit": 1, "inner": {"aa": 1}}}, "p": {"config": 3}}},
            config_schemas={"o": OrdersConfig, "p": OrdersConfig},
        )
    assert errors_of(exc_info) == [
        ("ops.o.config.inner.aa", "unknown field (did you mean 'a'?)"),
        ("ops.p.config", "expected mapping, got 3 (int)"),
    ]
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"o": {"config": {"limit": 1, "inner": 5, "zzz": 1}}}},
            config_schemas={"o": OrdersConfig},
        )
    assert errors_of(exc_info) == [
        ("ops.o.config.inner", "expected mapping (Inner), got 5 (int)"),
        ("ops.o.config.zzz", "unknown field (known fields: limit, name, inner, key, items)"),
    ]


def test_config_instances_are_accepted_as_is_and_checked_for_their_class() -> None:
    config = OrdersConfig(limit=2)
    resolved = validate_run_config(
        {"ops": {"orders": {"config": config}}}, config_schemas={"orders": OrdersConfig}
    )
    assert resolved.op_config("orders") is config
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"orders": {"config": Defaults()}}}, config_schemas={"orders": OrdersConfig}
        )
    assert errors_of(exc_info) == [("ops.orders.config", "expected OrdersConfig, got Defaults")]


def test_run_config_objects_are_validated_like_dicts() -> None:
    config = OrdersConfig(limit=7)
    run_config = RunConfig(
        ops={"orders": config, "defaults": {"config": {"limit": 1}}},
        resources={"warehouse": {"config": {"timeout": 5}}},
    )
    resolved = validate_run_config(
        run_config,
        config_schemas={"orders": OrdersConfig, "defaults": Defaults},
        resource_schemas={"warehouse": Warehouse},
    )
    assert resolved.op_config("orders") is config
    assert resolved.op_config("defaults") == Defaults(limit=1)
    assert resolved.resource_config("warehouse") == {"timeout": 5}


def test_run_config_converts_to_a_plain_dict() -> None:
    run_config = RunConfig(
        ops={"orders": OrdersConfig(limit=7)},
        resources={"warehouse": {"timeout": 5}},
        execution={"in_process": {}},
    )
    assert run_config.to_config_dict() == {
        "ops": {
            "orders": {
                "config": {
                    "limit": 7,
                    "name": "orders",
                    "inner": {"a": 1},
                    "key": 1,
                    "items": [],
                }
            }
        },
        "resources": {"warehouse": {"config": {"timeout": 5}}},
        "execution": {"in_process": {}},
    }


# --- resources in run config ------------------------------------------------------------------


def test_resource_config_may_be_partial_but_is_type_checked() -> None:
    schemas: dict[str, type[Config] | None] = {"warehouse": Warehouse, "client": None}
    resolved = validate_run_config(
        {"resources": {"warehouse": {"config": {"timeout": 5}}}},
        config_schemas={},
        resource_schemas=schemas,
    )
    assert resolved.resource_config("warehouse") == {"timeout": 5}
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {
                "resources": {
                    "warehouse": {"config": {"timeout": "soon", "pth": "x"}},
                    "client": {"config": {"url": "x"}},
                    "warehose": {},
                }
            },
            config_schemas={},
            resource_schemas=schemas,
        )
    assert errors_of(exc_info) == [
        ("resources.warehouse.config.timeout", "expected int, got 'soon' (str)"),
        ("resources.warehouse.config.pth", "unknown field (did you mean 'path'?)"),
        ("resources.client.config", "resource 'client' takes no config"),
        ("resources.warehose", "unknown resource (did you mean 'warehouse'?)"),
    ]


def test_env_references_in_resource_config_become_env_vars() -> None:
    resolved = validate_run_config(
        {"resources": {"warehouse": {"config": {"path": {"env": "WAREHOUSE_PATH"}}}}},
        config_schemas={},
        resource_schemas={"warehouse": Warehouse},
    )
    path = resolved.resource_config("warehouse")["path"]
    assert isinstance(path, EnvVar)
    assert path.name == "WAREHOUSE_PATH"


def test_without_resource_schemas_no_resource_accepts_config() -> None:
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config({"resources": {"db": {"config": {}}}}, config_schemas={})
    assert errors_of(exc_info) == [("resources.db", "unknown resource")]


# --- run config files -------------------------------------------------------------------------


def test_yaml_and_json_run_config_files_load(tmp_path: Path) -> None:
    yaml_file = tmp_path / "run.yaml"
    yaml_file.write_text("ops:\n  orders:\n    config:\n      limit: 5\n")
    json_file = tmp_path / "run.json"
    json_file.write_text('{"ops": {"orders": {"config": {"limit": 5}}}}')
    expected = {"ops": {"orders": {"config": {"limit": 5}}}}
    assert load_run_config_file(yaml_file) == expected
    assert load_run_config_file(str(json_file)) == expected


def test_an_empty_run_config_file_is_an_empty_run_config(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here\n")
    assert load_run_config_file(empty) == {}


def test_a_yaml_parse_error_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ops:\n  orders:\n    config: {limit: 5\n")
    with pytest.raises(InvalidConfigError) as exc_info:
        load_run_config_file(bad)
    message = str(exc_info.value)
    assert str(bad) in message
    assert "line 4" in message


def test_a_json_parse_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "ops": {,}\n}')
    with pytest.raises(InvalidConfigError, match=r"bad\.json.*line 2, column 11"):
        load_run_config_file(bad)


def test_a_run_config_file_must_hold_a_mapping_and_exist(tmp_path: Path) -> None:
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(InvalidConfigError, match="mapping at the top level"):
        load_run_config_file(listing)
    with pytest.raises(InvalidConfigError, match="Cannot read run config file"):
        load_run_config_file(tmp_path / "missing.yaml")


class EnvConfig(Config):
    name: str = "x"
    port: int = 1
    extra: dict[str, str] = pydantic.Field(default_factory=dict)


def test_op_config_reads_env_for_scalar_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_TEST_NAME", "from_env")
    monkeypatch.setenv("HW_TEST_PORT", "8080")
    resolved = validate_run_config(
        {"ops": {"o": {"config": {"name": {"env": "HW_TEST_NAME"},
                                  "port": {"env": "HW_TEST_PORT"},
                                  "extra": {"env": "kept"}}}}},
        config_schemas={"o": EnvConfig},
    )  # fmt: skip
    config = resolved.ops["o"]
    assert isinstance(config, EnvConfig)
    assert (config.name, config.port, config.extra) == ("from_env", 8080, {"env": "kept"})


def test_an_unset_or_bad_env_var_in_op_config_is_reported_without_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HW_TEST_UNSET", raising=False)
    monkeypatch.setenv("HW_TEST_SECRET_PORT", SECRET_TEXT)
    with pytest.raises(InvalidConfigError) as exc_info:
        validate_run_config(
            {"ops": {"o": {"config": {"name": {"env": "HW_TEST_UNSET"},
                                      "port": {"env": "HW_TEST_SECRET_PORT"}}}}},
            config_schemas={"o": EnvConfig},
        )  # fmt: skip
    errors = dict(exc_info.value.errors)
    assert errors["ops.o.config.name"] == "environment variable 'HW_TEST_UNSET' is not set"
    assert "HW_TEST_SECRET_PORT" in errors["ops.o.config.port"]
    assert SECRET_TEXT not in str(exc_info.value)


SECRET_TEXT = "not-a-port-5e3f"
