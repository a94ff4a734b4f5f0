"""The whole asset graph in one compact, column-wise answer, for the UI's lineage and catalog.

Listing 10,000 assets as ``Asset`` objects costs one resolver call per field per asset, and
even typed lists of scalars cost one completion per item (0.5 s for 10,000 assets' columns);
:class:`AssetGraph` answers with JSON columns instead, every list in the order of ``keys``.
Its definition columns are built once per workspace snapshot; its state (statuses, last
materialization times) comes from the asset index, the last runs' records and the checks'
latest evaluations: a few queries for the whole graph.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info


@strawberry.enum(description="What the lineage graph colours an asset by, most urgent first.")
class AssetGraphStatus(Enum):
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    CHECK_FAILING = "CHECK_FAILING"
    MISSING = "MISSING"
    STALE = "STALE"
    MATERIALIZED = "MATERIALIZED"


_IN_PROGRESS = {"QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"}


def _columns(index: Any) -> dict[str, Any]:
    paths = list(index.nodes)
    position = {p: i for i, p in enumerate(paths)}
    groups: dict[str, int] = {}
    locations: dict[str, int] = {}
    cols: dict[str, Any] = {
        "paths": paths, "keys": ["/".join(p) for p in paths], "group_index": [],
        "location_index": [], "deps": [], "kinds": [], "owners": [], "tags": [],
        "is_partitioned": [], "is_materializable": [],
    }  # fmt: skip
    for path in paths:
        node = index.nodes[path]
        snap = node.snapshot
        cols["group_index"].append(groups.setdefault(snap.group_name, len(groups)))
        cols["location_index"].append(locations.setdefault(node.location_name, len(locations)))
        cols["deps"].append([position[d] for d in snap.dep_paths if d in position])
        cols["kinds"].append(list(snap.kinds))
        cols["owners"].append(list(snap.owners))
        cols["tags"].append([f"{k}={v}" if v else str(k) for k, v in sorted(snap.tags.items())])
        cols["is_partitioned"].append(snap.partitions_ref is not None)
        cols["is_materializable"].append(bool(snap.is_materializable))
    cols["groups"] = list(groups)
    cols["locations"] = list(locations)
    return cols


_cache: tuple[Any, dict[str, Any]] | None = None


def columns_of(index: Any) -> dict[str, Any]:
    """The definition columns of ``index``, built once per index (the index is rebuilt when a
    location's snapshot changes)."""
    global _cache
    if _cache is None or _cache[0] is not index:
        _cache = (index, _columns(index))
    return _cache[1]


def _failing_checks(context: Any, paths: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The assets whose latest evaluation of some check failed (every check's latest
    evaluation in one query)."""
    from headwater.declarations.checks.definition import AssetCheckEvaluation
    from headwater.webserver.graphql.checks import _latest_of_all

    latest = context.cached("latest_checks", lambda: _latest_of_all(context))
    failing = set()
    for key, record in latest.items():
        entry = record.event_log_entry
        found = AssetCheckEvaluation.from_event(key.asset_key, entry.data, run_id=entry.run_id,
                                                timestamp=entry.timestamp)  # fmt: skip
        if not found.passed:
            failing.add(tuple(key.asset_key.path))
    return failing


def _stale_paths(context: Any) -> set[tuple[str, ...]]:
    from headwater.webserver.graphql.staleness import stale_status_of

    return {p for p in context.index().nodes if stale_status_of(context, p).status == "STALE"}


def _statuses(context: Any, paths: list[tuple[str, ...]]) -> tuple[list[Any], list[float | None]]:
    from headwater.storage.records import RunsFilter

    records = {p: context.asset_record(p) for p in paths}
    last_runs = sorted({r.last_run_id for r in records.values() if r is not None and r.last_run_id})
    run_status: dict[str, str] = {}
    if last_runs:
        for run in context.instance.get_runs(RunsFilter(run_ids=last_runs)):
            run_status[run.run_id] = str(getattr(run.status, "value", run.status))
    failing = _failing_checks(context, paths)
    stale = _stale_paths(context)
    statuses, times = [], []
    for path in paths:
        record = records[path]
        latest = None if record is None else record.last_materialization_record
        times.append(None if latest is None else float(latest.event_log_entry.timestamp))
        last = None if record is None else record.last_run_id
        status = run_status.get(last or "")
        if status in _IN_PROGRESS:
            statuses.append(AssetGraphStatus.RUNNING)
        elif status == "FAILURE" and (latest is None or latest.event_log_entry.run_id != last):
            statuses.append(AssetGraphStatus.FAILED)
        elif latest is None:
            statuses.append(AssetGraphStatus.MISSING)
        elif path in failing:
            statuses.append(AssetGraphStatus.CHECK_FAILING)
        elif path in stale:
            statuses.append(AssetGraphStatus.STALE)
        else:
            statuses.append(AssetGraphStatus.MATERIALIZED)
    return statuses, times


_DEFINITION_COLUMNS = {
    "keys": "keys", "groups": "groups", "groupIndex": "group_index", "locations": "locations",
    "locationIndex": "location_index", "deps": "deps", "kinds": "kinds", "owners": "owners",
    "tags": "tags", "isPartitioned": "is_partitioned", "isMaterializable": "is_materializable",
}  # fmt: skip


@strawberry.type(
    description="Every asset of the workspace as columns: one list per attribute, each in the "
    "order of `keys`, in one JSON object (10,000 assets as typed objects cost seconds of "
    "resolvers; these cost one encoding). Ask `state` in a second query to draw the graph first."
)
class AssetGraph:
    _cols: strawberry.Private[dict[str, Any]]

    @strawberry.field(
        description="The definitions, as {keys: [string] (key parts joined by '/'), groups: "
        "[string], groupIndex: [int] (into groups), locations: [string], locationIndex: [int] "
        "(into locations), deps: [[int]] (the dependencies the workspace declares, as indices "
        "into keys), kinds: [[string]], owners: [[string]], tags: [[string]] ('key=value', or "
        "'key' when the value is empty), isPartitioned: [bool], isMaterializable: [bool]}."
    )
    def definitions(self) -> JSON:
        cols = self._cols
        return cast(JSON, {name: cols[attr] for name, attr in _DEFINITION_COLUMNS.items()})

    @strawberry.field(
        description="The state, as {statuses: [string], lastMaterializedAt: [float or null] "
        "(epoch seconds)}; a status is one of AssetGraphStatus: RUNNING (its last run is in "
        "progress), FAILED (its last run failed before materializing it), MISSING, "
        "CHECK_FAILING, STALE, MATERIALIZED."
    )
    def state(self, info: Info) -> JSON:
        statuses, times = _statuses(info.context, self._cols["paths"])
        return cast(JSON, {"statuses": [s.value for s in statuses], "lastMaterializedAt": times})


def asset_graph(context: Any) -> AssetGraph:
    """The :class:`AssetGraph` of the workspace."""
    return AssetGraph(_cols=columns_of(context.index()))
