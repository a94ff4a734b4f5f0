"""Config for assets and ops, environment variables, and run config validation.

A :class:`Config` subclass declares the config an asset or op accepts; the values come from
run config (``{"ops": {"<name>": {"config": {...}}}}``). :func:`validate_run_config` checks a
whole run config before anything runs and reports every bad path in one
:class:`~headwater.errors.InvalidConfigError`. :class:`EnvVar` names an environment variable
read when a run starts, for resource fields that hold secrets or vary per deployment.

This module imports pydantic. Code that must stay cheap to import (the decorators) calls
:func:`is_config_class` / :func:`is_resource_class` only when this module is already in
``sys.modules``: a user cannot have written a ``Config`` subclass otherwise.
"""

from __future__ import annotations

import builtins
import difflib
import enum
import json
import os
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
)
from pydantic import field_validator as _field_validator

from headwater.errors import DefinitionError, InvalidConfigError, InvalidInvocationError

__all__ = [
    "Config",
    "EnvVar",
    "IntEnvVar",
    "PermissiveConfig",
    "ResolvedRunConfig",
    "RunConfig",
    "is_config_class",
    "is_resource_class",
    "load_run_config_file",
    "validate_run_config",
]

_TOP_LEVEL_KEYS = ("ops", "resources", "execution", "loggers")
ROOT_CONFIG_KEY = "__root__"
"""Where the resolved run config of a resource with a non-dict legacy schema is kept."""


