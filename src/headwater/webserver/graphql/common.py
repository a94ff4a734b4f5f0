"""Types every part of the schema shares: asset keys, tags, metadata, pages, user errors."""

import base64
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from headwater.keys import AssetKey as _AssetKey

#: The most items one page of a connection returns.
MAX_PAGE = 1000


@strawberry.type(description="An asset key: the parts of its path, e.g. ['raw', 'orders'].")
class AssetKey:
    path: list[str] = strawberry.field(description="The parts of the key.")

    @strawberry.field(description="The key as one string, its parts joined by '/'.")
    def user_string(self) -> str:
        return "/".join(self.path)

    @staticmethod
    def of(key: Any) -> "AssetKey":
        return AssetKey(path=list(key.path if isinstance(key, _AssetKey) else key))


@strawberry.input(description="An asset key given by the parts of its path.")
class AssetKeyInput:
    path: list[str] = strawberry.field(description="The parts of the key, e.g. ['raw', 'orders'].")

    def to_key(self) -> _AssetKey:
        return _AssetKey(list(self.path))


@strawberry.type(description="A tag: a key and its value.")
class Tag:
    key: str
    value: str


@strawberry.input(description="A tag to filter on or to set.")
class TagInput:
    key: str
    value: str


@strawberry.type(description="One metadata entry of an asset, a materialization or an event.")
class MetadataEntry:
    label: str = strawberry.field(description="The entry's name.")
    kind: str = strawberry.field(
        description="What the value is: text, int, float, bool, json, md, url, path, "
        "table_schema, asset, ..."
    )
    value: JSON = strawberry.field(description="The value in JSON form, as stored.")

    @strawberry.field(description="The value as a number when it is one (for plots), else null.")
    def number(self) -> float | None:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)


def metadata_entries(data: Any) -> list[MetadataEntry]:
    """Entries of metadata in its JSON form (``{label: {"kind", "value"}}``)."""
    out = []
    for label, entry in (data or {}).items():
        if isinstance(entry, dict) and "kind" in entry:
            kind, value = str(entry["kind"]), entry.get("value")
            out.append(MetadataEntry(label=label, kind=kind, value=cast(JSON, value)))
        else:
            out.append(MetadataEntry(label=label, kind="json", value=entry))
    return out


def tags_of(tags: Any) -> list[Tag]:
    """Tags of a mapping, sorted by key."""
    return [Tag(key=k, value=str(v)) for k, v in sorted((tags or {}).items())]


@strawberry.type(description="Where a page of a connection ends (Relay style).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass it as `after` to get the next page; null on an empty page."
    )


@strawberry.type(
    description="Why a mutation did not do (all of) what was asked: for people, with what to "
    "change."
)
class UserError:
    message: str = strawberry.field(description="What went wrong and how to fix it.")
    kind: str = strawberry.field(
        description="A stable code: NOT_FOUND, INVALID, PARTITION, LOCATION_UNAVAILABLE, "
        "READ_ONLY, CONFLICT."
    )
    field: str | None = strawberry.field(default=None, description="The input field concerned.")


@strawberry.type(description="A Python error: its message and traceback.")
class PythonError:
    message: str
    traceback: str = ""


def encode_cursor(kind: str, value: str | int) -> str:
    """An opaque cursor (``kind:value``, base64)."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(kind: str, cursor: str | None) -> str | None:
    """The value of a cursor made by :func:`encode_cursor`.

    Raises:
        ValueError: not a cursor of this kind.
    """
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"Not a {kind} cursor: {cursor!r}.") from None
    prefix, _, value = text.partition(":")
    if prefix != kind:
        raise ValueError(f"Not a {kind} cursor: {cursor!r}.")
    return value


def page_size(first: int | None, default: int = 50) -> int:
    """``first`` bounded to 1..:data:`MAX_PAGE`.

    Raises:
        ValueError: ``first`` is below 1 or above :data:`MAX_PAGE`.
    """
    if first is None:
        return default
    if first < 1 or first > MAX_PAGE:
        raise ValueError(f"first must be between 1 and {MAX_PAGE}, got {first}.")
    return first
