"""Conformance tests of what runs outside the calling process need from storage: run origins,
plan snapshots, claiming a run by a conditional status update, worker heartbeats."""

from __future__ import annotations

import threading

from headwater.events.types import EventType
from headwater.execution.plan.origin import CodeLocationOrigin, JobOrigin
from headwater.storage.base import Storage
from headwater.storage.records import Run, RunStatus, RunWorkerHeartbeat
from headwater.testing._storage_helpers import make_event, make_run


def _origin() -> JobOrigin:
    location = CodeLocationOrigin(
        file="/srv/defs.py",
        working_directory="/srv",
        python_executable="/usr/bin/python3",
        location_name="defs",
    )
    return JobOrigin(location=location, job_name="nightly")


class RunWorkerStorageTests:
    """Origins and snapshot ids on runs, snapshots, conditional status updates, heartbeats."""

    def test_run_origin_and_plan_snapshot_id_round_trip(self, storage: Storage) -> None:
        run = Run(
            run_id="r1", job_name="nightly", status=RunStatus.QUEUED,
            job_origin=_origin(), plan_snapshot_id="abc123",
        )  # fmt: skip
        storage.add_run(run)
        assert storage.get_run_by_id("r1") == run
        assert storage.get_runs()[0].job_origin == _origin()

    def test_snapshots_are_stored_once_by_id(self, storage: Storage) -> None:
        storage.add_snapshot("s1", "run_plan", '{"job_name":"a"}')
        storage.add_snapshot("s1", "run_plan", '{"job_name":"a"}')
        assert storage.get_snapshot("s1") == '{"job_name":"a"}'
        assert storage.get_snapshot("missing") is None

    def test_status_moves_only_from_an_expected_status(self, storage: Storage) -> None:
        storage.add_run(make_run("q", status=RunStatus.QUEUED))
        expected = [RunStatus.QUEUED, RunStatus.NOT_STARTED]
        assert storage.update_run_status_if("q", expected, RunStatus.STARTING)
        assert not storage.update_run_status_if("q", expected, RunStatus.STARTING)
        assert not storage.update_run_status_if("missing", expected, RunStatus.STARTING)
        stored = storage.get_run_by_id("q")
        assert stored is not None and stored.status is RunStatus.STARTING

    def test_event_is_stored_only_when_the_status_moved(self, storage: Storage) -> None:
        storage.add_run(make_run("q", status=RunStatus.QUEUED))
        event = make_event("q", EventType.RUN_STARTING)
        assert storage.update_run_status_if("q", RunStatus.QUEUED, RunStatus.STARTING, event=event)
        again = make_event("q", EventType.RUN_STARTING)
        assert not storage.update_run_status_if("q", RunStatus.QUEUED, RunStatus.STARTING,
                                                event=again)  # fmt: skip
        types = [r.event_log_entry.event_type for r in storage.get_logs_for_run("q")]
        assert types == [EventType.RUN_STARTING]

    def test_of_racing_claims_exactly_one_wins(self, storage: Storage) -> None:
        storage.add_run(make_run("q", status=RunStatus.QUEUED))
        wins: list[bool] = []
        barrier = threading.Barrier(4)

        def claim() -> None:
            barrier.wait()
            wins.append(storage.update_run_status_if("q", RunStatus.QUEUED, RunStatus.STARTING))

        threads = [threading.Thread(target=claim) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wins) == [False, False, False, True]

    def test_heartbeats_keep_the_latest_per_run(self, storage: Storage) -> None:
        for run_id in ("a", "b"):
            storage.add_run(make_run(run_id))
        storage.record_run_worker_heartbeat(
            RunWorkerHeartbeat(run_id="a", pid=10, hostname="h", timestamp=1.0)
        )
        latest = RunWorkerHeartbeat(run_id="a", pid=10, hostname="h", timestamp=2.5)
        storage.record_run_worker_heartbeat(latest)
        other = RunWorkerHeartbeat(run_id="b", pid=11, hostname="h", timestamp=3.0)
        storage.record_run_worker_heartbeat(other)
        assert storage.get_run_worker_heartbeats(["a"]) == {"a": latest}
        assert storage.get_run_worker_heartbeats() == {"a": latest, "b": other}
        assert storage.get_run_worker_heartbeats(["missing"]) == {}
        storage.delete_run("a")
        assert storage.get_run_worker_heartbeats() == {"b": other}
        storage.wipe()
        assert storage.get_run_worker_heartbeats() == {}
