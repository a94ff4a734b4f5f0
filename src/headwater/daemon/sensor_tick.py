"""One tick of one sensor: evaluate it in its code server, apply what it returned, record it.

:func:`run_sensor_tick` stores a ``STARTED`` tick, asks the location's code server to evaluate
the sensor with its cursor, then, in this order: applies its dynamic partitions requests to the
instance, reports its asset events, launches its run requests (a run key launches at most one
run, ever: :mod:`headwater.daemon.instigator_runs`), saves the new cursor and ends the tick
``SUCCESS`` (or ``SKIPPED`` with the reason when nothing was requested). When anything fails
(the sensor raised, returned something invalid, timed out, or its code server died) the tick
ends ``FAILURE`` with the error, and the cursor is left as it was, so the next tick sees the
same input again.

A run status sensor's cursor is the storage id of the last run status event it looked at; each
tick passes the runs whose status event came after it (:func:`matching_runs`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from headwater.daemon.instigator_runs import job_for_request, launch_request
from headwater.daemon.tick_errors import describe_error
from headwater.storage.instigator_records import InstigatorId, InstigatorTick, TickStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.orchestration.code_server_client import CodeServerClient
    from headwater.orchestration.definitions_snapshot import SensorSnapshot

logger = logging.getLogger("headwater.daemon.sensors")

#: The error of a tick the daemon stopped (or was killed) in the middle of.
INTERRUPTED = (
    "The daemon stopped before this tick ended; the next tick evaluated the sensor again from "
    "the same cursor (runs already launched for a run key were not launched again)."
)

#: The most runs one request to the code server carries for a run status sensor (a tick with
#: more sends several requests; every run is handled).
RUN_STATUS_BATCH = 500


def run_sensor_tick(
    instance: Instance,
    client: CodeServerClient,
    instigator: InstigatorId,
    sensor: SensorSnapshot,
    *,
    cursor: str | None,
    now: float,
    timeout: float,
    previous: list[InstigatorTick] | None = None,
) -> InstigatorTick:
    """Evaluate one tick of ``sensor`` (see the module docstring); the finished tick.

    ``previous`` is the sensor's latest tick as ``[tick]`` (``[]``: none) when the caller
    knows it, else ``None`` (read from storage).
    """
    storage = instance.storage
    if previous is None:
        previous = storage.get_ticks(instigator, limit=1)
    if previous and previous[0].status is TickStatus.STARTED:
        # one evaluation of a sensor at a time: a tick still STARTED was cut short
        storage.update_tick(replace(previous[0], status=TickStatus.FAILURE, error=INTERRUPTED,
                                    end_timestamp=now))  # fmt: skip
    tick = storage.add_tick(
        InstigatorTick(instigator=instigator, timestamp=now, cursor_before=cursor)
    )
    run_ids: list[str] = []
    run_keys: list[str] = []
    extra: dict[str, Any] = {}
    try:
        if sensor.run_status is not None:
            evaluation, new_cursor = _run_status_evaluation(
                instance, client, instigator, sensor, cursor, timeout, extra
            )
        else:
            last = previous[0] if previous else None
            evaluation = client.evaluate_sensor_tick(
                sensor.name, cursor=cursor, instance_home=instance.root_directory,
                last_tick_completion_time=None if last is None else last.end_timestamp,
                last_sensor_start_time=None if last is None else last.timestamp,
                last_run_key=_last_run_key(last), timeout=timeout,
            )  # fmt: skip
            new_cursor = evaluation.cursor
        _apply_partitions(instance, evaluation.dynamic_partitions_requests, extra)
        _report_events(instance, evaluation.asset_events, extra)
        what = f"Sensor {sensor.name!r}"
        already: list[str] = []
        for request in evaluation.run_requests:
            job = job_for_request(request, sensor.job_names, what)
            launched = launch_request(instance, client, instigator, request, job_name=job,
                                      run_key=request.run_key, timeout=timeout)  # fmt: skip
            if request.run_key is not None:
                run_keys.append(request.run_key)
            if launched.queued:
                run_ids.append(launched.run_id)
            elif request.run_key is not None:
                already.append(request.run_key)
        if already:
            extra["run_keys_launched_before"] = already
        storage.update_instigator_state(instigator, cursor=new_cursor, last_tick_timestamp=now)
    except Exception as exc:
        logger.warning("Sensor %r tick failed: %s", sensor.name, exc)
        storage.update_instigator_state(instigator, last_tick_timestamp=now)
        done = replace(tick, status=TickStatus.FAILURE, error=describe_error(exc),
                       cursor_after=cursor)  # fmt: skip
    else:
        did_something = run_ids or extra.get("partitions") or extra.get("asset_events")
        skip = evaluation.skip_message
        if not did_something and skip is None and already:
            skip = f"Every run key requested was launched before: {', '.join(already[:5])}"
        status = TickStatus.SUCCESS if did_something else TickStatus.SKIPPED
        done = replace(tick, status=status, cursor_after=new_cursor,
                       skip_reason=None if did_something else skip)  # fmt: skip
    done = replace(done, run_ids=tuple(run_ids), run_keys=tuple(run_keys), extra=extra,
                   end_timestamp=time.time())  # fmt: skip
    storage.update_tick(done)
    return done


def _last_run_key(tick: InstigatorTick | None) -> str | None:
    return tick.run_keys[-1] if tick is not None and tick.run_keys else None


def _apply_partitions(instance: Instance, requests: Any, extra: dict[str, Any]) -> None:
    from headwater.declarations.partitions import AddDynamicPartitionsRequest

    done: list[dict[str, Any]] = []
    for request in requests:
        keys = list(request.partition_keys)
        if isinstance(request, AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, keys)
            action = "added"
        else:
            for key in keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
            action = "deleted"
        done.append({"name": request.partitions_def_name, action: keys})
    if done:
        extra["partitions"] = done


def _report_events(instance: Instance, events: Any, extra: dict[str, Any]) -> None:
    from headwater.declarations.results import AssetMaterialization, AssetObservation

    reported: list[str] = []
    for event in events:
        if isinstance(event, AssetMaterialization | AssetObservation):
            instance.report_runless_asset_event(event)
            reported.append(event.asset_key.to_user_string())
        else:  # an asset check evaluation
            _report_check_evaluation(instance, event)
            reported.append(f"{event.asset_key.to_user_string()}:{event.check_name}")
    if reported:
        extra["asset_events"] = reported


def _report_check_evaluation(instance: Instance, evaluation: Any) -> None:
    from headwater.events.records import EventLogEntry
    from headwater.events.types import EventType

    outcome = "passed" if evaluation.passed else "failed"
    entry = EventLogEntry(
        run_id="", timestamp=time.time(), event_type=EventType.ASSET_CHECK_EVALUATION,
        message=f"Reported check {evaluation.check_name} of "
                f"{evaluation.asset_key.to_user_string()}: {outcome}.",
        asset_key=evaluation.asset_key, data=evaluation.to_event_data(),
    )  # fmt: skip
    instance.store_event(entry)


def _run_status_evaluation(
    instance: Instance,
    client: CodeServerClient,
    instigator: InstigatorId,
    sensor: SensorSnapshot,
    cursor: str | None,
    timeout: float,
    extra: dict[str, Any],
) -> tuple[Any, str | None]:
    from headwater.declarations.automation.ticks import TickEvaluation

    run_ids, new_cursor = matching_runs(instance, instigator.location_name, sensor, cursor)
    if not run_ids:
        return TickEvaluation(skip_message="No run reached the status since the last tick"), (
            new_cursor
        )
    extra["runs_handled"] = run_ids
    requests: list[Any] = []
    skip: str | None = None
    for start in range(0, len(run_ids), RUN_STATUS_BATCH):
        part = client.evaluate_sensor_tick(
            sensor.name, run_ids=run_ids[start : start + RUN_STATUS_BATCH],
            instance_home=instance.root_directory, timeout=timeout,
        )  # fmt: skip
        requests.extend(part.run_requests)
        skip = part.skip_message or skip
    return TickEvaluation(run_requests=tuple(requests), skip_message=skip), new_cursor


def matching_runs(
    instance: Instance, location_name: str, sensor: SensorSnapshot, cursor: str | None
) -> tuple[list[str], str | None]:
    """The runs that reached ``sensor.run_status`` after ``cursor`` and that the sensor watches
    (its monitored jobs, else its location's jobs, else every location's with
    ``monitor_all_code_locations``), oldest first, and the cursor after them.

    The first tick (no cursor) starts at the latest event: runs that finished before the sensor
    first ran are not handled.
    """
    from headwater.orchestration.run_status_ticks import STATUS_EVENTS
    from headwater.storage.records import EventRecordsFilter

    event_type = STATUS_EVENTS.get(str(sensor.run_status))
    if event_type is None:
        return [], cursor
    if cursor is None or not cursor.isdigit():
        latest = instance.get_event_records(EventRecordsFilter(event_type=event_type), limit=1)
        return [], str(latest[0].storage_id if latest else 0)
    records = instance.get_event_records(
        EventRecordsFilter(event_type=event_type, after_cursor=int(cursor)), ascending=True
    )
    if not records:
        return [], cursor
    runs: list[str] = []
    for record in records:
        run = instance.get_run_by_id(record.run_id)
        if run is not None and _watched(run, location_name, sensor) and run.run_id not in runs:
            runs.append(run.run_id)
    return runs, str(records[-1].storage_id)


def _watched(run: Any, location_name: str, sensor: SensorSnapshot) -> bool:
    origin = run.job_origin
    run_location = origin.location.location_name if origin is not None else None
    if sensor.monitored_job_names:
        return run.job_name in sensor.monitored_job_names and (
            sensor.monitor_all_code_locations or run_location in (None, location_name)
        )
    return sensor.monitor_all_code_locations or run_location == location_name
