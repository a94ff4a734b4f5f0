"""Dagster's older config schemas: ``config_schema=`` dicts, ``Field``, ``Shape`` and friends.

A legacy schema is a plain type (``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``,
``typing.Any``), a dict of field name -> schema (a :class:`Shape`), ``[schema]`` (an
:class:`Array`), or one of the classes below. :func:`config_schema_model` turns one into a
pydantic model, so run config given for it is validated like a :class:`Config` class: every bad
path is reported at once in an :class:`~headwater.errors.InvalidConfigError`
(``ops.orders.config.limit: expected int, got '5' (str)``), before anything runs.

What user code receives (``context.op_config``, ``context.resource_config``) is plain data:
dicts with defaults filled in (an optional field without a default is left out), lists,
scalars, and an :class:`Enum`'s python values. Scalars are strict, as in Dagster: ``"5"`` is not
an ``int`` and ``True`` is not an ``int``; an ``int`` is accepted (as ``float``) for ``float``.
"""

from __future__ import annotations

import enum as _enum
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, RootModel, ValidationError, create_model
from pydantic import Field as _PydanticField
from pydantic.functional_validators import PlainValidator, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

from headwater.declarations.config.base import Config
from headwater.declarations.config.model import EnvVar, IntEnvVar
from headwater.errors import DefinitionError

__all__ = [
    "Array",
    "BoolSource",
    "Enum",
    "EnumValue",
    "Field",
    "IntSource",
    "Map",
    "Noneable",
    "Permissive",
    "Selector",
    "Shape",
    "StringSource",
    "config_schema_model",
]


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
_UNSET: Any = type("_Unset", (), {"__repr__": lambda self: "UNSET"})()


class Field:
    """One config field: its schema, default, whether it is required, a description.

    Args:
        config: the field's schema (a type, a dict, ``Shape``, ``Array``, ...).
        default_value: used when run config leaves the field out; it is validated against the
            schema when the definition is built.
        is_required: default ``True`` unless a default is given, the schema is ``Noneable``,
            or every field of a ``Shape``/``Permissive`` schema is optional.
        description: shown in the UI.

    Raises:
        DefinitionError: ``is_required=True`` together with a ``default_value``.

    Example:
        >>> from headwater import Field, job, op
        >>> @op(config_schema={"limit": Field(int, default_value=10, description="rows")})
        ... def head(context):
        ...     return context.op_config["limit"]
        >>> @job
        ... def preview():
        ...     head()
        >>> preview.execute_in_process().output_for_node("head")
        10
        >>> preview.execute_in_process(
        ...     run_config={"ops": {"head": {"config": {"limit": 3}}}}
        ... ).output_for_node("head")
        3
    """

    __slots__ = ("config_type", "default_value", "description", "is_required")

    def __init__(
        self,
        config: Any = Any,
        default_value: Any = NO_DEFAULT,
        is_required: bool | None = None,
        description: str | None = None,
    ) -> None:
        if is_required and default_value is not NO_DEFAULT:
            raise DefinitionError(
                f"Field({_name(config)}) has is_required=True and a default_value; a field with a "
                "default is optional. Drop is_required=True or the default."
            )
        self.config_type = config
        self.default_value = default_value
        self.description = description
        if is_required is None:
            is_required = default_value is NO_DEFAULT and not _optional_by_nature(config)
        self.is_required = is_required

    @property
    def default_provided(self) -> bool:
        """Whether a ``default_value`` was given."""
        return self.default_value is not NO_DEFAULT

    def __repr__(self) -> str:
        default = "" if not self.default_provided else f", default_value={self.default_value!r}"
        return f"Field({_name(self.config_type)}{default}, is_required={self.is_required})"


