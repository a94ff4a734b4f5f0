"""The run_queue loop wakes on database changes (SQLite data_version), not only on its interval."""

from __future__ import annotations

from pathlib import Path

from headwater.daemon.run_queue import RunQueueLoop
from headwater.instance.instance import Instance
from headwater.storage.records import RunStatus
from headwater.storage.sqlite import SqliteStorage
from headwater.testing.storage_suite import make_run


def test_data_version_changes_with_commits_of_other_connections(tmp_path: Path) -> None:
    with (
        SqliteStorage.from_path(tmp_path / "h.db") as watcher,
        SqliteStorage.from_path(tmp_path / "h.db") as writer,
    ):
        first = watcher.data_version()
        assert first is not None and watcher.data_version() == first
        writer.add_run(make_run("r"))
        assert watcher.data_version() != first
    with SqliteStorage.in_memory() as memory:
        assert memory.data_version() is None


def test_a_queued_run_is_dequeued_at_the_next_change_not_the_next_interval(
    tmp_path: Path,
) -> None:
    (tmp_path / "headwater.yaml").write_text("run_queue: {dequeue_interval_seconds: 3600}\n")
    launched: list[str] = []
    with Instance.from_path(tmp_path) as instance, Instance.from_path(tmp_path) as other:
        loop = RunQueueLoop(instance, launch=lambda inst, run_id: launched.append(run_id))
        assert loop.interval_seconds < 0.1  # it looks at the change counter often
        loop.run_once()  # the first tick always dequeues (nothing queued yet)
        loop.run_once()
        assert launched == []
        other.create_run(job_name="job", run_id="new", status=RunStatus.QUEUED)
        loop._last -= 1.0  # as if the minimum gap between two dequeues had passed
        loop.run_once()
        assert launched == ["new"]
