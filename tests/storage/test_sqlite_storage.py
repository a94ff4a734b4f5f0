"""SQLite storage: the conformance suite on a file and in memory, plus SQLite specifics."""

from __future__ import annotations

import pickle
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from headwater import (
    AssetKey,
    EventLogRecord,
    EventRecordsFilter,
    EventType,
    RunsFilter,
    RunStatus,
    StorageError,
)
from headwater.storage.sql import dialect, sqlite_hot_path
from headwater.storage.sqlite import SqliteStorage
from headwater.testing.storage_suite import (
    StorageConformanceSuite,
    make_event,
    make_run,
    materialization,
)


class TestSqliteFileStorage(StorageConformanceSuite):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> Iterator[SqliteStorage]:
        with SqliteStorage.from_path(tmp_path / "history.db") as storage:
            yield storage


class TestSqliteMemoryStorage(StorageConformanceSuite):
    @pytest.fixture
    def storage(self) -> Iterator[SqliteStorage]:
        with SqliteStorage.in_memory() as storage:
            yield storage


@pytest.fixture
def file_storage(tmp_path: Path) -> Iterator[SqliteStorage]:
    with SqliteStorage.from_path(tmp_path / "nested" / "history.db") as storage:
        yield storage


def test_file_is_opened_in_wal_mode_with_foreign_keys(file_storage: SqliteStorage) -> None:
    with file_storage.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000


def test_history_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with SqliteStorage.from_path(path) as storage:
        storage.add_run(make_run("r"))
        storage.store_events([materialization("r", "orders")])
    with SqliteStorage.from_path(path) as storage:
        assert storage.get_run_by_id("r") is not None
        assert storage.get_asset_keys() == [AssetKey("orders")]


def test_failure_after_the_insert_rolls_back_the_whole_batch(
    file_storage: SqliteStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_storage.add_run(make_run("r"))

    def broken_index(*args: object) -> None:
        raise RuntimeError("index update failed")

    monkeypatch.setattr(sqlite_hot_path.rows, "index_rows", broken_index)
    with pytest.raises(RuntimeError, match="index update failed"):
        file_storage.store_events(
            [make_event("r", EventType.RUN_START), materialization("r", "orders")]
        )
    monkeypatch.undo()
    assert file_storage.get_logs_for_run("r") == []
    run = file_storage.get_run_by_id("r")
    assert run is not None and run.status is RunStatus.NOT_STARTED
    ids = file_storage.store_events([make_event("r", EventType.RUN_START)])
    assert [r.storage_id for r in file_storage.get_logs_for_run("r")] == ids


def test_storage_ids_are_never_reused_after_deletion(file_storage: SqliteStorage) -> None:
    (first,) = file_storage.store_events([make_event("a", EventType.RUN_START)])
    file_storage.delete_run("a")
    (second,) = file_storage.store_events([make_event("b", EventType.RUN_START)])
    assert second > first


def test_in_lists_longer_than_the_parameter_limit_are_chunked(
    file_storage: SqliteStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialect, "_SQLITE_MAX_PARAMS", 4)
    for run_id in ("a", "b", "c", "d", "e"):
        file_storage.add_run(make_run(run_id))
    file_storage.store_events(
        [materialization(r, "orders", partition=f"p{i}") for i, r in enumerate("abcde")]
    )
    every = RunsFilter(run_ids=["e", "x", "d", "c", "b", "a", "y", "z"])
    assert [r.run_id for r in file_storage.get_runs(every, limit=3)] == ["e", "d", "c"]
    assert [r.run_id for r in file_storage.get_runs(every, ascending=True)] == list("abcde")
    assert file_storage.get_runs_count(every) == 5
    records_filter = EventRecordsFilter(
        event_type=EventType.ASSET_MATERIALIZATION,
        run_ids=["a", "b", "c", "d", "e"],
        asset_partitions=["p0", "p1", "p2", "p3", "p4", "p9"],
    )
    records = file_storage.get_event_records(records_filter, limit=4)
    assert [r.run_id for r in records] == ["e", "d", "c", "b"]


def test_records_decode_lazily_and_behave_as_plain_records(file_storage: SqliteStorage) -> None:
    (storage_id,) = file_storage.store_events([materialization("r", "orders", rows=3)])
    (stored,) = file_storage.get_logs_for_run("r")
    plain = EventLogRecord(storage_id=storage_id, event_log_entry=stored.event_log_entry)
    assert stored == plain and plain == stored
    copied = pickle.loads(pickle.dumps(stored))
    assert copied == plain and type(copied) is EventLogRecord
    assert repr(stored) == repr(plain)


def test_a_database_from_a_newer_headwater_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with SqliteStorage.from_path(path) as storage, storage.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StorageError, match="newer headwater"):
        SqliteStorage.from_path(path)


def test_concurrent_writers_on_one_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    SqliteStorage.from_path(path).dispose()
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with SqliteStorage.from_path(path) as storage:
                for _ in range(20):
                    storage.store_events(
                        [
                            make_event(f"r{writer}", EventType.STEP_START),
                            materialization(f"r{writer}", "shared"),
                        ]
                    )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with SqliteStorage.from_path(path) as storage:
        logs = [r for n in range(4) for r in storage.get_logs_for_run(f"r{n}")]
        assert len(logs) == 160 and len({r.storage_id for r in logs}) == 160
        newest = max(r.storage_id for r in logs if r.asset_key == AssetKey("shared"))
        latest = storage.get_latest_materialization_records([AssetKey("shared")])
        assert latest[AssetKey("shared")].storage_id == newest


def test_threads_sharing_an_in_memory_storage_lose_nothing() -> None:
    with SqliteStorage.in_memory() as storage:
        errors: list[BaseException] = []

        def write(writer: int) -> None:
            try:
                for _ in range(20):
                    storage.store_events([make_event(f"r{writer}", EventType.STEP_START)] * 3)
                    storage.get_logs_for_run(f"r{writer}")
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert [len(storage.get_logs_for_run(f"r{n}")) for n in range(4)] == [60] * 4


@pytest.mark.skipif(
    not hasattr(sqlite3, "SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE"), reason="needs Python >= 3.12"
)
def test_closing_leaves_the_wal_for_the_next_process_instead_of_checkpointing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.db"
    with SqliteStorage.from_path(path) as storage:
        storage.add_run(make_run("r"))
        storage.store_events([materialization("r", "orders")])
    assert (tmp_path / "history.db-wal").stat().st_size > 0
    with SqliteStorage.from_path(path) as storage:
        assert storage.get_asset_keys() == [AssetKey("orders")]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork()")
def test_a_forked_child_opens_its_own_connections(file_storage: SqliteStorage) -> None:
    import os

    file_storage.add_run(make_run("parent"))  # leaves an idle connection in the pool
    parent_connections = {id(c) for c in file_storage._connections._idle}
    child = os.fork()
    if child == 0:  # the child: store through the storage, report whether it reused a connection
        try:
            with file_storage._connections.connection() as conn:
                reused = id(conn) in parent_connections
            file_storage.add_run(make_run("child"))
            os._exit(1 if reused else 0)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert file_storage.get_run_by_id("child") is not None