class Shape:
    """A dict with known fields; unknown keys are refused.

    Args:
        fields: field name -> a schema or a :class:`Field`.
        description: shown in the UI.

    Example:
        >>> from headwater import Field, Shape, job, op
        >>> @op(config_schema={"db": Shape({"host": str, "port": Field(int, default_value=5432)})})
        ... def connect(context):
        ...     return context.op_config["db"]
        >>> @job
        ... def ping():
        ...     connect()
        >>> ping.execute_in_process(
        ...     run_config={"ops": {"connect": {"config": {"db": {"host": "db"}}}}}
        ... ).output_for_node("connect")
        {'host': 'db', 'port': 5432}
    """

    extra: ClassVar[str] = "forbid"

    def __init__(self, fields: Mapping[str, Any] | None = None, description: str | None = None):
        if fields is not None and not isinstance(fields, Mapping):
            raise DefinitionError(
                f"{type(self).__name__} takes a dict of field name -> schema, got {fields!r}."
            )
        self.fields = dict(fields or {})
        self.description = description

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fields!r})"


class Permissive(Shape):
    """A dict with some known (checked) fields; other keys are accepted and passed through.

    Example:
        >>> from headwater import Permissive, job, op
        >>> @op(config_schema=Permissive({"name": str}))
        ... def greet(context):
        ...     return context.op_config
        >>> @job
        ... def hello():
        ...     greet()
        >>> hello.execute_in_process(
        ...     run_config={"ops": {"greet": {"config": {"name": "a", "anything": 1}}}}
        ... ).output_for_node("greet")
        {'name': 'a', 'anything': 1}
    """

    extra = "allow"


class Selector(Shape):
    """A dict where exactly one of the fields is given, e.g. ``{"csv": {...}}`` or
    ``{"parquet": {...}}``."""


class Noneable:
    """The inner schema or ``None``; a ``Noneable`` field defaults to ``None``.

    Example:
        >>> from headwater import Noneable, job, op
        >>> @op(config_schema={"limit": Noneable(int)})
        ... def head(context):
        ...     return context.op_config
        >>> @job
        ... def preview():
        ...     head()
        >>> preview.execute_in_process().output_for_node("head")
        {'limit': None}
    """

    def __init__(self, inner: Any) -> None:
        self.inner_type = inner

    def __repr__(self) -> str:
        return f"Noneable({_name(self.inner_type)})"


class Array:
    """A list whose every item matches the inner schema.

    Example:
        >>> from headwater import Array, job, op
        >>> @op(config_schema={"tables": Array(str)})  # also written {"tables": [str]}
        ... def count(context):
        ...     return len(context.op_config["tables"])
        >>> @job
        ... def census():
        ...     count()
        >>> census.execute_in_process(
        ...     run_config={"ops": {"count": {"config": {"tables": ["a", "b"]}}}}
        ... ).output_for_node("count")
        2
    """

    def __init__(self, inner: Any) -> None:
        self.inner_type = inner

    def __repr__(self) -> str:
        return f"Array({_name(self.inner_type)})"


class Map:
    """A dict with keys of ``key_type`` (``str``, ``int``, ``float`` or ``bool``) and values
    matching ``inner_type``."""

    def __init__(self, key_type: type, inner_type: Any, key_label_name: str | None = None):
        if key_type not in (str, int, float, bool):
            raise DefinitionError(f"Map keys must be str, int, float or bool, got {key_type!r}.")
        self.key_type = key_type
        self.inner_type = inner_type
        self.key_label_name = key_label_name


class EnumValue:
    """One allowed value of an :class:`Enum`.

    Args:
        config_value: the string written in run config.
        python_value: what user code receives (default: ``config_value``).
        description: shown in the UI.
    """

    def __init__(
        self, config_value: str, python_value: Any = None, description: str | None = None
    ) -> None:
        if not isinstance(config_value, str):
            raise DefinitionError(f"EnumValue takes a string config_value, got {config_value!r}.")
        self.config_value = config_value
        self.python_value = config_value if python_value is None else python_value
        self.description = description


