"""The ``sensors`` loop: evaluates each RUNNING sensor every ``minimum_interval_seconds``.

Sensors are evaluated in parallel, in a pool of ``daemon.sensor_workers`` threads (default 8),
each evaluation in the location's code server with a timeout of
``daemon.sensor_timeout_seconds`` (default 60 s). The loop only hands out work: a sensor whose
previous evaluation is still running is not evaluated again meanwhile, and one that raises,
hangs (its tick fails at the timeout) or kills its code server (its tick fails with the reason;
the workspace manager restarts the server) holds up no other sensor and never stops the daemon.
One tick is :func:`~headwater.daemon.sensor_tick.run_sensor_tick`.

A sensor's interval counts from the start of its last tick, stored with its state, so a
restarted daemon keeps the intervals. Automation condition sensors are left to the automation
loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from headwater.daemon.locations import CodeLocations, loaded_locations
from headwater.daemon.loop import DaemonLoop
from headwater.daemon.sensor_tick import run_sensor_tick
from headwater.errors import HeadwaterError
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorState,
    InstigatorStatus,
    InstigatorTick,
    InstigatorType,
)

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.orchestration.definitions_snapshot import SensorSnapshot

logger = logging.getLogger("headwater.daemon.sensors")

#: Seconds between two looks for due sensors.
WAKE_SECONDS = 0.05
#: Seconds between two reads of the sensors (snapshots, stored states) when none is due.
REFRESH_SECONDS = 1.0
#: Sensor types another loop evaluates.
OTHER_LOOPS_TYPES = frozenset({"AutomationConditionSensorDefinition"})


class SensorLoop(DaemonLoop):
    """Evaluate the RUNNING sensors of the daemon's code locations at their intervals.

    Args:
        instance: the instance (ticks, cursors, runs, partitions and events go there).
        locations: the daemon's code locations.
        clock: the current time in epoch seconds.
        wait: whether :meth:`run_once` waits for the evaluations it started (tests).

    Example:
        >>> # loop = SensorLoop(instance, manager, wait=True); loop.run_once(); loop.close()
    """

    name = "sensors"
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
        self.wait = wait
        config = instance.config.daemon
        self.timeout = config.sensor_timeout_seconds
        self._pool = ThreadPoolExecutor(config.sensor_workers, thread_name_prefix="hw-sensor")
        self._running: dict[InstigatorId, Future[object]] = {}
        # the tick each sensor ended last in this process, and when (monotonic)
        self._last_ticks: dict[InstigatorId, tuple[InstigatorTick, float]] = {}
        self._read_at = -float("inf")
        self._lock = threading.Lock()
        self._next_due = -float("inf")
        self._refreshed = -float("inf")

    def run_once(self) -> None:
        """Start an evaluation of every sensor that is due and not being evaluated."""
        now = self.clock()
        if now < self._next_due and time.monotonic() - self._refreshed < REFRESH_SECONDS:
            return
        self._refreshed = self._read_at = time.monotonic()
        states = {
            s.instigator: s
            for s in self.instance.storage.get_instigator_states(InstigatorType.SENSOR)
        }
        next_due = float("inf")
        started: list[Future[object]] = []
        for location in loaded_locations(self.locations):
            try:
                sensors = self.locations.client(location).snapshot(timeout=self.timeout).sensors
            except HeadwaterError as exc:
                logger.warning("Cannot read the sensors of location %r: %s", location, exc)
                continue
            for sensor in sensors:
                if sensor.sensor_type in OTHER_LOOPS_TYPES:
                    continue
                instigator = InstigatorId(instigator_type=InstigatorType.SENSOR,
                                          location_name=location, name=sensor.name)  # fmt: skip
                due = self._due(sensor, states.get(instigator), now)
                if due is None:
                    continue
                if due <= now and self._start(
                    location, instigator, sensor, states.get(instigator), now, started
                ):
                    due = now + max(sensor.minimum_interval_seconds, 0)
                next_due = min(next_due, due)
        self._next_due = next_due
        if self.wait:
            for future in started:
                future.result()

    def _due(
        self, sensor: SensorSnapshot, state: InstigatorState | None, now: float
    ) -> float | None:
        """When the sensor is next due (``None``: it is not running)."""
        status = (
            state.effective_status(sensor.default_status)
            if state is not None
            else InstigatorStatus(sensor.default_status)
        )
        if status is not InstigatorStatus.RUNNING:
            return None
        last = state.last_tick_timestamp if state is not None else None
        return now if last is None else last + max(sensor.minimum_interval_seconds, 0)

    def _start(
        self,
        location: str,
        instigator: InstigatorId,
        sensor: SensorSnapshot,
        state: InstigatorState | None,
        now: float,
        started: list[Future[object]],
    ) -> bool:
        with self._lock:
            if instigator in self._running:
                return False  # still evaluating its previous tick
            client = self.locations.client(location)
            last = self._last_ticks.get(instigator)
            stale = last is not None and last[1] >= self._read_at
            previous = None if last is None else [last[0]]

            def tick() -> object:
                nonlocal state
                try:
                    if stale:  # its tick ended after this round read the states: read again
                        state = self.instance.storage.get_instigator_state(instigator)
                        due = self._due(sensor, state, now)
                        if due is None or due > now:
                            return None
                    done = run_sensor_tick(
                        self.instance, client, instigator, sensor,
                        cursor=None if state is None else state.cursor, now=now,
                        timeout=self.timeout, previous=previous,
                    )  # fmt: skip
                    self._last_ticks[instigator] = (done, time.monotonic())
                    return done
                except Exception:  # storage trouble: logged, the sensor is tried again
                    logger.exception("Sensor %r of location %r: its tick could not be "
                                     "recorded.", sensor.name, location)  # fmt: skip
                    return None
                finally:
                    with self._lock:
                        self._running.pop(instigator, None)
                    self._next_due = -float("inf")  # look again: its next tick may be due

            future = self._pool.submit(tick)
            self._running[instigator] = future
            started.append(future)
            return True

    def close(self) -> None:
        """Stop handing out work; evaluations still running are abandoned (their ticks end at
        their timeout, or stay STARTED if the process exits first)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
