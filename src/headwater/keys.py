"""Asset keys and asset check keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from headwater.errors import ArgumentTypeError, DefinitionError


class AssetKey:
    """The unique, hierarchical name of an asset.

    Args:
        path: a string (one component), a sequence of strings (the path), or another
            ``AssetKey``. A plain string is one component; use :meth:`from_user_string`
            to split ``"a/b"``.

    Attributes:
        path: the components, as a new ``list[str]`` on each access (as Dagster's
            ``AssetKey.path``); changing that list does not change the key.

    Raises:
        ArgumentTypeError: ``path`` is not a string, a sequence of strings or an ``AssetKey``
            (a ``TypeError``, e.g. ``AssetKey(3)``).
        DefinitionError: the path is empty or has an empty component.

    Example:
        >>> AssetKey(["warehouse", "orders"]).to_user_string()
        'warehouse/orders'
        >>> AssetKey("orders").path
        ['orders']
    """

    __slots__ = ("_hash", "_parts")

    _parts: tuple[str, ...]
    _hash: int

    def __init__(self, path: str | Sequence[str] | AssetKey) -> None:
        if isinstance(path, AssetKey):
            parts = path._parts
        elif isinstance(path, str):
            parts = (path,)
        else:
            try:
                parts = tuple(path)
            except TypeError:
                raise ArgumentTypeError(_bad_key_message(path)) from None
            if not all(type(p) is str or isinstance(p, str) for p in parts):
                raise ArgumentTypeError(_bad_key_message(path))
        if not parts or "" in parts:
            raise DefinitionError(
                f"Invalid asset key {path!r}: an asset key is a non-empty sequence of "
                "non-empty strings, e.g. AssetKey(['schema', 'table'])."
            )
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_hash", hash(parts))

    @property
    def path(self) -> list[str]:
        """The key's components, e.g. ``["warehouse", "orders"]`` (a fresh list)."""
        return list(self._parts)

    # Keys are hashed and compared constantly in graph code: keep these cheap.
    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, AssetKey) and self._parts == other._parts

    def __lt__(self, other: AssetKey) -> bool:
        return self._parts < other._parts

    def __le__(self, other: AssetKey) -> bool:
        return self._parts <= other._parts

    def __gt__(self, other: AssetKey) -> bool:
        return self._parts > other._parts

    def __ge__(self, other: AssetKey) -> bool:
        return self._parts >= other._parts

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("AssetKey is immutable")

    def __reduce__(self) -> tuple[type[AssetKey], tuple[tuple[str, ...]]]:
        return (AssetKey, (self._parts,))

    @staticmethod
    def from_user_string(text: str) -> AssetKey:
        """Parse the ``a/b/c`` form used on the command line and in selections."""
        parts = tuple(text.strip("/").split("/"))
        if "" in parts:
            return AssetKey(parts)  # the constructor raises the explanatory error
        key = object.__new__(AssetKey)
        object.__setattr__(key, "_parts", parts)
        object.__setattr__(key, "_hash", hash(parts))
        return key

    @staticmethod
    def from_coercible(value: CoercibleToAssetKey) -> AssetKey:
        """Build a key from an ``AssetKey``, a ``"a/b"`` string or a sequence of strings."""
        if isinstance(value, AssetKey):
            return value
        if isinstance(value, str):
            return AssetKey.from_user_string(value)
        return AssetKey(value)

    def to_user_string(self) -> str:
        """The ``a/b/c`` form; the inverse of :meth:`from_user_string`."""
        return "/".join(self._parts)

    def to_python_identifier(self, suffix: str | None = None) -> str:
        """A name usable as a Python identifier (``a__b``), e.g. for op names."""
        name = "__".join(self._parts).replace("-", "_").replace(".", "_")
        return f"{name}_{suffix}" if suffix else name

    def with_prefix(self, prefix: str | Sequence[str]) -> AssetKey:
        """Return the key with ``prefix`` components put in front."""
        pre = (prefix,) if isinstance(prefix, str) else tuple(prefix)
        return AssetKey(pre + self._parts)

    def has_prefix(self, prefix: str | Sequence[str]) -> bool:
        """Whether the key's path starts with ``prefix``'s components.

        Args:
            prefix: one component (a string) or a sequence of them; an empty sequence is a
                prefix of every key.

        Example:
            >>> AssetKey(["lake", "orders"]).has_prefix(["lake"])
            True
            >>> AssetKey(["lake", "orders"]).has_prefix("orders")
            False
        """
        pre = (prefix,) if isinstance(prefix, str) else tuple(prefix)
        return self._parts[: len(pre)] == pre

    @property
    def parent(self) -> AssetKey:
        """The key without its last component."""
        return AssetKey(self._parts[:-1])

    def __str__(self) -> str:
        return self.to_user_string()

    def __repr__(self) -> str:
        return f"AssetKey({list(self._parts)!r})"


def _bad_key_message(path: object) -> str:
    return (
        f"Invalid asset key {path!r} ({type(path).__name__}): give a string, a sequence of "
        "strings or an AssetKey, e.g. AssetKey(['schema', 'table'])."
    )


CoercibleToAssetKey: TypeAlias = AssetKey | str | Sequence[str]


@dataclass(frozen=True, slots=True, order=True)
class AssetCheckKey:
    """The key of an asset check: the checked asset's key and the check's name."""

    asset_key: AssetKey
    name: str

    def to_user_string(self) -> str:
        """The ``asset/key:check_name`` form."""
        return f"{self.asset_key.to_user_string()}:{self.name}"

    def __str__(self) -> str:
        return self.to_user_string()
