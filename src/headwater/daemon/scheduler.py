"""The ``scheduler`` loop: evaluates each RUNNING schedule when its cron ticks.

For every loaded code location, every schedule whose status is RUNNING (started with
``headwater schedule start``, or ``default_status=RUNNING`` and never stopped) is evaluated
for each cron tick (in its ``execution_timezone``) that passed since its last handled tick:

- a tick is stored (``STARTED``) before the location's code server evaluates it, then ends
  ``SUCCESS`` with the runs it queued, ``SKIPPED`` with the skip reason, or ``FAILURE`` with the
  error and the user's traceback;
- each requested run has a run key derived from the schedule name and the tick time, claimed
  once (:mod:`headwater.daemon.instigator_runs`): a daemon killed mid-tick evaluates the tick
  again on restart and launches only the runs not yet launched;
- after downtime, at most ``daemon.max_catchup_runs`` (default 1) of the missed ticks, the
  latest, are evaluated; the others are logged and passed over;
- a schedule that was never ticked starts counting at the moment it is first seen running,
  so starting a schedule never launches runs for its past ticks.

Schedules are evaluated in a pool of ``daemon.sensor_workers`` threads, each evaluation with the
``daemon.sensor_timeout_seconds`` timeout, one evaluation per schedule at a time, so a schedule
that hangs fails its tick at the timeout and holds up no other.

The loop wakes every :data:`WAKE_SECONDS` but reads the schedules (code server snapshots and
stored states) only every :data:`REFRESH_SECONDS` or when a tick is due, so a tick is evaluated
within a few tens of milliseconds of its time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from headwater.daemon.cron import cron_ticks, next_cron_tick
from headwater.daemon.instigator_runs import job_for_request, launch_request
from headwater.daemon.locations import CodeLocations, loaded_locations
from headwater.daemon.loop import DaemonLoop
from headwater.daemon.tick_errors import describe_error
from headwater.errors import HeadwaterError
from headwater.orchestration.run_tags import SCHEDULED_EXECUTION_TIME_TAG
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
    TickStatus,
)

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.orchestration.code_server_client import CodeServerClient
    from headwater.orchestration.definitions_snapshot import ScheduleSnapshot

logger = logging.getLogger("headwater.daemon.scheduler")

#: Seconds between two looks at the clock.
WAKE_SECONDS = 0.05
#: Seconds between two reads of the schedules (to see new, started and stopped ones).
REFRESH_SECONDS = 1.0


class SchedulerLoop(DaemonLoop):
    """Evaluate the RUNNING schedules of the daemon's code locations at their cron ticks.

    Args:
        instance: the instance (ticks, states and runs are stored there).
        locations: the daemon's code locations.
        clock: the current time in epoch seconds (tests pass a fixed one).
        wait: whether :meth:`run_once` waits for the evaluations it started (tests).

    Example:
        >>> # loop = SchedulerLoop(instance, manager, clock=lambda: 1_700_000_000.0, wait=True)
        >>> # loop.run_once()   # evaluates every tick due at that time
    """

    name = "scheduler"
    interval_seconds = WAKE_SECONDS

    def __init__(
        self,
        instance: Instance,
        locations: CodeLocations,
        *,
        clock: Callable[[], float] = time.time,
        wait: bool = False,
    ) -> None:
        self.instance = instance
        self.locations = locations
        self.clock = clock
        config = instance.config.daemon
        self.max_catchup_runs = config.max_catchup_runs
        self.timeout = config.sensor_timeout_seconds
        self._next_due = -float("inf")
        self._refreshed = -float("inf")
        self.wait = wait
        self._pool = ThreadPoolExecutor(config.sensor_workers, thread_name_prefix="hw-schedule")
        self._lock = threading.Lock()
        self._running: dict[InstigatorId, Future[None]] = {}
        self._started: list[Future[None]] = []

    def run_once(self) -> None:
        """Evaluate every tick due now (or nothing, cheaply, when none is)."""
        now = self.clock()
        if now < self._next_due and time.monotonic() - self._refreshed < REFRESH_SECONDS:
            return
        self._refreshed = time.monotonic()
        states = {
            (s.instigator.location_name, s.instigator.name): s
            for s in self.instance.storage.get_instigator_states(InstigatorType.SCHEDULE)
        }
        next_due = float("inf")
        for location in loaded_locations(self.locations):
            client = self.locations.client(location)
            try:
                schedules = client.snapshot(timeout=self.timeout).schedules
            except HeadwaterError as exc:  # it died since: its supervisor restarts it
                logger.warning("Cannot read the schedules of location %r: %s", location, exc)
                continue
            for schedule in schedules:
                state = states.get((location, schedule.name))
                try:
                    due = self._schedule(client, location, schedule, state, now)
                except Exception:  # one schedule's trouble must not hold up the others
                    logger.exception("Schedule %r of location %r failed.", schedule.name, location)
                    continue
                next_due = min(next_due, due)
        self._next_due = next_due
        started, self._started = self._started, []
        if self.wait:
            for future in started:
                future.result()

    def _schedule(
        self,
        client: CodeServerClient,
        location: str,
        schedule: ScheduleSnapshot,
        state: InstigatorState | None,
        now: float,
    ) -> float:
        """Evaluate the due ticks of one schedule; when its next tick is (inf: never)."""
        instigator = InstigatorId(
            instigator_type=InstigatorType.SCHEDULE, location_name=location, name=schedule.name
        )
        status = (
            state.effective_status(schedule.default_status)
            if state is not None
            else InstigatorStatus(schedule.default_status)
        )
        if status is not InstigatorStatus.RUNNING:
            return float("inf")
        storage = self.instance.storage
        last = state.last_tick_timestamp if state is not None else None
        if last is None:  # first seen running: its past ticks are not caught up
            storage.update_instigator_state(instigator, last_tick_timestamp=now)
            return next_cron_tick(schedule.cron_schedule, schedule.execution_timezone, now)
        ticks, missed = cron_ticks(
            schedule.cron_schedule, schedule.execution_timezone, last, now,
            latest=self.max_catchup_runs,
        )  # fmt: skip
        if missed:
            logger.warning(
                "Schedule %r of location %r missed %d tick(s) while no daemon ran; "
                "evaluating the latest %d (daemon.max_catchup_runs).",
                schedule.name, location, missed + len(ticks), len(ticks),
            )  # fmt: skip
        if ticks or missed:
            self._submit(client, instigator, schedule, ticks, now)
        return next_cron_tick(schedule.cron_schedule, schedule.execution_timezone, now)

    def _submit(
        self,
        client: CodeServerClient,
        instigator: InstigatorId,
        schedule: ScheduleSnapshot,
        ticks: list[float],
        now: float,
    ) -> None:
        """Evaluate ``ticks`` in the pool, unless the schedule's earlier ticks still are."""
        with self._lock:
            if instigator in self._running:
                return

            def work() -> None:
                storage = self.instance.storage
                try:
                    for tick_time in ticks:
                        self._evaluate(client, instigator, schedule, tick_time)
                        storage.update_instigator_state(instigator, last_tick_timestamp=tick_time)
                    if not ticks:  # max_catchup_runs: 0
                        storage.update_instigator_state(instigator, last_tick_timestamp=now)
                except Exception:  # storage trouble: logged, the tick is tried again
                    logger.exception("Schedule %r: its tick could not be recorded.",
                                     schedule.name)  # fmt: skip
                finally:
                    with self._lock:
                        self._running.pop(instigator, None)
                    self._next_due = -float("inf")

            future = self._pool.submit(work)
            self._running[instigator] = future
            self._started.append(future)

    def close(self) -> None:
        """Stop handing out work (evaluations still running are abandoned)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _evaluate(
        self,
        client: CodeServerClient,
        instigator: InstigatorId,
        schedule: ScheduleSnapshot,
        tick_time: float,
    ) -> InstigatorTick:
        """Evaluate one tick (or finish it: a tick left STARTED by a killed daemon)."""
        storage = self.instance.storage
        latest = storage.get_ticks(instigator, limit=1)
        if latest and latest[0].timestamp == tick_time:
            if latest[0].status is not TickStatus.STARTED:
                return latest[0]  # done before the daemon stopped; only the state was behind
            tick = latest[0]
        else:
            tick = storage.add_tick(InstigatorTick(instigator=instigator, timestamp=tick_time))
        moment = datetime.fromtimestamp(tick_time, ZoneInfo(schedule.execution_timezone or "UTC"))
        run_ids: list[str] = []
        run_keys: list[str] = []
        try:
            evaluation = client.evaluate_schedule_tick(
                schedule.name, moment, instance_home=self.instance.root_directory,
                timeout=self.timeout,
            )  # fmt: skip
            what = f"Schedule {schedule.name!r}"
            for index, request in enumerate(evaluation.run_requests):
                key = schedule_run_key(schedule.name, moment, request.run_key, index)
                launched = launch_request(
                    self.instance, client, instigator, request,
                    job_name=job_for_request(request, [schedule.job_name], what), run_key=key,
                    tags={SCHEDULED_EXECUTION_TIME_TAG: moment.isoformat()}, timeout=self.timeout,
                )  # fmt: skip
                run_ids.append(launched.run_id)
                run_keys.append(key)
        except Exception as exc:
            done = replace(tick, status=TickStatus.FAILURE, error=describe_error(exc),
                           run_ids=tuple(run_ids), run_keys=tuple(run_keys))  # fmt: skip
            logger.warning("Schedule %r tick %s failed: %s", schedule.name, moment, exc)
        else:
            if run_ids:
                done = replace(tick, status=TickStatus.SUCCESS, run_ids=tuple(run_ids),
                               run_keys=tuple(run_keys))  # fmt: skip
            else:
                done = replace(tick, status=TickStatus.SKIPPED,
                               skip_reason=evaluation.skip_message)  # fmt: skip
        done = replace(done, end_timestamp=time.time())
        storage.update_tick(done)
        return done


def schedule_run_key(name: str, moment: datetime, run_key: str | None, index: int) -> str:
    """The run key of request ``index`` of a schedule's tick at ``moment``: the schedule's
    name and the tick's time, then the request's own run key (or its index).

    Example:
        >>> from datetime import datetime, timezone
        >>> schedule_run_key("nightly", datetime(2026, 1, 2, 3, tzinfo=timezone.utc), None, 0)
        'nightly:2026-01-02T03:00:00+00:00#0'
    """
    suffix = f":{run_key}" if run_key is not None else f"#{index}"
    return f"{name}:{moment.isoformat()}{suffix}"
