"""The scheduler loop on real code servers and real SQLite, with a frozen clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from location_helpers import served_location

from headwater import Instance
from headwater.daemon.scheduler import SchedulerLoop, schedule_run_key
from headwater.orchestration.run_tags import RUN_KEY_TAG, SCHEDULE_NAME_TAG
from headwater.orchestration.workspace_manager import WorkspaceManager
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorStatus,
    InstigatorType,
    TickStatus,
)
from headwater.storage.records import RunStatus

DEFS = """
from headwater import (DailyPartitionsDefinition, DefaultScheduleStatus, Definitions,
                       RunRequest, ScheduleDefinition, SkipReason, asset,
                       build_schedule_from_partitioned_job, define_asset_job, schedule)

@asset
def one() -> int:
    return 1

one_job = define_asset_job("one_job", selection=[one])

every_minute = ScheduleDefinition(name="every_minute", job=one_job, cron_schedule="* * * * *",
                                  default_status=DefaultScheduleStatus.RUNNING,
                                  tags={"team": "data"})

@schedule(cron_schedule="* * * * *", job=one_job)
def odd_minutes(context):
    minute = context.scheduled_execution_time.minute
    if minute % 2 == 0:
        return SkipReason(f"minute {minute} is even")
    return RunRequest(tags={"minute": str(minute)})

@schedule(cron_schedule="*/5 * * * *", job=one_job, execution_timezone="Europe/Paris")
def broken(context):
    raise ValueError("no warehouse today")

@schedule(cron_schedule="* * * * *", job=one_job)
def bad_return(context):
    return 42

@schedule(cron_schedule="* * * * *", job=one_job)
def hangs(context):
    import time
    time.sleep(30)

days = DailyPartitionsDefinition(start_date="2026-01-01")

@asset(partitions_def=days)
def daily_orders() -> int:
    return 1

daily_job = define_asset_job("daily_job", selection=[daily_orders], partitions_def=days)
daily = build_schedule_from_partitioned_job(daily_job)

defs = Definitions(assets=[one, daily_orders], jobs=[one_job, daily_job],
                   schedules=[every_minute, odd_minutes, broken, bad_return, daily, hangs])
