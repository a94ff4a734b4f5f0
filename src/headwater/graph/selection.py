"""Asset selections: immutable expressions over an :class:`AssetGraph`; pure, no I/O.

An :class:`AssetSelection` is a small expression tree (filters, graph traversals and set
operations) that is resolved against a graph into a set of asset keys. Each node resolves in
time linear in the graph, so a selection costs O(size of expression x size of graph).
The string grammar lives in ``selection_grammar`` and is imported (with lark) only on first use.
"""

from __future__ import annotations

import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias, Union

from headwater.definitions.keys import AssetKey, CoercibleToAssetKey
from headwater.errors import DefinitionError, InvalidSelectionError
from headwater.graph.asset_graph import AssetGraph


class _HasAssetKeys(Protocol):
    """Anything with a ``keys`` attribute listing asset keys, e.g. an ``AssetsDefinition``."""

    @property
    def keys(self) -> Iterable[AssetKey]: ...  # pragma: no cover


CoercibleToAssetSelection: TypeAlias = Union[
    "AssetSelection", str, Sequence[str], Sequence[AssetKey], Sequence[_HasAssetKeys]
]

# Precedence of rendered expressions, loosest first; an operand that binds more loosely than its
# operator requires is put in parentheses.
_OR, _AND, _NOT, _TRAVERSAL, _ATOM = range(5)
_BARE_VALUE = re.compile(r"[\w\-./@*]+")


