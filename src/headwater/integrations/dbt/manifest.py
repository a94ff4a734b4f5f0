"""Reading a dbt ``manifest.json``: the nodes, sources and graph of a dbt project.

``dbt parse`` (or any dbt command that parses the project) writes ``target/manifest.json``.
headwater reads only that file: loading dbt assets never imports dbt, so it takes the time of
``json.load`` of the manifest. A manifest is read once per process and path (it is read again
when the file changes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from headwater import DefinitionError

__all__ = ["ASSET_RESOURCE_TYPES", "DbtManifest", "load_manifest"]

ASSET_RESOURCE_TYPES = frozenset({"model", "seed", "snapshot"})
"""dbt resource types that become assets headwater materializes."""

PARSE_HINT = "dbt parse --project-dir {project}"


@dataclass(frozen=True, eq=False)
class DbtManifest:
    """A parsed ``manifest.json``.

    Attributes:
        raw: the whole manifest as loaded from JSON.
        path: where it was read from (``None`` when given as a dict).
        nodes: unique id -> node (models, seeds, snapshots, tests, ...), sources included.
        parents / children: unique id -> unique ids one edge up / down (tests included).
    """

    raw: Mapping[str, Any]
    path: Path | None = None
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def from_dict(raw: Mapping[str, Any], path: Path | None = None) -> DbtManifest:
        """Index a manifest loaded from JSON.

        Raises:
            DefinitionError: it is not a dbt manifest (no ``nodes``).
        """
        if not isinstance(raw, Mapping) or not isinstance(raw.get("nodes"), Mapping):
            where = f" at {path}" if path else ""
            raise DefinitionError(
                f"The dbt manifest{where} is not a dbt manifest.json (it has no 'nodes'). "
                "Point manifest= at target/manifest.json, written by `dbt parse`."
            )
        nodes = {**raw.get("sources", {}), **raw["nodes"]}
        parents = raw.get("parent_map") or _parent_map(nodes)
        children = raw.get("child_map") or _child_map(parents)
        return DbtManifest(raw=raw, path=path, nodes=nodes, parents=parents, children=children)

    @property
    def project_name(self) -> str:
        """The root dbt project's name."""
        return str(self.raw.get("metadata", {}).get("project_name") or "")

    @property
    def adapter_type(self) -> str | None:
        """The adapter the manifest was parsed with, e.g. ``"duckdb"``."""
        adapter = self.raw.get("metadata", {}).get("adapter_type")
        return str(adapter) if adapter else None

    @property
    def selectors(self) -> Mapping[str, Any]:
        """The project's YAML selectors (``selectors.yml``), by name."""
        return self.raw.get("selectors") or {}

    def groups(self) -> Mapping[str, Any]:
        """dbt groups by name (``group.<project>.<name>`` -> group)."""
        return {g.get("name"): g for g in (self.raw.get("groups") or {}).values()}

    def asset_nodes(self) -> Iterator[dict[str, Any]]:
        """Enabled models, seeds and snapshots."""
        for node in self.raw["nodes"].values():
            if node.get("resource_type") in ASSET_RESOURCE_TYPES:
                yield node

    def tests(self) -> Iterator[dict[str, Any]]:
        """Data tests (generic and singular)."""
        for node in self.raw["nodes"].values():
            if node.get("resource_type") == "test":
                yield node


def _parent_map(nodes: Mapping[str, Any]) -> dict[str, list[str]]:
    return {uid: list(node.get("depends_on", {}).get("nodes", [])) for uid, node in nodes.items()}


def _child_map(parents: Mapping[str, list[str]]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {uid: [] for uid in parents}
    for uid, ups in parents.items():
        for up in ups:
            children.setdefault(up, []).append(uid)
    return children


_CACHE: dict[Path, tuple[int, int, DbtManifest]] = {}


def load_manifest(manifest: Any, *, project_dir: Path | None = None) -> DbtManifest:
    """The manifest ``manifest`` names: a path (``str`` or ``Path``), a dict or a manifest.

    Args:
        manifest: ``target/manifest.json`` (path), the loaded JSON (dict), or a
            :class:`DbtManifest`.
        project_dir: the dbt project, named in the error when the file is missing.

    Raises:
        DefinitionError: the file does not exist or is not a dbt manifest; the message names
            the path and the command that writes it.
    """
    if isinstance(manifest, DbtManifest):
        return manifest
    if isinstance(manifest, Mapping):
        return DbtManifest.from_dict(manifest)
    if not isinstance(manifest, str | os.PathLike):
        raise DefinitionError(
            f"manifest={manifest!r} is not a path to manifest.json, nor a loaded manifest; give "
            "DbtProject(...).manifest_path or the path of target/manifest.json."
        )
    path = Path(manifest).absolute()
    project = project_dir or (path.parent.parent if path.parent.name == "target" else path.parent)
    hint = PARSE_HINT.format(project=project)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DefinitionError(
            f"dbt manifest {str(path)!r} does not exist. Write it with `{hint}` (or call "
            "DbtProject(...).prepare_if_dev() before dbt_assets, which parses when it is "
            "missing or stale)."
        ) from None
    cached = _CACHE.get(path)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    try:
        with path.open("rb") as file:
            raw = json.load(file)
    except (OSError, ValueError) as exc:
        raise DefinitionError(
            f"dbt manifest {str(path)!r} cannot be read as JSON ({exc}). Write it again with "
            f"`{hint}`."
        ) from exc
    parsed = DbtManifest.from_dict(raw, path)
    _CACHE[path] = (stat.st_mtime_ns, stat.st_size, parsed)
    return parsed