class Enum:
    """A string from a fixed set; user code receives each value's ``python_value``.

    Example:
        >>> from headwater import Enum, EnumValue, Field, job, op
        >>> color = Enum("Color", [EnumValue("RED", python_value=1), EnumValue("BLUE")])
        >>> @op(config_schema={"color": Field(color, default_value="RED")})
        ... def paint(context):
        ...     return context.op_config["color"]
        >>> @job
        ... def palette():
        ...     paint()
        >>> palette.execute_in_process().output_for_node("paint")
        1
        >>> palette.execute_in_process(
        ...     run_config={"ops": {"paint": {"config": {"color": "BLUE"}}}}
        ... ).output_for_node("paint")
        'BLUE'
    """

    def __init__(self, name: str, enum_values: Sequence[EnumValue]) -> None:
        if not enum_values or not all(isinstance(v, EnumValue) for v in enum_values):
            raise DefinitionError(f"Enum {name!r} needs a non-empty list of EnumValue.")
        self.name = name
        self.enum_values = list(enum_values)

    @classmethod
    def from_python_enum(cls, enum: type[_enum.Enum]) -> Enum:
        """An ``Enum`` whose config values are the member names and python values the members."""
        return cls(enum.__name__, [EnumValue(m.name, python_value=m) for m in enum])

    def __repr__(self) -> str:
        return f"Enum({self.name!r})"


class _Source:
    """A scalar given directly or as ``{"env": "VARIABLE"}``, read when the run starts."""

    def __init__(self, name: str, scalar: type) -> None:
        self.name = name
        self.scalar = scalar

    def __repr__(self) -> str:
        return self.name


IntSource: Any = _Source("IntSource", int)
"""An ``int``, or ``{"env": "NAME"}`` to read it from an environment variable."""
StringSource: Any = _Source("StringSource", str)
"""A ``str``, or ``{"env": "NAME"}`` to read it from an environment variable."""
BoolSource: Any = _Source("BoolSource", bool)
"""A ``bool``, or ``{"env": "NAME"}`` (``true``/``false``, ``1``/``0``)."""


def _name(schema: Any) -> str:
    return getattr(schema, "__name__", None) or repr(schema)


def _optional_by_nature(schema: Any) -> bool:
    if isinstance(schema, Noneable):
        return True
    if isinstance(schema, Mapping):
        schema = Shape(schema)
    if isinstance(schema, Shape) and not isinstance(schema, Selector):
        return all(not _as_field(spec).is_required for spec in schema.fields.values())
    return schema is dict


def _as_field(spec: Any) -> Field:
    return spec if isinstance(spec, Field) else Field(spec)


# ---------------------------------------------------------------------------------------------
# Scalar checks (strict, as in Dagster)

_ERROR_TYPES = {int: "int_type", float: "float_type", str: "string_type", bool: "bool_type"}


def _check_scalar(kind: type, value: Any) -> Any:
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool | IntEnvVar)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool | IntEnvVar)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, str) and not isinstance(value, EnvVar)
    if not ok:
        hint = "; to read an environment variable use a *Source type" if _is_env(value) else ""
        raise PydanticCustomError(_ERROR_TYPES[kind], f"expected {kind.__name__}{hint}")
    return value


def _is_env(value: Any) -> bool:
    if isinstance(value, EnvVar | IntEnvVar):
        return True
    return isinstance(value, Mapping) and set(value) == {"env"} and isinstance(value["env"], str)


def _read_source(source: _Source, value: Any) -> Any:
    if not _is_env(value):
        return _check_scalar(source.scalar, value)
    name = value.name if isinstance(value, EnvVar | IntEnvVar) else value["env"]
    text = os.environ.get(name)
    if text is None:
        raise PydanticCustomError(
            "env_var_unset",
            "environment variable '{name}' is not set; set it where the run executes",
            {"name": name},
        )
    if source.scalar is str:
        return text
    if source.scalar is bool and text.lower() in ("true", "false", "1", "0"):
        return text.lower() in ("true", "1")
    if source.scalar is int:
        try:
            return int(text)
        except ValueError:
            pass
    raise PydanticCustomError(
        "env_var_type",
        "environment variable '{name}' is not a valid {kind}",
        {"name": name, "kind": source.scalar.__name__},
    )


def _check_enum(enum: Enum, value: Any) -> Any:
    for member in enum.enum_values:
        if value == member.config_value and isinstance(value, str):
            return member.python_value
    allowed = ", ".join(repr(m.config_value) for m in enum.enum_values)
    raise PydanticCustomError("enum", "expected one of {expected}", {"expected": allowed})