class AssetSelection(ABC):
    """An immutable description of a set of assets, resolved against an asset graph.

    Build one with the constructors (:meth:`all`, :meth:`assets`, :meth:`groups`, ...), refine it
    with :meth:`upstream`, :meth:`downstream`, :meth:`roots`, :meth:`sinks`, and combine them
    with ``|`` (union), ``&`` (intersection) and ``-`` (difference). :meth:`from_string` parses
    the text form, which is also what ``str()`` prints.

    Example:
        >>> sel = AssetSelection.groups("raw").downstream(depth=1) - AssetSelection.keys("raw/tmp")
        >>> str(sel)
        'group:raw+1 and not key:raw/tmp'
    """

    __slots__ = ()

    # -- constructors --------------------------------------------------------------------------
    @staticmethod
    def all(include_sources: bool = False) -> AssetSelection:
        """Every materializable asset, plus external (source) assets when ``include_sources``.

        Example:
            >>> str(AssetSelection.all())
            '*'
        """
        return AllSelection(include_sources=include_sources)

    @staticmethod
    def assets(*assets: CoercibleToAssetKey | _HasAssetKeys) -> AssetSelection:
        """The given assets: ``AssetKey``, ``"a/b"`` strings, key paths or assets definitions.

        Args:
            *assets: each an ``AssetKey``; a string, split on ``/`` (``"raw/orders"``); a
                sequence of strings, one key's path (``["raw", "orders"]``); or an object whose
                ``keys`` attribute lists ``AssetKey`` objects (such as an ``AssetsDefinition``),
                which selects all of its keys.

        Raises:
            InvalidSelectionError: an argument is none of these.

        Example:
            >>> str(AssetSelection.assets("raw/orders", ["raw", "customers"]))
            'key:raw/orders or key:raw/customers'
        """
        keys: list[AssetKey] = []
        for item in assets:
            if isinstance(item, AssetSelection):
                raise InvalidSelectionError(
                    f"AssetSelection.assets() takes keys or assets definitions, not the "
                    f"selection {item}; combine selections with | instead."
                )
            if isinstance(item, AssetKey | str | Sequence):
                keys.append(_coerce_key(item))
            elif hasattr(item, "keys"):
                keys.extend(_keys_of(item))
            else:
                raise InvalidSelectionError(
                    f"Cannot select {item!r}: pass an AssetKey, an 'a/b' string, a list of "
                    "key components or an assets definition."
                )
        return KeysSelection(selected=tuple(dict.fromkeys(keys)))

    @staticmethod
    def keys(*keys: CoercibleToAssetKey) -> AssetSelection:
        """The assets with the given keys (``AssetKey``, ``"a/b"`` or ``["a", "b"]``).

        Resolving raises :class:`InvalidSelectionError` for a key missing from the graph.

        Example:
            >>> str(AssetSelection.keys("a", "b/c"))
            'key:a or key:b/c'
        """
        return KeysSelection(selected=tuple(dict.fromkeys(_coerce_key(k) for k in keys)))

    @staticmethod
    def key_wildcard(pattern: str, include_sources: bool = False) -> AssetSelection:
        """Assets whose ``a/b`` key string matches ``pattern``, where ``*`` matches any text.

        Example:
            >>> str(AssetSelection.key_wildcard("raw/*"))
            'key:raw/*'
        """
        if pattern == "*":
            return AllSelection(include_sources=include_sources)
        return KeyWildcardSelection(pattern=pattern, include_sources=include_sources)

    @staticmethod
    def key_prefixes(
        *prefixes: str | Sequence[str], include_sources: bool = False
    ) -> AssetSelection:
        """Assets whose key starts with one of the prefixes (a key is its own prefix).

        Args:
            *prefixes: a string, split on ``/`` (``"raw"``, ``"warehouse/core"``), or a
                sequence of key components.
            include_sources: also match external (source) assets.

        Example:
            >>> str(AssetSelection.key_prefixes("raw", ["wh", "core"]))
            'key_prefix:raw or key_prefix:wh/core'
        """
        paths = tuple(dict.fromkeys(_coerce_key(p).path for p in prefixes))
        return KeyPrefixesSelection(prefixes=paths, include_sources=include_sources)

    @staticmethod
    def groups(*group_names: str, include_sources: bool = False) -> AssetSelection:
        """Assets in any of the named groups.

        Example:
            >>> str(AssetSelection.groups("raw", "marts"))
            'group:raw or group:marts'
        """
        names = tuple(dict.fromkeys(group_names))
        return GroupsSelection(names=names, include_sources=include_sources)

    @staticmethod
    def tag(key: str, value: str | None = None, include_sources: bool = False) -> AssetSelection:
        """Assets tagged ``key=value``; with ``value=None``, assets with tag ``key`` at all.

        Example:
            >>> str(AssetSelection.tag("team", "data") | AssetSelection.tag("pii"))
            'tag:team=data or tag:pii'
        """
        return TagSelection(key=key, value=value, include_sources=include_sources)

    @staticmethod
    def kind(kind: str, include_sources: bool = False) -> AssetSelection:
        """Assets of the given kind (e.g. ``"duckdb"``, ``"dbt"``).

        Example:
            >>> str(AssetSelection.kind("duckdb"))
            'kind:duckdb'
        """
        return KindSelection(kind_name=kind, include_sources=include_sources)

    @staticmethod
    def owner(owner: str, include_sources: bool = False) -> AssetSelection:
        """Assets owned by ``owner`` (a user e-mail or ``team:name``).

        Example:
            >>> str(AssetSelection.owner("ana@x.com"))
            'owner:ana@x.com'
        """
        return OwnerSelection(owner_name=owner, include_sources=include_sources)

    @staticmethod
    def from_string(text: str, include_sources: bool = False) -> AssetSelection:
        """Parse the selection grammar (see ``docs/selection.md``).

        Args:
            text: e.g. ``"+key:marts/orders and not group:raw"``, or the legacy
                comma-separated form ``"*orders,customers+"``.
            include_sources: whether ``*``, ``not`` and the attribute filters also match
                external (source) assets.

        Raises:
            InvalidSelectionError: the text does not parse; the message shows the column and
                what was expected there.

        Example:
            >>> str(AssetSelection.from_string("2+ key:a  OR group:raw"))
            '2+key:a or group:raw'
        """
        from headwater.graph.selection_grammar import parse_selection

        return parse_selection(text, include_sources=include_sources)

    @staticmethod
    def from_coercible(selection: CoercibleToAssetSelection) -> AssetSelection:
        """Turn what users pass as ``selection=`` into an ``AssetSelection``.

        A string is parsed with :meth:`from_string`, a sequence of strings is the union of each
        parsed, any other sequence is passed to :meth:`assets`.

        Example:
            >>> str(AssetSelection.from_coercible(["a", "group:b"]))
            'key:a or group:b'
        """
        if isinstance(selection, AssetSelection):
            return selection
        if isinstance(selection, str):
            return AssetSelection.from_string(selection)
        items: list[Any] = list(selection)
        if items and all(isinstance(item, str) for item in items):
            return OrSelection.of(*(AssetSelection.from_string(s) for s in items))
        return AssetSelection.assets(*items)

    # -- refinements ---------------------------------------------------------------------------
    def upstream(
        self, depth: int | None = None, include_self: bool = True, *, include_sources: bool = False
    ) -> AssetSelection:
        """This selection and the assets it depends on, up to ``depth`` hops (None: all).

        Traversal passes through external assets but adds only materializable ones unless
        ``include_sources``. With ``include_self=False`` this selection's assets are removed.

        Example:
            >>> str(AssetSelection.keys("mart").upstream(depth=2))
            '2+key:mart'
        """
        return UpstreamSelection(
            child=self,
            depth=_check_depth(depth),
            include_self=include_self,
            include_sources=include_sources,
        )

    def downstream(
        self, depth: int | None = None, include_self: bool = True, *, include_sources: bool = False
    ) -> AssetSelection:
        """This selection and the assets that depend on it, up to ``depth`` hops (None: all).

        Same rules as :meth:`upstream`, in the other direction.

        Example:
            >>> str(AssetSelection.keys("raw").downstream())
            'key:raw+'
        """
        return DownstreamSelection(
            child=self,
            depth=_check_depth(depth),
            include_self=include_self,
            include_sources=include_sources,
        )

    def roots(self) -> AssetSelection:
        """The assets of this selection with no parent inside the selection.

        Example:
            >>> str(AssetSelection.groups("raw").roots())
            'roots(group:raw)'
        """
        return RootsSelection(child=self)

    def sinks(self) -> AssetSelection:
        """The assets of this selection with no child inside the selection.

        Example:
            >>> str(AssetSelection.groups("raw").sinks())
            'sinks(group:raw)'
        """
        return SinksSelection(child=self)

    def __or__(self, other: AssetSelection) -> AssetSelection:
        return OrSelection.of(self, other) if isinstance(other, AssetSelection) else NotImplemented

    def __and__(self, other: AssetSelection) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return AndSelection.of(self, other)

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return SubtractSelection(left=self, right=other)

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, graph: AssetGraph, allow_missing: bool = False) -> frozenset[AssetKey]:
        """The keys this selection denotes in ``graph``.

        Args:
            graph: the asset graph to select from.
            allow_missing: ignore explicitly named keys that are not in the graph.

        Raises:
            InvalidSelectionError: an explicitly named key is not in the graph (the message
                suggests close matches) and ``allow_missing`` is false.

        Example:
            >>> AssetSelection.keys("a").resolve(graph)  # doctest: +SKIP
            frozenset({AssetKey(['a'])})
        """
        return frozenset(self._resolve(graph, allow_missing))

    @abstractmethod
    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]: ...

    @abstractmethod
    def _render(self) -> tuple[str, int]:
        """The grammar text of this node and its precedence."""

    @abstractmethod
    def _python(self) -> str:
        """A Python expression that rebuilds this node."""

    def __str__(self) -> str:
        return self._render()[0]

    def __repr__(self) -> str:
        return self._python()


