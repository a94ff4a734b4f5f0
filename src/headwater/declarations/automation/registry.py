"""How ``Definitions`` validates and indexes its schedules and sensors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from headwater.declarations.automation.schedules import ScheduleDefinition
from headwater.errors import DefinitionError, DuplicateKeyError, MissingResourceError


@dataclass(frozen=True, slots=True)
class AutomationIndex:
    """Schedules and sensors by name, as ``Definitions`` resolved them."""

    schedules: Mapping[str, Any]
    sensors: Mapping[str, Any]


def _sensor_class() -> Any:
    import importlib

    try:
        sensors = importlib.import_module("headwater.declarations.automation.sensors")
    except ImportError:  # pragma: no cover - sensors land after schedules
        return None
    return sensors.SensorDefinition


def index_automation(
    schedules: Iterable[Any],
    sensors: Iterable[Any],
    *,
    jobs_by_name: MutableMapping[str, Any],
    resources: Mapping[str, Any],
    definitions: Any,
) -> AutomationIndex:
    """Validate ``schedules`` and ``sensors`` and index them by name.

    Jobs they target by object and that ``Definitions(jobs=...)`` does not list are added to
    ``jobs_by_name`` (so ``get_job_def`` finds them).

    Raises:
        DefinitionError: an object is not a schedule/sensor; a job name is unknown.
        DuplicateKeyError: two schedules or sensors share a name, or a targeted job has the
            name of a different job.
        MissingResourceError: a schedule or sensor needs a resource no one provides.
    """
    sensor_class = _sensor_class()
    by_name: dict[str, tuple[str, Any]] = {}
    index = AutomationIndex(schedules={}, sensors={})
    pairs: list[tuple[str, Any, Any]] = [("schedule", i, ScheduleDefinition) for i in schedules]
    pairs += [("sensor", item, sensor_class) for item in sensors]
    for kind, item, expected in pairs:
        if expected is None or not isinstance(item, expected):
            wanted = "@schedule or ScheduleDefinition" if kind == "schedule" else "@sensor"
            raise DefinitionError(
                f"Definitions({kind}s=...) got {item!r}; expected {wanted} definitions."
            )
        if item.name in by_name and by_name[item.name][1] is not item:
            other = by_name[item.name][0]
            raise DuplicateKeyError(
                f"Two definitions are named {item.name!r} (a {other} and a {kind}); schedule "
                "and sensor names must be unique in a code location. Rename one with name=."
            )
        by_name[item.name] = (kind, item)
    for kind, item in by_name.values():
        _add_jobs(item, kind, jobs_by_name)
    for kind, item in by_name.values():
        _check_job_names(item, kind, jobs_by_name)
        _check_resources(item, kind, resources)
        target = index.schedules if kind == "schedule" else index.sensors
        target[item.name] = item._resolve(definitions)  # type: ignore[index]
    return index


def _add_jobs(item: Any, kind: str, jobs_by_name: MutableMapping[str, Any]) -> None:
    for job in item._target.jobs:
        known = jobs_by_name.get(job.name)
        if known is None:
            jobs_by_name[job.name] = job
        elif known is not job and known != job:
            raise DuplicateKeyError(
                f"{kind.capitalize()} {item.name!r} targets a job named {job.name!r}, but "
                "Definitions(jobs=...) has a different job with that name; pass the same job "
                "object or rename one."
            )


def _check_job_names(item: Any, kind: str, jobs_by_name: Mapping[str, Any]) -> None:
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME

    for name in item._target.job_names:
        if name not in jobs_by_name and name != IMPLICIT_ASSET_JOB_NAME:
            raise DefinitionError(
                f"{kind.capitalize()} {item.name!r} targets job {name!r}, which is not defined; "
                f"the jobs are {sorted(jobs_by_name)}. Add the job to Definitions(jobs=[...]) "
                "or pass the job object with job=."
            )


def _check_resources(item: Any, kind: str, resources: Mapping[str, Any]) -> None:
    missing = sorted(set(item.required_resource_keys) - set(resources))
    if missing:
        raise MissingResourceError(
            f"{kind.capitalize()} {item.name!r} requires resource(s) {missing}; provided "
            f"resources: {sorted(resources)}. Add them to Definitions(resources={{...}})."
        )
