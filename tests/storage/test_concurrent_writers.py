"""Concurrent run workers on one instance: no lost event, none out of order, no lock error
(the small version of benchmarks/load_concurrent_writers.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater.testing.load import run_concurrent_writers


def test_concurrent_run_workers_on_sqlite_lose_nothing(tmp_path: Path) -> None:
    result = run_concurrent_writers(tmp_path, workers=4, steps=60)
    assert result.errors == [] and result.locked_errors == 0
    assert result.runs_succeeded == 4
    assert result.lost_events == result.extra_events == result.misordered_runs == 0
    assert result.events_stored == result.events_emitted > 4 * 60


@pytest.mark.postgres
def test_concurrent_run_workers_on_postgres_lose_nothing(tmp_path: Path, postgres_url: str) -> None:
    (tmp_path / "headwater.yaml").write_text(
        f"storage:\n  postgres:\n    url: '{postgres_url}'\n    pool_size: 2\n"
    )
    result = run_concurrent_writers(tmp_path, workers=6, steps=40)
    assert result.errors == [] and result.locked_errors == 0
    assert result.runs_succeeded == 6
    assert result.lost_events == result.extra_events == result.misordered_runs == 0
    assert result.events_stored == result.events_emitted > 6 * 40


def test_a_writer_locked_out_past_the_busy_timeout_tries_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    import threading
    import time

    from headwater.events.types import EventType
    from headwater.storage import sqlite as sqlite_storage
    from headwater.testing._storage_helpers import make_event
    from headwater.testing.storage_suite import make_run

    monkeypatch.setattr(sqlite_storage, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "history.db"
    with sqlite_storage.SqliteStorage.from_path(path) as storage:
        storage.add_run(make_run("r"))
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for 250 ms
        releaser = threading.Timer(0.25, lambda: other.execute("COMMIT"))
        releaser.start()
        started = time.monotonic()
        ids = storage.store_events([make_event("r", EventType.RUN_START)])
        waited = time.monotonic() - started
        releaser.join()
        other.close()
        assert waited > 0.2  # it waited past one busy timeout, then tried again
        assert [r.storage_id for r in storage.get_logs_for_run("r")] == ids