# -- leaves --------------------------------------------------------------------------------------
def _sources_arg(include_sources: bool) -> str:
    return ", include_sources=True" if include_sources else ""


def _filtered(graph: AssetGraph, include_sources: bool) -> Iterable[AssetKey]:
    return graph.all_keys if include_sources else graph.materializable_keys


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class AllSelection(AssetSelection):
    include_sources: bool = False

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set(_filtered(graph, self.include_sources))

    def _render(self) -> tuple[str, int]:
        return "*", _ATOM

    def _python(self) -> str:
        return f"AssetSelection.all({'include_sources=True' if self.include_sources else ''})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class KeysSelection(AssetSelection):
    selected: tuple[AssetKey, ...]

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        missing = [k for k in self.selected if not graph.has(k)]
        if missing and not allow_missing:
            raise _unknown_keys_error(missing, graph)
        return {k for k in self.selected if graph.has(k)}

    def _render(self) -> tuple[str, int]:
        if not self.selected:
            return "not *", _NOT  # the empty selection
        text = " or ".join(f"key:{_render_value(k.to_user_string())}" for k in self.selected)
        return text, (_ATOM if len(self.selected) == 1 else _OR)

    def _python(self) -> str:
        args = ", ".join(repr(k.to_user_string()) for k in self.selected)
        return f"AssetSelection.keys({args})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class _FilterSelection(AssetSelection):
    """A leaf keeping the assets whose node passes a predicate."""

    include_sources: bool = False

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {k for k in _filtered(graph, self.include_sources) if self._matches(graph, k)}

    @abstractmethod
    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool: ...

    def _render_terms(self, terms: Sequence[str]) -> tuple[str, int]:
        return " or ".join(terms), (_ATOM if len(terms) == 1 else _OR)


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class KeyWildcardSelection(_FilterSelection):
    pattern: str
    _regex: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        regex = ".*".join(re.escape(part) for part in self.pattern.split("*"))
        object.__setattr__(self, "_regex", re.compile(regex))

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        return self._regex.fullmatch(key.to_user_string()) is not None

    def _render(self) -> tuple[str, int]:
        return f"key:{_render_value(self.pattern)}", _ATOM

    def _python(self) -> str:
        return f"AssetSelection.key_wildcard({self.pattern!r}{_sources_arg(self.include_sources)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class KeyPrefixesSelection(_FilterSelection):
    prefixes: tuple[tuple[str, ...], ...]

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        return any(key.path[: len(p)] == p for p in self.prefixes)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return _FilterSelection._resolve(self, graph, allow_missing) if self.prefixes else set()

    def _render(self) -> tuple[str, int]:
        if not self.prefixes:
            return "not *", _NOT
        terms = [f"key_prefix:{_render_value('/'.join(p))}" for p in self.prefixes]
        return self._render_terms(terms)

    def _python(self) -> str:
        args = ", ".join(repr("/".join(p)) for p in self.prefixes)
        return f"AssetSelection.key_prefixes({args}{_sources_arg(self.include_sources)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class GroupsSelection(_FilterSelection):
    names: tuple[str, ...]

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        return graph.get(key).group_name in self.names

    def _render(self) -> tuple[str, int]:
        if not self.names:
            return "not *", _NOT
        return self._render_terms([f"group:{_render_value(n)}" for n in self.names])

    def _python(self) -> str:
        args = ", ".join(repr(n) for n in self.names)
        return f"AssetSelection.groups({args}{_sources_arg(self.include_sources)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class TagSelection(_FilterSelection):
    key: str
    value: str | None = None

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        tags = graph.get(key).tags
        if self.value is None:
            return self.key in tags
        return tags.get(self.key) == self.value

    def _render(self) -> tuple[str, int]:
        value = "" if self.value is None else f"={_render_value(self.value)}"
        return f"tag:{_render_value(self.key)}{value}", _ATOM

    def _python(self) -> str:
        value = "" if self.value is None else f", {self.value!r}"
        return f"AssetSelection.tag({self.key!r}{value}{_sources_arg(self.include_sources)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class KindSelection(_FilterSelection):
    kind_name: str

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        return self.kind_name in graph.get(key).kinds

    def _render(self) -> tuple[str, int]:
        return f"kind:{_render_value(self.kind_name)}", _ATOM

    def _python(self) -> str:
        return f"AssetSelection.kind({self.kind_name!r}{_sources_arg(self.include_sources)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class OwnerSelection(_FilterSelection):
    owner_name: str

    def _matches(self, graph: AssetGraph, key: AssetKey) -> bool:
        return self.owner_name in graph.get(key).owners

    def _render(self) -> tuple[str, int]:
        return f"owner:{_render_value(self.owner_name)}", _ATOM

    def _python(self) -> str:
        return f"AssetSelection.owner({self.owner_name!r}{_sources_arg(self.include_sources)})"


