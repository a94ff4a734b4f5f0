"""From a manifest and a selection to the asset specs and check specs of dbt assets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater import (
    AssetCheckKey,
    AssetCheckSpec,
    AssetDep,
    AssetKey,
    AssetSpec,
    DefinitionError,
)
from headwater.integrations.dbt.manifest import ASSET_RESOURCE_TYPES, DbtManifest
from headwater.integrations.dbt.selection import select_unique_ids, split_selection
from headwater.integrations.dbt.translator import DbtTranslator

__all__ = ["DbtAssetsInfo", "build_dbt_specs"]


@dataclass(frozen=True, eq=False)
class DbtAssetsInfo:
    """What a run of dbt assets needs to know about them (kept with their definition).

    Attributes:
        manifest: the parsed manifest.
        translator: the translator the specs were built with.
        select / exclude / selector: the selection the definition was built from.
        project: the ``DbtProject`` given to ``dbt_assets(project=...)``, if any.
        unique_ids: asset key -> unique id of the node it materializes.
        check_ids: check key -> unique id of the dbt test it runs.
    """

    manifest: DbtManifest
    translator: DbtTranslator
    select: str | Sequence[str] | None
    exclude: str | Sequence[str] | None
    selector: str | None
    project: Any = None
    unique_ids: Mapping[AssetKey, str] = field(default_factory=dict)
    check_ids: Mapping[AssetCheckKey, str] = field(default_factory=dict)

    def keys_by_unique_id(self) -> dict[str, AssetKey]:
        """Unique id -> asset key, for the assets of the definition."""
        return {uid: key for key, uid in self.unique_ids.items()}

    def check_keys_by_unique_id(self) -> dict[str, AssetCheckKey]:
        """Unique id of a test -> the check it reports."""
        return {uid: key for key, uid in self.check_ids.items()}


def build_dbt_specs(
    manifest: DbtManifest,
    translator: DbtTranslator,
    *,
    select: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
    selector: str | None,
    partitions_def: Any = None,
    project: Any = None,
) -> tuple[list[AssetSpec], list[AssetCheckSpec], DbtAssetsInfo]:
    """The asset specs (models, seeds, snapshots) and check specs (tests) of a selection.

    Raises:
        DefinitionError: the selection matches no model, seed or snapshot (the message names
            it), or a translator returned two nodes the same key.
    """
    selected = select_unique_ids(manifest, select=select, exclude=exclude, selector=selector)
    nodes = manifest.nodes
    asset_ids = [uid for uid in nodes if uid in selected and _is_asset(nodes[uid])]
    if not asset_ids:
        raise DefinitionError(
            f"dbt_assets: the selection {_describe(select, exclude, selector)} matches no dbt "
            f"model, seed or snapshot of project {manifest.project_name!r}"
            f"{f' (manifest {manifest.path})' if manifest.path else ''}. Check the selection "
            "with `dbt ls --select ...`, or parse the project again if models were added."
        )
    builder = _SpecBuilder(manifest, translator, partitions_def)
    specs = [builder.spec(uid) for uid in asset_ids]
    unique_ids = {spec.key: uid for spec, uid in zip(specs, asset_ids, strict=True)}
    if len(unique_ids) != len(asset_ids):
        raise DefinitionError(
            "dbt_assets: two dbt nodes have the same asset key; make get_asset_key (or "
            "meta.headwater.asset_key) give each node its own key."
        )
    checks: list[AssetCheckSpec] = []
    check_ids: dict[AssetCheckKey, str] = {}
    if translator.settings.enable_asset_checks:
        excluded = (
            select_unique_ids(manifest, select=exclude) if exclude and selector is None else set()
        )
        for test, key in builder.tests_of(set(asset_ids), excluded):
            spec = builder.check_spec(test, key, check_ids)
            checks.append(spec)
            check_ids[spec.key] = test["unique_id"]
    info = DbtAssetsInfo(
        manifest=manifest, translator=translator, select=select, exclude=exclude,
        selector=selector, project=project, unique_ids=unique_ids, check_ids=check_ids,
    )  # fmt: skip
    return specs, checks, info


def _is_asset(node: Mapping[str, Any]) -> bool:
    if node.get("resource_type") not in ASSET_RESOURCE_TYPES:
        return False
    return (node.get("config") or {}).get("materialized") != "ephemeral"


def _describe(select: Any, exclude: Any, selector: str | None) -> str:
    if selector is not None:
        return f"selector={selector!r}"
    parts = [f"select={' '.join(split_selection(select))!r}"]
    if exclude:
        parts.append(f"exclude={' '.join(split_selection(exclude))!r}")
    return " ".join(parts)


class _SpecBuilder:
    """Specs of one manifest's nodes through one translator (keys computed once per node)."""

    def __init__(
        self, manifest: DbtManifest, translator: DbtTranslator, partitions_def: Any
    ) -> None:
        self.manifest = manifest
        self.translator = translator
        self.partitions_def = partitions_def
        self.kinds = {"dbt", *([manifest.adapter_type] if manifest.adapter_type else [])}
        self.group_owners = {
            name: (group.get("owner") or {}).get("email")
            for name, group in manifest.groups().items()
        }
        self._keys: dict[str, AssetKey] = {}

    def key(self, uid: str) -> AssetKey:
        key = self._keys.get(uid)
        if key is None:
            key = self._keys[uid] = self.translator.get_asset_key(self.manifest.nodes[uid])
        return key

    def upstream(self, uid: str) -> list[str]:
        """Upstream nodes that are assets or sources; ephemeral models are looked through."""
        out: list[str] = []
        stack = list(self.manifest.parents.get(uid, ()))
        seen: set[str] = set()
        while stack:
            parent = stack.pop(0)
            if parent in seen:
                continue
            seen.add(parent)
            node = self.manifest.nodes.get(parent)
            if node is None:
                continue
            kind = node.get("resource_type")
            if kind == "source" or _is_asset(node):
                out.append(parent)
            elif kind == "model":  # ephemeral: its parents are this node's parents
                stack.extend(self.manifest.parents.get(parent, ()))
        return out

    def spec(self, uid: str) -> AssetSpec:
        node = self.manifest.nodes[uid]
        translator = self.translator
        deps = [
            AssetDep(
                self.key(parent),
                partition_mapping=translator.get_partition_mapping(
                    node, self.manifest.nodes[parent]
                ),
            )
            for parent in self.upstream(uid)
        ]
        owners = translator.get_owners(node)
        if owners is None:
            group = node.get("group") or (node.get("config") or {}).get("group")
            email = self.group_owners.get(group) if group else None
            owners = [email] if email else None
        return AssetSpec(
            self.key(uid),
            deps=deps,
            description=translator.get_description(node),
            metadata=translator.get_metadata(node),
            group_name=translator.get_group_name(node),
            code_version=translator.get_code_version(node),
            owners=owners,
            tags=translator.get_tags(node),
            kinds=self.kinds,
            partitions_def=self.partitions_def,
            automation_condition=translator.get_automation_condition(node),
        )

    def tests_of(
        self, asset_ids: set[str], excluded: set[str]
    ) -> list[tuple[dict[str, Any], AssetKey]]:
        """Each test attached to one of ``asset_ids`` (and not excluded), with that asset."""
        out = []
        for test in self.manifest.tests():
            uid = test["unique_id"]
            if uid in excluded:
                continue
            attached = test.get("attached_node")
            if attached is None:  # a singular test: attached when it reads one asset only
                parents = [p for p in self.manifest.parents.get(uid, ()) if p in asset_ids]
                attached = parents[0] if len(parents) == 1 else None
            if attached in asset_ids:
                out.append((test, self.key(attached)))
        return out

    def check_spec(
        self, test: Mapping[str, Any], key: AssetKey, taken: Mapping[AssetCheckKey, str]
    ) -> AssetCheckSpec:
        name = self.translator.get_check_name(test)
        candidate, suffix = name, 2
        while AssetCheckKey(key, candidate) in taken:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        severity = str((test.get("config") or {}).get("severity") or "error").lower()
        others = [
            self.key(p)
            for p in self.upstream(test["unique_id"])
            if p != test.get("attached_node") and self.key(p) != key
        ]
        return AssetCheckSpec(
            candidate,
            asset=key,
            description=test.get("description") or f"dbt test {test['name']}",
            blocking=self.translator.settings.blocking_asset_checks and severity == "error",
            additional_deps=others,
            metadata={"dbt/unique_id": test["unique_id"], "dbt/severity": severity},
        )
