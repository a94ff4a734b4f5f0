"""``build_schedule_from_partitioned_job``: a schedule that runs the latest complete partition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from headwater.declarations.automation._invocation import UserFunction
from headwater.declarations.automation.contexts import ScheduleEvaluationContext
from headwater.declarations.automation.run_requests import RunRequest, SkipReason
from headwater.declarations.automation.schedules import ScheduleDefinition, tick_time
from headwater.declarations.automation.statuses import DefaultScheduleStatus
from headwater.errors import DefinitionError

PARTITION_TAG = "headwater/partition"
_PLACEHOLDER_CRON = "0 0 * * *"  # until Definitions tells which partitions the job has


def _placeholder(context: ScheduleEvaluationContext) -> None:
    """Replaced by the schedule's own evaluation once constructed."""


class PartitionedScheduleDefinition(ScheduleDefinition):
    """A schedule over a time-partitioned job; each tick requests the partition that just ended.

    Built by :func:`build_schedule_from_partitioned_job`. When the job's partitions come from
    its assets (``define_asset_job`` without ``partitions_def``), the cron schedule is known
    once ``Definitions`` resolves the job; until then ``cron_schedule`` is ``None``.
    """

    def __init__(
        self,
        job: Any,
        *,
        partitions_def: Any,
        overrides: Mapping[str, int | None],
        name: str | None,
        cron_schedule: str | None,
        execution_timezone: str | None,
        **kwargs: Any,
    ) -> None:
        self._partitions_def = partitions_def
        self._overrides = dict(overrides)
        self._given_cron = cron_schedule
        self._given_timezone = execution_timezone
        cron = cron_schedule or (
            _cron_for(partitions_def, overrides, job.name) if partitions_def else None
        )
        timezone = execution_timezone or (partitions_def.timezone if partitions_def else None)
        super().__init__(
            name=name or f"{job.name}_schedule", job=job, cron_schedule=cron or _PLACEHOLDER_CRON,
            execution_timezone=timezone, execution_fn=_placeholder, **kwargs,
        )  # fmt: skip
        self._bind()
        if cron is None:
            self.cron_schedule = None  # type: ignore[assignment]

    def _bind(self) -> None:
        """Make this object's partition logic the schedule's function."""
        self._fn = UserFunction(self._evaluate, "context", (), f"schedule {self.name!r}")

    @property
    def partitions_def(self) -> Any:
        """The job's time-window partitions (``None`` until known)."""
        return self._partitions_def

    def _evaluate(self, context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        partitions_def = self._partitions_def
        if partitions_def is None:
            definitions = context.definitions
            if definitions is None:
                raise DefinitionError(
                    f"Schedule {self.name!r}: the partitions of job {self.job_name!r} come from "
                    "its assets; pass definitions= to build_schedule_context, or "
                    "partitions_def= to define_asset_job."
                )
            partitions_def = self._resolve(definitions).partitions_def
        moment = tick_time(context, self.execution_timezone)
        key = partitions_def.get_last_partition_key(current_time=moment)
        if key is None:
            return SkipReason(f"The job's partitions have none that ended by {moment.isoformat()}.")
        tags = {**self.tags, PARTITION_TAG: key}
        return RunRequest(run_key=key, partition_key=key, job_name=self.job_name, tags=tags)

    def _resolve(self, definitions: Any) -> PartitionedScheduleDefinition:
        if self._partitions_def is not None:
            return self
        partitions_def = _partitions_of_assets(self.job, definitions, self.name)
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._partitions_def = partitions_def
        clone.cron_schedule = self._given_cron or _cron_for(
            partitions_def, self._overrides, self.job_name
        )
        clone.execution_timezone = self._given_timezone or partitions_def.timezone
        clone._bind()
        return clone


def build_schedule_from_partitioned_job(
    job: Any,
    description: str | None = None,
    name: str | None = None,
    minute_of_hour: int | None = None,
    hour_of_day: int | None = None,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
    cron_schedule: str | None = None,
    execution_timezone: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
) -> PartitionedScheduleDefinition:
    """A schedule that, at each tick, runs ``job`` for the latest partition that has ended.

    The schedule ticks when a partition ends (a daily job at midnight, in the partitions' time
    zone), optionally later in the next period (``hour_of_day=3``: at 03:00); each tick
    requests the last complete partition at the tick time, e.g. the tick of 2024-03-05 03:00
    requests ``"2024-03-04"``. The run key is the partition key, so a tick is never run twice.

    Args:
        job: an asset job over time-window partitions (``define_asset_job``, its partitions
            given by ``partitions_def=`` or by its assets).
        description: free text.
        name: the schedule's name (default ``"<job name>_schedule"``).
        minute_of_hour: minute past the hour to tick (0-59).
        hour_of_day: hour of the day to tick (0-23; not for hourly partitions).
        day_of_week: day of the week to tick (0 = Sunday; weekly partitions only).
        day_of_month: day of the month to tick (1-31; monthly partitions only).
        default_status: ``DefaultScheduleStatus.RUNNING`` to tick as soon as loaded.
        tags: tags of every run (the partition tag is added).
        cron_schedule: tick on this cron instead (excludes the four offsets above).
        execution_timezone: the time zone of the ticks (default: the partitions' time zone).
        metadata, owners: as for :class:`ScheduleDefinition`.

    Returns:
        A :class:`PartitionedScheduleDefinition` (a :class:`ScheduleDefinition`).

    Raises:
        DefinitionError: the job is not time-partitioned; an offset does not fit the
            partitions (e.g. ``day_of_week`` with daily partitions) or is out of range.

    Example:
        >>> from headwater import DailyPartitionsDefinition, asset, define_asset_job
        >>> days = DailyPartitionsDefinition(start_date="2024-01-01")
        >>> @asset(partitions_def=days)
        ... def trips() -> None: ...
        >>> nightly = build_schedule_from_partitioned_job(
        ...     define_asset_job("trips_job", selection=[trips], partitions_def=days), hour_of_day=3
        ... )
        >>> nightly.cron_schedule
        '0 3 * * *'
    """
    from headwater.declarations.automation.targets import is_job

    what = f"build_schedule_from_partitioned_job({getattr(job, 'name', job)!r})"
    if not is_job(job):
        raise DefinitionError(f"{what}: {job!r} is not a job; pass one from define_asset_job.")
    overrides = {
        "minute_of_hour": minute_of_hour, "hour_of_day": hour_of_day,
        "day_of_week": day_of_week, "day_of_month": day_of_month,
    }  # fmt: skip
    if cron_schedule is not None and any(v is not None for v in overrides.values()):
        raise DefinitionError(
            f"{what}: give cron_schedule or minute_of_hour/hour_of_day/day_of_week/"
            "day_of_month, not both."
        )
    partitions_def = getattr(job, "partitions_def", None) or _partitions_of_selection(job)
    if partitions_def is not None:
        _check_time_window(partitions_def, job.name)
    return PartitionedScheduleDefinition(
        job, partitions_def=partitions_def, overrides=overrides, name=name,
        cron_schedule=cron_schedule, execution_timezone=execution_timezone,
        description=description, default_status=default_status, tags=tags, metadata=metadata,
        owners=owners,
    )  # fmt: skip


def _check_time_window(partitions_def: Any, job_name: str) -> None:
    from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition

    if not isinstance(partitions_def, TimeWindowPartitionsDefinition):
        raise DefinitionError(
            f"Job {job_name!r} is partitioned by {type(partitions_def).__name__}, not by time "
            "windows: a partitioned schedule needs hourly, daily, weekly, monthly or cron "
            "partitions. Write a @schedule that returns RunRequest(partition_key=...) instead."
        )


def _partitions_of_selection(job: Any) -> Any:
    """The partitions of the assets a job lists directly, if they all share one."""
    selection = getattr(job, "selection", None)
    if not isinstance(selection, list | tuple):
        return None
    found = {id(d): d for d in (getattr(item, "partitions_def", None) for item in selection) if d}
    return next(iter(found.values())) if len(found) == 1 else None


def _partitions_of_assets(job: Any, definitions: Any, schedule_name: str) -> Any:
    keys = definitions.get_job_def(job.name).resolve_selection()
    found = {
        id(d): d
        for d in (definitions.get_assets_def(key).partitions_def for key in keys)
        if d is not None
    }
    if len(found) != 1:
        kind = "no" if not found else "several different"
        raise DefinitionError(
            f"Schedule {schedule_name!r}: the assets of job {job.name!r} have {kind} "
            "partitions definitions; a partitioned schedule needs exactly one (give "
            "partitions_def= to define_asset_job)."
        )
    (partitions_def,) = found.values()
    _check_time_window(partitions_def, job.name)
    return partitions_def


def _cron_for(partitions_def: Any, overrides: Mapping[str, int | None], job_name: str) -> str:
    """The partitions' cron with the given minute/hour/day offsets applied."""
    from headwater.declarations.partitions._schedule import (
        DAILY,
        HOURLY,
        MONTHLY,
        WEEKLY,
        parse_standard_schedule,
    )

    cron: str = partitions_def.cron_schedule
    schedule = parse_standard_schedule(cron)
    given = {key: value for key, value in overrides.items() if value is not None}
    if not given:
        return cron
    kind = schedule.kind if schedule is not None else None
    allowed = {
        HOURLY: {"minute_of_hour"},
        DAILY: {"minute_of_hour", "hour_of_day"},
        WEEKLY: {"minute_of_hour", "hour_of_day", "day_of_week"},
        MONTHLY: {"minute_of_hour", "hour_of_day", "day_of_month"},
    }.get(kind or "", set())
    refused = sorted(set(given) - allowed)
    if refused:
        label = f"{kind} partitions" if kind else f"partitions on cron {cron!r}"
        raise DefinitionError(
            f"build_schedule_from_partitioned_job({job_name!r}): {', '.join(refused)} cannot be "
            f"set for {label}; for them only {sorted(allowed) or 'cron_schedule='} apply."
        )
    if schedule is None:  # not reached: nothing is allowed for such partitions
        return cron
    limits = {"minute_of_hour": (0, 59), "hour_of_day": (0, 23), "day_of_week": (0, 6),
              "day_of_month": (1, 31)}  # fmt: skip
    for key, value in given.items():
        low, high = limits[key]
        if not isinstance(value, int) or not low <= value <= high:
            raise DefinitionError(
                f"build_schedule_from_partitioned_job({job_name!r}): {key}={value!r} is out of "
                f"range; give an integer from {low} to {high}."
            )
    minute = given.get("minute_of_hour", schedule.minute)
    if kind == HOURLY:
        return f"{minute} * * * *"
    hour = given.get("hour_of_day", schedule.hour)
    if kind == DAILY:
        return f"{minute} {hour} * * *"
    if kind == WEEKLY:
        return f"{minute} {hour} * * {given.get('day_of_week', schedule.day)}"
    return f"{minute} {hour} {given.get('day_of_month', schedule.day)} * *"