# -- traversals and functions --------------------------------------------------------------------
@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class _TraversalSelection(AssetSelection):
    child: AssetSelection
    depth: int | None = None
    include_self: bool = True
    include_sources: bool = False

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        start = self.child._resolve(graph, allow_missing)
        added = self._walk(graph, start) - start
        if not self.include_sources:
            nodes = graph.nodes
            added = {k for k in added if k in nodes and nodes[k].is_materializable}
        return start | added if self.include_self else added

    @abstractmethod
    def _walk(self, graph: AssetGraph, start: set[AssetKey]) -> set[AssetKey]: ...

    def _render_traversal(self, up: bool) -> tuple[str, int]:
        hops = "" if self.depth is None else str(self.depth)
        child = _operand(self.child, _ATOM)
        text = f"{hops}+{child}" if up else f"{child}+{hops}"
        if self.include_self:
            return text, _TRAVERSAL
        return f"{text} and not {_operand(self.child, _NOT)}", _AND

    def _python_traversal(self, method: str) -> str:
        args = [] if self.depth is None else [f"depth={self.depth}"]
        args += [] if self.include_self else ["include_self=False"]
        args += ["include_sources=True"] if self.include_sources else []
        return f"{_python_operand(self.child, ())}.{method}({', '.join(args)})"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class UpstreamSelection(_TraversalSelection):
    def _walk(self, graph: AssetGraph, start: set[AssetKey]) -> set[AssetKey]:
        return graph.upstream(start, self.depth)

    def _render(self) -> tuple[str, int]:
        return self._render_traversal(up=True)

    def _python(self) -> str:
        return self._python_traversal("upstream")


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class DownstreamSelection(_TraversalSelection):
    def _walk(self, graph: AssetGraph, start: set[AssetKey]) -> set[AssetKey]:
        return graph.downstream(start, self.depth)

    def _render(self) -> tuple[str, int]:
        return self._render_traversal(up=False)

    def _python(self) -> str:
        return self._python_traversal("downstream")


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class RootsSelection(AssetSelection):
    child: AssetSelection

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return graph.roots(self.child._resolve(graph, allow_missing))

    def _render(self) -> tuple[str, int]:
        return f"roots({self.child})", _ATOM

    def _python(self) -> str:
        return f"{_python_operand(self.child, ())}.roots()"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class SinksSelection(AssetSelection):
    child: AssetSelection

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return graph.sinks(self.child._resolve(graph, allow_missing))

    def _render(self) -> tuple[str, int]:
        return f"sinks({self.child})", _ATOM

    def _python(self) -> str:
        return f"{_python_operand(self.child, ())}.sinks()"


