"""The ``automation`` loop: ticks the automation sensors of the daemon's code locations.

Where the evaluation happens: in the location's code server. Conditions are Python objects
that only the process holding the ``Definitions`` has (the snapshot carries their text, for
display), and the daemon never imports user code, so each tick is one request to the code
server (``POST /automation-sensors/{name}/tick``, :mod:`headwater.orchestration.automation.
sensor_tick`), which reads the instance, evaluates every targeted asset's condition and answers
with the runs to launch (grouped per partition key), the evaluations that changed and the next
cursor. The daemon then, for each tick:

1. stores the tick ``STARTED`` (a ``SENSOR`` tick of that sensor's name);
2. launches each requested run through the run queue with a run key derived from the sensor,
   the cursor it evaluated from and the run's index: a daemon killed after launching but
   before saving the cursor evaluates the same tick again on restart and launches nothing
   twice (:mod:`headwater.daemon.instigator_runs`);
3. stores the evaluations (with the run ids of their asset), then the cursor and the tick
   (``SUCCESS`` with its runs, ``SKIPPED`` when nothing was requested, ``FAILURE`` with the
   error; a failed tick keeps the old cursor). Evaluations are kept 7 days.

Sensors: the default automation sensor (``default_automation_condition_sensor``, RUNNING unless
stopped, every ``daemon.automation_interval_seconds``, default 30) for assets no
``AutomationConditionSensorDefinition`` targets, and each such sensor (its
``minimum_interval_seconds`` and ``default_status``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from headwater.daemon.instigator_runs import IMPLICIT_ASSET_JOB_NAME, launch_request
from headwater.daemon.locations import CodeLocations, loaded_locations
from headwater.daemon.loop import DaemonLoop
from headwater.daemon.tick_errors import describe_error
from headwater.errors import HeadwaterError
from headwater.keys import AssetKey
from headwater.orchestration.automation.sensor_tick import DEFAULT_SENSOR_NAME
from headwater.storage.automation_records import ConditionEvaluationRecord
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
    from headwater.orchestration.definitions_snapshot import DefinitionsSnapshot

logger = logging.getLogger("headwater.daemon.automation")

AUTOMATION_SENSOR_TYPE = "AutomationConditionSensorDefinition"
#: Tag on every run the automation loop launches: the sensor that requested it.
AUTOMATION_SENSOR_TAG = "headwater/automation_sensor"
#: Stored evaluations older than this are deleted (checked once an hour).
EVALUATION_RETENTION_SECONDS = 7 * 24 * 3600.0


class AutomationLoop(DaemonLoop):
    """Tick every RUNNING automation sensor of the daemon's code locations at its interval.

    Args:
        instance: the instance (ticks, cursors, evaluations and runs are stored there).
        locations: the daemon's code locations.
        clock: the current time in epoch seconds (tests pass their own).

    Example:
        >>> # loop = AutomationLoop(instance, manager)
        >>> # loop.run_once()   # ticks every sensor whose interval has passed
    """

    name = "automation"
    interval_seconds = 1.0

    def __init__(
        self,
        instance: Instance,
        locations: CodeLocations,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.instance = instance
        self.locations = locations
        self.clock = clock
        config = instance.config.daemon
        self.default_interval = config.automation_interval_seconds
        self.timeout = config.sensor_timeout_seconds
        self._ticked: set[tuple[str, str]] = set()  # sensors ticked by this daemon
        self._purged = -float("inf")

    def run_once(self) -> None:
        """Tick each automation sensor that is due; once an hour, delete the evaluations older
        than :data:`EVALUATION_RETENTION_SECONDS`."""
        if self.clock() - self._purged >= 3600:
            self._purged = self.clock()
            deleted = self.instance.storage.delete_condition_evaluations(
                self._purged - EVALUATION_RETENTION_SECONDS
            )
            if deleted:
                logger.info("Deleted %d automation evaluations older than 7 days.", deleted)
        states = {
            (s.instigator.location_name, s.instigator.name): s
            for s in self.instance.storage.get_instigator_states(InstigatorType.SENSOR)
        }
        for location in loaded_locations(self.locations):
            client = self.locations.client(location)
            try:
                snapshot = client.snapshot(timeout=self.timeout)
            except HeadwaterError as exc:  # it died since: its supervisor restarts it
                logger.warning("Cannot read the sensors of location %r: %s", location, exc)
                continue
            for name, default_status, interval in self.sensors(snapshot):
                state = states.get((location, name))
                status = (state.effective_status(default_status) if state is not None
                          else InstigatorStatus(default_status))  # fmt: skip
                last = state.last_tick_timestamp if state is not None else None
                now = self.clock()
                if status is not InstigatorStatus.RUNNING or (
                    last is not None and now - last < interval
                ):
                    continue
                try:
                    self.tick(client, location, name, state, now)
                except Exception:  # one sensor's trouble must not hold up the others
                    logger.exception("Automation sensor %r of %r failed.", name, location)

    def sensors(self, snapshot: DefinitionsSnapshot) -> list[tuple[str, str, float]]:
        """``(name, default status, interval seconds)`` of the location's automation sensors."""
        found = [
            (s.name, s.default_status, float(s.minimum_interval_seconds or self.default_interval))
            for s in snapshot.sensors
            if s.sensor_type == AUTOMATION_SENSOR_TYPE
        ]
        if snapshot.automation_conditions and all(n != DEFAULT_SENSOR_NAME for n, _, _ in found):
            found.insert(0, (DEFAULT_SENSOR_NAME, "RUNNING", self.default_interval))
        return found

    def tick(
        self,
        client: CodeServerClient,
        location: str,
        name: str,
        state: InstigatorState | None,
        now: float,
    ) -> InstigatorTick:
        """Evaluate one tick of sensor ``name``, launch its runs, store everything."""
        storage = self.instance.storage
        instigator = InstigatorId(
            instigator_type=InstigatorType.SENSOR, location_name=location, name=name
        )
        cursor = state.cursor if state is not None else None
        tick = storage.add_tick(InstigatorTick(instigator=instigator, timestamp=now))
        run_ids: list[str] = []
        run_keys: list[str] = []
        try:
            answer = client.evaluate_automation_tick(
                name, cursor=cursor, fresh=(location, name) not in self._ticked,
                evaluation_time=datetime.fromtimestamp(now, UTC),
                instance_home=self.instance.root_directory, timeout=self.timeout,
            )  # fmt: skip
            self._ticked.add((location, name))
            by_asset = self._launch(client, instigator, answer, cursor, run_ids, run_keys)
            storage.add_condition_evaluations(_records(answer, location, name, by_asset))
            storage.update_instigator_state(instigator, cursor=answer["cursor"],
                                            last_tick_timestamp=now)  # fmt: skip
        except Exception as exc:
            storage.update_instigator_state(instigator, last_tick_timestamp=now)
            done = replace(tick, status=TickStatus.FAILURE, error=describe_error(exc),
                           run_ids=tuple(run_ids), run_keys=tuple(run_keys))  # fmt: skip
            logger.warning("Automation sensor %r of %r: tick failed: %s", name, location, exc)
        else:
            requested = int(answer.get("total_requested", 0))
            done = replace(
                tick, status=TickStatus.SUCCESS if run_ids else TickStatus.SKIPPED,
                run_ids=tuple(run_ids), run_keys=tuple(run_keys),
                skip_reason=None if run_ids else "No asset partition was requested.",
                extra={"total_requested": requested, "evaluation_id": answer["evaluation_id"]},
            )  # fmt: skip
        done = replace(done, end_timestamp=time.time())
        storage.update_tick(done)
        return done

    def _launch(
        self,
        client: CodeServerClient,
        instigator: InstigatorId,
        answer: dict[str, Any],
        cursor: str | None,
        run_ids: list[str],
        run_keys: list[str],
    ) -> dict[str, list[str]]:
        """Launch the answer's runs; asset key string -> ids of the runs that include it."""
        from headwater.declarations.automation.run_requests import RunRequest

        base = hashlib.sha256((cursor or "").encode()).hexdigest()[:12]
        by_asset: dict[str, list[str]] = {}
        for index, run in enumerate(answer.get("runs", ())):
            keys = [AssetKey(path) for path in run["asset_keys"]]
            request = RunRequest(asset_selection=keys, partition_key=run.get("partition_key"),
                                 tags=run.get("tags") or {})  # fmt: skip
            run_key = f"{instigator.name}:{answer['evaluation_id']}:{base}:{index}"
            launched = launch_request(
                self.instance, client, instigator, request, job_name=IMPLICIT_ASSET_JOB_NAME,
                run_key=run_key, tags={AUTOMATION_SENSOR_TAG: instigator.name},
                timeout=self.timeout,
            )  # fmt: skip
            run_ids.append(launched.run_id)
            run_keys.append(run_key)
            for key in keys:
                by_asset.setdefault(key.to_user_string(), []).append(launched.run_id)
        return by_asset


def _records(
    answer: dict[str, Any], location: str, name: str, runs: dict[str, list[str]]
) -> list[ConditionEvaluationRecord]:
    out = []
    for item in answer.get("evaluations", ()):
        key = AssetKey(item["asset_key"])
        body = dict(item["body"])
        if runs.get(key.to_user_string()):
            body["run_ids"] = runs[key.to_user_string()]
        out.append(ConditionEvaluationRecord(
            asset_key=key, evaluation_id=int(answer["evaluation_id"]),
            timestamp=float(answer["timestamp"]), num_requested=int(item["num_requested"]),
            sensor_name=f"{location}:{name}", body=body,
        ))  # fmt: skip
    return out
