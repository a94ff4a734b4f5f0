"""Conformance tests of backfill storage (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

import time

import pytest

from headwater.declarations.partitions.base import PartitionKeyRange
from headwater.errors import StorageError
from headwater.keys import AssetKey
from headwater.storage.backfill_records import (
    BackfillRunRequest,
    BulkActionStatus,
    PartitionBackfill,
)
from headwater.storage.base import Storage


def _backfill(backfill_id: str, **kwargs: object) -> PartitionBackfill:
    keys = (AssetKey("events"), AssetKey(["marts", "daily"]))
    fields: dict[str, object] = {
        "backfill_id": backfill_id,
        "asset_selection": keys,
        "partition_range": PartitionKeyRange("2024-01-01", "2024-01-03"),
        "run_requests": (
            BackfillRunRequest(asset_keys=keys, partition_keys=("2024-01-01",)),
            BackfillRunRequest(asset_keys=keys, partition_keys=("2024-01-02", "2024-01-03")),
            BackfillRunRequest(asset_keys=(AssetKey("total"),), depends_on=(0, 1)),
        ),
    }
    fields.update(kwargs)
    return PartitionBackfill(**fields)  # type: ignore[arg-type]


def _ids(backfills: list[PartitionBackfill]) -> list[str]:
    return [b.backfill_id for b in backfills]


class BackfillStorageTests:
    """Backfills: round trip of the plan, status updates, listing by status, paging."""

    def test_added_backfill_round_trips_every_field(self, storage: Storage) -> None:
        backfill = _backfill(
            "abcdefgh",
            tags={"team": "data"},
            partition_keys=("2024-01-01", "2024-01-02"),
            all_partitions=True,
            create_timestamp=1_700_000_000.5,
            update_timestamp=1_700_000_001.5,
            error="boom",
        )
        storage.add_backfill(backfill)
        assert storage.get_backfill("abcdefgh") == backfill
        assert storage.get_backfill("missing") is None
        assert storage.get_backfill_status("abcdefgh") is BulkActionStatus.REQUESTED
        assert storage.get_backfill_status("missing") is None

    def test_backfill_without_timestamps_gets_the_current_time(self, storage: Storage) -> None:
        before = time.time()
        storage.add_backfill(_backfill("b1"))
        stored = storage.get_backfill("b1")
        assert stored is not None
        assert before - 1 <= stored.create_timestamp == stored.update_timestamp <= time.time() + 1

    def test_adding_a_backfill_id_twice_raises_storage_error(self, storage: Storage) -> None:
        storage.add_backfill(_backfill("dup"))
        with pytest.raises(StorageError, match="already exists"):
            storage.add_backfill(_backfill("dup"))

    def test_update_replaces_status_and_keeps_creation_time(self, storage: Storage) -> None:
        storage.add_backfill(_backfill("b1", create_timestamp=100.0, update_timestamp=100.0))
        stored = storage.get_backfill("b1")
        assert stored is not None
        storage.update_backfill(stored.with_status(BulkActionStatus.COMPLETED_FAILED, error="x"))
        updated = storage.get_backfill("b1")
        assert updated is not None
        assert updated.status is BulkActionStatus.COMPLETED_FAILED
        assert storage.get_backfill_status("b1") is BulkActionStatus.COMPLETED_FAILED
        assert updated.error == "x"
        assert updated.run_requests == stored.run_requests
        assert updated.create_timestamp == 100.0
        assert updated.update_timestamp > 100.0

    def test_updating_a_missing_backfill_raises_storage_error(self, storage: Storage) -> None:
        with pytest.raises(StorageError, match="no such backfill"):
            storage.update_backfill(_backfill("missing"))

    def test_backfills_are_newest_first_and_filter_by_status(self, storage: Storage) -> None:
        for backfill_id in ("a", "b", "c", "d"):
            storage.add_backfill(_backfill(backfill_id))
        for backfill_id in ("b", "d"):
            stored = storage.get_backfill(backfill_id)
            assert stored is not None
            storage.update_backfill(stored.with_status(BulkActionStatus.CANCELED))
        assert _ids(storage.get_backfills()) == ["d", "c", "b", "a"]
        assert _ids(storage.get_backfills(status=BulkActionStatus.CANCELED)) == ["d", "b"]
        assert _ids(storage.get_backfills(status=BulkActionStatus.REQUESTED)) == ["c", "a"]
        assert storage.get_backfills(status=BulkActionStatus.FAILED) == []

    def test_backfill_cursor_pages_through_all_backfills(self, storage: Storage) -> None:
        for backfill_id in ("a", "b", "c", "d", "e"):
            storage.add_backfill(_backfill(backfill_id))
        assert _ids(storage.get_backfills(limit=2)) == ["e", "d"]
        assert _ids(storage.get_backfills(limit=2, cursor="d")) == ["c", "b"]
        assert _ids(storage.get_backfills(cursor="b")) == ["a"]
        assert storage.get_backfills(cursor="unknown") == []

    def test_large_plan_round_trips(self, storage: Storage) -> None:
        keys = tuple(AssetKey(f"asset_{i:02d}") for i in range(50))
        requests = tuple(
            BackfillRunRequest(asset_keys=keys, partition_keys=(f"p{i:04d}",), depends_on=(i,))
            for i in range(1_000)
        )
        storage.add_backfill(_backfill("big", asset_selection=keys, run_requests=requests))
        stored = storage.get_backfill("big")
        assert stored is not None
        assert stored.run_requests == requests

    def test_wipe_deletes_backfills(self, storage: Storage) -> None:
        storage.add_backfill(_backfill("b1"))
        storage.wipe()
        assert storage.get_backfills() == []
