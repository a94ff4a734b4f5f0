"""The pydantic side of config: the :class:`Config` base class, resource config, and turning
pydantic's validation errors into config paths.

Importing this module imports pydantic (about 100 ms), so only code holding a ``Config`` class
imports it; the run config machinery in ``config.model`` calls into it for the ops and
resources that declare config.
"""

from __future__ import annotations

import builtins
import difflib
import enum
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
)
from pydantic import field_validator as _field_validator

from headwater.declarations.config.model import EnvVar, IntEnvVar, describe_value
from headwater.errors import InvalidInvocationError

__all__ = [
    "Config",
    "PermissiveConfig",
    "ResourceConfigBase",
    "check_partial_config",
    "config_errors",
    "validate_config",
    "validate_root",
]


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


class ResourceConfigBase(Config):
    """Base of resource config: a field may hold an :class:`EnvVar`, resolved at run time."""

    @_field_validator("*", mode="wrap")
    @classmethod
    def _keep_env_vars(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, EnvVar | IntEnvVar):
            return value
        return handler(value)


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
        given_text = describe_value(given)
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
# Validating one op's or resource's config


def validate_config(
    schema: type[Config],
    value: Any,
    path: str,
    errors: list[tuple[str, str]],
    hidden: Mapping[str, str] | None = None,
) -> Config | None:
    """Validate ``value`` (given at ``path``, e.g. ``ops.orders.config``) against ``schema``.

    ``hidden`` maps top-level fields to what to show instead of their value in a message (the
    values read from environment variables).

    Returns:
        The validated instance (a default one when ``value`` is ``None``), or ``None`` after
        appending ``(path, problem)`` pairs to ``errors``.
    """
    if isinstance(value, schema):
        return value
    if getattr(schema, "hw_scalar_root", False):  # a legacy schema such as int or Array(str)
        validated: Config | None = validate_root(schema, value, path, errors)
        return validated
    if isinstance(value, BaseModel):
        errors.append((path, f"expected {schema.__name__}, got {type(value).__name__}"))
        return None
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        errors.append((path, f"expected mapping, got {describe_value(value)}"))
        return None
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        errors.extend(config_errors(exc, schema, path, hidden=hidden))
        return None


def validate_root(
    schema: type[Config], value: Any, path: str, errors: list[tuple[str, str]]
) -> Any:
    """Validate the value of a legacy scalar schema (a root model); ``None`` on errors."""
    root = schema.model_fields["root"]
    if value is None and not root.is_required():
        value = root.get_default(call_default_factory=True)
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        errors.extend(config_errors(exc, schema, path))
        return None


def check_partial_config(
    schema: type[Config], value: Mapping[str, Any], path: str, errors: list[tuple[str, str]]
) -> None:
    """Check resource config given in run config; missing fields are not errors (the
    resource definition may supply them)."""
    try:
        schema.model_validate(value)
    except ValidationError as exc:
        errors.extend(config_errors(exc, schema, path, skip_missing=True))
