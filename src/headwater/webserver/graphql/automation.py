"""An asset's automation: its condition's evaluations explained, and its freshness state."""

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from headwater.keys import AssetKey


@strawberry.type(description="One evaluation of an asset's automation condition (one tick).")
class AutomationEvaluation:
    _record: strawberry.Private[Any]

    @strawberry.field(description="The tick's number for its sensor.")
    def evaluation_id(self) -> int:
        return int(self._record.evaluation_id)

    @strawberry.field(description="When the tick evaluated (epoch seconds).")
    def timestamp(self) -> float:
        return float(self._record.timestamp)

    @strawberry.field(description="How many partitions it requested (unpartitioned: 0 or 1).")
    def num_requested(self) -> int:
        return int(self._record.num_requested)

    @strawberry.field(description="The automation sensor ('location:sensor').")
    def sensor_name(self) -> str:
        return str(self._record.sensor_name)

    @strawberry.field(description="Why it did (or did not) request the asset, in one sentence.")
    def explanation(self) -> str:
        from headwater.orchestration.automation.explain import explain

        return explain(self._record.body)

    @strawberry.field(description="The evaluated condition tree, one node a line, indented.")
    def tree_lines(self) -> list[str]:
        from headwater.orchestration.automation.explain import tree_lines

        return tree_lines(self._record.body)

    @strawberry.field(description="The runs it launched.")
    def run_ids(self) -> list[str]:
        return [str(r) for r in self._record.body.get("run_ids") or ()]

    @strawberry.field(
        description="The evaluated tree as stored: nodes with path, name, label, how many "
        "partitions were true, matched upstream assets."
    )
    def body(self) -> JSON:
        return dict(self._record.body)  # type: ignore[return-value]


@strawberry.type(description="An asset's freshness against its freshness policy.")
class Freshness:
    state: str = strawberry.field(description="PASS, WARN, FAIL or UNKNOWN.")
    updated_timestamp: float = strawberry.field(description="When it was last evaluated.")
    changed_timestamp: float = strawberry.field(description="When the state last changed.")
    info: JSON = strawberry.field(description="The facts behind it (last update, windows).")


def evaluations_of(context: Any, path: tuple[str, ...], limit: int) -> list[AutomationEvaluation]:
    """The asset's stored evaluations, newest first."""
    found = context.instance.storage.get_condition_evaluations(AssetKey(list(path)), limit=limit)
    return [AutomationEvaluation(_record=r) for r in found]


def freshness_of(context: Any, path: tuple[str, ...]) -> Freshness | None:
    """The asset's freshness state (every asset's is read once per request), or ``None``."""

    def read() -> dict[tuple[str, ...], Any]:
        found = context.instance.storage.get_freshness_states()
        return {tuple(k.path): v for k, v in found.items()}

    record = context.cached("freshness", read).get(path)
    if record is None:
        return None
    info = cast(JSON, dict(record.info))
    return Freshness(state=str(record.state), updated_timestamp=record.updated_timestamp,
                     changed_timestamp=record.changed_timestamp, info=info)  # fmt: skip
