"""Run status sensors: functions called when a run of a monitored job reaches a status.

``@run_status_sensor`` and ``@run_failure_sensor`` declare them; a test calls one directly
with a context from :func:`build_run_status_sensor_context`. Ticks are evaluated by the sensor
daemon (which finds the runs that reached the status); a plain ``evaluate_tick`` cannot know
them and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.automation._invocation import UserFunction
from headwater.declarations.automation.contexts import SensorEvaluationContext, _EvaluationContext
from headwater.declarations.automation.sensors import SensorDefinition
from headwater.declarations.automation.statuses import DefaultSensorStatus
from headwater.errors import DefinitionError, InvalidInvocationError

_STATUSES = frozenset(
    {"QUEUED", "NOT_STARTED", "STARTING", "STARTED", "SUCCESS", "FAILURE", "CANCELING", "CANCELED"}
)


class RunStatusSensorContext(_EvaluationContext):
    """What a run status sensor's function receives: the run and the event of its status.

    Attributes:
        sensor_name: the sensor evaluated.
        dagster_run: the run (a ``Run`` record) that reached the status.
        dagster_event: the event of that status (e.g. the run's ``RUN_FAILURE`` event).
        partition_key: the run's partition, if any.
        instance, resources, log: as for a sensor context.
    """

    _kind = "run status sensor"

    def __init__(
        self,
        *,
        sensor_name: str,
        dagster_run: Any,
        dagster_event: Any,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        definitions: Any = None,
        partition_key: str | None = None,
    ) -> None:
        super().__init__(
            name=sensor_name, instance=instance, resources=resources, definitions=definitions
        )
        self.dagster_run = dagster_run
        self.dagster_event = dagster_event
        self.partition_key = partition_key

    @property
    def sensor_name(self) -> str | None:
        """The name of the sensor being evaluated."""
        return self._name

    def for_run_failure(self) -> RunFailureSensorContext:
        """This context as a run failure sensor sees it."""
        failure = object.__new__(RunFailureSensorContext)
        failure.__dict__.update(self.__dict__)
        return failure


class RunFailureSensorContext(RunStatusSensorContext):
    """The context of a run failure sensor: a :class:`RunStatusSensorContext` whose event is
    the run's failure (``failure_event``)."""

    @property
    def failure_event(self) -> Any:
        """The run's failure event (same as ``dagster_event``)."""
        return self.dagster_event


def build_run_status_sensor_context(
    sensor_name: str,
    dagster_event: Any,
    dagster_instance: Any,
    dagster_run: Any,
    context: SensorEvaluationContext | None = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
) -> RunStatusSensorContext:
    """A context for calling a run status sensor directly in a test.

    Args:
        sensor_name: the sensor's name.
        dagster_event: the event of the status reached (e.g. a run's failure event).
        dagster_instance: the instance holding the run.
        dagster_run: the run (a ``Run`` record, e.g. ``instance.get_run_by_id(run_id)``).
        context: a sensor context whose resources and definitions to use.
        resources: resource key -> resource, for annotated parameters and ``context.resources``.
        partition_key: the run's partition, if any.

    Returns:
        A :class:`RunStatusSensorContext` (a failure sensor converts it to a
        :class:`RunFailureSensorContext` when called).

    Example:
        >>> context = build_run_status_sensor_context("alerts", None, None, None)
        >>> context.sensor_name
        'alerts'
    """
    base = dict(context._available_resources()) if context is not None else {}
    return RunStatusSensorContext(
        sensor_name=sensor_name, dagster_run=dagster_run, dagster_event=dagster_event,
        instance=dagster_instance, resources={**base, **(resources or {})},
        definitions=context.definitions if context is not None else None,
        partition_key=partition_key,
    )  # fmt: skip


class RunStatusSensorDefinition(SensorDefinition):
    """A sensor whose function is called for each run of a monitored job reaching a status.

    Args:
        name: the sensor's name (letters, digits and ``_``).
        run_status: the status to react to, a ``RunStatus`` (e.g. ``RunStatus.SUCCESS``).
        run_status_sensor_fn: ``fn(context)`` with a :class:`RunStatusSensorContext`;
            parameters annotated with ``ConfigurableResource`` classes receive resources. It
            may return or yield ``RunRequest`` s (for ``request_job``/``request_jobs``) or a
            ``SkipReason``.
        monitored_jobs: the jobs (or job names) whose runs it watches (default: every job of
            the code location).
        monitor_all_code_locations: watch the runs of every code location.
        request_job / request_jobs: what its run requests launch.
        minimum_interval_seconds, description, default_status, required_resource_keys, tags,
        metadata: as for :class:`SensorDefinition`.

    Raises:
        DefinitionError: ``run_status`` is not a run status; as for :class:`SensorDefinition`.

    Example:
        >>> def notify(context):
        ...     return None
        >>> RunStatusSensorDefinition("notify", "SUCCESS", notify).run_status
        'SUCCESS'
    """

    def __init__(
        self,
        name: str,
        run_status: Any,
        run_status_sensor_fn: Callable[..., Any],
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        monitored_jobs: Sequence[Any] | None = None,
        monitor_all_code_locations: bool = False,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_job: Any = None,
        request_jobs: Sequence[Any] | None = None,
        required_resource_keys: set[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(run_status, str) or str(run_status) not in _STATUSES:
            raise DefinitionError(
                f"Run status sensor {name!r}: run_status must be a RunStatus (e.g. "
                f"RunStatus.SUCCESS), got {run_status!r}."
            )
        self.run_status = run_status
        self.monitor_all_code_locations = monitor_all_code_locations
        self.monitored_job_names: tuple[str, ...] = tuple(
            job if isinstance(job, str) else job.name for job in monitored_jobs or ()
        )
        self._status_fn = UserFunction.analyze(run_status_sensor_fn, f"sensor {name!r}")
        keys = set(required_resource_keys or ()) | set(self._status_fn.resource_params)
        super().__init__(
            name=name, evaluation_fn=_evaluated_by_the_daemon,
            minimum_interval_seconds=minimum_interval_seconds, description=description,
            job=request_job, jobs=request_jobs, default_status=default_status,
            required_resource_keys=keys, tags=tags, metadata=metadata,
        )  # fmt: skip

    @property
    def run_status_sensor_fn(self) -> Callable[..., Any]:
        """The user's function, ``fn(context)``."""
        return self._status_fn.fn

    def _context_for(self, context: RunStatusSensorContext) -> RunStatusSensorContext:
        return context

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function directly (as in a test) with a context from
        :func:`build_run_status_sensor_context`; returns what the function returns.

        Resources may be passed by keyword.

        Raises:
            InvalidInvocationError: the argument is not a run status sensor context.
        """
        if len(args) != 1 or not isinstance(args[0], RunStatusSensorContext):
            raise InvalidInvocationError(
                f"Run status sensor {self.name!r} takes one argument, its context: call it "
                "with build_run_status_sensor_context(sensor_name, dagster_event, "
                "dagster_instance, dagster_run)."
            )
        return self._status_fn.call(self._context_for(args[0]), kwargs)

    def __repr__(self) -> str:
        return f"<RunStatusSensorDefinition {self.name!r} on {self.run_status!s}>"


class RunFailureSensorDefinition(RunStatusSensorDefinition):
    """A :class:`RunStatusSensorDefinition` on ``RunStatus.FAILURE`` whose function gets a
    :class:`RunFailureSensorContext`; made by :func:`run_failure_sensor`."""

    def _context_for(self, context: RunStatusSensorContext) -> RunStatusSensorContext:
        return context.for_run_failure()


def _evaluated_by_the_daemon(context: SensorEvaluationContext) -> None:
    raise DefinitionError(
        f"Sensor {context.sensor_name!r} is a run status sensor: the sensor daemon finds the "
        "runs that reached its status and calls it once per run (headwater daemon run), "
        "so evaluate_tick cannot find the runs. In a test, call the sensor with "
        "build_run_status_sensor_context(...)."
    )


def run_status_sensor(
    run_status: Any,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    """Declare a sensor whose function runs for each run of a monitored job reaching
    ``run_status``.

    Args:
        run_status: a ``RunStatus`` (``RunStatus.SUCCESS``, ``RunStatus.FAILURE``, ...).
        name: the sensor's name (default: the function's name).
        monitored_jobs: the jobs (or names) watched (default: every job of the location).
        monitor_all_code_locations, request_job, request_jobs, minimum_interval_seconds,
        description, default_status, required_resource_keys, tags, metadata: see
            :class:`RunStatusSensorDefinition`.

    Returns:
        A decorator producing a :class:`RunStatusSensorDefinition`.

    Example:
        >>> @run_status_sensor(run_status="SUCCESS")
        ... def on_success(context):
        ...     return None
        >>> on_success.name
        'on_success'
    """

    def decorate(fn: Callable[..., Any]) -> RunStatusSensorDefinition:
        doc = getattr(fn, "__doc__", None)
        return RunStatusSensorDefinition(
            name=name or fn.__name__, run_status=run_status, run_status_sensor_fn=fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or (doc.strip() if doc else None),
            monitored_jobs=monitored_jobs,
            monitor_all_code_locations=bool(monitor_all_code_locations),
            default_status=default_status, request_job=request_job, request_jobs=request_jobs,
            required_resource_keys=required_resource_keys, tags=tags, metadata=metadata,
        )  # fmt: skip

    return decorate


def run_failure_sensor(
    name: Callable[..., Any] | str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Any:
    """Declare a sensor whose function runs for each failed run of a monitored job.

    Usable bare (``@run_failure_sensor``) or with arguments; the function gets a
    :class:`RunFailureSensorContext` (``context.failure_event``). Arguments as for
    :func:`run_status_sensor` without ``run_status``.

    Example:
        >>> @run_failure_sensor
        ... def alert(context):
        ...     return None
        >>> alert.run_status
        'FAILURE'
    """

    def decorate(fn: Callable[..., Any]) -> RunFailureSensorDefinition:
        doc = getattr(fn, "__doc__", None)
        sensor_name = name if isinstance(name, str) else fn.__name__
        return RunFailureSensorDefinition(
            name=sensor_name, run_status="FAILURE", run_status_sensor_fn=fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or (doc.strip() if doc else None),
            monitored_jobs=monitored_jobs,
            monitor_all_code_locations=bool(monitor_all_code_locations),
            default_status=default_status, request_job=request_job, request_jobs=request_jobs,
            required_resource_keys=required_resource_keys, tags=tags, metadata=metadata,
        )  # fmt: skip

    if callable(name):
        return decorate(name)
    return decorate
