"""What the webserver knows: the instance, the code locations' servers and their snapshots.

:class:`WebserverState` is shared by every request. It never imports user code: definitions come
from each location's code server (:class:`~headwater.orchestration.workspace_manager.
WorkspaceManager`) as :class:`~headwater.orchestration.definitions_snapshot.DefinitionsSnapshot`
s, fetched once per snapshot id. When a location stops loading (a file that no longer imports,
under ``headwater dev``), its last good snapshot stays visible beside the error.

:class:`AssetIndex` joins every location's assets into one graph (keys, both directions of
dependencies, checks), rebuilt only when a snapshot id changes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from headwater.errors import HeadwaterError
from headwater.keys import AssetKey
from headwater.orchestration.definitions_snapshot import (
    AssetCheckSnapshot,
    AssetSnapshot,
    DefinitionsSnapshot,
    KeyPath,
)
from headwater.orchestration.workspace_manager import LocationState, WorkspaceManager

__all__ = ["AssetIndex", "AssetNode", "LocationView", "WebserverState"]


@dataclass(frozen=True, slots=True)
class AssetNode:
    """One asset of the workspace: its location and its snapshot."""

    location_name: str
    snapshot: AssetSnapshot
    definitions: DefinitionsSnapshot


@dataclass(frozen=True, slots=True)
class LocationView:
    """A location's state and the snapshot shown for it (the last good one while it is not
    loaded; ``None`` when it never loaded)."""

    state: LocationState
    snapshot: DefinitionsSnapshot | None
    snapshot_is_stale: bool = False


@dataclass(slots=True)
class AssetIndex:
    """Every asset of the workspace by key path, in location then declaration order.

    Attributes:
        nodes: asset key path -> :class:`AssetNode`.
        children: asset key path -> the key paths of the assets that depend on it.
        checks: asset key path -> its checks.
    """

    nodes: dict[KeyPath, AssetNode] = field(default_factory=dict)
    children: dict[KeyPath, list[KeyPath]] = field(default_factory=dict)
    checks: dict[KeyPath, list[tuple[str, AssetCheckSnapshot]]] = field(default_factory=dict)
    _graph: Any = None

    @staticmethod
    def build(snapshots: Iterable[DefinitionsSnapshot]) -> AssetIndex:
        """The index of these snapshots (a key declared twice keeps its first, non-external
        declaration)."""
        index = AssetIndex()
        nodes, children = index.nodes, index.children
        for snap in snapshots:
            name = snap.location_name
            for asset in snap.assets:
                known = nodes.get(asset.key_path)
                replaces = known is not None and not known.snapshot.is_materializable
                if known is None or (replaces and asset.is_materializable):
                    nodes[asset.key_path] = AssetNode(name, asset, snap)
            for check in snap.checks:
                index.checks.setdefault(check.asset_path, []).append((name, check))
        for path, node in nodes.items():
            for dep in node.snapshot.dep_paths:
                children.setdefault(dep, []).append(path)
        return index

    def graph(self) -> Any:
        """The :class:`~headwater.asset_graph.graph.AssetGraph` of the workspace (upstream keys
        that no location declares are external nodes), built on first use."""
        if self._graph is None:
            from headwater.asset_graph.graph import AssetGraph
            from headwater.asset_graph.graph import AssetNode as GraphNode

            made = []
            for node in self.nodes.values():
                snap = node.snapshot
                made.append(GraphNode(
                    key=snap.key, parent_keys=snap.deps, group_name=snap.group_name,
                    tags=snap.tags, kinds=frozenset(snap.kinds), owners=snap.owners,
                    code_version=snap.code_version, is_materializable=snap.is_materializable,
                ))  # fmt: skip
            missing = {d for n in made for d in n.parent_keys} - {n.key for n in made}
            made += [GraphNode(key=k, is_materializable=False) for k in missing]
            self._graph = AssetGraph(made)
        return self._graph

    def get(self, key: AssetKey | KeyPath) -> AssetNode | None:
        """The node of ``key``, or ``None``."""
        path = key if isinstance(key, tuple) else tuple(key.path)
        return self.nodes.get(path)


class WebserverState:
    """The instance, the workspace's code servers and what the API reads from them.

    Args:
        instance: the instance (runs, events, asset index).
        manager: the started :class:`WorkspaceManager` of the workspace.
        read_only: the API offers no mutation.
        snapshot_timeout: seconds to wait for a code server's snapshot.

    Example:
        >>> # with WorkspaceManager(workspace) as manager:
        >>> #     state = WebserverState(Instance.get(), manager)
        >>> #     len(state.asset_index().nodes)
    """

    def __init__(
        self,
        instance: Any,
        manager: WorkspaceManager,
        *,
        read_only: bool = False,
        snapshot_timeout: float = 30.0,
    ) -> None:
        self.instance = instance
        self.manager = manager
        self.read_only = read_only
        self.snapshot_timeout = snapshot_timeout
        self._lock = threading.Lock()
        self._snapshots: dict[str, DefinitionsSnapshot] = {}  # location -> last good snapshot
        self._snapshot_ids: dict[str, str] = {}
        self._index: AssetIndex | None = None
        self._index_key: tuple[tuple[str, str], ...] | None = None

    def locations(self) -> list[LocationView]:
        """Every location with the snapshot shown for it, in workspace order."""
        views = []
        for name, state in self.manager.states().items():
            snapshot = self._snapshot_for(state)
            stale = snapshot is not None and self._snapshot_ids.get(name) != state.snapshot_id
            views.append(LocationView(state=state, snapshot=snapshot, snapshot_is_stale=stale))
        return views

    def location(self, name: str) -> LocationView | None:
        """One location's view, or ``None`` when the workspace has none of that name."""
        for view in self.locations():
            if view.state.name == name:
                return view
        return None

    def snapshots(self) -> list[DefinitionsSnapshot]:
        """The snapshot shown for each location that has one."""
        return [v.snapshot for v in self.locations() if v.snapshot is not None]

    def asset_index(self) -> AssetIndex:
        """The :class:`AssetIndex` of the current snapshots (rebuilt when one changes)."""
        snapshots = self.snapshots()
        ids = self._snapshot_ids
        key = tuple((s.location_name, ids.get(s.location_name, "")) for s in snapshots)
        with self._lock:
            if self._index is None or self._index_key != key:
                self._index, self._index_key = AssetIndex.build(snapshots), key
            return self._index

    def _snapshot_for(self, state: LocationState) -> DefinitionsSnapshot | None:
        name, wanted = state.name, state.snapshot_id
        if wanted is not None and self._snapshot_ids.get(name) != wanted:
            try:
                snapshot = self.manager.client(name).snapshot(timeout=self.snapshot_timeout)
            except HeadwaterError:
                snapshot = None  # restarted meanwhile: keep the last good one
            if snapshot is not None:
                with self._lock:
                    self._snapshots[name] = snapshot
                    self._snapshot_ids[name] = wanted
        return self._snapshots.get(name)
