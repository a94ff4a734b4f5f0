"""Whether each asset is up to date: MISSING, STALE (with causes) or FRESH."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from headwater.execution.step.versioning import latest_versions
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.execution.run.state import ExecutionInstance


class StaleStatus(StrEnum):
    """An asset's freshness relative to its code and its upstream data."""

    MISSING = "MISSING"
    STALE = "STALE"
    FRESH = "FRESH"


class StaleCauseCategory(StrEnum):
    """What made an asset stale."""

    CODE = "CODE"
    DATA = "DATA"
    DEPENDENCIES = "DEPENDENCIES"


@dataclass(frozen=True, slots=True)
class StaleCause:
    """One reason an asset is stale.

    Attributes:
        key: the stale asset.
        category: CODE (its code version changed), DATA (an upstream asset has newer data) or
            DEPENDENCIES (an upstream asset is missing or itself stale).
        reason: a sentence for people.
        dependency: the upstream asset concerned, if any.
    """

    key: AssetKey
    category: StaleCauseCategory
    reason: str
    dependency: AssetKey | None = None


@dataclass(frozen=True, slots=True)
class AssetStaleness:
    """The status of one asset and why."""

    status: StaleStatus
    causes: list[StaleCause] = field(default_factory=list)


def get_stale_status(
    defs: Any, instance: ExecutionInstance, asset_keys: Iterable[AssetKey] | None = None
) -> dict[AssetKey, AssetStaleness]:
    """The stale status of each materializable asset (or of ``asset_keys``).

    An asset is MISSING when it was never materialized; STALE when its code version differs from
    the one that produced its latest materialization, when an upstream asset's data version
    differs from the one recorded in that materialization's provenance, or when an upstream
    asset is missing or stale; FRESH otherwise. One read of the asset index.

    Example:
        >>> from headwater import AssetKey, Definitions, Instance, asset, materialize
        >>> @asset(code_version="1")
        ... def orders() -> int:
        ...     return 1
        >>> @asset
        ... def report(orders: int) -> int:
        ...     return orders
        >>> instance = Instance.ephemeral()
        >>> get_stale_status(Definitions(assets=[orders, report]), instance)[AssetKey("report")]
        AssetStaleness(status=<StaleStatus.MISSING: 'MISSING'>, causes=[])
        >>> _ = materialize([orders, report], instance=instance)
        >>> @asset(code_version="2")  # orders changes; report is now stale because of it
        ... def orders() -> int:
        ...     return 2
        >>> statuses = get_stale_status(Definitions(assets=[orders, report]), instance)
        >>> statuses[AssetKey("orders")].causes[0].reason
        "code version changed from '1' to '2'"
        >>> statuses[AssetKey("report")].status, statuses[AssetKey("report")].causes[0].reason
        (<StaleStatus.STALE: 'STALE'>, "upstream 'orders' is stale")
        >>> instance.dispose()
    """
    graph = defs.resolve_asset_graph()
    wanted = set(asset_keys) if asset_keys is not None else set(graph.materializable_keys)
    relevant = graph.upstream(wanted)
    versions, latest = latest_versions(instance, relevant)
    out: dict[AssetKey, AssetStaleness] = {}
    for key in graph.toposort(relevant):
        node = graph.get(key)
        if not node.is_materializable:
            continue
        data = latest.get(key)
        if data is None:
            out[key] = AssetStaleness(StaleStatus.MISSING)
            continue
        causes = _causes(key, node.code_version, data, graph.parents(key), versions, out, graph)
        out[key] = AssetStaleness(StaleStatus.STALE if causes else StaleStatus.FRESH, causes)
    return {k: v for k, v in out.items() if k in wanted}


def _causes(
    key: AssetKey,
    code_version: str | None,
    data: Any,
    parents: Iterable[AssetKey],
    versions: dict[AssetKey, str | None],
    known: dict[AssetKey, AssetStaleness],
    graph: Any,
) -> list[StaleCause]:
    causes: list[StaleCause] = []
    provenance = data.get("provenance") or {}
    recorded_code = provenance.get("code_version", data.get("code_version"))
    if code_version is not None and recorded_code != code_version:
        reason = f"code version changed from {recorded_code!r} to {code_version!r}"
        causes.append(StaleCause(key, StaleCauseCategory.CODE, reason))
    recorded_inputs = provenance.get("input_data_versions") or {}
    for parent in parents:
        name = parent.to_user_string()
        parent_status = known.get(parent)
        if parent_status is not None and parent_status.status is StaleStatus.MISSING:
            reason = f"upstream {name!r} is missing"
            causes.append(StaleCause(key, StaleCauseCategory.DEPENDENCIES, reason, parent))
            continue
        if name in recorded_inputs and versions.get(parent) != recorded_inputs[name]:
            reason = f"upstream {name!r} has newer data"
            causes.append(StaleCause(key, StaleCauseCategory.DATA, reason, parent))
        elif parent_status is not None and parent_status.status is StaleStatus.STALE:
            reason = f"upstream {name!r} is stale"
            causes.append(StaleCause(key, StaleCauseCategory.DEPENDENCIES, reason, parent))
    return causes
