"""Run status sensors, evaluated in the code server for the runs the daemon found.

A ``@run_status_sensor`` (or ``@run_failure_sensor``) reacts to runs reaching a status. The
daemon finds them, from the sensor's cursor (a storage id in the event log), as the events of
:data:`STATUS_EVENTS`; it sends their run ids with the tick (``POST /sensors/NAME/tick`` with
``run_ids``), and :func:`evaluate_run_status_tick` calls the sensor's function once per run,
with a context holding the run and its status event. Every run found is handled, however many.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from headwater.errors import DefinitionError, user_code_boundary
from headwater.events.types import EventType

__all__ = ["STATUS_EVENTS", "evaluate_run_status_tick"]

#: The event a run stores when it reaches each status a run status sensor can react to.
STATUS_EVENTS: dict[str, EventType] = {
    "QUEUED": EventType.RUN_ENQUEUED,
    "STARTING": EventType.RUN_STARTING,
    "STARTED": EventType.RUN_START,
    "SUCCESS": EventType.RUN_SUCCESS,
    "FAILURE": EventType.RUN_FAILURE,
    "CANCELING": EventType.RUN_CANCELING,
    "CANCELED": EventType.RUN_CANCELED,
}


def evaluate_run_status_tick(
    sensor: Any, run_ids: Sequence[str], *, instance: Any, definitions: Any
) -> Any:
    """Call a run status sensor's function for each run of ``run_ids``, in order.

    Args:
        sensor: a ``RunStatusSensorDefinition``.
        run_ids: the runs that reached its status (runs deleted since are left out).
        instance: the instance holding the runs.
        definitions: the location's ``Definitions`` (its resources).

    Returns:
        A ``TickEvaluation`` with the run requests of all calls (tagged with the sensor's
        name), or the skip message of the last call that skipped.

    Raises:
        UserCodeError: the function raised for one of the runs (the message names the run).
        DefinitionError: it returned something other than ``RunRequest``/``SkipReason``
            (or a list of them, or ``None``).
    """
    from headwater.declarations.automation.run_requests import RunRequest, SkipReason
    from headwater.declarations.automation.run_status_sensors import RunStatusSensorContext
    from headwater.declarations.automation.ticks import SENSOR_NAME_TAG, TickEvaluation

    if instance is None:
        raise DefinitionError(f"Sensor {sensor.name!r} needs an instance to read its runs.")
    event_type = STATUS_EVENTS.get(str(sensor.run_status))
    requests: list[Any] = []
    skip: str | None = None
    for run_id in run_ids:
        run = instance.get_run_by_id(run_id)
        if run is None:
            continue
        event = _status_event(instance, run_id, event_type)
        context = RunStatusSensorContext(
            sensor_name=sensor.name, dagster_run=run, dagster_event=event, instance=instance,
            definitions=definitions, partition_key=run.tags.get("headwater/partition"),
        )  # fmt: skip
        with user_code_boundary(f"sensor {sensor.name!r} (for run {run_id})"):
            result = sensor(context)
            if inspect.isgenerator(result):
                result = list(result)
        items = [] if result is None else result if isinstance(result, list | tuple) else [result]
        for item in items:
            if isinstance(item, RunRequest):
                requests.append(item.with_tags({SENSOR_NAME_TAG: sensor.name}))
            elif isinstance(item, SkipReason):
                skip = item.skip_message
            else:
                raise DefinitionError(
                    f"sensor {sensor.name!r} returned {item!r} (a {type(item).__name__}) for "
                    f"run {run_id}; it must return or yield RunRequest or SkipReason (or None)."
                )
    if requests:
        return TickEvaluation(run_requests=tuple(requests))
    if skip is None:
        skip = f"{len(run_ids)} run(s) handled" if run_ids else "No run reached the status"
    return TickEvaluation(skip_message=skip)


def _status_event(instance: Any, run_id: str, event_type: EventType | None) -> Any:
    if event_type is None:
        return None
    from headwater.storage.records import EventRecordsFilter

    records = instance.get_event_records(
        EventRecordsFilter(event_type=event_type, run_ids=[run_id]), limit=1
    )
    return records[0].event_log_entry if records else None
