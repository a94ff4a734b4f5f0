"""Schedules and sensors: what the snapshot declares, their state (RUNNING/STOPPED, cursor) and
tick history from storage, and the mutations that start, stop and set the cursor."""

import time
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from headwater.webserver.graphql.common import Tag, UserError, page_size, tags_of


@strawberry.type(description="One evaluation of a schedule or sensor by the daemon.")
class InstigationTick:
    _tick: strawberry.Private[Any]

    @strawberry.field(description="Its storage id (increases with every tick).")
    def tick_id(self) -> strawberry.ID | None:
        tick_id = self._tick.tick_id
        return None if tick_id is None else strawberry.ID(str(tick_id))

    @strawberry.field(description="A schedule's cron tick time, a sensor's evaluation start.")
    def timestamp(self) -> float:
        return float(self._tick.timestamp)

    @strawberry.field(description="When it ended (null while STARTED).")
    def end_timestamp(self) -> float | None:
        return self._tick.end_timestamp  # type: ignore[no-any-return]

    @strawberry.field(description="STARTED, SUCCESS, SKIPPED or FAILURE.")
    def status(self) -> str:
        return str(self._tick.status)

    @strawberry.field(description="The runs it launched (or found launched for its run keys).")
    def run_ids(self) -> list[str]:
        return list(self._tick.run_ids)

    @strawberry.field(description="The run keys of its requests.")
    def run_keys(self) -> list[str]:
        return list(self._tick.run_keys)

    @strawberry.field(description="Why it requested nothing (SKIPPED).")
    def skip_reason(self) -> str | None:
        return self._tick.skip_reason  # type: ignore[no-any-return]

    @strawberry.field(description="What went wrong, the user's traceback included (FAILURE).")
    def error(self) -> str | None:
        return self._tick.error  # type: ignore[no-any-return]

    @strawberry.field(description="A sensor's cursor before and after the tick.")
    def cursor_before(self) -> str | None:
        return self._tick.cursor_before  # type: ignore[no-any-return]

    @strawberry.field(description="A sensor's cursor after the tick.")
    def cursor_after(self) -> str | None:
        return self._tick.cursor_after  # type: ignore[no-any-return]

    @strawberry.field(description="Other facts about the tick, as stored.")
    def extra(self) -> JSON:
        return dict(self._tick.extra)  # type: ignore[return-value]


def _instigator_id(kind: str, location: str, name: str) -> Any:
    from headwater.storage.instigator_records import InstigatorId, InstigatorType

    return InstigatorId(instigator_type=InstigatorType(kind), location_name=location, name=name)


class _Instigated:
    """What schedules and sensors share: their stored state and ticks."""

    _kind = ""
    _location: str
    _definition: Any

    def _id(self) -> Any:
        return _instigator_id(self._kind, self._location, self._definition.name)

    def _state(self, info: Info) -> Any:
        return info.context.cached(
            f"state:{self._kind}:{self._location}:{self._definition.name}",
            lambda: info.context.instance.storage.get_instigator_state(self._id()),
        )

    def _status(self, info: Info) -> str:
        state = self._state(info)
        default = str(self._definition.default_status)
        return default if state is None or state.status is None else str(state.status)

    def _ticks(self, info: Info, first: int | None, before: float | None) -> list[InstigationTick]:
        found = info.context.instance.storage.get_ticks(self._id(), limit=page_size(first, 25),
                                                        before=before)  # fmt: skip
        return [InstigationTick(_tick=t) for t in found]


@strawberry.type(description="A schedule of a code location.")
class Schedule(_Instigated):
    _kind = "SCHEDULE"
    _location: strawberry.Private[str]
    _schedule: strawberry.Private[Any]

    @property
    def _definition(self) -> Any:
        return self._schedule

    @strawberry.field(description="The schedule's name.")
    def name(self) -> str:
        return str(self._schedule.name)

    @strawberry.field(description="The code location declaring it.")
    def location_name(self) -> str:
        return self._location

    @strawberry.field(description="Its cron strings (ticks at their union).")
    def cron_schedules(self) -> list[str]:
        cron = self._schedule.cron_schedule
        return [cron] if isinstance(cron, str) else list(cron)

    @strawberry.field(description="The job it launches.")
    def job_name(self) -> str:
        return str(self._schedule.job_name)

    @strawberry.field(description="The IANA zone its cron is read in (null: UTC).")
    def execution_timezone(self) -> str | None:
        return self._schedule.execution_timezone  # type: ignore[no-any-return]

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._schedule.description  # type: ignore[no-any-return]

    @strawberry.field(description="RUNNING or STOPPED, as declared.")
    def default_status(self) -> str:
        return str(self._schedule.default_status)

    @strawberry.field(description="Its tags.")
    def tags(self) -> list[Tag]:
        return tags_of(self._schedule.tags)

    @strawberry.field(description="RUNNING or STOPPED: as set (start/stop), else as declared.")
    def status(self, info: Info) -> str:
        return self._status(info)

    @strawberry.field(description="The last cron tick the daemon handled (epoch seconds).")
    def last_tick_timestamp(self, info: Info) -> float | None:
        state = self._state(info)
        return None if state is None else state.last_tick_timestamp

    @strawberry.field(description="Its next cron ticks from now (epoch seconds).")
    def next_ticks(self, count: int = 5) -> list[float]:
        from headwater.daemon.cron import next_cron_tick

        ticks, after = [], time.time()
        for _ in range(max(0, min(count, 100))):
            after = next_cron_tick(self._schedule.cron_schedule,
                                   self._schedule.execution_timezone, after)  # fmt: skip
            ticks.append(after)
        return ticks

    @strawberry.field(description="Its ticks, newest first (`before`: epoch seconds).")
    def ticks(
        self, info: Info, first: int | None = 25, before: float | None = None
    ) -> list[InstigationTick]:
        return self._ticks(info, first, before)


