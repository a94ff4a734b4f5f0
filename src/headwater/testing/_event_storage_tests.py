"""Conformance tests of the event log (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from headwater.errors import StorageError
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.base import Storage
from headwater.storage.records import AssetRecordsFilter, EventRecordsFilter
from headwater.testing._storage_helpers import make_event, make_run, materialization

ORDERS = AssetKey(["shop", "orders"])


class EventLogStorageTests:
    """Events: order, cursors, filters, paging, atomic batches."""

    def test_store_events_returns_increasing_ids_and_logs_keep_order(
        self, storage: Storage
    ) -> None:
        storage.add_run(make_run("r"))
        types = [EventType.RUN_START, EventType.STEP_START, EventType.STEP_SUCCESS]
        first = storage.store_events([make_event("r", t) for t in types])
        second = storage.store_events([make_event("r", EventType.RUN_SUCCESS)])
        ids = first + second
        assert ids == sorted(ids) and len(set(ids)) == 4
        logs = storage.get_logs_for_run("r")
        assert [r.storage_id for r in logs] == ids
        assert [r.event_log_entry.event_type for r in logs] == [*types, EventType.RUN_SUCCESS]
        assert storage.store_events([]) == []

    def test_event_round_trips_every_field(self, storage: Storage) -> None:
        entry = EventLogEntry(
            run_id="r",
            timestamp=1234.5,
            event_type=EventType.STEP_FAILURE,
            message="boom",
            level=logging.ERROR,
            job_name="etl",
            step_key="orders",
            asset_key=ORDERS,
            partition="2024-01-01",
            data={"error": {"message": "boom", "cls_name": "ValueError", "traceback": "..."}},
        )
        (storage_id,) = storage.store_events([entry])
        (record,) = storage.get_logs_for_run("r")
        assert record.storage_id == storage_id
        assert record.event_log_entry == entry
        assert record.run_id == "r" and record.partition_key == "2024-01-01"

    def test_run_logs_page_by_cursor_type_and_limit(self, storage: Storage) -> None:
        kinds = [EventType.RUN_START, EventType.STEP_START, EventType.LOG_MESSAGE]
        ids = storage.store_events([make_event("r", k) for k in kinds * 2])
        storage.store_events([make_event("other", EventType.RUN_START)])
        assert [r.storage_id for r in storage.get_logs_for_run("r", cursor=ids[2])] == ids[3:]
        assert [r.storage_id for r in storage.get_logs_for_run("r", limit=2)] == ids[:2]
        steps = storage.get_logs_for_run("r", of_type=EventType.STEP_START)
        assert [r.storage_id for r in steps] == [ids[1], ids[4]]
        both = storage.get_logs_for_run("r", of_type={EventType.RUN_START, EventType.LOG_MESSAGE})
        assert [r.storage_id for r in both] == [ids[0], ids[2], ids[3], ids[5]]

    def test_event_records_filter_by_asset_partition_run_and_bounds(self, storage: Storage) -> None:
        ids = storage.store_events(
            [
                materialization("r1", ORDERS, partition="p1", timestamp=10.0),
                materialization("r1", ORDERS, partition="p2", timestamp=20.0),
                materialization("r2", ORDERS, partition="p1", timestamp=30.0),
                materialization("r2", "customers", timestamp=40.0),
                make_event("r2", EventType.STEP_SUCCESS, asset_key=ORDERS, timestamp=50.0),
            ]
        )
        mat = EventType.ASSET_MATERIALIZATION

        def found(limit: int | None = None, ascending: bool = False, **kw: Any) -> list[int]:
            records_filter = EventRecordsFilter(event_type=mat, **kw)
            records = storage.get_event_records(records_filter, limit=limit, ascending=ascending)
            return [r.storage_id for r in records]

        assert found() == ids[3::-1]
        assert found(ascending=True, limit=2) == ids[:2]
        assert found(asset_key=ORDERS) == [ids[2], ids[1], ids[0]]
        assert found(asset_key=ORDERS, asset_partitions=["p1"]) == [ids[2], ids[0]]
        assert found(run_ids=["r2"]) == [ids[3], ids[2]]
        assert found(after_cursor=ids[0], before_cursor=ids[3]) == [ids[2], ids[1]]
        assert found(after_timestamp=15.0, before_timestamp=35.0) == [ids[2], ids[1]]
        assert found(asset_partitions=[]) == []

    def test_fetch_materializations_pages_with_cursor(self, storage: Storage) -> None:
        ids = storage.store_events([materialization("r", ORDERS, rows=i) for i in range(5)])
        storage.store_events([materialization("r", "other")])
        mat = EventType.ASSET_MATERIALIZATION
        records_filter = AssetRecordsFilter(asset_key=ORDERS)
        page = storage.fetch_events(mat, records_filter, limit=2)
        assert [r.storage_id for r in page.records] == [ids[4], ids[3]] and page.has_more
        page = storage.fetch_events(mat, records_filter, limit=2, cursor=page.cursor)
        assert [r.storage_id for r in page.records] == [ids[2], ids[1]] and page.has_more
        page = storage.fetch_events(mat, records_filter, limit=2, cursor=page.cursor)
        assert [r.storage_id for r in page.records] == [ids[0]] and not page.has_more
        end = storage.fetch_events(mat, records_filter, limit=2, cursor=page.cursor)
        assert end.records == [] and not end.has_more and end.cursor == page.cursor
        up = storage.fetch_events(mat, records_filter, limit=3, ascending=True)
        assert [r.storage_id for r in up.records] == ids[:3] and up.has_more
        rest = storage.fetch_events(mat, records_filter, limit=3, cursor=up.cursor, ascending=True)
        assert [r.storage_id for r in rest.records] == ids[3:] and not rest.has_more

    def test_fetch_with_a_foreign_cursor_raises(self, storage: Storage) -> None:
        records_filter = AssetRecordsFilter(asset_key=ORDERS)
        with pytest.raises(StorageError, match="cursor"):
            storage.fetch_events(EventType.ASSET_MATERIALIZATION, records_filter, 1, "nope")

    def test_a_failing_batch_stores_none_of_its_events(self, storage: Storage) -> None:
        storage.add_run(make_run("r"))
        circular: dict[str, object] = {}
        circular["self"] = circular
        batch = [
            make_event("r", EventType.RUN_START),
            materialization("r", ORDERS),
            make_event("r", EventType.LOG_MESSAGE, data=circular),
        ]
        with pytest.raises((ValueError, StorageError)):
            storage.store_events(batch)
        assert storage.get_logs_for_run("r") == []
        assert storage.get_asset_keys() == []
        run = storage.get_run_by_id("r")
        assert run is not None and not run.status.is_finished and run.status.value == "NOT_STARTED"
