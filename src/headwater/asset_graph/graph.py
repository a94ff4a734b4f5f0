"""The resolved asset graph: nodes, edges and traversals; pure, no I/O.

Building the graph is O(nodes + edges); every traversal is linear in what it visits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from headwater.errors import CycleError
from headwater.keys import AssetCheckKey, AssetKey


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetNode:
    """What the graph knows about one asset (materializable or external)."""

    key: AssetKey
    parent_keys: tuple[AssetKey, ...] = ()
    group_name: str = "default"
    tags: Mapping[str, str] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()
    owners: tuple[str, ...] = ()
    description: str | None = None
    code_version: str | None = None
    metadata: Mapping[str, object] = field(default_factory=dict)
    is_materializable: bool = True


class AssetGraph:
    """The directed acyclic graph of assets.

    Args:
        nodes: every asset node; parents that have no node of their own must already have been
            added as external nodes by the caller.
        check_keys: the keys of the asset checks defined on these assets.

    Raises:
        CycleError: when the dependencies form a cycle (the message lists the cycle).
    """

    __slots__ = ("_check_keys", "_children", "_nodes", "_parents", "_toposort")

    def __init__(
        self, nodes: Iterable[AssetNode], check_keys: Iterable[AssetCheckKey] = ()
    ) -> None:
        self._nodes: dict[AssetKey, AssetNode] = {n.key: n for n in nodes}
        self._check_keys = frozenset(check_keys)
        # Edges as integer indexes: keys are hashed once each, the rest is int arithmetic.
        keys = list(self._nodes)
        index = {key: i for i, key in enumerate(keys)}
        parents: list[tuple[AssetKey, ...]] = [n.parent_keys for n in self._nodes.values()]
        children_idx: list[list[int]] = [[] for _ in keys]
        indegree = [0] * len(keys)
        extra_children: dict[AssetKey, list[AssetKey]] = {}  # parents that are not nodes
        for i, node_parents in enumerate(parents):
            for parent in node_parents:
                j = index.get(parent)
                if j is None:
                    extra_children.setdefault(parent, []).append(keys[i])
                else:
                    children_idx[j].append(i)
                    indegree[i] += 1
        children = [tuple([keys[c] for c in kids]) if kids else () for kids in children_idx]
        self._parents: dict[AssetKey, tuple[AssetKey, ...]] = dict(zip(keys, parents, strict=True))
        self._children: dict[AssetKey, tuple[AssetKey, ...]] = dict(
            zip(keys, children, strict=True)
        )
        for parent, kids in extra_children.items():
            self._children[parent] = tuple(kids)
        self._toposort = self._compute_toposort(keys, children_idx, indegree)

    @classmethod
    def from_assets(cls, assets: Iterable[object]) -> AssetGraph:
        """The graph of a list of asset definitions (anything with ``to_asset_nodes()``).

        Parents that none of them defines become external nodes.

        Raises:
            TypeError: an item is not an asset definition.
            CycleError: the dependencies form a cycle.
        """
        nodes: list[AssetNode] = []
        check_keys: set[AssetCheckKey] = set()
        for item in assets:
            check_keys |= set(getattr(item, "check_keys", ()))
            to_nodes = getattr(item, "to_asset_nodes", None)
            if to_nodes is None:
                raise TypeError(
                    f"Expected asset definitions (@asset, @multi_asset) or an AssetGraph; got "
                    f"{item!r}."
                )
            nodes += to_nodes()
        known = {n.key for n in nodes}
        missing = {p for n in nodes for p in n.parent_keys if p not in known}
        nodes += [AssetNode(key=k, is_materializable=False) for k in sorted(missing)]
        return cls(nodes, check_keys)

    # -- lookups -----------------------------------------------------------------------------
    @property
    def nodes(self) -> Mapping[AssetKey, AssetNode]:
        """Every node by key."""
        return self._nodes

    @property
    def asset_check_keys(self) -> frozenset[AssetCheckKey]:
        """The keys of every asset check on the graph's assets."""
        return self._check_keys

    def _add_check_keys(self, keys: Iterable[AssetCheckKey]) -> None:
        # Definitions indexes its checks after it built the graph; called only while building.
        self._check_keys = self._check_keys | frozenset(keys)

    @property
    def all_keys(self) -> frozenset[AssetKey]:
        """Every asset key in the graph."""
        return frozenset(self._nodes)

    @property
    def materializable_keys(self) -> frozenset[AssetKey]:
        """Keys of assets headwater can materialize (not external)."""
        return frozenset(k for k, n in self._nodes.items() if n.is_materializable)

    def has(self, key: AssetKey) -> bool:
        """Whether ``key`` is in the graph."""
        return key in self._nodes

    def get(self, key: AssetKey) -> AssetNode:
        """The node of ``key``; raises ``KeyError`` when absent."""
        return self._nodes[key]

    def parents(self, key: AssetKey) -> tuple[AssetKey, ...]:
        """Direct upstream keys of ``key``."""
        return self._parents.get(key, ())

    def children(self, key: AssetKey) -> tuple[AssetKey, ...]:
        """Direct downstream keys of ``key``."""
        return self._children.get(key, ())

    @property
    def toposorted_keys(self) -> Sequence[AssetKey]:
        """Every key, parents before children (ties broken by key for determinism)."""
        return self._toposort

    # -- traversals --------------------------------------------------------------------------
    def upstream(self, keys: Iterable[AssetKey], depth: int | None = None) -> set[AssetKey]:
        """``keys`` and their ancestors up to ``depth`` hops (``None`` = unbounded)."""
        return self._walk(keys, self._parents, depth)

    def downstream(self, keys: Iterable[AssetKey], depth: int | None = None) -> set[AssetKey]:
        """``keys`` and their descendants up to ``depth`` hops (``None`` = unbounded)."""
        return self._walk(keys, self._children, depth)

    def roots(self, keys: Iterable[AssetKey]) -> set[AssetKey]:
        """Keys in ``keys`` with no parent inside ``keys``."""
        subset = set(keys)
        return {k for k in subset if not any(p in subset for p in self.parents(k))}

    def sinks(self, keys: Iterable[AssetKey]) -> set[AssetKey]:
        """Keys in ``keys`` with no child inside ``keys``."""
        subset = set(keys)
        return {k for k in subset if not any(c in subset for c in self.children(k))}

    def toposort(self, keys: Iterable[AssetKey]) -> list[AssetKey]:
        """``keys`` in topological order."""
        subset = set(keys)
        return [k for k in self._toposort if k in subset]

    @staticmethod
    def _walk(
        keys: Iterable[AssetKey],
        edges: Mapping[AssetKey, tuple[AssetKey, ...]],
        depth: int | None,
    ) -> set[AssetKey]:
        seen = set(keys)
        frontier = deque((k, 0) for k in seen)
        while frontier:
            key, d = frontier.popleft()
            if depth is not None and d >= depth:
                continue
            for nxt in edges.get(key, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append((nxt, d + 1))
        return seen

    def _compute_toposort(
        self, keys: list[AssetKey], children: list[list[int]], indegree: list[int]
    ) -> list[AssetKey]:
        ready = sorted((i for i, d in enumerate(indegree) if d == 0), key=keys.__getitem__)
        order: list[int] = []
        queue = deque(ready)
        while queue:
            i = queue.popleft()
            order.append(i)
            for child in children[i]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
        if len(order) != len(keys):
            done = set(order)
            raise CycleError(self._describe_cycle({k for i, k in enumerate(keys) if i not in done}))
        return [keys[i] for i in order]

    def _describe_cycle(self, remaining: set[AssetKey]) -> str:
        # Follow parent edges inside the unsorted remainder until a key repeats.
        start = min(remaining)
        path = [start]
        seen = {start: 0}
        current = start
        while True:
            current = next(p for p in self._parents[current] if p in remaining)
            if current in seen:
                cycle = [*path[seen[current] :], current]
                break
            seen[current] = len(path)
            path.append(current)
        chain = " <- ".join(k.to_user_string() for k in cycle)
        return (
            f"The asset graph has a dependency cycle: {chain}. "
            "Remove one of these dependencies (ins/deps) so the graph is acyclic (no circular "
            "dependencies)."
        )
