"""An asset's stale status with its causes, computed from the snapshots' graph and storage."""

from typing import Any

import strawberry

from headwater.webserver.graphql.common import AssetKey


@strawberry.type(description="One reason an asset is stale.")
class StaleCause:
    category: str = strawberry.field(
        description="CODE (its code version changed), DATA (an upstream asset has newer data) "
        "or DEPENDENCIES (an upstream asset is missing or stale)."
    )
    reason: str = strawberry.field(description="A sentence for people.")
    dependency: AssetKey | None = strawberry.field(description="The upstream asset concerned.")


@strawberry.type(description="Whether an asset is up to date.")
class StaleStatus:
    status: str = strawberry.field(
        description="MISSING (never materialized), STALE, FRESH, or NOT_APPLICABLE (an "
        "external asset)."
    )
    causes: list[StaleCause]


class _SnapshotDefinitions:
    """What ``execution.staleness.get_stale_status`` reads of a ``Definitions``: its graph."""

    def __init__(self, graph: Any) -> None:
        self._graph = graph

    def resolve_asset_graph(self) -> Any:
        return self._graph


def stale_status_of(context: Any, path: tuple[str, ...]) -> StaleStatus:
    """The stale status of ``path`` (every asset's is computed once per request)."""

    def compute() -> dict[tuple[str, ...], Any]:
        from headwater.execution.staleness import get_stale_status

        graph = context.index().graph()
        found = get_stale_status(_SnapshotDefinitions(graph), context.instance)
        return {tuple(k.path): v for k, v in found.items()}

    found = context.cached("stale", compute).get(path)
    if found is None:
        return StaleStatus(status="NOT_APPLICABLE", causes=[])
    return StaleStatus(
        status=str(found.status.value),
        causes=[StaleCause(category=str(c.category.value), reason=c.reason,
                           dependency=None if c.dependency is None else AssetKey.of(c.dependency))
                for c in found.causes],
    )  # fmt: skip
