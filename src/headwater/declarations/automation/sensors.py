"""Sensors: ``SensorDefinition`` and ``@sensor``, evaluated one tick at a time."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.automation._invocation import UserFunction, check_name
from headwater.declarations.automation.contexts import SensorEvaluationContext
from headwater.declarations.automation.run_requests import normalize_tags
from headwater.declarations.automation.statuses import DefaultSensorStatus
from headwater.declarations.automation.targets import Target, resolve_target
from headwater.declarations.automation.ticks import TickEvaluation, sensor_evaluation
from headwater.errors import DefinitionError, user_code_boundary
from headwater.metadata import normalize_metadata

DEFAULT_SENSOR_INTERVAL_SECONDS = 30


class SensorDefinition:
    """A function evaluated every few seconds that decides whether to request runs.

    Each tick calls the function with a :class:`SensorEvaluationContext`; it returns or
    yields ``RunRequest``s (de-duplicated by ``run_key``), a ``SkipReason``, or one
    ``SensorResult`` (run requests, the new cursor, dynamic partitions to add, asset events).
    The cursor is the sensor's memory between ticks (``context.cursor``,
    ``context.update_cursor``).

    Args:
        name: the sensor's name (default: the function's name). Letters, digits and ``_``.
        evaluation_fn: the function (first parameter: the context; parameters annotated
            with ``ConfigurableResource`` classes receive those resources).
        job_name: the job its run requests launch, by name.
        minimum_interval_seconds: at least this long between two ticks (default 30).
        description: free text.
        job: the job its run requests launch.
        jobs: several jobs; each ``RunRequest`` then names its ``job_name``.
        default_status: ``DefaultSensorStatus.RUNNING`` to tick as soon as it is loaded.
        asset_selection: assets its run requests materialize (an asset job is built).
        required_resource_keys: resources reachable as ``context.resources.<key>``.
        tags, metadata, owners: shown in the UI.
        target: a job or an asset selection (instead of the above). At most one of ``job``,
            ``jobs``, ``job_name``, ``asset_selection`` and ``target`` may be given; a sensor
            without one only acts through side effects.

    Raises:
        DefinitionError: several targets, a negative interval, an invalid name, or a
            parameter that is neither the context nor an annotated resource.

    Example:
        >>> from headwater import RunRequest, build_sensor_context, define_asset_job
        >>> def new_files(context):
        ...     return RunRequest(run_key="a.csv")
        >>> inbox = SensorDefinition(evaluation_fn=new_files, job=define_asset_job("load"))
        >>> inbox.evaluate_tick(build_sensor_context()).run_requests[0].run_key
        'a.csv'
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        evaluation_fn: Callable[..., Any] | None = None,
        job_name: str | None = None,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        asset_selection: Any = None,
        required_resource_keys: set[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        target: Any = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        if evaluation_fn is None:
            raise DefinitionError(
                f"SensorDefinition {name!r}: evaluation_fn is required (or use @sensor)."
            )
        self.name: str = check_name(name or evaluation_fn.__name__, "Sensor")
        what = f"sensor {self.name!r}"
        self._target: Target = resolve_target(
            what=what, owner_name=self.name, job=job, jobs=jobs, job_name=job_name,
            target=target, asset_selection=asset_selection, required=False,
        )  # fmt: skip
        interval = DEFAULT_SENSOR_INTERVAL_SECONDS
        if minimum_interval_seconds is not None:
            interval = minimum_interval_seconds
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 0:
            raise DefinitionError(
                f"{what}: minimum_interval_seconds must be a whole number of seconds >= 0, got "
                f"{minimum_interval_seconds!r}."
            )
        if not isinstance(default_status, DefaultSensorStatus):
            raise DefinitionError(
                f"{what}: default_status must be a DefaultSensorStatus, got {default_status!r}."
            )
        self.minimum_interval_seconds = interval
        self.description = description
        self.default_status = default_status
        self.asset_selection = asset_selection
        self.target = target
        self.tags = normalize_tags(tags, what)
        self.metadata = normalize_metadata(metadata, where=what)
        self.owners = tuple(owners or ())
        self._fn = UserFunction.analyze(evaluation_fn, what)
        keys = set(required_resource_keys or ()) | set(self._fn.resource_params)
        self.required_resource_keys: frozenset[str] = frozenset(keys)

    # -- what it runs --------------------------------------------------------------------------
    @property
    def job_names(self) -> list[str]:
        """Names of the jobs it may launch (empty for a sensor without a target)."""
        return list(self._target.job_names)

    @property
    def job_name(self) -> str:
        """The name of its only job.

        Raises:
            DefinitionError: it has no job, or several.
        """
        names = self._target.job_names
        if len(names) != 1:
            raise DefinitionError(self._not_one_job(len(names)))
        return names[0]

    @property
    def jobs(self) -> list[Any]:
        """The job objects it launches (an asset job is built for an asset selection)."""
        return list(self._target.jobs)

    @property
    def job(self) -> Any:
        """Its only job object.

        Raises:
            DefinitionError: it has no job object, or several.
        """
        if len(self._target.jobs) != 1:
            raise DefinitionError(self._not_one_job(len(self._target.jobs)))
        return self._target.jobs[0]

    def _not_one_job(self, count: int) -> str:
        if count == 0:
            return f"Sensor {self.name!r} has no job; give it job=, job_name= or target=."
        return f"Sensor {self.name!r} targets {count} jobs; use job_names/jobs."

    @property
    def evaluation_fn(self) -> Callable[..., Any]:
        """The user function evaluated at each tick."""
        return self._fn.fn

    # -- evaluation ----------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the sensor's function directly (as in a unit test); returns what it returns.

        ``context.update_cursor`` calls act on the context given.

        Raises:
            HeadwaterError: the function expects a context that was not given.
            MissingResourceError: a resource parameter has no value.
        """
        return self._fn.invoke(args, kwargs, SensorEvaluationContext)

    def evaluate_tick(self, context: SensorEvaluationContext) -> TickEvaluation:
        """Evaluate one tick: run requests (tagged with the sensor name), skip reason, cursor.

        The cursor is the one the function set (``SensorResult(cursor=)`` or
        ``context.update_cursor``), else the context's cursor unchanged.

        Raises:
            UserCodeError: the function raised (the original exception is kept); the daemon
                records a failed tick and keeps the old cursor.
            DefinitionError: it returned something other than run requests, skip reasons or
                a ``SensorResult``, or a request names a job the sensor does not target.
        """
        context = context._for_sensor(self.name)
        with user_code_boundary(f"sensor {self.name!r}"):
            result = self._fn.call(context)
            if inspect.isgenerator(result):
                result = list(result)  # what a generator raises is the user's error too
        evaluation = sensor_evaluation(result, self.name, context)
        for request in evaluation.run_requests:
            self._check_job(request.job_name)
        return evaluation

    def _check_job(self, job_name: str | None) -> None:
        names = self._target.job_names
        if job_name is None and len(names) > 1:
            raise DefinitionError(
                f"Sensor {self.name!r} targets several jobs {list(names)}; each RunRequest must "
                "say which with job_name=."
            )
        if job_name is not None and names and job_name not in names:
            raise DefinitionError(
                f"Sensor {self.name!r} requested a run of job {job_name!r}, which it does not "
                f"target; its jobs are {list(names)}."
            )

    def _resolve(self, definitions: Any) -> SensorDefinition:
        """The sensor as ``definitions`` uses it."""
        return self

    def __repr__(self) -> str:
        return f"<SensorDefinition {self.name!r} -> {list(self._target.job_names)}>"


def sensor(
    job_name: str | None = None,
    *,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    asset_selection: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    target: Any = None,
    owners: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], SensorDefinition]:
    """Declare a sensor: the decorated function decides at each tick what to run.

    The function's optional first parameter is the :class:`SensorEvaluationContext`;
    parameters annotated with ``ConfigurableResource`` classes receive those resources. It
    returns or yields ``RunRequest``s, a ``SkipReason``, or a ``SensorResult``. Calling the
    decorated sensor with a context calls the function and returns its result unchanged (a
    generator stays a generator).

    Args:
        job_name: the job to run, by name (Dagster's first positional argument).
        name: the sensor's name (default: the function's name).
        minimum_interval_seconds: at least this long between ticks (default 30).
        job, jobs, target, asset_selection: what it runs (see :class:`SensorDefinition`).
        description: default: the function's docstring.
        default_status, required_resource_keys, tags, metadata, owners: see
            :class:`SensorDefinition`.

    Returns:
        A decorator producing a :class:`SensorDefinition`.

    Raises:
        DefinitionError: as for :class:`SensorDefinition`.

    Example:
        >>> from headwater import RunRequest, SkipReason, build_sensor_context, define_asset_job
        >>> @sensor(job=define_asset_job("ingest"), minimum_interval_seconds=5)
        ... def inbox(context):
        ...     seen = int(context.cursor or 0)
        ...     context.update_cursor(str(seen + 1))
        ...     yield RunRequest(run_key=f"file-{seen + 1}")
        >>> tick = inbox.evaluate_tick(build_sensor_context(cursor="6"))
        >>> tick.run_requests[0].run_key, tick.cursor
        ('file-7', '7')
    """

    def decorate(fn: Callable[..., Any]) -> SensorDefinition:
        doc = getattr(fn, "__doc__", None)
        return SensorDefinition(
            name=name or fn.__name__, evaluation_fn=fn, job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description or (doc.strip() if doc else None), job=job, jobs=jobs,
            default_status=default_status, asset_selection=asset_selection,
            required_resource_keys=required_resource_keys, tags=tags, metadata=metadata,
            target=target, owners=owners,
        )  # fmt: skip

    if callable(job_name) and not isinstance(job_name, str):
        raise DefinitionError(
            "@sensor needs parentheses: write @sensor(job=...) (or @sensor()) above the function."
        )
    return decorate