# -- set operations ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class OrSelection(AssetSelection):
    operands: tuple[AssetSelection, ...]

    @staticmethod
    def of(*operands: AssetSelection) -> AssetSelection:
        """The union, flattened so long chains of ``|`` do not nest deeply."""
        flat = [o for op in operands for o in _flatten(op, OrSelection)]
        if len(flat) <= 1:
            return flat[0] if flat else KeysSelection(selected=())
        return OrSelection(operands=tuple(flat))

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set().union(*(o._resolve(graph, allow_missing) for o in self.operands))

    def _render(self) -> tuple[str, int]:
        return " or ".join(_operand(o, _OR) for o in self.operands), _OR

    def _python(self) -> str:
        return " | ".join(_python_operand(o, (OrSelection,)) for o in self.operands)


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class AndSelection(AssetSelection):
    operands: tuple[AssetSelection, ...]

    @staticmethod
    def of(*operands: AssetSelection) -> AssetSelection:
        """The intersection, flattened like :meth:`OrSelection.of`."""
        flat = [o for op in operands for o in _flatten(op, AndSelection)]
        if len(flat) <= 1:
            return flat[0] if flat else KeysSelection(selected=())
        return AndSelection(operands=tuple(flat))

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        first, *rest = (o._resolve(graph, allow_missing) for o in self.operands)
        return first.intersection(*rest)

    def _render(self) -> tuple[str, int]:
        return " and ".join(_operand(o, _AND) for o in self.operands), _AND

    def _python(self) -> str:
        return " & ".join(_python_operand(o, (AndSelection,)) for o in self.operands)


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class SubtractSelection(AssetSelection):
    left: AssetSelection
    right: AssetSelection

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return self.left._resolve(graph, allow_missing) - self.right._resolve(graph, allow_missing)

    def _render(self) -> tuple[str, int]:
        return f"{_operand(self.left, _AND)} and not {_operand(self.right, _NOT)}", _AND

    def _python(self) -> str:
        left = _python_operand(self.left, (SubtractSelection,))
        return f"{left} - {_python_operand(self.right, ())}"


