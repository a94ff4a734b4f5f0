"""What a schedule or sensor function receives: its evaluation context, and builders for tests.

A context carries the instance, the resources, a logger, the definitions of the code location
and, for sensors, the cursor. Resources are set up the first time they are used and torn down
when the context is closed (``with build_sensor_context(...) as context:``) or collected.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from headwater.errors import InvalidInvocationError


class _EvaluationContext:
    """What schedule and sensor contexts share: instance, resources, log, definitions."""

    _kind = "evaluation"

    def __init__(
        self,
        *,
        name: str | None,
        instance: Any,
        resources: Mapping[str, Any] | None,
        definitions: Any,
    ) -> None:
        self._name = name
        self._instance = instance
        self._resource_defs = dict(resources or {})
        self._definitions = definitions
        self._resources: Any = None
        self._stack = ExitStack()

    # -- instance, definitions, log ------------------------------------------------------------
    @property
    def instance(self) -> Any:
        """The :class:`~headwater.Instance` the tick runs against.

        Raises:
            HeadwaterError: the context was built without one.
        """
        if self._instance is None:
            raise InvalidInvocationError(
                f"This {self._kind} context has no instance: pass instance= to "
                f"build_{self._kind}_context (in a test, instance_for_test() gives a real one)."
            )
        return self._instance

    @property
    def definitions(self) -> Any:
        """The code location's :class:`~headwater.Definitions` (``None`` when not given)."""
        return self._definitions

    @property
    def repository_def(self) -> Any:
        """Dagster's name for :attr:`definitions`."""
        return self._definitions

    @property
    def log(self) -> logging.Logger:
        """A logger for messages about this tick."""
        return logging.getLogger(f"headwater.{self._kind}.{self._name or 'unnamed'}")

    # -- resources -----------------------------------------------------------------------------
    @property
    def resource_defs(self) -> Mapping[str, Any]:
        """The resources as given (before setup): key -> resource."""
        return self._resource_defs

    @property
    def resources(self) -> Any:
        """The live resources, ``context.resources.key`` (set up on first access)."""
        return self._live_resources(())

    def _live_resources(self, required: Any) -> Any:
        """Set up the given resources and every resource given to the context (once)."""
        keys = set(self._resource_defs) | set(required)
        if self._resources is not None and keys <= set(self._resources):
            return self._resources
        from headwater.declarations.resources.definition import initialize_resources

        self.close()  # a later call needing more keys sets everything up again
        manager = initialize_resources(
            self._available_resources(), required_keys=sorted(keys), instance=self._instance
        )
        self._resources = self._stack.enter_context(manager)
        return self._resources

    def _available_resources(self) -> dict[str, Any]:
        from_defs = getattr(self._definitions, "resources", None) or {}
        return {**from_defs, **self._resource_defs}

    def merge_resources(self, resources: Mapping[str, Any]) -> Self:
        """A copy of this context with ``resources`` added (overriding same keys)."""
        clone = self._copy()
        clone._resource_defs = {**self._resource_defs, **resources}
        clone._resources = None
        clone._stack = ExitStack()
        return clone

    def _copy(self) -> Self:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    # -- lifetime ------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Tear down the resources this context set up."""
        self._resources = None
        self._stack.close()

    def __del__(self) -> None:
        stack = self.__dict__.get("_stack")
        if stack is not None:
            stack.close()


class ScheduleEvaluationContext(_EvaluationContext):
    """The context of one schedule tick.

    Attributes:
        scheduled_execution_time: the tick's time (aware, in the schedule's time zone when the
            daemon evaluates it; as given by ``build_schedule_context`` in tests).
        schedule_name: the schedule evaluated (``None`` in a context built for a test).
        instance, resources, log, definitions: see the builders.
    """

    _kind = "schedule"

    def __init__(
        self,
        *,
        scheduled_execution_time: datetime | None = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        definitions: Any = None,
        schedule_name: str | None = None,
    ) -> None:
        super().__init__(
            name=schedule_name, instance=instance, resources=resources, definitions=definitions
        )
        self._scheduled_execution_time = scheduled_execution_time

    @property
    def scheduled_execution_time(self) -> datetime:
        """The time the tick was scheduled for.

        Raises:
            HeadwaterError: the context was built without one.
        """
        if self._scheduled_execution_time is None:
            raise InvalidInvocationError(
                "This schedule context has no scheduled_execution_time: pass "
                "scheduled_execution_time= to build_schedule_context."
            )
        return self._scheduled_execution_time

    @property
    def schedule_name(self) -> str | None:
        """The name of the schedule being evaluated."""
        return self._name

    def _for_schedule(self, name: str) -> ScheduleEvaluationContext:
        if self._name is None:
            self._name = name  # a test's context takes the name of what it evaluates
        if self._name == name:
            return self
        clone = self._copy()
        clone._name = name
        return clone


