"""Schedules: ``ScheduleDefinition`` and ``@schedule``, evaluated one tick at a time."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from headwater.declarations.automation._invocation import UserFunction, check_name
from headwater.declarations.automation.contexts import ScheduleEvaluationContext
from headwater.declarations.automation.run_requests import (
    RunRequest,
    normalize_run_config,
    normalize_tags,
)
from headwater.declarations.automation.statuses import DefaultScheduleStatus
from headwater.declarations.automation.targets import Target, resolve_target
from headwater.declarations.automation.ticks import TickEvaluation, schedule_evaluation
from headwater.errors import (
    DefinitionError,
    InvalidInvocationError,
    user_code_boundary,
)
from headwater.metadata import normalize_metadata


def validate_cron_schedule(cron_schedule: Any, what: str) -> str | tuple[str, ...]:
    """``cron_schedule`` (a string or a list of strings) if every entry is a valid cron.

    Raises:
        DefinitionError: an entry is not a standard 5-field cron string (``@daily`` and the
            other ``@`` shortcuts are accepted).
    """
    from croniter import croniter

    entries = [cron_schedule] if isinstance(cron_schedule, str) else list(cron_schedule or ())
    if not entries:
        raise DefinitionError(f"{what}: cron_schedule is required, e.g. '0 3 * * *'.")
    for entry in entries:
        text = entry.strip() if isinstance(entry, str) else ""
        fields = len(text.split())
        if not (text.startswith("@") or fields == 5) or not croniter.is_valid(text):
            raise DefinitionError(
                f"{what}: {entry!r} is not a valid cron schedule. Give five fields, minute hour "
                "day-of-month month day-of-week (e.g. '0 3 * * *' is 03:00 every day), or a "
                "shortcut such as '@daily'."
            )
    return cron_schedule if isinstance(cron_schedule, str) else tuple(entries)


def validate_timezone(timezone: str | None, what: str) -> str | None:
    """``timezone`` if it names an IANA time zone.

    Raises:
        DefinitionError: it does not (the message suggests the form, e.g. ``Europe/Paris``).
    """
    if timezone is None:
        return None
    try:
        ZoneInfo(timezone)
    except (ValueError, KeyError, TypeError):
        raise DefinitionError(
            f"{what}: execution_timezone {timezone!r} is not a known time zone; use an IANA "
            "name such as 'UTC', 'Europe/Paris' or 'America/New_York'."
        ) from None
    return timezone


class ScheduleDefinition:
    """A cron schedule that requests runs of a job (or of a selection of assets).

    Evaluating a tick (the daemon does it at each cron time; tests call
    :meth:`evaluate_tick` or the decorated function directly) produces run requests: by
    default one run with ``run_config`` and ``tags``, or whatever ``execution_fn`` returns.

    Args:
        name: the schedule's name (default: ``"<job name>_schedule"``; required with an asset
            selection ``target``). Letters, digits and ``_``.
        cron_schedule: when it ticks: a 5-field cron string (``"0 3 * * *"``), an ``@``
            shortcut, or a list of cron strings (ticks at the union).
        job: the job to run (``define_asset_job`` or ``@job``).
        job_name: the job to run, by name (resolved by ``Definitions``).
        target: a job, or assets to materialize (an ``AssetSelection``, assets, keys or
            strings). Exactly one of ``job``, ``job_name`` and ``target`` is required.
        run_config: the run config of every run (a dict or ``RunConfig``).
        run_config_fn: ``(context) -> run config``, evaluated per tick (instead of
            ``run_config``).
        tags: tags of every run (with ``execution_fn``: of the runs of the run configs it
            returns; a ``RunRequest`` carries its own tags).
        tags_fn: ``(context) -> tags``, evaluated per tick.
        metadata: definition metadata shown in the UI.
        should_execute: ``(context) -> bool``; a tick where it returns False is skipped.
        environment_vars: accepted for Dagster compatibility; unused.
        execution_timezone: the IANA time zone the cron is read in (default ``UTC``).
        execution_fn: ``(context) -> RunRequest | SkipReason | run config | list``; used by
            ``@schedule``; excludes ``run_config``, ``run_config_fn`` and ``tags_fn``.
        description: free text.
        default_status: ``DefaultScheduleStatus.RUNNING`` to tick as soon as it is loaded.
        required_resource_keys: resources reachable as ``context.resources.<key>``.

    Raises:
        DefinitionError: an invalid cron string or time zone; none or several of ``job``,
            ``job_name``, ``target``; ``execution_fn`` with ``run_config``(``_fn``) or ``tags_fn``;
            an invalid name.

    Example:
        >>> from headwater import asset, define_asset_job
        >>> @asset
        ... def orders() -> int:
        ...     return 1
        >>> nightly = ScheduleDefinition(
        ...     job=define_asset_job("nightly", selection=[orders]), cron_schedule="0 3 * * *"
        ... )
        >>> nightly.name, nightly.job_name
        ('nightly_schedule', 'nightly')
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        cron_schedule: str | Sequence[str] | None = None,
        job_name: str | None = None,
        run_config: Any = None,
        run_config_fn: Callable[..., Any] | None = None,
        tags: Mapping[str, str] | None = None,
        tags_fn: Callable[..., Mapping[str, str]] | None = None,
        metadata: Mapping[str, Any] | None = None,
        should_execute: Callable[..., bool] | None = None,
        environment_vars: Mapping[str, str] | None = None,
        execution_timezone: str | None = None,
        execution_fn: Callable[..., Any] | None = None,
        description: str | None = None,
        job: Any = None,
        default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        if name is None and target is None:
            base = job_name if job_name is not None else getattr(job, "name", None)
            name = f"{base}_schedule" if isinstance(base, str) else None
        what = f"ScheduleDefinition {name!r}" if name else "ScheduleDefinition"
        self._target: Target = resolve_target(
            what=what, owner_name=name, job=job, job_name=job_name, target=target, required=True
        )
        if name is None:
            name = f"{self._target.job_names[0]}_schedule"
        self.name: str = check_name(name, "Schedule")
        what = f"schedule {self.name!r}"
        self.cron_schedule = validate_cron_schedule(cron_schedule, what)
        self.execution_timezone = validate_timezone(execution_timezone, what)
        _exclusive(what, execution_fn, run_config=run_config, run_config_fn=run_config_fn,
                   tags_fn=tags_fn)  # fmt: skip
        if run_config is not None and run_config_fn is not None:
            raise DefinitionError(f"{what}: give run_config or run_config_fn, not both.")
        if tags is not None and tags_fn is not None:
            raise DefinitionError(f"{what}: give tags or tags_fn, not both.")
        if not isinstance(default_status, DefaultScheduleStatus):
            raise DefinitionError(
                f"{what}: default_status must be a DefaultScheduleStatus, got {default_status!r}."
            )
        self.run_config = normalize_run_config(run_config, what) if run_config is not None else None
        self.run_config_fn = run_config_fn
        self.tags = normalize_tags(tags, what)
        self.tags_fn = tags_fn
        self.metadata = normalize_metadata(metadata, where=what)
        self.should_execute = should_execute
        self.environment_vars = dict(environment_vars or {})
        self.description = description
        self.default_status = default_status
        self.owners = tuple(owners or ())
        self.target = target
        self._fn: UserFunction | None = None
        if execution_fn is not None:
            self._fn = UserFunction.analyze(execution_fn, what)
        resource_keys = set(required_resource_keys or ())
        if self._fn is not None:
            resource_keys |= set(self._fn.resource_params)
        self.required_resource_keys: frozenset[str] = frozenset(resource_keys)

    # -- what it runs --------------------------------------------------------------------------
    @property
    def job_name(self) -> str:
        """The name of the job each run request launches."""
        return self._target.job_names[0]

    @property
    def job(self) -> Any:
        """The job object (an asset job is built for an asset-selection ``target``).

        Raises:
            DefinitionError: the schedule names its job only by ``job_name``.
        """
        if not self._target.jobs:
            raise DefinitionError(
                f"Schedule {self.name!r} names its job only by job_name={self.job_name!r}; "
                "look the job up with Definitions.get_job_def."
            )
        return self._target.jobs[0]

    @property
    def has_job(self) -> bool:
        """Whether the job object is known (not only its name)."""
        return bool(self._target.jobs)

    @property
    def execution_fn(self) -> Callable[..., Any] | None:
        """The user function evaluated at each tick, if any."""
        return self._fn.fn if self._fn is not None else None

    # -- evaluation ----------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the schedule's function directly (as in a unit test); returns what it returns.

        Raises:
            HeadwaterError: the schedule has no function (use :meth:`evaluate_tick`), or the
                function expects a context that was not given.
        """
        if self._fn is None:
            raise InvalidInvocationError(
                f"Schedule {self.name!r} has no function to call; use "
                "schedule.evaluate_tick(build_schedule_context(...)) to see its run requests."
            )
        return self._fn.invoke(args, kwargs, ScheduleEvaluationContext)

    def evaluate_tick(self, context: ScheduleEvaluationContext) -> TickEvaluation:
        """Evaluate one tick: the run requests (tagged with the schedule name) or why it skipped.

        Raises:
            UserCodeError: the schedule's function (or ``run_config_fn``/``tags_fn``) raised;
                the original exception is kept.
            DefinitionError: it returned something that is not a run request, skip reason or
                run config.
        """
        context = context._for_schedule(self.name)
        with user_code_boundary(f"schedule {self.name!r}"):
            if self.should_execute is not None and not self.should_execute(context):
                return TickEvaluation(skip_message="should_execute function returned False")
            result = (
                self._fn.call(context) if self._fn is not None else self._default_request(context)
            )
            if inspect.isgenerator(result):
                result = list(result)  # what a generator raises is the user's error too
        return schedule_evaluation(result, self.name, self.tags)

    def _default_request(self, context: ScheduleEvaluationContext) -> RunRequest:
        what = f"schedule {self.name!r}"
        config = self.run_config_fn(context) if self.run_config_fn is not None else self.run_config
        tags = self.tags_fn(context) if self.tags_fn is not None else self.tags
        return RunRequest(run_config=config, tags=normalize_tags(tags, what))

    def with_updated_job(self, job: Any) -> ScheduleDefinition:
        """A copy of this schedule that runs ``job`` instead."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._target = Target((job,), (job.name,))
        return clone

    def _resolve(self, definitions: Any) -> ScheduleDefinition:
        """The schedule as ``definitions`` uses it (partitioned schedules find their partitions)."""
        return self

    def __repr__(self) -> str:
        return f"<ScheduleDefinition {self.name!r} {self.cron_schedule!r} -> {self.job_name!r}>"


