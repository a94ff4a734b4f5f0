"""Asset selections: immutable expressions over an :class:`AssetGraph`; pure, no I/O.

An :class:`AssetSelection` is a small expression tree (filters, graph traversals and set
operations) that is resolved against a graph into a set of asset keys. Each node resolves in
time linear in the graph, so a selection costs O(size of expression x size of graph).
The string grammar lives in ``selection_grammar`` and is imported (with lark) only for a text
that ``selection_fast`` (``*``, keys, ``group:x``, joined by ``or``) does not parse alone.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, Literal, Protocol, TypeAlias, Union

from headwater.asset_graph.graph import AssetGraph, AssetNode
from headwater.errors import DefinitionError, InvalidSelectionError
from headwater.keys import AssetKey, CoercibleToAssetKey


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
        return AllSelection(include_sources)

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
        return KeysSelection(tuple(dict.fromkeys(keys)))

    @staticmethod
    def keys(*keys: CoercibleToAssetKey) -> AssetSelection:
        """The assets with the given keys (``AssetKey``, ``"a/b"`` or ``["a", "b"]``).

        Resolving raises :class:`InvalidSelectionError` for a key missing from the graph.

        Example:
            >>> str(AssetSelection.keys("a", "b/c"))
            'key:a or key:b/c'
        """
        return KeysSelection(tuple(dict.fromkeys(_coerce_key(k) for k in keys)))

    @staticmethod
    def key_wildcard(pattern: str, include_sources: bool = False) -> AssetSelection:
        """Assets whose ``a/b`` key string matches ``pattern``, where ``*`` matches any text.

        A pattern without ``*`` is an exact key, as in :meth:`keys`.

        Example:
            >>> str(AssetSelection.key_wildcard("raw/*"))
            'key:raw/*'
        """
        if pattern == "*":
            return AllSelection(include_sources)
        if "*" not in pattern:
            return AssetSelection.keys(pattern)
        return AttributeSelection("key", (pattern,), include_sources=include_sources)

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
        paths = tuple(dict.fromkeys(_coerce_key(p).to_user_string() for p in prefixes))
        return AttributeSelection("key_prefix", paths, include_sources=include_sources)

    @staticmethod
    def checks_for_assets(*assets: CoercibleToAssetKey | _HasAssetKeys) -> AssetSelection:
        """The asset checks of the given assets, without the assets themselves.

        A job with this selection evaluates the standalone checks (``@asset_check``) of those
        assets and materializes nothing; it resolves to no asset keys. Combine it with ``|``
        to add checks to a selection of assets.

        Args:
            *assets: as in :meth:`assets`.

        Example:
            >>> str(AssetSelection.checks_for_assets("orders"))
            'checks_for_assets(key:orders)'
        """
        selected = AssetSelection.assets(*assets)
        assert isinstance(selected, KeysSelection)  # what assets() builds (not user input)
        return ChecksForAssetsSelection(selected)

    @staticmethod
    def groups(*group_names: str, include_sources: bool = False) -> AssetSelection:
        """Assets in any of the named groups.

        Example:
            >>> str(AssetSelection.groups("raw", "marts"))
            'group:raw or group:marts'
        """
        names = tuple(dict.fromkeys(group_names))
        return AttributeSelection("group", names, include_sources=include_sources)

    @staticmethod
    def tag(key: str, value: str | None = None, include_sources: bool = False) -> AssetSelection:
        """Assets tagged ``key=value``; with ``value=None``, assets with tag ``key`` at all.

        Example:
            >>> str(AssetSelection.tag("team", "data") | AssetSelection.tag("pii"))
            'tag:team=data or tag:pii'
        """
        return AttributeSelection("tag", (key,), tag_value=value, include_sources=include_sources)

    @staticmethod
    def kind(kind: str, include_sources: bool = False) -> AssetSelection:
        """Assets of the given kind (e.g. ``"duckdb"``, ``"dbt"``).

        Example:
            >>> str(AssetSelection.kind("duckdb"))
            'kind:duckdb'
        """
        return AttributeSelection("kind", (kind,), include_sources=include_sources)

    @staticmethod
    def owner(owner: str, include_sources: bool = False) -> AssetSelection:
        """Assets owned by ``owner`` (a user e-mail or ``team:name``).

        Example:
            >>> str(AssetSelection.owner("ana@x.com"))
            'owner:ana@x.com'
        """
        return AttributeSelection("owner", (owner,), include_sources=include_sources)

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
        from headwater.asset_graph.selection_fast import parse_simple

        simple = parse_simple(text, include_sources=include_sources)
        if simple is not None:  # "*", "a/b", "group:raw", "a or b": no need for the grammar
            return simple
        from headwater.asset_graph.selection_grammar import parse_selection

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
        return TraversalSelection(
            self, "upstream", _check_depth(depth), include_self, include_sources
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
        return TraversalSelection(
            self, "downstream", _check_depth(depth), include_self, include_sources
        )

    def roots(self) -> AssetSelection:
        """The assets of this selection with no parent inside the selection.

        Example:
            >>> str(AssetSelection.groups("raw").roots())
            'roots(group:raw)'
        """
        return FunctionSelection("roots", self)

    def sinks(self) -> AssetSelection:
        """The assets of this selection with no child inside the selection.

        Example:
            >>> str(AssetSelection.groups("raw").sinks())
            'sinks(group:raw)'
        """
        return FunctionSelection("sinks", self)

    def __or__(self, other: AssetSelection) -> AssetSelection:
        return OrSelection.of(self, other) if isinstance(other, AssetSelection) else NotImplemented

    def __and__(self, other: AssetSelection) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return AndSelection.of(self, other)

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        if not isinstance(other, AssetSelection):
            return NotImplemented
        return SubtractSelection(self, other)

    # -- resolution ----------------------------------------------------------------------------
    def resolve(
        self, graph: AssetGraph | Iterable[object], allow_missing: bool = False
    ) -> frozenset[AssetKey]:
        """The keys this selection denotes in ``graph``.

        Args:
            graph: the asset graph to select from, or the asset definitions to build it from
                (a list of ``@asset`` / ``@multi_asset`` definitions).
            allow_missing: ignore explicitly named keys that are not in the graph.

        Raises:
            InvalidSelectionError: an explicitly named key is not in the graph (the message
                suggests close matches) and ``allow_missing`` is false.

        Example:
            >>> from headwater import AssetSelection, Definitions, asset
            >>> @asset
            ... def a() -> int:
            ...     return 1
            >>> @asset
            ... def b(a: int) -> int:
            ...     return a + 1
            >>> graph = Definitions(assets=[a, b]).resolve_asset_graph()
            >>> AssetSelection.keys("a").resolve(graph)
            frozenset({AssetKey(['a'])})
            >>> sorted(AssetSelection.keys("a").downstream().resolve(graph))
            [AssetKey(['a']), AssetKey(['b'])]
            >>> AssetSelection.keys("bb").resolve(graph)
            Traceback (most recent call last):
            ...
            headwater.errors.InvalidSelectionError: ... keys that are not in the asset graph:
            'bb' (did you mean 'b'?)...
            >>> AssetSelection.keys("bb").resolve(graph, allow_missing=True)
            frozenset()
        """
        if not isinstance(graph, AssetGraph):
            graph = AssetGraph.from_assets(graph)
        return frozenset(self._resolve(graph, allow_missing))

    @abstractmethod
    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]: ...

    def resolve_check_targets(self, graph: AssetGraph) -> frozenset[AssetKey]:
        """The assets whose checks this selection names with :meth:`checks_for_assets` (their
        checks run without the assets being materialized); empty for other selections."""
        return frozenset()

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


# -- expression nodes ----------------------------------------------------------------------------
# Written by hand rather than as frozen dataclasses: generating dataclass methods costs about a
# millisecond per class at import time, and `import headwater` has a 150 ms budget.
class _Node(AssetSelection):
    """An immutable node, compared, hashed and pickled by the values of its slots."""

    __slots__: tuple[str, ...] = ()

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new selection instead")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new selection instead")

    def __reduce__(self) -> tuple[object, ...]:
        return _rebuild, (type(self), dict(zip(self.__slots__, self._values(), strict=True)))


def _rebuild(cls: type[_Node], values: dict[str, object]) -> _Node:
    node = object.__new__(cls)
    node._set(**values)
    return node


class AllSelection(_Node):
    """Every materializable asset, or every asset when ``include_sources``."""

    __slots__ = ("include_sources",)
    include_sources: bool

    def __init__(self, include_sources: bool = False) -> None:
        self._set(include_sources=include_sources)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set(_filtered(graph, self.include_sources))

    def _render(self) -> tuple[str, int]:
        return "*", _ATOM

    def _python(self) -> str:
        return f"AssetSelection.all({'include_sources=True' if self.include_sources else ''})"


class KeysSelection(_Node):
    """Exactly the named keys; resolving fails on a key missing from the graph."""

    __slots__ = ("selected",)
    selected: tuple[AssetKey, ...]

    def __init__(self, selected: tuple[AssetKey, ...]) -> None:
        self._set(selected=selected)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        missing = [k for k in self.selected if not graph.has(k)]
        if missing and not allow_missing:
            raise _unknown_keys_error(missing, graph)
        return {k for k in self.selected if graph.has(k)}

    def _render(self) -> tuple[str, int]:
        terms = [f"key:{_render_value(k.to_user_string())}" for k in self.selected]
        return _render_terms(terms)

    def _python(self) -> str:
        args = ", ".join(repr(k.to_user_string()) for k in self.selected)
        return f"AssetSelection.keys({args})"


_Attribute: TypeAlias = Literal["key", "key_prefix", "group", "tag", "kind", "owner"]
_ATTRIBUTE_METHODS = {
    "key": "key_wildcard",
    "key_prefix": "key_prefixes",
    "group": "groups",
    "tag": "tag",
    "kind": "kind",
    "owner": "owner",
}


class AttributeSelection(_Node):
    """Assets whose attribute matches any of ``values``; ``key`` values are ``*`` patterns."""

    __slots__ = ("attribute", "include_sources", "tag_value", "values")
    attribute: _Attribute
    values: tuple[str, ...]
    tag_value: str | None
    include_sources: bool

    def __init__(
        self,
        attribute: _Attribute,
        values: tuple[str, ...],
        *,
        tag_value: str | None = None,
        include_sources: bool = False,
    ) -> None:
        self._set(
            attribute=attribute, values=values, tag_value=tag_value, include_sources=include_sources
        )

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        matches, nodes = self._matcher(), graph.nodes
        return {k for k in _filtered(graph, self.include_sources) if matches(nodes[k])}

    def _matcher(self) -> Callable[[AssetNode], bool]:
        values = self.values
        if self.attribute == "key":
            regexes = [_wildcard(v) for v in values]
            return lambda n: any(r.fullmatch(n.key.to_user_string()) for r in regexes)
        if self.attribute == "key_prefix":
            prefixes = [AssetKey.from_user_string(v).path for v in values]
            return lambda n: any(n.key.path[: len(p)] == p for p in prefixes)
        if self.attribute == "group":
            return lambda n: n.group_name in values
        if self.attribute == "tag":
            key, value = values[0], self.tag_value
            return lambda n: key in n.tags and (value is None or n.tags[key] == value)
        if self.attribute == "kind":
            return lambda n: not n.kinds.isdisjoint(values)
        return lambda n: any(owner in values for owner in n.owners)

    def _render(self) -> tuple[str, int]:
        tag = "" if self.tag_value is None else f"={_render_value(self.tag_value)}"
        return _render_terms([f"{self.attribute}:{_render_value(v)}{tag}" for v in self.values])

    def _python(self) -> str:
        args = [repr(v) for v in self.values]
        args += [] if self.tag_value is None else [repr(self.tag_value)]
        args += ["include_sources=True"] if self.include_sources else []
        return f"AssetSelection.{_ATTRIBUTE_METHODS[self.attribute]}({', '.join(args)})"


class TraversalSelection(_Node):
    """``child`` and the assets up to ``depth`` hops upstream or downstream of it."""

    __slots__ = ("child", "depth", "direction", "include_self", "include_sources")
    child: AssetSelection
    direction: Literal["upstream", "downstream"]
    depth: int | None
    include_self: bool
    include_sources: bool

    def __init__(
        self,
        child: AssetSelection,
        direction: Literal["upstream", "downstream"],
        depth: int | None = None,
        include_self: bool = True,
        include_sources: bool = False,
    ) -> None:
        self._set(
            child=child,
            direction=direction,
            depth=depth,
            include_self=include_self,
            include_sources=include_sources,
        )

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        start = self.child._resolve(graph, allow_missing)
        walk = graph.upstream if self.direction == "upstream" else graph.downstream
        added = walk(start, self.depth) - start
        if not self.include_sources:
            nodes = graph.nodes
            added = {k for k in added if k in nodes and nodes[k].is_materializable}
        return start | added if self.include_self else added

    def _render(self) -> tuple[str, int]:
        hops = "" if self.depth is None else str(self.depth)
        child = _operand(self.child, _ATOM)
        text = f"{hops}+{child}" if self.direction == "upstream" else f"{child}+{hops}"
        if self.include_self:
            return text, _TRAVERSAL
        return f"{text} and not {_operand(self.child, _NOT)}", _AND

    def _python(self) -> str:
        args = [] if self.depth is None else [f"depth={self.depth}"]
        args += [] if self.include_self else ["include_self=False"]
        args += ["include_sources=True"] if self.include_sources else []
        return f"{_python_operand(self.child, ())}.{self.direction}({', '.join(args)})"


class FunctionSelection(_Node):
    """The roots (no parent inside) or sinks (no child inside) of ``child``."""

    __slots__ = ("child", "function")
    function: Literal["roots", "sinks"]
    child: AssetSelection

    def __init__(self, function: Literal["roots", "sinks"], child: AssetSelection) -> None:
        self._set(function=function, child=child)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        keys = self.child._resolve(graph, allow_missing)
        return graph.roots(keys) if self.function == "roots" else graph.sinks(keys)

    def _render(self) -> tuple[str, int]:
        return f"{self.function}({self.child})", _ATOM

    def _python(self) -> str:
        return f"{_python_operand(self.child, ())}.{self.function}()"


class OrSelection(_Node):
    """The union of ``operands``."""

    __slots__ = ("operands",)
    operands: tuple[AssetSelection, ...]

    def __init__(self, operands: tuple[AssetSelection, ...]) -> None:
        self._set(operands=operands)

    @staticmethod
    def of(*operands: AssetSelection) -> AssetSelection:
        """The union, flattened so that long chains of ``|`` do not nest deeply."""
        flat = [o for op in operands for o in _flatten(op, OrSelection)]
        if len(flat) <= 1:
            return flat[0] if flat else KeysSelection(())
        return OrSelection(tuple(flat))

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set().union(*(o._resolve(graph, allow_missing) for o in self.operands))

    def resolve_check_targets(self, graph: AssetGraph) -> frozenset[AssetKey]:
        return frozenset().union(*(o.resolve_check_targets(graph) for o in self.operands))

    def _render(self) -> tuple[str, int]:
        return " or ".join(_operand(o, _OR) for o in self.operands), _OR

    def _python(self) -> str:
        return " | ".join(_python_operand(o, (OrSelection,)) for o in self.operands)


class ChecksForAssetsSelection(_Node):
    """The asset checks of the ``targets`` assets; no asset keys of its own."""

    __slots__ = ("targets",)
    targets: KeysSelection

    def __init__(self, targets: KeysSelection) -> None:
        self._set(targets=targets)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set()

    def resolve_check_targets(self, graph: AssetGraph) -> frozenset[AssetKey]:
        return self.targets.resolve(graph)

    def _render(self) -> tuple[str, int]:
        return f"checks_for_assets({self.targets})", _ATOM

    def _python(self) -> str:
        args = ", ".join(repr(k.to_user_string()) for k in self.targets.selected)
        return f"AssetSelection.checks_for_assets({args})"


class AndSelection(_Node):
    """The intersection of ``operands``."""

    __slots__ = ("operands",)
    operands: tuple[AssetSelection, ...]

    def __init__(self, operands: tuple[AssetSelection, ...]) -> None:
        self._set(operands=operands)

    @staticmethod
    def of(*operands: AssetSelection) -> AssetSelection:
        """The intersection, flattened like :meth:`OrSelection.of`."""
        flat = [o for op in operands for o in _flatten(op, AndSelection)]
        if len(flat) <= 1:
            return flat[0] if flat else KeysSelection(())
        return AndSelection(tuple(flat))

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        first, *rest = (o._resolve(graph, allow_missing) for o in self.operands)
        return first.intersection(*rest)

    def _render(self) -> tuple[str, int]:
        if any(isinstance(o, KeysSelection) and not o.selected for o in self.operands):
            # Empty whatever the rest: "not * and key:x" would parse as x minus every
            # materializable asset, which keeps x when x is an external asset.
            return _render_terms(())
        return " and ".join(_operand(o, _AND) for o in self.operands), _AND

    def _python(self) -> str:
        return " & ".join(_python_operand(o, (AndSelection,)) for o in self.operands)


class SubtractSelection(_Node):
    """The assets of ``left`` that are not in ``right``."""

    __slots__ = ("left", "right")
    left: AssetSelection
    right: AssetSelection

    def __init__(self, left: AssetSelection, right: AssetSelection) -> None:
        self._set(left=left, right=right)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return self.left._resolve(graph, allow_missing) - self.right._resolve(graph, allow_missing)

    def _render(self) -> tuple[str, int]:
        return f"{_operand(self.left, _AND)} and not {_operand(self.right, _NOT)}", _AND

    def _python(self) -> str:
        left = _python_operand(self.left, (SubtractSelection,))
        return f"{left} - {_python_operand(self.right, ())}"


class NotSelection(_Node):
    """Every asset (materializable only unless ``include_sources``) not in ``child``."""

    __slots__ = ("child", "include_sources")
    child: AssetSelection
    include_sources: bool

    def __init__(self, child: AssetSelection, include_sources: bool = False) -> None:
        self._set(child=child, include_sources=include_sources)

    def _resolve(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        everything = set(_filtered(graph, self.include_sources))
        return everything - self.child._resolve(graph, allow_missing)

    def _render(self) -> tuple[str, int]:
        return f"not {_operand(self.child, _NOT)}", _NOT

    def _python(self) -> str:
        everything = AllSelection(self.include_sources)._python()
        return f"{everything} - {_python_operand(self.child, ())}"


# -- helpers -------------------------------------------------------------------------------------
def _filtered(graph: AssetGraph, include_sources: bool) -> Iterable[AssetKey]:
    return graph.all_keys if include_sources else graph.materializable_keys


@lru_cache(maxsize=512)
def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def _flatten(
    selection: AssetSelection, kind: type[OrSelection | AndSelection]
) -> tuple[AssetSelection, ...]:
    return selection.operands if isinstance(selection, kind) else (selection,)


def _operand(selection: AssetSelection, min_precedence: int) -> str:
    text, precedence = selection._render()
    return text if precedence >= min_precedence else f"({text})"


def _python_operand(selection: AssetSelection, bare: tuple[type, ...]) -> str:
    text = selection._python()
    plain = not isinstance(selection, OrSelection | AndSelection | SubtractSelection | NotSelection)
    return text if plain or isinstance(selection, bare) else f"({text})"


def _render_terms(terms: Sequence[str]) -> tuple[str, int]:
    if not terms:
        return "not *", _NOT  # the empty selection
    return " or ".join(terms), (_ATOM if len(terms) == 1 else _OR)


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
    import difflib  # only needed on this error path

    known = {k.to_user_string().lower(): k.to_user_string() for k in graph.all_keys}
    parts = []
    for key in missing:
        name = key.to_user_string()
        close = difflib.get_close_matches(name.lower(), known, n=1)
        parts.append(f"'{name}'" + (f" (did you mean '{known[close[0]]}'?)" if close else ""))
    error = InvalidSelectionError(
        f"The selection names asset keys that are not in the asset graph: {', '.join(parts)}. "
        "Check the spelling (in Python, resolve(..., allow_missing=True) ignores missing keys)."
    )
    error.missing_keys = list(missing)
    return error
