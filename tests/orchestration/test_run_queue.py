"""The run queue's choices, one dequeue at a time, on a real SQLite instance.

The launcher here claims the run exactly as the real one does (one conditional update,
QUEUED -> STARTING) and records the order; the real launcher and daemon processes are tested
in test_run_queue_daemon.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater import EventType, Instance, InvalidInvocationError, RunStatus
from headwater.instance.daemon_settings import RunQueueConfig, TagConcurrencyLimit
from headwater.instance.run_lifecycle import run_event
from headwater.orchestration.run_queue import RunQueue


class Claiming:
    """Claims like ``launch_run`` and records the launch order."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def __call__(self, instance: Instance, run_id: str) -> None:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        event = run_event(run, EventType.RUN_STARTING, "Launching a run worker.")
        if not instance.update_run_status_if(
            run_id, RunStatus.QUEUED, RunStatus.STARTING, event=event
        ):
            raise InvalidInvocationError(f"Run {run_id} was not launched: already claimed.")
        self.order.append(run_id)


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    with Instance.from_path(tmp_path / "home") as instance:
        yield instance


def _queue(instance: Instance, run_id: str, **tags: str) -> str:
    instance.create_run(job_name="job", run_id=run_id, tags=tags, status=RunStatus.QUEUED)
    return run_id


def _finish(instance: Instance, *run_ids: str) -> None:
    for run_id in run_ids:
        assert instance.update_run_status_if(run_id, RunStatus.STARTING, RunStatus.SUCCESS)


def test_higher_priority_first_then_oldest_first(instance: Instance) -> None:
    _queue(instance, "old-low", **{"headwater/priority": "-1"})
    _queue(instance, "old")
    _queue(instance, "dagster-high", **{"dagster/priority": "5"})
    _queue(instance, "new")
    _queue(instance, "high", **{"headwater/priority": "10"})
    _queue(instance, "bad-priority", **{"headwater/priority": "urgent"})  # counts as 0
    launch = Claiming()
    queue = RunQueue(instance, RunQueueConfig(max_concurrent_runs=-1), launch=launch)
    result = queue.dequeue()
    assert launch.order == ["high", "dagster-high", "old", "new", "bad-priority", "old-low"]
    assert result.launched == tuple(launch.order) and result.waiting == 0


def test_at_most_max_concurrent_runs_in_progress(instance: Instance) -> None:
    for i in range(5):
        _queue(instance, f"r{i}")
    launch = Claiming()
    queue = RunQueue(instance, RunQueueConfig(max_concurrent_runs=2), launch=launch)
    assert queue.dequeue().launched == ("r0", "r1")
    assert queue.dequeue().launched == ()  # both still in progress
    _finish(instance, "r0")
    result = queue.dequeue()
    assert result.launched == ("r2",) and result.waiting == 2


def test_zero_pauses_the_queue(instance: Instance) -> None:
    _queue(instance, "r")
    result = RunQueue(instance, RunQueueConfig(max_concurrent_runs=0), launch=Claiming()).dequeue()
    assert (result.launched, result.waiting) == ((), 1)


def test_tag_limits_hold_back_matching_runs_and_let_others_pass(instance: Instance) -> None:
    limits = (
        TagConcurrencyLimit(key="db", value="warehouse", limit=1),
        TagConcurrencyLimit(key="customer", per_unique_value=True, limit=1),
        TagConcurrencyLimit(key="team", limit=2),
    )
    _queue(instance, "w1", db="warehouse")
    _queue(instance, "w2", db="warehouse")
    _queue(instance, "lake", db="lake")  # another value: not limited
    _queue(instance, "acme1", customer="acme")
    _queue(instance, "acme2", customer="acme")
    _queue(instance, "globex", customer="globex")
    _queue(instance, "t1", team="a")
    _queue(instance, "t2", team="b")
    _queue(instance, "t3", team="c")  # the key, any value: at most 2
    launch = Claiming()
    queue = RunQueue(
        instance,
        RunQueueConfig(max_concurrent_runs=-1, tag_concurrency_limits=limits),
        launch=launch,
    )
    assert queue.dequeue().launched == ("w1", "lake", "acme1", "globex", "t1", "t2")
    _finish(instance, "w1", "acme1", "t1")
    assert queue.dequeue().launched == ("w2", "acme2", "t3")


def test_in_progress_runs_count_against_the_limits(instance: Instance) -> None:
    instance.create_run(job_name="job", run_id="running", tags={"db": "warehouse"},
                        status=RunStatus.STARTED)  # fmt: skip
    _queue(instance, "w", db="warehouse")
    _queue(instance, "other")
    launch = Claiming()
    config = RunQueueConfig(
        max_concurrent_runs=2,
        tag_concurrency_limits=(TagConcurrencyLimit(key="db", value="warehouse", limit=1),),
    )
    assert RunQueue(instance, config, launch=launch).dequeue().launched == ("other",)


def test_a_run_claimed_elsewhere_is_skipped_and_not_counted(instance: Instance) -> None:
    _queue(instance, "a")
    _queue(instance, "b")

    class Racing(Claiming):
        def __call__(self, instance: Instance, run_id: str) -> None:
            if run_id == "a":  # another daemon claims it first
                assert instance.update_run_status_if("a", RunStatus.QUEUED, RunStatus.STARTING)
            super().__call__(instance, run_id)

    launch = Racing()
    result = RunQueue(instance, RunQueueConfig(max_concurrent_runs=1), launch=launch).dequeue()
    assert result.launched == ("b",)  # "a" is in progress elsewhere; "b" took the free slot


def test_a_run_that_cannot_be_launched_fails_with_the_reason(instance: Instance) -> None:
    _queue(instance, "broken")

    def explode(instance: Instance, run_id: str) -> None:
        raise OSError("no such executable: /nowhere/python")

    result = RunQueue(instance, launch=explode).dequeue()
    assert result.launch_failed == ("broken",)
    run = instance.get_run_by_id("broken")
    assert run is not None and run.status is RunStatus.FAILURE
    messages = [e.message for e in instance.all_logs("broken", of_type=EventType.ENGINE_EVENT)]
    assert any("no such executable: /nowhere/python" in m for m in messages)


def test_a_run_without_origin_fails_under_the_real_launcher(instance: Instance) -> None:
    _queue(instance, "no-origin")
    assert RunQueue(instance).dequeue().launch_failed == ("no-origin",)
    failure = instance.all_logs("no-origin", of_type=EventType.RUN_FAILURE)
    assert "no code location origin" in failure[0].message


def test_two_queues_racing_start_each_run_once(instance: Instance, tmp_path: Path) -> None:
    for i in range(30):
        _queue(instance, f"r{i:02d}")
    with Instance.from_path(tmp_path / "home") as other:
        first, second = Claiming(), Claiming()
        config = RunQueueConfig(max_concurrent_runs=-1)
        a, b = RunQueue(instance, config, launch=first), RunQueue(other, config, launch=second)
        threads = [threading.Thread(target=q.dequeue) for q in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(first.order + second.order) == [f"r{i:02d}" for i in range(30)]
    for i in range(30):
        assert len(instance.all_logs(f"r{i:02d}", of_type=EventType.RUN_STARTING)) == 1
