"""Metadata values attached to assets, materializations, observations and check results.

Raw Python values are accepted wherever metadata is: ``str`` becomes text, ``int``/``float``/
``bool`` their numeric kinds, ``dict``/``list`` JSON, ``None`` null, ``AssetKey`` an asset
reference, ``TableSchema`` a table schema. Use :class:`MetadataValue` factories for the rest
(markdown, url, path, timestamp).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from headwater.errors import DefinitionError
from headwater.keys import AssetKey


@dataclass(frozen=True, slots=True)
class TableColumnConstraints:
    """Constraints on the values of one :class:`TableColumn`.

    Args:
        nullable: whether the column may hold nulls (default ``True``).
        unique: whether its values are unique (default ``False``).
        other: other constraints, as free text (``"> 0"``).

    Example:
        >>> TableColumnConstraints(nullable=False, unique=True).unique
        True
    """

    nullable: bool = True
    unique: bool = False
    other: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "other", tuple(self.other or ()))


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column of a :class:`TableSchema`.

    Arguments may be given by position (``TableColumn("id", "int")``) or by keyword.

    Args:
        name: column name.
        type: type name as the storage system spells it (default ``"string"``).
        description: free text.
        constraints: a :class:`TableColumnConstraints` (default: nullable, not unique).
        tags: string tags of the column (``{"pii": "true"}``).

    Example:
        >>> TableColumn("id", "int").type
        'int'
        >>> TableColumn("email").constraints.nullable
        True
    """

    name: str
    type: str = "string"
    description: str | None = None
    constraints: TableColumnConstraints = TableColumnConstraints()
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise DefinitionError(
                f"TableColumn: name must be a non-empty string, got {self.name!r}."
            )
        if self.constraints is None:
            object.__setattr__(self, "constraints", TableColumnConstraints())
        object.__setattr__(self, "tags", dict(self.tags or {}))

    def to_json(self) -> dict[str, Any]:
        """``{"name", "type", "description"}``, plus ``constraints``/``tags`` when not default."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        c = self.constraints
        if c != TableColumnConstraints():
            out["constraints"] = {
                "nullable": c.nullable,
                "unique": c.unique,
                "other": list(c.other),
            }
        if self.tags:
            out["tags"] = dict(self.tags)
        return out

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TableColumn:
        """Inverse of :meth:`to_json`."""
        constraints = data.get("constraints") or {}
        return TableColumn(
            name=data["name"],
            type=data.get("type", "string"),
            description=data.get("description"),
            constraints=TableColumnConstraints(**constraints),
            tags=data.get("tags") or {},
        )


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The columns of a table.

    Args:
        columns: the :class:`TableColumn` s, in table order (may be given by position).

    Example:
        >>> TableSchema([TableColumn("id", "int")]).columns[0].name
        'id'
    """

    columns: Sequence[TableColumn] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", list(self.columns))

    def to_json(self) -> list[dict[str, Any]]:
        """A JSON-able list of column dicts (see :meth:`TableColumn.to_json`)."""
        return [c.to_json() for c in self.columns]

    @staticmethod
    def from_json(data: Sequence[Mapping[str, Any]]) -> TableSchema:
        """Inverse of :meth:`to_json`."""
        return TableSchema(columns=[TableColumn.from_json(col) for col in data])


