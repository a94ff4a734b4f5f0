"""Conformance tests of run storage (mixed into :class:`StorageConformanceSuite`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from headwater.errors import RunNotFoundError, StorageError
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.base import Storage
from headwater.storage.records import Run, RunsFilter, RunStatus
from headwater.testing._storage_helpers import make_event, make_run, materialization


def _ids(runs: list[Run]) -> list[str]:
    return [run.run_id for run in runs]


class RunStorageTests:
    """Runs: storing, filtering, paging, tags, status lifecycle, deletion."""

    def test_added_run_round_trips_every_field(self, storage: Storage) -> None:
        run = Run(
            run_id="r1",
            job_name="etl",
            status=RunStatus.QUEUED,
            tags={"team": "data", "headwater/priority": "5"},
            run_config={"ops": {"orders": {"config": {"limit": 10}}}},
            asset_selection=frozenset({AssetKey(["a", "b"]), AssetKey("c")}),
            parent_run_id="r0",
            root_run_id="r0",
        )
        storage.add_run(run)
        assert storage.get_run_by_id("r1") == run
        assert storage.get_run_by_id("missing") is None

    def test_adding_a_run_id_twice_raises_storage_error(self, storage: Storage) -> None:
        storage.add_run(make_run("dup"))
        with pytest.raises(StorageError, match="already exists"):
            storage.add_run(make_run("dup"))
        assert storage.get_runs_count() == 1

    def test_runs_are_newest_first_unless_ascending(self, storage: Storage) -> None:
        for run_id in ("a", "b", "c"):
            storage.add_run(make_run(run_id))
        assert _ids(storage.get_runs()) == ["c", "b", "a"]
        assert _ids(storage.get_runs(ascending=True)) == ["a", "b", "c"]
        assert _ids(storage.get_runs(limit=2)) == ["c", "b"]

    def test_run_cursor_continues_after_the_given_run(self, storage: Storage) -> None:
        for run_id in ("a", "b", "c", "d"):
            storage.add_run(make_run(run_id))
        assert _ids(storage.get_runs(cursor="c", limit=2)) == ["b", "a"]
        assert _ids(storage.get_runs(cursor="b", ascending=True)) == ["c", "d"]
        assert [r.run.run_id for r in storage.get_run_records(cursor="c")] == ["b", "a"]

    def test_runs_filter_by_status_job_and_ids(self, storage: Storage) -> None:
        storage.add_run(make_run("a", job_name="etl", status=RunStatus.SUCCESS))
        storage.add_run(make_run("b", job_name="etl", status=RunStatus.FAILURE))
        storage.add_run(make_run("c", job_name="report", status=RunStatus.SUCCESS))
        by_status = RunsFilter(statuses=[RunStatus.SUCCESS])
        assert _ids(storage.get_runs(by_status)) == ["c", "a"]
        assert _ids(storage.get_runs(RunsFilter(job_name="etl"))) == ["b", "a"]
        both = RunsFilter(job_name="etl", statuses=[RunStatus.SUCCESS, RunStatus.STARTED])
        assert _ids(storage.get_runs(both)) == ["a"]
        assert _ids(storage.get_runs(RunsFilter(run_ids=["c", "a", "zz"]))) == ["c", "a"]
        assert storage.get_runs(RunsFilter(run_ids=[])) == []
        assert storage.get_runs_count(RunsFilter(job_name="etl")) == 2

    def test_runs_filter_by_tags_requires_every_tag(self, storage: Storage) -> None:
        storage.add_run(make_run("a", tags={"team": "data", "env": "prod"}))
        storage.add_run(make_run("b", tags={"team": "data", "env": "dev"}))
        storage.add_run(make_run("c", tags={"team": "web"}))
        assert _ids(storage.get_runs(RunsFilter(tags={"team": "data"}))) == ["b", "a"]
        both = RunsFilter(tags={"team": "data", "env": "prod"})
        assert _ids(storage.get_runs(both)) == ["a"]
        any_of = RunsFilter(tags={"env": ["prod", "dev"]})
        assert _ids(storage.get_runs(any_of)) == ["b", "a"]
        assert storage.get_runs_count(RunsFilter(tags={"team": "none"})) == 0

    def test_runs_filter_by_creation_time(self, storage: Storage) -> None:
        storage.add_run(make_run("old"))
        time.sleep(0.01)
        middle = time.time()
        time.sleep(0.01)
        storage.add_run(make_run("new"))
        assert _ids(storage.get_runs(RunsFilter(created_after=middle))) == ["new"]
        assert _ids(storage.get_runs(RunsFilter(created_before=middle))) == ["old"]
        as_datetime = datetime.fromtimestamp(middle, tz=UTC)
        assert _ids(storage.get_runs(RunsFilter(created_after=as_datetime))) == ["new"]

    def test_run_tags_are_merged_and_filterable(self, storage: Storage) -> None:
        storage.add_run(make_run("a", tags={"team": "data", "env": "dev"}))
        storage.add_run_tags("a", {"env": "prod", "owner": "ana"})
        run = storage.get_run_by_id("a")
        assert run is not None
        assert dict(run.tags) == {"team": "data", "env": "prod", "owner": "ana"}
        assert _ids(storage.get_runs(RunsFilter(tags={"env": "prod"}))) == ["a"]
        assert storage.get_runs(RunsFilter(tags={"env": "dev"})) == []

    def test_tagging_an_unknown_run_raises(self, storage: Storage) -> None:
        with pytest.raises(RunNotFoundError):
            storage.add_run_tags("missing", {"a": "b"})

    def test_run_events_move_the_status_and_record_times(self, storage: Storage) -> None:
        storage.add_run(make_run("r", status=RunStatus.QUEUED))
        lifecycle = [
            (EventType.RUN_DEQUEUED, RunStatus.NOT_STARTED),
            (EventType.RUN_STARTING, RunStatus.STARTING),
            (EventType.RUN_START, RunStatus.STARTED),
            (EventType.RUN_CANCELING, RunStatus.CANCELING),
            (EventType.RUN_CANCELED, RunStatus.CANCELED),
        ]
        for offset, (event_type, status) in enumerate(lifecycle):
            storage.store_events([make_event("r", event_type, timestamp=100.0 + offset)])
            run = storage.get_run_by_id("r")
            assert run is not None and run.status is status
        (record,) = storage.get_run_records()
        assert (record.start_time, record.end_time) == (102.0, 104.0)
        assert record.update_timestamp >= record.create_timestamp

    def test_status_follows_the_last_run_event_of_a_batch(self, storage: Storage) -> None:
        storage.add_run(make_run("ok"))
        storage.add_run(make_run("bad"))
        storage.store_events(
            [
                make_event("ok", EventType.RUN_ENQUEUED),
                make_event("ok", EventType.RUN_START),
                make_event("bad", EventType.RUN_START),
                make_event("ok", EventType.RUN_SUCCESS),
                make_event("bad", EventType.RUN_FAILURE),
            ]
        )
        statuses = {r.run_id: r.status for r in storage.get_runs()}
        assert statuses == {"ok": RunStatus.SUCCESS, "bad": RunStatus.FAILURE}
        assert storage.get_runs_count(RunsFilter(statuses=[RunStatus.FAILURE])) == 1

    def test_run_records_order_by_start_time(self, storage: Storage) -> None:
        for run_id, started in (("a", 30.0), ("b", 10.0), ("c", None)):
            storage.add_run(make_run(run_id))
            if started is not None:
                storage.store_events([make_event(run_id, EventType.RUN_START, timestamp=started)])
        records = storage.get_run_records(order_by="start_time")
        assert [r.run.run_id for r in records] == ["a", "b", "c"]
        records = storage.get_run_records(order_by="start_time", ascending=True, cursor="c")
        assert [r.run.run_id for r in records] == ["b", "a"]
        with pytest.raises(StorageError, match="order runs by"):
            storage.get_run_records(order_by="job_name; drop table runs")

    def test_deleting_a_run_removes_its_tags_and_events(self, storage: Storage) -> None:
        storage.add_run(make_run("a", tags={"team": "data"}))
        storage.add_run(make_run("b", tags={"team": "data"}))
        storage.store_events(
            [make_event("a", EventType.RUN_START), make_event("b", EventType.RUN_START)]
        )
        storage.delete_run("a")
        assert storage.get_run_by_id("a") is None
        assert storage.get_logs_for_run("a") == []
        assert _ids(storage.get_runs(RunsFilter(tags={"team": "data"}))) == ["b"]
        assert len(storage.get_logs_for_run("b")) == 1

    def test_deleting_a_run_rolls_the_asset_index_back(self, storage: Storage) -> None:
        storage.add_run(make_run("first"))
        storage.add_run(make_run("second"))
        storage.store_events([materialization("first", "orders", partition="p1", rows=1)])
        storage.store_events([materialization("second", "orders", partition="p2", rows=2)])
        storage.delete_run("second")
        key = AssetKey("orders")
        latest = storage.get_latest_materialization_records([key])[key]
        assert latest.run_id == "first"
        assert storage.get_materialized_partitions(key) == {"p1"}
        (record,) = storage.get_asset_records([key])
        assert record.last_run_id == "first"
        storage.delete_run("first")
        assert storage.get_asset_records([key]) == []
        assert storage.get_asset_keys() == []

    def test_long_run_id_lists_are_accepted(self, storage: Storage) -> None:
        for run_id in ("a", "b"):
            storage.add_run(make_run(run_id))
        wanted = [f"missing-{i}" for i in range(5000)] + ["b"]
        assert _ids(storage.get_runs(RunsFilter(run_ids=wanted))) == ["b"]
        assert storage.get_runs_count(RunsFilter(run_ids=wanted)) == 1