class SensorEvaluationContext(_EvaluationContext):
    """The context of one sensor tick.

    Attributes:
        cursor: the sensor's cursor (a string the sensor chose at an earlier tick, or ``None``).
        last_tick_completion_time: when the previous tick finished (POSIX seconds), or ``None``.
        last_run_key: the run key of the last run the sensor requested, or ``None``.
        last_sensor_start_time: when the sensor was last started (POSIX seconds), or ``None``.
        sensor_name: the sensor evaluated (``None`` in a context built for a test).
        instance, resources, log, definitions: see :func:`build_sensor_context`.
    """

    _kind = "sensor"

    def __init__(
        self,
        *,
        cursor: str | None = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        definitions: Any = None,
        sensor_name: str | None = None,
        last_tick_completion_time: float | None = None,
        last_run_key: str | None = None,
        last_sensor_start_time: float | None = None,
    ) -> None:
        super().__init__(
            name=sensor_name, instance=instance, resources=resources, definitions=definitions
        )
        self._cursor = cursor
        self._cursor_updated = False
        self.last_tick_completion_time = last_tick_completion_time
        self.last_run_key = last_run_key
        self.last_sensor_start_time = last_sensor_start_time

    @property
    def cursor(self) -> str | None:
        """The current cursor (``update_cursor`` changes it)."""
        return self._cursor

    @property
    def cursor_updated(self) -> bool:
        """Whether ``update_cursor`` was called during this tick."""
        return self._cursor_updated

    def update_cursor(self, cursor: str | None) -> None:
        """Set the cursor the next tick will see (kept only if this tick succeeds).

        Args:
            cursor: any string, e.g. the name of the last file handled or a JSON document.
        """
        self._cursor = cursor
        self._cursor_updated = True

    @property
    def last_completion_time(self) -> float | None:
        """Dagster's older name for :attr:`last_tick_completion_time`."""
        return self.last_tick_completion_time

    @property
    def is_first_tick_since_sensor_start(self) -> bool:
        """Whether no tick has completed since the sensor was (re)started."""
        if self.last_tick_completion_time is None:
            return True
        start = self.last_sensor_start_time
        return start is not None and self.last_tick_completion_time < start

    @property
    def sensor_name(self) -> str | None:
        """The name of the sensor being evaluated."""
        return self._name

    def _for_sensor(self, name: str) -> SensorEvaluationContext:
        if self._name is None:
            self._name = name  # a test's context takes the name of what it evaluates
        if self._name == name:
            return self
        clone = self._copy()
        clone._name = name
        return clone


def build_schedule_context(
    instance: Any = None,
    scheduled_execution_time: datetime | None = None,
    resources: Mapping[str, Any] | None = None,
    repository_def: Any = None,
    *,
    definitions: Any = None,
) -> ScheduleEvaluationContext:
    """A schedule context for calling a schedule directly in a test.

    Args:
        instance: the :class:`~headwater.Instance` the schedule may read (e.g. from
            ``instance_for_test()``).
        scheduled_execution_time: the tick's time. A naive datetime is read in the schedule's
            ``execution_timezone`` by partitioned schedules.
        resources: resource key -> resource, for parameters annotated with a
            ``ConfigurableResource`` and for ``context.resources``.
        repository_def: Dagster's name for ``definitions``.
        definitions: the code location's ``Definitions`` (its resources are used for keys not
            in ``resources``; partitioned schedules find their assets there).

    Returns:
        A :class:`ScheduleEvaluationContext`; use it as a context manager to tear resources
        down when done.

    Example:
        >>> from datetime import datetime
        >>> context = build_schedule_context(scheduled_execution_time=datetime(2024, 1, 2))
        >>> context.scheduled_execution_time
        datetime.datetime(2024, 1, 2, 0, 0)
    """
    return ScheduleEvaluationContext(
        scheduled_execution_time=scheduled_execution_time,
        instance=instance,
        resources=resources,
        definitions=definitions if definitions is not None else repository_def,
    )


def build_sensor_context(
    instance: Any = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    repository_def: Any = None,
    sensor_name: str | None = None,
    resources: Mapping[str, Any] | None = None,
    definitions: Any = None,
    instance_ref: Any = None,
    last_sensor_start_time: float | None = None,
    *,
    last_tick_completion_time: float | None = None,
    last_run_key: str | None = None,
) -> SensorEvaluationContext:
    """A sensor context for calling a sensor directly in a test.

    Args:
        instance: the :class:`~headwater.Instance` the sensor may read.
        cursor: the cursor the sensor sees, as a previous tick would have left it.
        repository_name, instance_ref: accepted for Dagster compatibility; unused.
        repository_def: Dagster's name for ``definitions``.
        sensor_name: the sensor's name as seen by ``context.sensor_name``.
        resources: resource key -> resource, for annotated parameters and
            ``context.resources``.
        definitions: the code location's ``Definitions`` (its resources fill keys missing from
            ``resources``).
        last_sensor_start_time, last_tick_completion_time, last_run_key: what the previous
            ticks left (POSIX seconds for times).

    Returns:
        A :class:`SensorEvaluationContext`.

    Example:
        >>> build_sensor_context(cursor="file-7.csv").cursor
        'file-7.csv'
    """
    del repository_name, instance_ref
    return SensorEvaluationContext(
        cursor=cursor,
        instance=instance,
        resources=resources,
        definitions=definitions if definitions is not None else repository_def,
        sensor_name=sensor_name,
        last_tick_completion_time=last_tick_completion_time,
        last_run_key=last_run_key,
        last_sensor_start_time=last_sensor_start_time,
    )