@dataclass(frozen=True, slots=True, eq=False)
class MetadataValue:
    """A typed metadata value. Build one with the static factories, e.g. ``MetadataValue.md(text)``.

    Every value is an instance of the subclass for its kind (``IntMetadataValue`` for
    ``"int"``, ...), whichever way it was built; two values are equal when their kind and value
    are.

    Attributes:
        value: the plain Python value (str, int, float, bool, JSON data, None, ...).
        kind: one of ``text``, ``int``, ``float``, ``bool``, ``json``, ``md``, ``url``, ``path``,
            ``timestamp`` (seconds since the epoch, float), ``table_schema``, ``asset``, ``null``.

    Example:
        >>> type(MetadataValue.int(3)).__name__
        'IntMetadataValue'
        >>> MetadataValue(3, "int") == IntMetadataValue(3)
        True
    """

    value: Any
    kind: str = "text"

    def __new__(cls, value: Any = None, kind: str = "text") -> MetadataValue:
        if cls is MetadataValue:
            cls = _CLASS_BY_KIND.get(kind, MetadataValue)
        return object.__new__(cls)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MetadataValue):
            return NotImplemented
        return self.kind == other.kind and _same(self.value, other.value)

    def __hash__(self) -> int:
        try:
            return hash((self.kind, self.value))
        except TypeError:  # JSON data, a table schema
            return hash((self.kind, repr(self.value)))

    KINDS: ClassVar[frozenset[str]] = frozenset(
        {
            "text",
            "int",
            "float",
            "bool",
            "json",
            "md",
            "url",
            "path",
            "timestamp",
            "table_schema",
            "asset",
            "null",
        }
    )

    @staticmethod
    def text(value: str) -> MetadataValue:
        """Plain text."""
        return MetadataValue(str(value), "text")

    @staticmethod
    def int(value: int) -> MetadataValue:
        """An integer (e.g. a row count)."""
        return MetadataValue(value, "int")

    @staticmethod
    def float(value: float) -> MetadataValue:
        """A float; NaN and infinities are kept."""
        return MetadataValue(value, "float")

    @staticmethod
    def bool(value: bool) -> MetadataValue:
        """A boolean."""
        return MetadataValue(value, "bool")

    @staticmethod
    def json(value: Any) -> MetadataValue:
        """JSON-serializable data (dict or list)."""
        return MetadataValue(value, "json")

    @staticmethod
    def md(value: str) -> MetadataValue:
        """Markdown text, rendered by the UI."""
        return MetadataValue(value, "md")

    @staticmethod
    def url(value: str) -> MetadataValue:
        """A URL."""
        return MetadataValue(value, "url")

    @staticmethod
    def path(value: Any) -> MetadataValue:
        """A filesystem path (str or ``os.PathLike``)."""
        return MetadataValue(str(value), "path")

    @staticmethod
    def timestamp(value: Any) -> MetadataValue:
        """A point in time: seconds since the epoch, or a timezone-aware ``datetime``."""
        seconds = value.timestamp() if hasattr(value, "timestamp") else value
        return MetadataValue(seconds, "timestamp")

    @staticmethod
    def table_schema(schema: TableSchema) -> MetadataValue:
        """A table schema."""
        return MetadataValue(schema, "table_schema")

    @staticmethod
    def asset(key: AssetKey) -> MetadataValue:
        """A reference to another asset."""
        return MetadataValue(key, "asset")

    @staticmethod
    def null() -> MetadataValue:
        """An explicit null."""
        return MetadataValue(None, "null")

    def to_json(self) -> dict[str, Any]:
        """``{"kind": ..., "value": ...}`` with JSON-able contents."""
        value = self.value
        if self.kind == "table_schema":
            value = value.to_json()
        elif self.kind == "asset":
            value = list(value.path)
        elif self.kind == "float" and not math.isfinite(value):
            value = repr(value)
        return {"kind": self.kind, "value": value}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> MetadataValue:
        """Inverse of :meth:`to_json`."""
        kind, value = data["kind"], data["value"]
        if kind == "table_schema":
            value = TableSchema.from_json(value)
        elif kind == "asset":
            value = AssetKey(value)
        elif kind == "float" and isinstance(value, str):
            value = float(value)
        return MetadataValue(value, kind)


def _same(a: Any, b: Any) -> bool:
    return a is b or bool(a == b)  # as dataclass (tuple) equality compares


class _KindValue(MetadataValue):
    """A :class:`MetadataValue` of one fixed kind: built from the value alone."""

    __slots__ = ()
    KIND: ClassVar[str] = "text"

    def __init__(self, value: Any, kind: str | None = None) -> None:
        MetadataValue.__init__(self, value, self.KIND)


class TextMetadataValue(_KindValue):
    """Plain text (``MetadataValue.text``)."""

    __slots__ = ()
    KIND = "text"


class IntMetadataValue(_KindValue):
    """An integer (``MetadataValue.int``)."""

    __slots__ = ()
    KIND = "int"