def _exclusive(what: str, execution_fn: Any, **others: Any) -> None:
    if execution_fn is None:
        return
    given = sorted(key for key, value in others.items() if value is not None)
    if given:
        raise DefinitionError(
            f"{what}: execution_fn decides the run requests, so {', '.join(given)} cannot be "
            "given too; return them from the function (RunRequest(run_config=..., tags=...))."
        )


def schedule(
    cron_schedule: str | Sequence[str] | None = None,
    *,
    job_name: str | None = None,
    name: str | None = None,
    tags: Mapping[str, str] | None = None,
    tags_fn: Callable[..., Mapping[str, str]] | None = None,
    metadata: Mapping[str, Any] | None = None,
    should_execute: Callable[..., bool] | None = None,
    environment_vars: Mapping[str, str] | None = None,
    execution_timezone: str | None = None,
    description: str | None = None,
    job: Any = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    target: Any = None,
    owners: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], ScheduleDefinition]:
    """Declare a schedule whose function decides, at each tick, what to run.

    The function takes an optional first parameter, the :class:`ScheduleEvaluationContext`
    (``context.scheduled_execution_time``, ``context.instance``, ``context.resources``), and
    parameters annotated with ``ConfigurableResource`` classes (the parameter name is the
    resource key). It returns or yields a ``RunRequest``, a ``SkipReason``, a run config dict,
    or a list of ``RunRequest``s. Calling the decorated schedule with a context calls the
    function and returns its result unchanged.

    Args:
        cron_schedule: when it ticks (see :class:`ScheduleDefinition`).
        name: the schedule's name (default: the function name).
        tags: tags of the runs of the run config dicts the function returns (a
            ``RunRequest`` carries its own tags).
        job, job_name, target, tags_fn, metadata, should_execute, environment_vars,
        execution_timezone, description, default_status, required_resource_keys, owners:
            as for :class:`ScheduleDefinition`.

    Returns:
        A decorator producing a :class:`ScheduleDefinition`.

    Raises:
        DefinitionError: as for :class:`ScheduleDefinition`, or a parameter that is neither the
            context nor an annotated resource.

    Example:
        >>> from datetime import datetime
        >>> from headwater import RunRequest, build_schedule_context, define_asset_job
        >>> @schedule("0 6 * * *", job=define_asset_job("daily_report"))
        ... def morning(context):
        ...     day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        ...     return RunRequest(run_key=day, tags={"day": day})
        >>> tick = build_schedule_context(scheduled_execution_time=datetime(2024, 5, 1, 6))
        >>> morning(tick).run_key
        '2024-05-01'
    """

    def decorate(fn: Callable[..., Any]) -> ScheduleDefinition:
        definition = ScheduleDefinition(
            name=name or fn.__name__, cron_schedule=cron_schedule, job_name=job_name,
            tags=tags, tags_fn=tags_fn, metadata=metadata, should_execute=should_execute,
            environment_vars=environment_vars, execution_timezone=execution_timezone,
            execution_fn=fn, description=description or _doc(fn), job=job,
            default_status=default_status, required_resource_keys=required_resource_keys,
            target=target, owners=owners,
        )  # fmt: skip
        return definition

    return decorate


def _doc(fn: Callable[..., Any]) -> str | None:
    doc = getattr(fn, "__doc__", None)
    return doc.strip() if doc else None


def tick_time(context: ScheduleEvaluationContext, timezone: str | None) -> datetime:
    """The tick time as an aware datetime (a naive one is read in ``timezone``, default UTC)."""
    moment = context.scheduled_execution_time
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return moment
