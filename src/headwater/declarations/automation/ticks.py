"""The normalized outcome of one schedule or sensor evaluation (what the daemon records)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations.automation.run_requests import (
    RunRequest,
    SensorResult,
    SkipReason,
    normalize_run_config,
)
from headwater.errors import DefinitionError

SCHEDULE_NAME_TAG = "headwater/schedule_name"
SENSOR_NAME_TAG = "headwater/sensor_name"


@dataclass(frozen=True, slots=True, kw_only=True)
class TickEvaluation:
    """What one tick asked for.

    Attributes:
        run_requests: the runs to launch (tagged with the schedule or sensor name).
        skip_message: why no run was requested (``None`` when runs were requested).
        cursor: the sensor's cursor after the tick (schedules: ``None``).
        dynamic_partitions_requests: partition keys to add or delete before launching.
        asset_events: materializations, observations or check evaluations to store.
    """

    run_requests: tuple[RunRequest, ...] = ()
    skip_message: str | None = None
    cursor: str | None = None
    dynamic_partitions_requests: tuple[Any, ...] = field(default=())
    asset_events: tuple[Any, ...] = field(default=())


def _items(result: Any) -> list[Any]:
    if isinstance(result, list | tuple) or inspect.isgenerator(result):
        return list(result)
    return [result]


def _describe(value: Any) -> str:
    return f"{value!r} (a {type(value).__name__})"


def _requests_or_skip(
    items: Iterable[Any], what: str, allowed: str
) -> tuple[list[RunRequest], SkipReason | None]:
    requests: list[RunRequest] = []
    skip: SkipReason | None = None
    for item in items:
        if isinstance(item, RunRequest):
            requests.append(item)
        elif isinstance(item, SkipReason):
            skip = item
        else:
            raise DefinitionError(
                f"{what} returned {_describe(item)}; it must return or yield {allowed}."
            )
    if requests and skip is not None:
        raise DefinitionError(
            f"{what} returned both RunRequests and a SkipReason; return one or the other."
        )
    return requests, skip


def _tagged(requests: Iterable[RunRequest], tag: str, name: str) -> tuple[RunRequest, ...]:
    return tuple(r.with_tags({tag: name}) for r in requests)


def schedule_evaluation(
    result: Any, name: str, tags: Mapping[str, str] | None = None
) -> TickEvaluation:
    """Normalize what a schedule function returned.

    Raises:
        DefinitionError: it returned something other than a run config, ``RunRequest``,
            ``SkipReason`` or a list/generator of those.
    """
    what = f"schedule {name!r}"
    if result is None:
        return TickEvaluation(skip_message="Schedule function returned an empty result")
    if isinstance(result, Mapping) or hasattr(result, "to_config_dict"):
        config = normalize_run_config(result, what)
        request = RunRequest(run_config=config, tags=tags)
        return TickEvaluation(run_requests=_tagged([request], SCHEDULE_NAME_TAG, name))
    allowed = "a run config dict, RunRequest or SkipReason (or a list of RunRequests)"
    requests, skip = _requests_or_skip(_items(result), what, allowed)
    if not requests:
        message = skip.skip_message if skip is not None else None
        message = message or "Schedule function returned an empty result"
        return TickEvaluation(skip_message=message)
    return TickEvaluation(run_requests=_tagged(requests, SCHEDULE_NAME_TAG, name))


def sensor_evaluation(result: Any, name: str, context: Any) -> TickEvaluation:
    """Normalize what a sensor function returned, with the cursor it left on ``context``.

    Raises:
        DefinitionError: it returned something other than ``RunRequest``, ``SkipReason``,
            ``SensorResult`` or a list/generator of those; or it both returned a
            ``SensorResult`` with a cursor and called ``context.update_cursor``.
    """
    what = f"sensor {name!r}"
    items = [] if result is None else _items(result)
    results = [item for item in items if isinstance(item, SensorResult)]
    cursor = context.cursor
    if results:
        if len(items) > 1:
            raise DefinitionError(
                f"{what} returned a SensorResult together with other values; put all run "
                "requests in the SensorResult."
            )
        (sensor_result,) = results
        if sensor_result.cursor is not None and context.cursor_updated:
            raise DefinitionError(
                f"{what} set the cursor twice: with context.update_cursor and in its "
                "SensorResult; keep one."
            )
        if sensor_result.cursor is not None:
            cursor = sensor_result.cursor
        requests = list(sensor_result.run_requests)
        skip = sensor_result.skip_reason
        partitions = tuple(sensor_result.dynamic_partitions_requests)
        events = tuple(sensor_result.asset_events)
    else:
        allowed = "RunRequest, SkipReason or a SensorResult"
        requests, skip = _requests_or_skip(items, what, allowed)
        partitions, events = (), ()
    message = None
    if not requests:
        message = skip.skip_message if skip is not None else None
        if message is None and not partitions and not events:
            message = "Sensor function returned an empty result"
    return TickEvaluation(
        run_requests=_tagged(requests, SENSOR_NAME_TAG, name), skip_message=message,
        cursor=cursor, dynamic_partitions_requests=partitions, asset_events=events,
    )  # fmt: skip