class FloatMetadataValue(_KindValue):
    """A float (``MetadataValue.float``)."""

    __slots__ = ()
    KIND = "float"


class BoolMetadataValue(_KindValue):
    """A boolean (``MetadataValue.bool``)."""

    __slots__ = ()
    KIND = "bool"


class JsonMetadataValue(_KindValue):
    """JSON data, a dict or a list (``MetadataValue.json``)."""

    __slots__ = ()
    KIND = "json"


class MarkdownMetadataValue(_KindValue):
    """Markdown text (``MetadataValue.md``)."""

    __slots__ = ()
    KIND = "md"


class UrlMetadataValue(_KindValue):
    """A URL (``MetadataValue.url``)."""

    __slots__ = ()
    KIND = "url"


class PathMetadataValue(_KindValue):
    """A filesystem path (``MetadataValue.path``)."""

    __slots__ = ()
    KIND = "path"


class TimestampMetadataValue(_KindValue):
    """Seconds since the epoch (``MetadataValue.timestamp``)."""

    __slots__ = ()
    KIND = "timestamp"


class TableSchemaMetadataValue(_KindValue):
    """A :class:`TableSchema` (``MetadataValue.table_schema``)."""

    __slots__ = ()
    KIND = "table_schema"


class AssetMetadataValue(_KindValue):
    """A reference to an asset, an :class:`~headwater.AssetKey` (``MetadataValue.asset``)."""

    __slots__ = ()
    KIND = "asset"


class NullMetadataValue(_KindValue):
    """An explicit null (``MetadataValue.null``)."""

    __slots__ = ()
    KIND = "null"


_CLASS_BY_KIND: dict[str, type[MetadataValue]] = {
    cls.KIND: cls
    for cls in (
        TextMetadataValue, IntMetadataValue, FloatMetadataValue, BoolMetadataValue,
        JsonMetadataValue, MarkdownMetadataValue, UrlMetadataValue, PathMetadataValue,
        TimestampMetadataValue, TableSchemaMetadataValue, AssetMetadataValue, NullMetadataValue,
    )
}  # fmt: skip


def normalize_metadata(
    raw: Mapping[str, Any] | None, *, where: str = "metadata"
) -> dict[str, MetadataValue]:
    """Coerce raw values to :class:`MetadataValue`.

    Raises:
        DefinitionError: a key is not a string, or a value has no metadata equivalent (the
            message names the key and where it was given).
    """
    if not raw:
        return {}
    out: dict[str, MetadataValue] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise DefinitionError(f"{where}: metadata keys must be strings, got {key!r}.")
        out[key] = _coerce(value, key, where)
    return out


def _coerce(value: Any, key: str, where: str) -> MetadataValue:
    if isinstance(value, MetadataValue):
        return value
    if value is None:
        return MetadataValue.null()
    if isinstance(value, bool):
        return MetadataValue.bool(value)
    if isinstance(value, int):
        return MetadataValue.int(int(value))
    if isinstance(value, float):
        return MetadataValue.float(value)
    if isinstance(value, str):
        return MetadataValue.text(value)
    if isinstance(value, TableSchema):
        return MetadataValue.table_schema(value)
    if isinstance(value, AssetKey):
        return MetadataValue.asset(value)
    if isinstance(value, Mapping | list | tuple):
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise DefinitionError(
                f"{where}: metadata value for {key!r} is not JSON-serializable ({exc}). "
                "Convert it to plain dicts, lists, strings and numbers."
            ) from exc
        return MetadataValue.json(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _coerce(value.item(), key, where)
    raise DefinitionError(
        f"{where}: cannot use a {type(value).__name__} as the metadata value of {key!r}. "
        "Use str, int, float, bool, dict, list, None or a MetadataValue."
    )


def metadata_to_json(metadata: Mapping[str, MetadataValue]) -> dict[str, dict[str, Any]]:
    """Serialize a normalized metadata mapping."""
    return {k: v.to_json() for k, v in metadata.items()}


def metadata_from_json(data: Mapping[str, Mapping[str, Any]] | None) -> dict[str, MetadataValue]:
    """Inverse of :func:`metadata_to_json`."""
    return {k: MetadataValue.from_json(v) for k, v in (data or {}).items()}
