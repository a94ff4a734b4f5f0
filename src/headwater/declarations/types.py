"""A gradual type system: types whose checks are functions of the value.

Annotations map to built-in types (``int``, ``str``, ``float``, ``bool``, ``list[...]``,
``dict[...]``, ``Optional[...]``, ``Any``, any class); :class:`DataType` makes custom ones, e.g. a
DataFrame with required columns. Dagster name of ``DataType``: ``DagsterType``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.errors import DefinitionError, UserCodeError
from headwater.metadata import MetadataValue, normalize_metadata


@dataclass(frozen=True, slots=True, init=False)
class TypeCheck:
    """The result of a type check.

    Args:
        success: whether the value has the type.
        description: why not (or a note on success).
        metadata: details shown with the check (e.g. the missing columns).

    Example:
        >>> TypeCheck(False, "missing column 'id'", metadata={"columns": 3}).success
        False
    """

    success: bool
    description: str | None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)

    def __init__(
        self,
        success: bool,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "success", bool(success))
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "metadata", normalize_metadata(metadata, where="TypeCheck"))


class DataType:
    """A named type whose check is a function of the value.

    Args:
        type_check_fn: ``fn(context, value) -> bool | TypeCheck``; ``context`` is the step's
            context (``None`` outside a run).
        name: shown in events and errors (default: the function's name).
        description: what the type means.

    Raises:
        DefinitionError: ``type_check_fn`` is not callable.

    Example:
        >>> PositiveInt = DataType(lambda _, v: isinstance(v, int) and v > 0, name="PositiveInt")
        >>> PositiveInt.type_check(None, 3).success, PositiveInt.type_check(None, -1).success
        (True, False)
    """

    __slots__ = ("description", "is_nothing", "name", "type_check_fn")

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], bool | TypeCheck],
        name: str | None = None,
        description: str | None = None,
        *,
        is_nothing: bool = False,
    ) -> None:
        if not callable(type_check_fn):
            raise DefinitionError(f"DataType {name!r}: type_check_fn must be callable.")
        self.type_check_fn = type_check_fn
        self.name = name or getattr(type_check_fn, "__name__", "DataType")
        self.description = description
        self.is_nothing = is_nothing

    @property
    def unique_name(self) -> str:
        """The name that identifies the type (Dagster's ``unique_name``; here :attr:`name`)."""
        return str(self.name)

    @property
    def display_name(self) -> str:
        """The name shown in events and the UI (here :attr:`name`)."""
        return str(self.name)

    def type_check(self, context: Any, value: Any) -> TypeCheck:
        """Run the check.

        Raises:
            UserCodeError: the check function raised (instead of returning ``False``), or
                returned something other than a bool or a TypeCheck.
        """
        try:
            result = self.type_check_fn(context, value)
        except Exception as exc:
            raise UserCodeError(
                f"The type check of {self.name!r} raised {type(exc).__name__}: {exc}. A type "
                "check should return False or TypeCheck(False, ...) for a wrong value, not raise.",
                original=exc,
            ) from exc
        if isinstance(result, TypeCheck):
            return result
        if isinstance(result, bool):
            return TypeCheck(result, None if result else f"Value is not a {self.name}.")
        raise UserCodeError(
            f"The type check of {self.name!r} returned {result!r}; return a bool or a TypeCheck.",
            original=TypeError(repr(result)),
        )

    def __repr__(self) -> str:
        return f"DataType({self.name!r})"


def _always(_: Any, __: Any) -> bool:
    return True


Nothing = DataType(_always, name="Nothing", description="No value: an order-only dependency.",
                   is_nothing=True)  # fmt: skip
AnyType = DataType(_always, name="Any")


def _class_check(cls: type, name: str) -> DataType:
    def check(_: Any, value: Any) -> TypeCheck:
        if isinstance(value, cls) and not (cls is int and isinstance(value, bool)):
            return TypeCheck(True)
        return TypeCheck(
            False, f"Value of type {type(value).__module__}.{type(value).__qualname__} is not a "
            f"{name}.",
        )  # fmt: skip

    return DataType(check, name=name)


class TypeCheckContext:
    """What a type check function receives as ``context``: the step's ``log``, ``resources``,
    ``run_id`` and ``step_key``."""

    __slots__ = ("log", "resources", "run_id", "step_key")

    def __init__(
        self, *, run_id: str | None, step_key: str | None, resources: Any, log: Any
    ) -> None:
        self.run_id = run_id
        self.step_key = step_key
        self.resources = resources
        self.log = log


def check_data_type(data_type: Any, value: Any) -> TypeCheck:
    """Check ``value`` against a :class:`DataType` or a Python annotation, outside a run.

    Args:
        data_type: a ``DataType``, a class (``int``), or an annotation (``list[int]``,
            ``int | None``); ``Any`` and unresolvable forward references accept every value.
        value: the value to check.

    Returns:
        The :class:`TypeCheck`; the check function gets ``None`` as its context.

    Raises:
        UserCodeError: the type's check function raised or returned something other than a
            bool or a ``TypeCheck``.

    Dagster name: ``check_dagster_type``.

    Example:
        >>> check_data_type(int, 3).success, check_data_type(list[int], [1, "2"]).success
        (True, False)
    """
    resolved = resolve_data_type(data_type)
    return TypeCheck(True) if resolved is None else resolved.type_check(None, value)


_CACHE: dict[Any, DataType | None] = {}


def resolve_data_type(annotation: Any) -> DataType | None:
    """The :class:`DataType` for an annotation, ``DataType`` or ``None`` when unchecked.

    Unresolvable forward references (strings) and ``Any`` are not checked.
    """
    if annotation is None or isinstance(annotation, str):
        return None
    if isinstance(annotation, DataType):
        return annotation
    try:
        cached = _CACHE.get(annotation, _MISS)
    except TypeError:  # unhashable annotation
        return _build(annotation)
    if cached is _MISS:
        cached = _CACHE[annotation] = _build(annotation)
    return cached  # type: ignore[no-any-return]


_MISS: Any = object()


def _build(annotation: Any) -> DataType | None:
    if annotation is Any or annotation is typing.Any:
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    from headwater.declarations.results import MaterializeResult, Output

    if origin is Output:  # Output[T]: the value inside must be a T
        return resolve_data_type(args[0]) if args else None
    if origin in (typing.Union, types.UnionType):
        members = [resolve_data_type(a) if a is not type(None) else None for a in args]
        if any(m is None and a is not type(None) for m, a in zip(members, args, strict=True)):
            return None  # a member we cannot check: do not check the union
        allows_none = type(None) in args
        checks = [m for m in members if m is not None]
        name = " | ".join(_name(a) for a in args)

        def union_check(context: Any, value: Any) -> TypeCheck:
            if value is None and allows_none:
                return TypeCheck(True)
            for member in checks:
                if member.type_check(context, value).success:
                    return TypeCheck(True)
            return TypeCheck(False, f"Value {_short(value)} is not a {name}.")

        return DataType(union_check, name=name)
    if origin in (list, set, frozenset, tuple) and args and args[-1] is not Ellipsis:
        container = origin
        element = resolve_data_type(args[0]) if len(args) == 1 or origin is not tuple else None
        name = _name(annotation)

        def container_check(context: Any, value: Any) -> TypeCheck:
            if not isinstance(value, container):
                return TypeCheck(
                    False, f"Value of type {type(value).__qualname__} is not a {name}."
                )
            if element is not None:
                for index, item in enumerate(value):
                    if not element.type_check(context, item).success:
                        return TypeCheck(
                            False, f"Item {index} ({_short(item)}) of the {container.__name__} "
                            f"is not a {element.name}.",
                        )  # fmt: skip
            return TypeCheck(True)

        return DataType(container_check, name=name)
    if origin is not None:
        return _class_check(origin, _name(annotation)) if isinstance(origin, type) else None
    if isinstance(annotation, type):
        if annotation in (Output, MaterializeResult) or issubclass(annotation, typing.Iterator):
            return None
        return _class_check(annotation, _name(annotation))
    return None


def _name(annotation: Any) -> str:
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
