"""Data versions and provenance of materializations, and skipping unchanged steps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.declarations.assets.versions import derive_data_version
from headwater.execution.plan.execution_plan import ExecutionStep
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.execution.run.state import ExecutionInstance


def latest_versions(
    instance: ExecutionInstance, keys: set[AssetKey]
) -> tuple[dict[AssetKey, str | None], dict[AssetKey, Mapping[str, Any]]]:
    """Latest data version of each key (from its materialization, else its observation) and the
    data of its latest materialization, in one read of the asset index."""
    versions: dict[AssetKey, str | None] = {}
    latest: dict[AssetKey, Mapping[str, Any]] = {}
    if not keys or instance is None:
        return versions, latest
    for record in instance.get_asset_records(sorted(keys)):
        mat = record.last_materialization_record
        obs = record.last_observation_record
        if mat is not None:
            data = mat.event_log_entry.data
            latest[record.asset_key] = data
            versions[record.asset_key] = data.get("data_version")
        elif obs is not None:
            versions[record.asset_key] = obs.event_log_entry.data.get("data_version")
    return versions, latest


def keys_to_prefetch(steps: Sequence[ExecutionStep], skip_unchanged: bool) -> set[AssetKey]:
    """Parents produced outside the run (and, to skip unchanged steps, the run's own keys)."""
    produced = {k for s in steps for k in s.assets_def.keys}
    keys = {k for s in steps for spec in s.assets_def.specs for k in spec.dep_keys}
    keys -= produced
    return keys | produced if skip_unchanged else keys


def input_versions(
    step: ExecutionStep, key: AssetKey, known: Mapping[AssetKey, str | None]
) -> dict[str, str | None]:
    """The data versions of ``key``'s upstream assets, by key string."""
    spec = step.assets_def.spec_for(key)
    return {dep.to_user_string(): known.get(dep) for dep in spec.dep_keys}


def provenance(
    step: ExecutionStep,
    key: AssetKey,
    known: Mapping[AssetKey, str | None],
    run_id: str,
    given: str | None,
) -> dict[str, Any]:
    """``data_version`` and ``provenance`` entries for a materialization event of ``key``."""
    spec = step.assets_def.spec_for(key)
    inputs = input_versions(step, key, known)
    code_version = spec.code_version
    version = given or derive_data_version(code_version or f"run:{run_id}", inputs)
    return {
        "data_version": version,
        "data_version_source": "user" if given else "derived",
        "provenance": {"code_version": code_version, "input_data_versions": inputs},
    }


def unchanged(
    step: ExecutionStep,
    known: Mapping[AssetKey, str | None],
    latest: Mapping[AssetKey, Mapping[str, Any]],
) -> bool:
    """Whether every asset of ``step`` was last materialized by the same code version from
    inputs with the same data versions (so running it again would produce the same data)."""
    return unchanged_keys(step, known, latest) == step.assets_def.keys


def unchanged_keys(
    step: ExecutionStep,
    known: Mapping[AssetKey, str | None],
    latest: Mapping[AssetKey, Mapping[str, Any]],
) -> frozenset[AssetKey]:
    """The assets of ``step`` whose latest materialization has their code version and the data
    versions of their inputs, and none of whose upstream assets in the step changed."""
    assets_def = step.assets_def
    keys = assets_def.keys
    changed: set[AssetKey] = set()
    for key in keys:
        spec = assets_def.spec_for(key)
        data = latest.get(key)
        recorded = (data.get("provenance") or {}) if data is not None else {}
        if (
            spec.code_version is None
            or data is None
            or recorded.get("code_version") != spec.code_version
            or recorded.get("input_data_versions") != input_versions(step, key, known)
        ):
            changed.add(key)
    # An asset downstream (within the step) of a changed one gets new inputs when it runs.
    frontier = set(changed)
    while frontier:
        frontier = {
            key
            for key in keys - changed
            if any(dep in frontier for dep in assets_def.spec_for(key).dep_keys)
        }
        changed |= frontier
    return frozenset(keys - changed)