@dataclass(frozen=True, slots=True, repr=False, kw_only=True)
class NotSelection(AssetSelection):
    """Every asset (materializable only unless ``include_sources``) not in ``child``."""

    child: AssetSelection
    include_sources: bool = False

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        everything = set(_filtered(graph, self.include_sources))
        return everything - self.child._resolve(graph, allow_missing)

    def _render(self) -> tuple[str, int]:
        return f"not {_operand(self.child, _NOT)}", _NOT

    def _python(self) -> str:
        everything = AllSelection(include_sources=self.include_sources)._python()
        return f"{everything} - {_python_operand(self.child, ())}"


# -- helpers -------------------------------------------------------------------------------------
def _operand(selection: AssetSelection, min_precedence: int) -> str:
    text, precedence = selection._render()
    return text if precedence >= min_precedence else f"({text})"


def _python_operand(selection: AssetSelection, bare: tuple[type, ...]) -> str:
    text = selection._python()
    plain = not isinstance(selection, OrSelection | AndSelection | SubtractSelection | NotSelection)
    return text if plain or isinstance(selection, bare) else f"({text})"


def _flatten(
    selection: AssetSelection, kind: type[OrSelection | AndSelection]
) -> tuple[AssetSelection, ...]:
    return selection.operands if isinstance(selection, kind) else (selection,)


def _render_value(value: str) -> str:
    if _BARE_VALUE.fullmatch(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _coerce_key(value: CoercibleToAssetKey) -> AssetKey:
    try:
        return AssetKey.from_coercible(value)
    except DefinitionError as exc:
        raise InvalidSelectionError(str(exc)) from exc


def _keys_of(item: _HasAssetKeys) -> list[AssetKey]:
    keys = list(item.keys)
    if not all(isinstance(k, AssetKey) for k in keys):
        raise InvalidSelectionError(
            f"Cannot select {item!r}: its 'keys' attribute must list AssetKey objects."
        )
    return keys


def _check_depth(depth: int | None) -> int | None:
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise InvalidSelectionError(
            f"Invalid traversal depth {depth!r}: pass a non-negative int, or None for no limit."
        )
    return depth


def _unknown_keys_error(missing: Sequence[AssetKey], graph: AssetGraph) -> InvalidSelectionError:
    known = [k.to_user_string() for k in graph.all_keys]
    parts = []
    for key in missing:
        name = key.to_user_string()
        close = difflib.get_close_matches(name, known, n=1)
        parts.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    return InvalidSelectionError(
        f"The selection names asset keys that are not in the asset graph: {', '.join(parts)}. "
        "Check the spelling, or pass allow_missing=True to ignore missing keys."
    )
