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
from dataclasses import dataclass
from typing import Any, ClassVar

from headwater.errors import DefinitionError
from headwater.keys import AssetKey


@dataclass(frozen=True, slots=True, kw_only=True)
class TableColumn:
    """One column of a :class:`TableSchema`.

    Args:
        name: column name.
        type: type name as the storage system spells it (default ``"string"``).
        description: free text.
    """

    name: str
    type: str = "string"
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TableSchema:
    """The columns of a table.

    Example:
        >>> TableSchema(columns=[TableColumn(name="id", type="int")]).columns[0].name
        'id'
    """

    columns: Sequence[TableColumn] = ()

    def to_json(self) -> list[dict[str, Any]]:
        """A JSON-able list of ``{"name", "type", "description"}`` dicts."""
        return [
            {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
        ]

    @staticmethod
    def from_json(data: Sequence[Mapping[str, Any]]) -> TableSchema:
        """Inverse of :meth:`to_json`."""
        return TableSchema(columns=[TableColumn(**col) for col in data])


@dataclass(frozen=True, slots=True)
class MetadataValue:
    """A typed metadata value. Build one with the static factories, e.g. ``MetadataValue.md(text)``.

    Attributes:
        value: the plain Python value (str, int, float, bool, JSON data, None, ...).
        kind: one of ``text``, ``int``, ``float``, ``bool``, ``json``, ``md``, ``url``, ``path``,
            ``timestamp`` (seconds since the epoch, float), ``table_schema``, ``asset``, ``null``.
    """

    value: Any
    kind: str = "text"

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


# Dagster exposes the typed values as classes; these names construct the same values.
def TextMetadataValue(text: str) -> MetadataValue:
    """Same as ``MetadataValue.text``."""
    return MetadataValue.text(text)


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