def _not_none(value: Any, handler: Callable[[Any], Any]) -> Any:
    if value is None:
        raise PydanticCustomError("none_given", "expected a value (not None); wrap the type in "
                                  "Noneable(...) to allow None")  # fmt: skip
    return handler(value)


def _none_or(value: Any, handler: Callable[[Any], Any]) -> Any:
    return None if value is None else handler(value)


def _strict_list(value: Any, handler: Callable[[Any], Any]) -> Any:
    if not isinstance(value, list):
        raise PydanticCustomError("list_type", "expected list")
    return handler(value)


def _strict_dict(value: Any, handler: Callable[[Any], Any]) -> Any:
    if not isinstance(value, Mapping):
        raise PydanticCustomError("dict_type", "expected mapping")
    return handler(value)


# ---------------------------------------------------------------------------------------------
# Schema -> pydantic


class _LegacyShape(Config):
    """Base of the models made from dict / ``Shape`` schemas; dumps to plain config data."""

    hw_legacy_schema: ClassVar[Any] = None

    def model_dump(self, **kwargs: Any) -> Any:
        """The config as user code sees it (defaults filled, unset optional fields left out)."""
        return _plain(self)


class _LegacyPermissive(_LegacyShape):
    model_config = ConfigDict(frozen=True, extra="allow")


class _LegacyRoot(RootModel[Any]):
    """Base of the models made from non-dict schemas (``int``, ``Array(str)``, ...)."""

    model_config = ConfigDict(frozen=True)
    hw_legacy_schema: ClassVar[Any] = None
    hw_scalar_root: ClassVar[bool] = True

    def model_dump(self, **kwargs: Any) -> Any:
        """The config value as user code sees it."""
        return _plain(self.root)


def _plain(value: Any) -> Any:
    if isinstance(value, _LegacyRoot):
        return _plain(value.root)
    if isinstance(value, BaseModel):
        out = {
            name: _plain(getattr(value, name))
            for name in type(value).model_fields
            if getattr(value, name) is not _UNSET
        }
        out.update({k: _plain(v) for k, v in (value.__pydantic_extra__ or {}).items()})
        return out
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _exactly_one(model: BaseModel) -> BaseModel:
    given = [n for n in type(model).model_fields if getattr(model, n) is not _UNSET]
    if len(given) != 1:
        names = ", ".join(type(model).model_fields)
        raise PydanticCustomError(
            "selector", "expected exactly one of the keys {names}", {"names": names}
        )
    return model


def _annotation(schema: Any, where: str) -> Any:
    """The pydantic annotation validating ``schema``."""
    if schema is Any or schema is object:
        return Any
    if isinstance(schema, type) and schema in _ERROR_TYPES:
        kind = schema
        return Annotated[Any, PlainValidator(lambda v: _check_scalar(kind, v))]
    if schema is list:
        schema = Array(Any)
    if schema is dict:
        schema = Permissive()
    if isinstance(schema, list):
        if len(schema) != 1:
            raise DefinitionError(
                f"{where}: a list schema holds exactly one item type, e.g. [str]."
            )
        schema = Array(schema[0])
    if isinstance(schema, Mapping):
        schema = Shape(schema)
    if isinstance(schema, Shape):
        return Annotated[_shape_model(schema, where), WrapValidator(_not_none)]
    if isinstance(schema, Noneable):
        return Annotated[_annotation(schema.inner_type, where), WrapValidator(_none_or)]
    if isinstance(schema, Array):
        inner = _annotation(schema.inner_type, f"{where}[]")
        return Annotated[list[inner], WrapValidator(_strict_list), WrapValidator(_not_none)]  # type: ignore[valid-type]
    if isinstance(schema, Map):
        key, inner = schema.key_type, _annotation(schema.inner_type, f"{where}[]")
        return Annotated[dict[key, inner], WrapValidator(_strict_dict), WrapValidator(_not_none)]  # type: ignore[valid-type]
    if isinstance(schema, Enum):
        enum = schema
        return Annotated[Any, PlainValidator(lambda v: _check_enum(enum, v))]
    if isinstance(schema, _Source):
        source = schema
        return Annotated[Any, PlainValidator(lambda v: _read_source(source, v))]
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        return schema
    raise DefinitionError(
        f"{where}: {schema!r} is not a config schema. Use int, float, str, bool, a dict of "
        "fields, Field(...), Shape, Permissive, Selector, Noneable, Array, Map, Enum, "
        "IntSource/StringSource/BoolSource, or a Config subclass."
    )


