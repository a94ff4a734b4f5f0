"""Live delivery of a run's events on SQLite and PostgreSQL: a follower wakes when another
connection stores events, without re-reading the event log while nothing happens."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from headwater.events.types import EventType
from headwater.storage.base import Storage
from headwater.testing._storage_helpers import make_event
from headwater.testing.storage_suite import make_run


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Storage, Storage]]:
    """Two storages on one database: the follower's and a writer's (as two processes)."""
    if request.param == "sqlite":
        from headwater.storage.sqlite import SqliteStorage

        path = tmp_path / "history.db"
        opened: list[Any] = [SqliteStorage.from_path(path), SqliteStorage.from_path(path)]
    else:
        from headwater.storage.postgres import PostgresStorage

        url = request.getfixturevalue("postgres_url")
        opened = [PostgresStorage.from_url(url), PostgresStorage.from_url(url)]
    try:
        yield opened[0], opened[1]
    finally:
        for storage in opened:
            storage.dispose()


def _later(delay: float, action: Any) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(delay), action()))
    thread.start()
    return thread


def test_a_waiting_follower_wakes_when_an_event_is_stored(pair: tuple[Storage, Storage]) -> None:
    follower, writer = pair
    writer.add_run(make_run("r"))
    (first,) = writer.store_events([make_event("r", EventType.RUN_START)])
    assert [r.storage_id for r in follower.wait_for_run_events("r", timeout=1)] == [first]

    stored: list[int] = []
    thread = _later(
        0.3, lambda: stored.extend(writer.store_events([make_event("r", EventType.STEP_START)]))
    )
    started = time.monotonic()
    found = follower.wait_for_run_events("r", cursor=first, timeout=10)
    waited = time.monotonic() - started
    thread.join()
    assert [r.storage_id for r in found] == stored
    assert 0.25 < waited < 1.5, waited


def test_waiting_reads_the_event_log_only_when_something_changed(
    pair: tuple[Storage, Storage], monkeypatch: pytest.MonkeyPatch
) -> None:
    follower, writer = pair
    writer.add_run(make_run("quiet"))
    reads = 0
    original = follower.get_logs_for_run

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal reads
        reads += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(follower, "get_logs_for_run", counting)
    assert follower.wait_for_run_events("quiet", timeout=1.5) == []
    assert reads <= 2, reads  # one read before waiting, at most one when the time is up


def test_following_yields_every_event_in_order_until_the_run_ends(
    pair: tuple[Storage, Storage],
) -> None:
    follower, writer = pair
    writer.add_run(make_run("r"))
    stored: list[int] = []

    def write() -> None:
        stored.extend(writer.store_events([make_event("r", EventType.RUN_START)]))
        for n in range(20):
            step = f"s{n}"
            batch = [
                make_event("r", t, step_key=step)
                for t in (EventType.STEP_START, EventType.STEP_SUCCESS)
            ]
            stored.extend(writer.store_events(batch))
            time.sleep(0.01)
        stored.extend(writer.store_events([make_event("r", EventType.RUN_SUCCESS)]))

    thread = _later(0.1, write)
    seen = [r.storage_id for r in follower.follow_run_events("r", idle_timeout=20)]
    thread.join()
    assert seen == stored and len(seen) == 42
    assert seen == sorted(seen)


def test_following_a_finished_run_returns_its_events_and_stops(
    pair: tuple[Storage, Storage],
) -> None:
    follower, writer = pair
    writer.add_run(make_run("done"))
    ids = writer.store_events(
        [make_event("done", EventType.RUN_START), make_event("done", EventType.RUN_SUCCESS)]
    )
    started = time.monotonic()
    assert [r.storage_id for r in follower.follow_run_events("done", cursor=ids[0])] == ids[1:]
    assert time.monotonic() - started < 1


def test_a_stop_event_ends_following(pair: tuple[Storage, Storage]) -> None:
    follower, writer = pair
    writer.add_run(make_run("long"))
    stop = threading.Event()
    thread = _later(0.2, stop.set)
    started = time.monotonic()
    assert list(follower.follow_run_events("long", stop=stop)) == []
    thread.join()
    assert time.monotonic() - started < 1


@pytest.mark.postgres
def test_postgres_data_version_moves_when_another_process_stores_events(
    postgres_url: str,
) -> None:
    from headwater.storage.postgres import PostgresStorage

    with (
        PostgresStorage.from_url(postgres_url) as watcher,
        PostgresStorage.from_url(postgres_url) as writer,
    ):
        before = watcher.data_version()
        assert watcher.data_version() == before  # nothing happened
        writer.add_run(make_run("queued"))
        writer.store_events([make_event("queued", EventType.RUN_ENQUEUED)])
        deadline = time.monotonic() + 2
        while watcher.data_version() == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watcher.data_version() != before
