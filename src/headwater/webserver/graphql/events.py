"""Event types: a run's events and an asset's materializations/observations."""

import logging
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from headwater.webserver.graphql.common import (
    AssetKey,
    MetadataEntry,
    PageInfo,
    Tag,
    metadata_entries,
    tags_of,
)
from headwater.webserver.redaction import redact


@strawberry.type(description="One event of the event log (of a run, or a run-less asset event).")
class Event:
    _record: strawberry.Private[Any]

    @strawberry.field(description="The event's storage id: increasing, usable as a cursor.")
    def storage_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._record.storage_id))

    @strawberry.field(description="The run ('' for a run-less asset event).")
    def run_id(self) -> str:
        return str(self._record.event_log_entry.run_id)

    @strawberry.field(description="When it happened, in seconds since the epoch (UTC).")
    def timestamp(self) -> float:
        return float(self._record.event_log_entry.timestamp)

    @strawberry.field(description="Its type: STEP_START, ASSET_MATERIALIZATION, LOG_MESSAGE, ...")
    def event_type(self) -> str:
        return str(self._record.event_log_entry.event_type.value)

    @strawberry.field(description="The human-readable message.")
    def message(self) -> str:
        return str(self._record.event_log_entry.message)

    @strawberry.field(description="The logging level as a number (20 is INFO).")
    def level(self) -> int:
        return int(self._record.event_log_entry.level)

    @strawberry.field(description="The logging level's name: DEBUG, INFO, WARNING, ERROR, ...")
    def level_name(self) -> str:
        return str(logging.getLevelName(self._record.event_log_entry.level))

    @strawberry.field(description="The step that emitted it, null for run-level events.")
    def step_key(self) -> str | None:
        return self._record.event_log_entry.step_key  # type: ignore[no-any-return]

    @strawberry.field(description="The asset concerned, when there is one.")
    def asset_key(self) -> AssetKey | None:
        key = self._record.event_log_entry.asset_key
        return None if key is None else AssetKey.of(key)

    @strawberry.field(description="The partition, when partitioned.")
    def partition(self) -> str | None:
        return self._record.event_log_entry.partition  # type: ignore[no-any-return]

    @strawberry.field(description="The event's data (secrets redacted), as stored.")
    def data(self) -> JSON:
        return cast(JSON, redact(dict(self._record.event_log_entry.data)))

    @strawberry.field(description="The metadata of an asset or check event (empty otherwise).")
    def metadata(self) -> list[MetadataEntry]:
        return metadata_entries(self._record.event_log_entry.data.get("metadata"))

    @strawberry.field(description="A failure's error: message, class name and traceback.")
    def error(self) -> JSON | None:
        err = self._record.event_log_entry.error
        return None if err is None else cast(JSON, dict(err))


@strawberry.type(description="An edge of an event connection.")
class EventEdge:
    cursor: str
    node: Event


@strawberry.type(description="A page of events, oldest first.")
class EventConnection:
    edges: list[EventEdge]
    page_info: PageInfo

    @strawberry.field(description="The events of this page (the edges' nodes).")
    def nodes(self) -> list[Event]:
        return [e.node for e in self.edges]


def event_connection(records: Any, *, has_more: bool, cursor: str | None) -> EventConnection:
    """A connection of event records (their storage ids are the cursors)."""
    edges = [EventEdge(cursor=str(r.storage_id), node=Event(_record=r)) for r in records]
    return EventConnection(edges=edges, page_info=PageInfo(has_next_page=has_more,
                                                           end_cursor=cursor))  # fmt: skip


@strawberry.type(description="A materialization or observation of an asset.")
class AssetEvent:
    _record: strawberry.Private[Any]

    @strawberry.field(description="ASSET_MATERIALIZATION or ASSET_OBSERVATION.")
    def event_type(self) -> str:
        return str(self._record.event_log_entry.event_type.value)

    @strawberry.field(description="The event's storage id, a cursor for the asset's history.")
    def storage_id(self) -> strawberry.ID:
        return strawberry.ID(str(self._record.storage_id))

    @strawberry.field(description="The run that produced it ('' when reported without a run).")
    def run_id(self) -> str:
        return str(self._record.event_log_entry.run_id)

    @strawberry.field(description="When, in seconds since the epoch (UTC).")
    def timestamp(self) -> float:
        return float(self._record.event_log_entry.timestamp)

    @strawberry.field(description="The partition, when partitioned.")
    def partition(self) -> str | None:
        return self._record.event_log_entry.partition  # type: ignore[no-any-return]

    @strawberry.field(description="The step that produced it.")
    def step_key(self) -> str | None:
        return self._record.event_log_entry.step_key  # type: ignore[no-any-return]

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        value = self._record.event_log_entry.data.get("description")
        return None if value is None else str(value)

    @strawberry.field(description="Its metadata (row counts, durations, ... for plots).")
    def metadata(self) -> list[MetadataEntry]:
        return metadata_entries(self._record.event_log_entry.data.get("metadata"))

    @strawberry.field(description="Its tags (data version, code version, ...).")
    def tags(self) -> list[Tag]:
        return tags_of(self._record.event_log_entry.data.get("tags"))


@strawberry.type(description="A page of an asset's events, newest first.")
class AssetEventConnection:
    nodes: list[AssetEvent]
    page_info: PageInfo