def _field_args(spec: Field, annotation: Any, *, selector: bool = False) -> tuple[Any, Any]:
    if selector:
        default = _UNSET
        annotation = Annotated[annotation, WrapValidator(_keep_unset)]
    elif spec.default_provided:
        default = spec.default_value
    elif spec.is_required:
        default = ...
    elif _optional_by_nature(spec.config_type):
        default = None if isinstance(spec.config_type, Noneable) else {}
    else:
        default = _UNSET
        annotation = Annotated[annotation, WrapValidator(_keep_unset)]
    info = _PydanticField(
        default=default, description=spec.description, validate_default=default is not _UNSET
    )
    return annotation, info


def _keep_unset(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if value is _UNSET else handler(value)


def _shape_model(shape: Shape, where: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, spec in shape.fields.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise DefinitionError(f"{where}: config field name {name!r} is not an identifier.")
        field = _as_field(spec)
        annotation = _annotation(field.config_type, f"{where}.{name}")
        fields[name] = _field_args(field, annotation, selector=isinstance(shape, Selector))
    base = _LegacyPermissive if shape.extra == "allow" else _LegacyShape
    validators: dict[str, Any] = {}
    if isinstance(shape, Selector):
        validators["one"] = model_validator(mode="after")(_exactly_one)
    model = create_model(type(shape).__name__, __base__=base, __validators__=validators, **fields)
    model.hw_legacy_schema = shape
    return cast(type[BaseModel], model)


def config_schema_model(schema: Any, where: str) -> type[BaseModel] | None:
    """The pydantic model validating run config given for ``schema``.

    Args:
        schema: ``None``, a ``Config`` subclass (returned as is), or a legacy schema (see the
            module docstring). A dict value may also be ``(type, default)``.
        where: names the definition in error messages, e.g. ``"op 'head'"``.

    Returns:
        ``None`` for ``None``; a model whose ``model_dump()`` gives the value user code receives.
        A dict / ``Shape`` schema gives a model of its fields; any other schema a model whose
        ``hw_scalar_root`` is true, validating the whole config value.

    Raises:
        DefinitionError: the schema is not one, or a default does not match its type (the
            message names the field).

    Example:
        >>> model = config_schema_model({"limit": Field(int, default_value=10)}, "op 'head'")
        >>> model.model_validate({}).model_dump()
        {'limit': 10}
    """
    if schema is None or (isinstance(schema, type) and issubclass(schema, BaseModel)):
        return schema
    if isinstance(schema, Mapping):
        schema = Shape({k: Field(v[0], default_value=v[1]) if isinstance(v, tuple) else v
                        for k, v in schema.items()})  # fmt: skip
    if isinstance(schema, Shape):
        model = _shape_model(schema, where)
    else:
        field = _as_field(schema)
        annotation, info = _field_args(field, _annotation(field.config_type, where))
        if info.default is _UNSET:
            info = _PydanticField(default=None)
        root: type[_LegacyRoot] = create_model(
            "Config", __base__=_LegacyRoot, root=(annotation, info)
        )
        root.hw_legacy_schema = schema
        model = root
    _validate_defaults(model, where)
    return model


def _validate_defaults(model: type[BaseModel], where: str) -> None:
    """Check at definition time that the defaults validate (a bad default fails early)."""
    try:
        if getattr(model, "hw_scalar_root", False):
            root = model.model_fields["root"]
            if not root.is_required():
                model.model_validate(root.default)
            return
        model.model_validate({})
    except ValidationError as exc:
        bad = [e for e in exc.errors() if e["type"] != "missing"]
        if bad:
            loc = ".".join(str(p) for p in bad[0]["loc"]) or "(root)"
            raise DefinitionError(
                f"{where}: the default of config field {loc!r} does not match its type: "
                f"{bad[0]['msg']}. Fix the default_value."
            ) from None