@strawberry.type(description="A sensor of a code location.")
class Sensor(_Instigated):
    _kind = "SENSOR"
    _location: strawberry.Private[str]
    _sensor: strawberry.Private[Any]

    @property
    def _definition(self) -> Any:
        return self._sensor

    @strawberry.field(description="The sensor's name.")
    def name(self) -> str:
        return str(self._sensor.name)

    @strawberry.field(description="The code location declaring it.")
    def location_name(self) -> str:
        return self._location

    @strawberry.field(description="The definition's class, e.g. 'SensorDefinition'.")
    def sensor_type(self) -> str:
        return str(self._sensor.sensor_type)

    @strawberry.field(description="The jobs its run requests launch.")
    def job_names(self) -> list[str]:
        return list(self._sensor.job_names)

    @strawberry.field(description="At least this many seconds between two ticks.")
    def minimum_interval_seconds(self) -> int:
        return int(self._sensor.minimum_interval_seconds)

    @strawberry.field(description="Its description, when given.")
    def description(self) -> str | None:
        return self._sensor.description  # type: ignore[no-any-return]

    @strawberry.field(description="RUNNING or STOPPED, as declared.")
    def default_status(self) -> str:
        return str(self._sensor.default_status)

    @strawberry.field(description="Its tags.")
    def tags(self) -> list[Tag]:
        return tags_of(self._sensor.tags)

    @strawberry.field(description="RUNNING or STOPPED: as set (start/stop), else as declared.")
    def status(self, info: Info) -> str:
        return self._status(info)

    @strawberry.field(description="Its cursor (null: none yet).")
    def cursor(self, info: Info) -> str | None:
        state = self._state(info)
        return None if state is None else state.cursor

    @strawberry.field(description="When the daemon last evaluated it (epoch seconds).")
    def last_tick_timestamp(self, info: Info) -> float | None:
        state = self._state(info)
        return None if state is None else state.last_tick_timestamp

    @strawberry.field(description="Its ticks, newest first (`before`: epoch seconds).")
    def ticks(
        self, info: Info, first: int | None = 25, before: float | None = None
    ) -> list[InstigationTick]:
        return self._ticks(info, first, before)


@strawberry.type(description="A schedule or sensor after a change of its state.")
class InstigatorPayload:
    schedule: Schedule | None
    sensor: Sensor | None
    errors: list[UserError]


def change_instigator(
    info: Info, kind: str, location_name: str, name: str, *, running: bool | None,
    cursor: str | None = None, set_cursor: bool = False,
) -> InstigatorPayload:  # fmt: skip
    """Start or stop (``running``) a schedule or sensor, or set a sensor's cursor."""
    from headwater.storage.instigator_records import InstigatorStatus

    view = info.context.state.location(location_name)
    what = "schedules" if kind == "SCHEDULE" else "sensors"
    if view is None or view.snapshot is None:
        return InstigatorPayload(schedule=None, sensor=None, errors=[UserError(
            message=f"No loaded code location named {location_name!r}.", kind="NOT_FOUND",
            field="locationName")])  # fmt: skip
    found = [d for d in getattr(view.snapshot, what) if d.name == name]
    if not found:
        names = ", ".join(d.name for d in getattr(view.snapshot, what)) or "none"
        return InstigatorPayload(schedule=None, sensor=None, errors=[UserError(
            message=f"Location {location_name!r} has no {kind.lower()} named {name!r}; its "
                    f"{what}: {names}.", kind="NOT_FOUND", field="name")])  # fmt: skip
    definition = found[0]
    storage = info.context.instance.storage
    instigator = _instigator_id(kind, location_name, name)
    state = storage.get_instigator_state(instigator)
    changes: dict[str, Any] = {}
    if running is not None:
        wanted = InstigatorStatus.RUNNING if running else InstigatorStatus.STOPPED
        current = (state.effective_status(str(definition.default_status)) if state
                   else InstigatorStatus(str(definition.default_status)))  # fmt: skip
        changes["status"] = wanted
        if running and current is not InstigatorStatus.RUNNING:
            changes["last_tick_timestamp"] = time.time()  # ticks count from now, no catch-up
    if set_cursor:
        changes["cursor"] = cursor
    storage.update_instigator_state(instigator, **changes)
    info.context.forget()
    if kind == "SCHEDULE":
        return InstigatorPayload(schedule=Schedule(_location=location_name, _schedule=definition),
                                 sensor=None, errors=[])  # fmt: skip
    sensor = Sensor(_location=location_name, _sensor=definition)
    return InstigatorPayload(schedule=None, sensor=sensor, errors=[])
