"""The Asset type: definition (from the code location's snapshot) and state (from storage)."""

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from headwater.keys import AssetKey as _AssetKey
from headwater.webserver.graphql.automation import (
    AutomationEvaluation,
    Freshness,
    evaluations_of,
    freshness_of,
)
from headwater.webserver.graphql.checks import AssetCheck
from headwater.webserver.graphql.common import (
    AssetKey,
    MetadataEntry,
    PageInfo,
    Tag,
    decode_cursor,
    encode_cursor,
    metadata_entries,
    page_size,
    tags_of,
)
from headwater.webserver.graphql.events import AssetEvent, AssetEventConnection
from headwater.webserver.graphql.partitions import PartitionStatus, partition_status_of
from headwater.webserver.graphql.staleness import StaleStatus, stale_status_of
from headwater.webserver.state import AssetNode


@strawberry.enum(description="Which of an asset's events to list.")
class AssetEventKind(Enum):
    MATERIALIZATION = "MATERIALIZATION"
    OBSERVATION = "OBSERVATION"


@strawberry.type(
    description="An asset of the workspace: what its code location declares and what storage "
    "knows about it."
)
class Asset:
    _node: strawberry.Private[AssetNode]

    @property
    def _path(self) -> tuple[str, ...]:
        return self._node.snapshot.key_path

    @strawberry.field(description="Its key.")
    def key(self) -> AssetKey:
        return AssetKey(path=list(self._path))

    @strawberry.field(description="The code location that declares it.")
    def location_name(self) -> str:
        return self._node.location_name

    @strawberry.field(description="Its group ('default' when none was given).")
    def group_name(self) -> str:
        return self._node.snapshot.group_name

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._node.snapshot.description

    @strawberry.field(description="Its kinds (sorted), e.g. ['duckdb', 'python'].")
    def kinds(self) -> list[str]:
        return list(self._node.snapshot.kinds)

    @strawberry.field(description="Its owners (emails or 'team:name').")
    def owners(self) -> list[str]:
        return list(self._node.snapshot.owners)

    @strawberry.field(description="Its tags.")
    def tags(self) -> list[Tag]:
        return tags_of(self._node.snapshot.tags)

    @strawberry.field(description="Its code version, when declared.")
    def code_version(self) -> str | None:
        return self._node.snapshot.code_version

    @strawberry.field(description="The step (op) that computes it; null for an external asset.")
    def node_name(self) -> str | None:
        return self._node.snapshot.node_name

    @strawberry.field(description="Whether headwater can materialize it (it has a function).")
    def is_materializable(self) -> bool:
        return self._node.snapshot.is_materializable

    @strawberry.field(description="Whether it is an observable source asset.")
    def is_observable(self) -> bool:
        return self._node.snapshot.is_observable

    @strawberry.field(description="Whether it is partitioned.")
    def is_partitioned(self) -> bool:
        return self._node.snapshot.partitions_ref is not None

    @strawberry.field(description="Its partitions definition in one line, when partitioned.")
    def partitions_description(self) -> str | None:
        partitions = self._node.definitions.partitions_of(self._node.snapshot)
        return None if partitions is None else partitions.description

    @strawberry.field(description="Its automation condition as text, when it has one.")
    def automation_condition(self) -> str | None:
        return self._node.definitions.automation_condition_of(self._node.snapshot)

    @strawberry.field(description="Its definition metadata.")
    def metadata(self) -> list[MetadataEntry]:
        return metadata_entries(self._node.snapshot.metadata)

    @strawberry.field(description="The keys of the assets it depends on (upstream).")
    def dependency_keys(self) -> list[AssetKey]:
        return [AssetKey(path=list(p)) for p in self._node.snapshot.dep_paths]

    @strawberry.field(description="The keys of the assets that depend on it (downstream).")
    def depended_by_keys(self, info: Info) -> list[AssetKey]:
        children = info.context.index().children.get(self._path, ())
        return [AssetKey(path=list(p)) for p in children]

    @strawberry.field(description="The assets it depends on that the workspace declares.")
    def upstream(self, info: Info) -> list["Asset"]:
        index = info.context.index()
        found = (index.nodes.get(p) for p in self._node.snapshot.dep_paths)
        return [Asset(_node=n) for n in found if n is not None]

    @strawberry.field(description="The assets that depend on it.")
    def downstream(self, info: Info) -> list["Asset"]:
        index = info.context.index()
        return [Asset(_node=index.nodes[p]) for p in index.children.get(self._path, ())]

    @strawberry.field(description="Its latest materialization (of any partition), or null.")
    def latest_materialization(self, info: Info) -> AssetEvent | None:
        record = info.context.asset_record(self._path)
        found = None if record is None else record.last_materialization_record
        return None if found is None else AssetEvent(_record=found)

    @strawberry.field(description="Its latest observation, or null.")
    def latest_observation(self, info: Info) -> AssetEvent | None:
        record = info.context.asset_record(self._path)
        found = None if record is None else record.last_observation_record
        return None if found is None else AssetEvent(_record=found)

    @strawberry.field(description="The last run that materialized or planned it, or null.")
    def last_run_id(self, info: Info) -> str | None:
        record = info.context.asset_record(self._path)
        return None if record is None else record.last_run_id

    @strawberry.field(
        description="Its materializations (or observations), newest first, with their metadata "
        "(for plots of numeric metadata over time)."
    )
    def materializations(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        partitions: list[str] | None = None,
        kind: AssetEventKind = AssetEventKind.MATERIALIZATION,
    ) -> AssetEventConnection:
        from headwater.storage.records import AssetRecordsFilter

        instance = info.context.instance
        records_filter = AssetRecordsFilter(asset_key=_AssetKey(list(self._path)),
                                            asset_partitions=partitions)  # fmt: skip
        fetch = (instance.fetch_materializations if kind is AssetEventKind.MATERIALIZATION
                 else instance.fetch_observations)  # fmt: skip
        result = fetch(records_filter, page_size(first), cursor=decode_cursor("asset", after))
        cursor = encode_cursor("asset", result.cursor) if result.cursor else None
        return AssetEventConnection(
            nodes=[AssetEvent(_record=r) for r in result.records],
            page_info=PageInfo(has_next_page=result.has_more, end_cursor=cursor),
        )

    @strawberry.field(
        description="Its partitions' status as ranges of consecutive keys (null when it is not "
        "partitioned)."
    )
    def partition_status(self, info: Info) -> PartitionStatus | None:
        return partition_status_of(info.context, self._node)

    @strawberry.field(description="The checks on it.")
    def checks(self, info: Info) -> list[AssetCheck]:
        found = info.context.index().checks.get(self._path, ())
        return [AssetCheck(_location=name, _check=check) for name, check in found]

    @strawberry.field(
        description="Whether it is up to date (MISSING, STALE with causes, FRESH); computed "
        "for every asset of the request at once."
    )
    def stale_status(self, info: Info) -> StaleStatus:
        return stale_status_of(info.context, self._path)

    @strawberry.field(
        description="The latest evaluation of its automation condition, explained (null: never "
        "evaluated)."
    )
    def automation_evaluation(self, info: Info) -> AutomationEvaluation | None:
        found = evaluations_of(info.context, self._path, 1)
        return found[0] if found else None

    @strawberry.field(description="Evaluations of its automation condition, newest first.")
    def automation_evaluations(
        self, info: Info, first: int | None = 25
    ) -> list[AutomationEvaluation]:
        return evaluations_of(info.context, self._path, page_size(first, 25))

    @strawberry.field(description="Its freshness state (null: no policy evaluated yet).")
    def freshness(self, info: Info) -> Freshness | None:
        return freshness_of(info.context, self._path)


def asset_nodes(context: Any) -> list[Asset]:
    """Every asset of the workspace."""
    return [Asset(_node=node) for node in context.index().nodes.values()]
