"""Retention on SQLite and PostgreSQL: vacuum deletes old runs and log events in batches and
keeps everything the asset index, partition status, data versions and check history read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.base import Storage
from headwater.storage.maintenance import RetentionPolicy
from headwater.storage.records import RunStatus
from headwater.testing._storage_helpers import make_event
from headwater.testing.storage_suite import make_run, materialization

DAY = 86_400.0
LATER = 100 * DAY  # vacuum as if 100 days had passed


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "sqlite":
        from headwater.storage.sqlite import SqliteStorage

        opened: Storage = SqliteStorage.from_path(tmp_path / "history.db")
    else:
        from headwater.storage.postgres import PostgresStorage

        opened = PostgresStorage.from_url(request.getfixturevalue("postgres_url"))
    try:
        yield opened
    finally:
        opened.dispose()


def _finished_run(storage: Storage, run_id: str, *, failed: bool = False, asset: str = "orders",
                  steps: int = 3) -> None:  # fmt: skip
    storage.add_run(make_run(run_id))
    events = [make_event(run_id, EventType.RUN_START)]
    for n in range(steps):
        key = f"step_{n}"
        events += [
            make_event(run_id, EventType.STEP_START, step_key=key),
            make_event(run_id, EventType.LOG_MESSAGE, step_key=key),
            make_event(run_id, EventType.STEP_SUCCESS, step_key=key),
        ]
    events.append(materialization(run_id, asset))
    events.append(make_event(run_id, EventType.RUN_FAILURE if failed else EventType.RUN_SUCCESS))
    storage.store_events(events)


def _types(storage: Storage, run_id: str) -> list[str]:
    return [r.event_log_entry.event_type.value for r in storage.get_logs_for_run(run_id)]


def test_event_log_retention_keeps_asset_history_and_run_events(storage: Storage) -> None:
    _finished_run(storage, "old")
    before = storage.get_latest_materialization_records([AssetKey("orders")])
    policy = RetentionPolicy(event_logs_days=30)

    dry = storage.vacuum(policy, now=time.time() + LATER, dry_run=True)
    assert dry.dry_run and dry.events_deleted == 9 and dry.runs_deleted == 0
    assert len(_types(storage, "old")) == 12

    report = storage.vacuum(policy, now=time.time() + LATER)
    assert report.events_deleted == 9 and report.batches >= 1
    assert _types(storage, "old") == ["RUN_START", "ASSET_MATERIALIZATION", "RUN_SUCCESS"]
    assert storage.get_latest_materialization_records([AssetKey("orders")]) == before
    assert storage.vacuum(policy, now=time.time() + LATER).events_deleted == 0  # idempotent


def test_recent_runs_are_untouched(storage: Storage) -> None:
    _finished_run(storage, "recent")
    report = storage.vacuum(RetentionPolicy(event_logs_days=30, runs_days=90))
    assert (report.runs_deleted, report.events_deleted) == (0, 0)
    assert len(_types(storage, "recent")) == 12


def test_run_retention_deletes_old_runs_but_not_those_the_index_names(storage: Storage) -> None:
    _finished_run(storage, "first", asset="orders")
    _finished_run(storage, "second", asset="orders")  # now the latest run of orders
    _finished_run(storage, "broken", failed=True, asset="customers")  # latest of customers
    _finished_run(storage, "failed_old", failed=True, asset="payments")
    _finished_run(storage, "payments_ok", asset="payments")
    storage.add_run_tags("first", {"team": "data"})
    history = [r.storage_id for r in storage.get_event_records(
        _filter(EventType.ASSET_MATERIALIZATION, "orders"))]  # fmt: skip

    report = storage.vacuum(RetentionPolicy(runs_days=90), now=time.time() + LATER)
    assert report.runs_deleted == 1
    assert storage.get_run_by_id("first") is None
    assert storage.get_runs_count() == 4
    assert [r.event_log_entry.event_type for r in storage.get_logs_for_run("first")] == [
        EventType.ASSET_MATERIALIZATION
    ]  # asset history stays, the run and its other events are gone
    assert [r.storage_id for r in storage.get_event_records(
        _filter(EventType.ASSET_MATERIALIZATION, "orders"))] == history  # fmt: skip
    assert storage.get_run_by_id("failed_old") is not None  # keep_failed

    report = storage.vacuum(
        RetentionPolicy(runs_days=90, keep_failed=False), now=time.time() + LATER
    )
    assert report.runs_deleted == 1 and storage.get_run_by_id("failed_old") is None
    assert storage.get_run_by_id("broken") is not None  # the index names it
    assert storage.get_asset_records([AssetKey("orders")])[0].asset_entry.last_run_id == "second"


def test_runs_in_progress_are_never_deleted(storage: Storage) -> None:
    storage.add_run(make_run("running"))
    storage.store_events([make_event("running", EventType.RUN_START)])
    report = storage.vacuum(
        RetentionPolicy(event_logs_days=1, runs_days=1), now=time.time() + LATER
    )
    assert report.runs_deleted == 0
    assert storage.get_run_by_id("running").status is RunStatus.STARTED  # type: ignore[union-attr]


def test_vacuum_deletes_in_bounded_batches(storage: Storage) -> None:
    _finished_run(storage, "big", steps=2000)
    report = storage.vacuum(RetentionPolicy(event_logs_days=1), now=time.time() + LATER)
    assert report.events_deleted == 6000
    assert report.batches >= 2
    assert _types(storage, "big") == ["RUN_START", "ASSET_MATERIALIZATION", "RUN_SUCCESS"]


def _filter(event_type: EventType, key: str):  # type: ignore[no-untyped-def]
    from headwater.storage.records import EventRecordsFilter

    return EventRecordsFilter(event_type=event_type, asset_key=AssetKey(key))


def test_a_time_limit_stops_a_vacuum_that_the_next_one_continues(storage: Storage) -> None:
    _finished_run(storage, "big", steps=50)
    policy = RetentionPolicy(event_logs_days=1)
    first = storage.vacuum(policy, now=time.time() + LATER, time_limit=0)
    assert not first.complete and first.events_deleted < 150
    second = storage.vacuum(policy, now=time.time() + LATER)
    assert second.complete and first.events_deleted + second.events_deleted == 150


def test_runs_of_a_backfill_that_may_be_resumed_are_kept(storage: Storage) -> None:
    from sqlalchemy import insert, update

    from headwater.storage.sql.schema import backfills

    engine = storage.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            insert(backfills).values(
                backfill_id="bf1", status="COMPLETED_FAILED", body="{}",
                create_timestamp=1.0, update_timestamp=1.0,
            )
        )  # fmt: skip
    _finished_run(storage, "of_backfill", asset="daily")
    _finished_run(storage, "later", asset="daily")  # the index names this one, not the first
    storage.add_run_tags("of_backfill", {"headwater/backfill": "bf1"})
    policy = RetentionPolicy(runs_days=90)
    assert storage.vacuum(policy, now=time.time() + LATER).runs_deleted == 0
    with engine.begin() as conn:
        conn.execute(update(backfills).values(status="COMPLETED_SUCCESS"))
    assert storage.vacuum(policy, now=time.time() + LATER).runs_deleted == 1
    assert storage.get_run_by_id("of_backfill") is None