class Config(BaseModel):
    """Base class for the config of an asset or op.

    Subclasses are pydantic models: fields are type-checked, unknown fields are rejected and
    instances are immutable. Give an asset a parameter annotated with the subclass and the
    validated instance is passed in at run time. A field typed with a Python ``Enum`` takes
    the member itself, its name (``"SLOW"``, as run config spells it) or its value.

    Raises:
        InvalidInvocationError: on assigning to a field of a built instance (use
            ``model_copy(update={...})`` for a changed copy).

    Example:
        >>> class OrdersConfig(Config):
        ...     limit: int = 10
        ...     region: str = "eu"
        >>> OrdersConfig(limit=5)
        OrdersConfig(limit=5, region='eu')

        Then ``@asset def orders(config: OrdersConfig): ...`` and run it with
        ``{"ops": {"orders": {"config": {"limit": 5}}}}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in type(self).model_fields:
            raise InvalidInvocationError(
                f"{type(self).__name__}.{name} cannot be assigned: config objects are immutable. "
                f"Build a changed copy with .model_copy(update={{{name!r}: ...}})."
            )
        super().__setattr__(name, value)

    @_field_validator("*", mode="before")
    @classmethod
    def _enum_member_by_name(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or info.field_name is None:
            return value
        enum_class = _enum_field_class(cls, info.field_name)
        if enum_class is not None and value in enum_class.__members__:
            return enum_class.__members__[value]
        return value


def _enum_field_class(model: type[BaseModel], field_name: str) -> type[enum.Enum] | None:
    """The ``Enum`` class of a field typed ``E`` or ``E | None``, else ``None``."""
    info = model.model_fields.get(field_name)
    annotation = _unwrap(info.annotation) if info is not None else None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    return None


class PermissiveConfig(Config):
    """A :class:`Config` that also accepts fields it does not declare.

    Undeclared fields are kept as given (no type check) and show in ``model_dump()``.

    Example:
        >>> class Loose(PermissiveConfig):
        ...     known: int = 1
        >>> sorted(Loose(known=5, extra="x").model_dump().items())
        [('extra', 'x'), ('known', 5)]
    """

    model_config = ConfigDict(extra="allow")


class EnvVar(str):
    """The name of an environment variable whose value is read when a run starts.

    ``EnvVar`` is a ``str`` (its text is the variable's *name*), so it can be given where a
    resource field expects a string. The value is never read while definitions load, and
    neither ``str()`` nor ``repr()`` reveals it.

    Args:
        name: the environment variable's name.

    Raises:
        DefinitionError: if ``name`` is empty.

    Example:
        >>> password = EnvVar("DB_PASSWORD")
        >>> password
        EnvVar('DB_PASSWORD')
        >>> password.name
        'DB_PASSWORD'
    """

    __slots__ = ()

    def __new__(cls, name: str) -> EnvVar:
        if not isinstance(name, str) or not name:
            raise DefinitionError(
                f"EnvVar needs the name of an environment variable, got {name!r}; "
                'e.g. EnvVar("DB_PASSWORD").'
            )
        return super().__new__(cls, name)

    @property
    def name(self) -> str:
        """The environment variable's name."""
        return builtins.str.__str__(self)

    @property
    def env_var_name(self) -> str:
        """Alias of :attr:`name`."""
        return self.name

    def get_value(self, default: str | None = None) -> str | None:
        """Read the variable now.

        Args:
            default: returned when the variable is not set.

        Returns:
            The variable's value, or ``default``.
        """
        return os.environ.get(self.name, default)

    def __repr__(self) -> str:
        return f"EnvVar({self.name!r})"

    @classmethod
    def int(cls, name: str) -> builtins.int:
        """An environment variable holding an integer, for ``int`` resource fields.

        Example:
            >>> EnvVar.int("DB_PORT")
            EnvVar.int('DB_PORT')
        """
        return IntEnvVar(name)


class IntEnvVar(int):
    """An environment variable holding an integer; made by :meth:`EnvVar.int`.

    It is an ``int`` (with value 0) so it type-checks where an int is expected; only its
    :attr:`name` matters.
    """

    name: str

    def __new__(cls, name: str) -> IntEnvVar:
        if not isinstance(name, str) or not name:
            raise DefinitionError(
                f"EnvVar.int needs the name of an environment variable, got {name!r}."
            )
        obj = super().__new__(cls, 0)
        obj.name = name
        return obj

    @property
    def env_var_name(self) -> str:
        """Alias of :attr:`name`."""
        return self.name

    def get_value(self, default: str | None = None) -> str | None:
        """Read the variable now (as text; the resource field converts it to int)."""
        return os.environ.get(self.name, default)

    def __reduce__(self) -> tuple[type[IntEnvVar], tuple[str]]:
        return (IntEnvVar, (self.name,))

    def __repr__(self) -> str:
        return f"EnvVar.int({self.name!r})"

    def __str__(self) -> str:
        return repr(self)


def env_var_name(value: object) -> str | None:
    """The variable's name if ``value`` is an :class:`EnvVar` or :class:`IntEnvVar`."""
    if isinstance(value, EnvVar | IntEnvVar):
        return value.name
    return None


class ResourceConfigBase(Config):
    """Base of resource config: a field may hold an :class:`EnvVar`, resolved at run time."""

    @_field_validator("*", mode="wrap")
    @classmethod
    def _keep_env_vars(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, EnvVar | IntEnvVar):
            return value
        return handler(value)


def is_config_class(annotation: object) -> bool:
    """Whether ``annotation`` is a :class:`Config` subclass (and not a resource).

    Does not import pydantic: without pydantic loaded no user class can subclass ``Config``.
    """
    if "pydantic" not in sys.modules:
        return False
    return (
        isinstance(annotation, type)
        and issubclass(annotation, Config)
        and not is_resource_class(annotation)
    )


def is_resource_class(annotation: object) -> bool:
    """Whether ``annotation`` is a resource: ``ResourceParam[T]``, or a subclass of
    ``ConfigurableResource`` or ``IOManager``.

    Does not import pydantic or the resources module when they are not loaded yet.
    """
    if get_origin(annotation) is Annotated:
        return "resource_param" in get_args(annotation)[1:]
    if not isinstance(annotation, type):
        return False
    bases = [
        getattr(sys.modules.get(module), name, None)
        for module, name in (
            ("headwater.declarations.resources.definition", "ConfigurableResource"),
            ("headwater.declarations.io_managers.base", "IOManager"),
        )
    ]
    return any(isinstance(base, type) and issubclass(annotation, base) for base in bases)


# ---------------------------------------------------------------------------------------------
# Readable messages from pydantic errors


_EXPECTED_BY_ERROR_PREFIX = {
    "int": "int",
    "float": "float",
    "bool": "bool",
    "string": "str",
    "bytes": "bytes",
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "frozen_set": "frozenset",
    "dict": "mapping",
    "model": "mapping",
    "model_attributes": "mapping",
    "dataclass": "mapping",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "time_delta": "timedelta",
    "decimal": "decimal",
    "uuid": "UUID",
    "url": "URL",
    "iterable": "iterable",
}
_ERROR_SUFFIXES = ("_type", "_parsing_size", "_parsing", "_from_float", "_unicode")


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` so the walk sees the underlying type."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _union_member(annotation: Any, tag: str) -> Any:
    for member in get_args(annotation):
        label = member.__name__ if isinstance(member, type) else repr(member)
        if label == tag or label.replace("typing.", "") == tag:
            return member
    return None


@dataclass
class _Located:
    path: str
    in_union: bool
    fields: tuple[str, ...] | None  # the fields of the model holding the last loc item
    model_name: str | None  # the model expected at the path, if any


def _locate(model: type[BaseModel], loc: tuple[builtins.int | str, ...], prefix: str) -> _Located:
    """Turn a pydantic ``loc`` into a config path, skipping union member tags."""
    path, annotation, in_union = prefix, _unwrap(model), False
    if getattr(model, "hw_scalar_root", False):  # a legacy root model: start at its value
        annotation = _unwrap(model.model_fields["root"].annotation)
    fields: tuple[str, ...] | None = None
    for item in loc:
        if _is_union(annotation) and isinstance(item, str):
            annotation, in_union = _unwrap(_union_member(annotation, item)), True
            continue
        in_union = False
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = tuple(annotation.model_fields)
            info = annotation.model_fields.get(str(item))
            annotation = _unwrap(info.annotation) if info else None
            path = f"{path}.{item}"
            continue
        fields = None
        if item == "[key]":
            path = f"{path}[key]"
            annotation = None
            continue
        args = get_args(annotation)
        annotation = _unwrap(args[-1]) if args else None
        path = f"{path}[{item}]" if isinstance(item, builtins.int) else f"{path}.{item}"
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return _Located(path, in_union, fields, annotation.__name__ if is_model else None)


def _expected(error_type: str) -> str | None:
    for suffix in _ERROR_SUFFIXES:
        if error_type.endswith(suffix):
            return _EXPECTED_BY_ERROR_PREFIX.get(error_type[: -len(suffix)])
    return None


def _unknown_field(name: str, known: tuple[str, ...] | None) -> str:
    if not known:
        return "unknown field (this config takes no fields)"
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"unknown field (did you mean '{close[0]}'?)"
    return f"unknown field (known fields: {', '.join(known)})"


def config_errors(
    exc: ValidationError,
    model: type[BaseModel],
    prefix: str,
    *,
    hidden: Mapping[str, str] | None = None,
    skip_missing: bool = False,
) -> list[tuple[str, str]]:
    """Turn a pydantic ``ValidationError`` into ``(path, problem)`` pairs.

    Args:
        exc: the error raised by ``model.model_validate``.
        model: the model that was validated.
        prefix: the config path of the model, e.g. ``"ops.orders.config"``.
        hidden: top-level field name -> what to say instead of the given value (used for
            values read from environment variables, which must never be echoed).
        skip_missing: drop "required field missing" errors (for partial resource config).

    Returns:
        One pair per bad path, in the order pydantic reported them; alternatives of a union
        at the same path are merged (``expected int or str``).
    """
    hidden = hidden or {}
    merged: dict[str, list[str]] = {}  # path -> expected types (union alternatives)
    problems: dict[str, str] = {}
    for err in exc.errors():
        loc, kind, given = err["loc"], err["type"], err.get("input")
        if kind == "missing" and skip_missing:
            continue
        where = _locate(model, loc, prefix)
        given_text = _describe(given)
        if loc and isinstance(loc[0], str) and loc[0] in hidden:
            given_text = hidden[loc[0]]
        expected = _expected(kind)
        if kind == "missing":
            problem = "required field missing"
        elif kind == "extra_forbidden":
            problem = _unknown_field(str(loc[-1]), where.fields)
        elif kind in ("literal_error", "enum"):
            problem = f"expected one of {err.get('ctx', {}).get('expected')}, got {given_text}"
        elif expected is not None:
            if expected == "mapping" and where.model_name:
                expected = f"mapping ({where.model_name})"
            if where.in_union:
                merged.setdefault(where.path, []).append(expected)
                problem = f"expected {' or '.join(merged[where.path])}, got {given_text}"
            else:
                problem = f"expected {expected}, got {given_text}"
        else:
            problem = f"{err['msg'].replace('Input should be ', 'expected ')}, got {given_text}"
        problems[where.path] = problem
    return list(problems.items())


# ---------------------------------------------------------------------------------------------
# Run config


@dataclass(frozen=True)
class RunConfig:
    """Run config built from Python objects instead of nested dicts.

    Args:
        ops: op (asset) name -> a :class:`Config` instance or the op's config dict.
        resources: resource key -> its config dict (``{"field": value}``).
        loggers: passed through (reserved).
        execution: passed through (reserved).

    Example:
        >>> class OrdersConfig(Config):
        ...     limit: int = 10
        >>> RunConfig(ops={"orders": OrdersConfig(limit=5)}).to_config_dict()
        {'ops': {'orders': {'config': {'limit': 5}}}}
    """

    ops: Mapping[str, Any] | None = None
    resources: Mapping[str, Any] | None = None
    loggers: Mapping[str, Any] | None = None
    execution: Mapping[str, Any] | None = None

    def _to_dict(self, *, dump: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.ops:
            result["ops"] = {name: _op_entry(value, dump=dump) for name, value in self.ops.items()}
        if self.resources:
            result["resources"] = {
                key: _op_entry(value, dump=True) for key, value in self.resources.items()
            }
        if self.loggers:
            result["loggers"] = dict(self.loggers)
        if self.execution:
            result["execution"] = dict(self.execution)
        return result

    def to_config_dict(self) -> dict[str, Any]:
        """The equivalent plain run config dict (Config instances dumped to dicts)."""
        return self._to_dict(dump=True)


def _op_entry(value: Any, *, dump: bool) -> Any:
    if isinstance(value, BaseModel):
        return {"config": value.model_dump() if dump else value}
    if isinstance(value, Mapping) and set(value) <= {"config"}:
        return dict(value)
    return {"config": value}


@dataclass(frozen=True)
class ResolvedRunConfig:
    """A validated run config.

    Attributes:
        ops: op name -> its validated :class:`Config` instance (``None`` if it takes none).
        resources: resource key -> the config given for it in run config.
        execution: the ``execution`` section, unvalidated.
        loggers: the ``loggers`` section, unvalidated.
    """

    ops: Mapping[str, Config | None] = field(default_factory=dict)
    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    execution: Mapping[str, Any] = field(default_factory=dict)
    loggers: Mapping[str, Any] = field(default_factory=dict)

    def op_config(self, name: str) -> Config | None:
        """The config instance for op (asset) ``name``; ``None`` if it takes no config."""
        return self.ops.get(name)

    def resource_config(self, key: str) -> dict[str, Any]:
        """The config given in run config for resource ``key`` (``{}`` when none)."""
        return dict(self.resources.get(key, {}))


def _suggest(name: str, known: Mapping[str, Any] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known: {', '.join(sorted(known))})" if known else ""


def _section(raw: Mapping[str, Any], key: str, errors: list[tuple[str, str]]) -> Mapping[str, Any]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.append((key, f"expected mapping, got {_describe(value)}"))
        return {}
    return value


def _entry_config(path: str, entry: Any, errors: list[tuple[str, str]]) -> tuple[bool, Any]:
    """Read ``{"config": ...}``; returns (given, config value)."""
    if isinstance(entry, BaseModel):
        return True, entry
    if not isinstance(entry, Mapping):
        errors.append((path, f"expected mapping with a 'config' key, got {_describe(entry)}"))
        return False, None
    for extra in entry:
        if extra != "config":
            errors.append((f"{path}.{extra}", "unknown key (only 'config' is allowed here)"))
    return "config" in entry, entry.get("config")


def _validate_op(
    name: str, schema: type[Config] | None, entry: Any, errors: list[tuple[str, str]]
) -> Config | None:
    path = f"ops.{name}"
    given, value = (False, None) if entry is None else _entry_config(path, entry, errors)
    if schema is None:
        if given and value not in (None, {}):
            errors.append((f"{path}.config", f"'{name}' takes no config"))
        return None
    if isinstance(value, schema):
        return value
    if getattr(schema, "hw_scalar_root", False):  # a legacy schema such as int or Array(str)
        validated: Config | None = _validate_root(schema, value, f"{path}.config", errors)
        return validated
    if isinstance(value, BaseModel):
        errors.append((f"{path}.config", f"expected {schema.__name__}, got {type(value).__name__}"))
        return None
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        errors.append((f"{path}.config", f"expected mapping, got {_describe(value)}"))
        return None
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        errors.extend(config_errors(exc, schema, f"{path}.config"))
        return None


def _validate_root(
    schema: type[Config], value: Any, path: str, errors: list[tuple[str, str]]
) -> Any:
    root = schema.model_fields["root"]
    if value is None and not root.is_required():
        value = root.get_default(call_default_factory=True)
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        errors.extend(config_errors(exc, schema, path))
        return None


def env_var_refs(values: Mapping[str, Any]) -> dict[str, Any]:
    """Replace ``{"env": "NAME"}`` values (the run config YAML form) with :class:`EnvVar`."""
    return {
        k: EnvVar(v["env"])
        if isinstance(v, Mapping) and set(v) == {"env"} and isinstance(v["env"], str)
        else v
        for k, v in values.items()
    }


def _validate_resource(
    key: str, schema: type[Config] | None, entry: Any, errors: list[tuple[str, str]]
) -> Mapping[str, Any]:
    path = f"resources.{key}"
    given, value = _entry_config(path, entry, errors)
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if getattr(schema, "hw_scalar_root", False):  # a legacy schema such as str
        if given:
            _validate_root(schema, value, f"{path}.config", errors)  # type: ignore[arg-type]
        return {ROOT_CONFIG_KEY: value} if given else {}
    if not given or value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.append((f"{path}.config", f"expected mapping, got {_describe(value)}"))
        return {}
    if schema is None:
        if value:
            errors.append((f"{path}.config", f"resource '{key}' takes no config"))
        return {}
    value = env_var_refs(value)
    try:
        schema.model_validate(value)
    except ValidationError as exc:
        # The resource definition may supply the fields run config leaves out.
        errors.extend(config_errors(exc, schema, f"{path}.config", skip_missing=True))
    return value


def validate_run_config(
    run_config: Mapping[str, Any] | RunConfig | None,
    *,
    config_schemas: Mapping[str, type[Config] | None],
    resource_schemas: Mapping[str, type[Config] | None] | None = None,
) -> ResolvedRunConfig:
    """Validate a whole run config before anything runs.

    Args:
        run_config: ``{"ops": {"<op>": {"config": {...}}}, "resources": {"<key>":
            {"config": {...}}}}`` (``execution`` and ``loggers`` are accepted and passed
            through), a :class:`RunConfig`, or ``None``.
        config_schemas: every op (asset op) of the run -> its :class:`Config` class, or
            ``None`` if it takes no config.
        resource_schemas: every resource key -> its config class, or ``None`` if it takes no
            config; ``None`` means no resource accepts config. Resource config may be partial
            (the resource definition supplies the rest), so missing fields are not reported here.

    Returns:
        The validated config. Ops absent from ``run_config`` whose Config has defaults for
        every field get a default instance.

    Raises:
        InvalidConfigError: listing every bad path, e.g.
            ``ops.orders.config.limit: expected int, got 'ten' (str)``.

    Example:
        >>> class OrdersConfig(Config):
        ...     limit: int = 10
        >>> resolved = validate_run_config(
        ...     {"ops": {"orders": {"config": {"limit": 5}}}},
        ...     config_schemas={"orders": OrdersConfig, "customers": None},
        ... )
        >>> resolved.op_config("orders")
        OrdersConfig(limit=5)
    """
    errors: list[tuple[str, str]] = []
    if isinstance(run_config, RunConfig):
        raw: Mapping[str, Any] = run_config._to_dict(dump=False)
    elif run_config is None:
        raw = {}
    elif isinstance(run_config, Mapping):
        raw = run_config
    else:
        raise InvalidConfigError(
            f"Run config must be a mapping or a RunConfig, got {_describe(run_config)}."
        )
    for key in raw:
        if key not in _TOP_LEVEL_KEYS:
            errors.append((str(key), f"unknown top-level key{_suggest(str(key), _TOP_LEVEL_KEYS)}"))
    ops_section = _section(raw, "ops", errors)
    for name in ops_section:
        if name not in config_schemas:
            errors.append((f"ops.{name}", f"unknown op{_suggest(str(name), config_schemas)}"))
    ops = {
        name: _validate_op(name, schema, ops_section.get(name), errors)
        for name, schema in config_schemas.items()
    }
    resource_schemas = resource_schemas or {}
    resources: dict[str, Mapping[str, Any]] = {}
    for key, entry in _section(raw, "resources", errors).items():
        if key not in resource_schemas:
            errors.append(
                (f"resources.{key}", f"unknown resource{_suggest(str(key), resource_schemas)}")
            )
            continue
        resources[key] = _validate_resource(key, resource_schemas[key], entry, errors)
    execution = _section(raw, "execution", errors)
    loggers = _section(raw, "loggers", errors)
    if errors:
        raise InvalidConfigError(
            f"Run config is invalid ({len(errors)} problem{'s' if len(errors) > 1 else ''}); "
            "nothing was run.",
            errors,
        )
    return ResolvedRunConfig(
        ops=ops, resources=resources, execution=dict(execution), loggers=dict(loggers)
    )


def load_run_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read run config from a YAML (or ``.json``) file.

    Args:
        path: the file; an empty file is an empty run config.

    Returns:
        The run config dict, to pass to :func:`validate_run_config`.

    Raises:
        InvalidConfigError: the file is missing, does not parse (the message gives the file,
            line and column), or its top level is not a mapping.

    Example:
        >>> from pathlib import Path
        >>> _ = Path("run_config.yaml").write_text("ops: {orders: {config: {limit: 5}}}")
        >>> load_run_config_file("run_config.yaml")
        {'ops': {'orders': {'config': {'limit': 5}}}}
        >>> load_run_config_file("missing.yaml")
        Traceback (most recent call last):
        ...
        headwater.errors.InvalidConfigError: Cannot read run config file 'missing.yaml': ...
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidConfigError(f"Cannot read run config file '{file}': {exc.strerror}.") from exc
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise InvalidConfigError(
                f"Run config file '{file}' is not valid JSON: line {exc.lineno}, "
                f"column {exc.colno}: {exc.msg}."
            ) from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InvalidConfigError(
                f"Run config file '{file}' is not valid YAML: {where}{problem}."
            ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidConfigError(
            f"Run config file '{file}' must hold a mapping at the top level "
            f"(ops/resources/...), got {type(data).__name__}."
        )
    return data