"""

#: 2026-12-06 10:00:10 UTC: ten seconds past a minute.
T0 = datetime(2026, 12, 6, 10, 0, 10, tzinfo=UTC).timestamp()


def _id(name: str) -> InstigatorId:
    return InstigatorId(instigator_type=InstigatorType.SCHEDULE, location_name="defs", name=name)


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkspaceManager]:
    with served_location(tmp_path_factory.mktemp("project"), DEFS) as manager:
        yield manager


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    home = tmp_path / "home"
    home.mkdir()
    with Instance.from_path(home) as instance:
        yield instance


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _loop(instance: Instance, manager: WorkspaceManager, clock: Clock) -> SchedulerLoop:
    loop = SchedulerLoop(instance, manager, clock=clock, wait=True)
    original = loop.run_once

    def run_once() -> None:  # every call re-reads the schedules (no 1 s refresh wait)
        loop._next_due = -float("inf")
        original()

    loop.run_once = run_once  # type: ignore[method-assign]
    return loop


def _schedule_runs(instance: Instance, name: str) -> list:
    return [r for r in instance.get_runs() if r.tags.get(SCHEDULE_NAME_TAG) == name]


def test_a_running_schedule_queues_one_run_per_cron_tick(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(T0)
    loop = _loop(instance, manager, clock)
    loop.run_once()  # first seen: its past ticks are not caught up
    assert _schedule_runs(instance, "every_minute") == []
    clock.now = T0 + 60  # the 10:01 tick passed
    loop.run_once()
    loop.run_once()  # the same time again: nothing new
    (run,) = _schedule_runs(instance, "every_minute")
    assert run.status is RunStatus.QUEUED and run.job_name == "one_job"
    assert run.tags["team"] == "data"
    assert run.tags[RUN_KEY_TAG] == "every_minute:2026-12-06T10:01:00+00:00#0"
    (tick,) = instance.storage.get_ticks(_id("every_minute"))
    assert (tick.status, tick.run_ids) == (TickStatus.SUCCESS, (run.run_id,))
    assert tick.timestamp == T0 + 50 and tick.end_timestamp is not None
    state = instance.storage.get_instigator_state(_id("every_minute"))
    assert state is not None and state.last_tick_timestamp == T0 + 50


def test_a_stopped_schedule_does_not_tick_until_started(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(T0)
    loop = _loop(instance, manager, clock)
    loop.run_once()
    clock.now = T0 + 120
    loop.run_once()
    assert instance.storage.get_ticks(_id("odd_minutes")) == []
    instance.storage.update_instigator_state(
        _id("odd_minutes"), status=InstigatorStatus.RUNNING, last_tick_timestamp=clock.now
    )
    clock.now = T0 + 180  # 10:03, odd
    loop.run_once()
    clock.now = T0 + 240  # 10:04, even
    loop.run_once()
    skipped, success = instance.storage.get_ticks(_id("odd_minutes"))
    assert success.status is TickStatus.SUCCESS and len(success.run_ids) == 1
    assert skipped.status is TickStatus.SKIPPED
    assert skipped.skip_reason == "minute 4 is even"
    (run,) = _schedule_runs(instance, "odd_minutes")
    assert run.tags["minute"] == "3"


def test_after_downtime_only_max_catchup_runs_ticks_are_evaluated(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(T0)
    loop = _loop(instance, manager, clock)
    loop.run_once()
    clock.now = T0 + 10 * 60  # ten ticks missed
    loop.run_once()
    (run,) = _schedule_runs(instance, "every_minute")
    assert run.tags[RUN_KEY_TAG] == "every_minute:2026-12-06T10:10:00+00:00#0"

    loop.max_catchup_runs = 3
    clock.now = T0 + 20 * 60
    loop.run_once()
    keys = sorted(r.tags[RUN_KEY_TAG] for r in _schedule_runs(instance, "every_minute"))
    assert keys[1:] == [f"every_minute:2026-12-06T10:{m}:00+00:00#0" for m in (18, 19, 20)]


def test_a_tick_interrupted_mid_way_launches_no_run_twice(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(T0)
    loop = _loop(instance, manager, clock)
    loop.run_once()
    clock.now = T0 + 60
    loop.run_once()
    (first,) = _schedule_runs(instance, "every_minute")
    (tick,) = instance.storage.get_ticks(_id("every_minute"))
    # as if the daemon died after queuing the run, before ending the tick and saving the state
    from dataclasses import replace

    instance.storage.update_tick(replace(tick, status=TickStatus.STARTED, run_ids=()))
    instance.storage.update_instigator_state(_id("every_minute"), last_tick_timestamp=T0)
    # and died for the 10:02 tick after claiming its run key, before the run was created
    moment = datetime(2026, 12, 6, 10, 2, tzinfo=UTC)
    key = schedule_run_key("every_minute", moment, None, 0)
    instance.storage.claim_run_key(_id("every_minute"), key, "claimed-before-the-crash")

    clock.now = T0 + 120
    loop.max_catchup_runs = 5
    loop.run_once()
    runs = _schedule_runs(instance, "every_minute")
    assert sorted(r.run_id for r in runs) == sorted([first.run_id, "claimed-before-the-crash"])
    ticks = instance.storage.get_ticks(_id("every_minute"))
    assert [t.status for t in ticks] == [TickStatus.SUCCESS, TickStatus.SUCCESS]
    assert ticks[1].tick_id == tick.tick_id and ticks[1].run_ids == (first.run_id,)
    assert ticks[0].run_ids == ("claimed-before-the-crash",)


def test_a_schedule_that_raises_fails_its_tick_with_the_user_traceback(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(T0)
    loop = _loop(instance, manager, clock)
    for name in ("broken", "bad_return"):
        instance.storage.update_instigator_state(
            _id(name), status=InstigatorStatus.RUNNING, last_tick_timestamp=T0
        )
    clock.now = T0 + 5 * 60
    loop.run_once()
    (tick,) = instance.storage.get_ticks(_id("broken"))
    assert tick.status is TickStatus.FAILURE and tick.run_ids == ()
    assert tick.error is not None
    assert "ValueError" in tick.error and "no warehouse today" in tick.error
    assert 'raise ValueError("no warehouse today")' in tick.error  # the user's line
    assert tick.timestamp == T0 + 290  # 10:05 UTC = 11:05 in Paris, on */5
    bad = instance.storage.get_ticks(_id("bad_return"))[0]
    assert bad.status is TickStatus.FAILURE
    assert bad.error is not None and "42 (a int)" in bad.error
    # the other schedules went on: the one seen for the first time starts counting now
    state = instance.storage.get_instigator_state(_id("every_minute"))
    assert state is not None and state.last_tick_timestamp == clock.now


def test_a_partitioned_schedule_runs_the_partition_of_its_tick(
    instance: Instance, manager: WorkspaceManager
) -> None:
    snapshot = manager.client("defs").snapshot()
    (daily,) = [s for s in snapshot.schedules if s.job_name == "daily_job"]
    # (in the past: a run of a partition whose day has not ended yet is refused)
    since = datetime(2026, 12, 4, 12, tzinfo=UTC).timestamp()
    instance.storage.update_instigator_state(
        _id(daily.name), status=InstigatorStatus.RUNNING, last_tick_timestamp=since
    )
    clock = Clock(datetime(2026, 12, 5, 0, 0, 10, tzinfo=UTC).timestamp())
    _loop(instance, manager, clock).run_once()
    (run,) = _schedule_runs(instance, daily.name)
    assert run.job_name == "daily_job" and run.tags["headwater/partition"] == "2026-12-04"
    (tick,) = instance.storage.get_ticks(_id(daily.name))
    assert tick.status is TickStatus.SUCCESS and tick.run_ids == (run.run_id,)


def test_a_hanging_schedule_fails_at_the_timeout_and_holds_up_no_other(
    tmp_path: Path, manager: WorkspaceManager
) -> None:
    home = tmp_path / "slow"
    home.mkdir()
    (home / "headwater.yaml").write_text("daemon: {sensor_timeout_seconds: 2}\n")
    with Instance.from_path(home) as instance:
        for name in ("hangs", "every_minute"):
            instance.storage.update_instigator_state(
                _id(name), status=InstigatorStatus.RUNNING, last_tick_timestamp=T0
            )
        loop = SchedulerLoop(instance, manager, clock=Clock(T0 + 60))
        try:
            loop.run_once()  # both start; it returns at once
            deadline = time.monotonic() + 30
            while not _schedule_runs(instance, "every_minute"):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert instance.storage.get_ticks(_id("hangs"))[0].status is TickStatus.STARTED
            while instance.storage.get_ticks(_id("hangs"))[0].status is TickStatus.STARTED:
                assert time.monotonic() < deadline
                time.sleep(0.1)
            tick = instance.storage.get_ticks(_id("hangs"))[0]
            assert tick.status is TickStatus.FAILURE
            assert tick.error is not None and "no answer within 2 s" in tick.error
        finally:
            loop.close()
