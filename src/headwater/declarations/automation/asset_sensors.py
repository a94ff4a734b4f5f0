"""Asset sensors: ``AssetSensorDefinition`` and ``@asset_sensor``, fired by a materialization."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater.declarations.automation._invocation import UserFunction
from headwater.declarations.automation.contexts import SensorEvaluationContext
from headwater.declarations.automation.run_requests import SkipReason
from headwater.declarations.automation.sensors import SensorDefinition
from headwater.declarations.automation.statuses import DefaultSensorStatus
from headwater.errors import DefinitionError, InvalidInvocationError
from headwater.keys import AssetKey, CoercibleToAssetKey


class AssetSensorDefinition(SensorDefinition):
    """A sensor that calls its function when an asset has a new materialization.

    At each tick it reads the asset's latest materialization from the instance; when it is
    newer than the one the previous tick saw (the cursor holds its storage id), it calls
    ``asset_materialization_fn(context, asset_event)`` with that event (an ``EventLogEntry``)
    and returns what the function returns (``RunRequest`` s, a ``SkipReason``, a
    ``SensorResult``). Without a new materialization the tick is skipped.

    Args:
        name: the sensor's name (letters, digits and ``_``).
        asset_key: the watched asset (an ``AssetKey``, ``"a/b"`` or a list of components).
        job_name: the job its run requests launch, by name.
        asset_materialization_fn: ``fn(context, asset_event)``; parameters annotated with
            ``ConfigurableResource`` classes receive those resources.
        minimum_interval_seconds, description, job, jobs, default_status,
        required_resource_keys, tags, metadata, target: as for :class:`SensorDefinition`.

    Raises:
        DefinitionError: as for :class:`SensorDefinition`; no function.

    Example:
        >>> from headwater import AssetKey, RunRequest, define_asset_job
        >>> def on_orders(context, asset_event):
        ...     return RunRequest(run_key=str(asset_event.run_id))
        >>> sensor = AssetSensorDefinition(
        ...     "on_orders", AssetKey("orders"), asset_materialization_fn=on_orders,
        ...     job=define_asset_job("report"))
        >>> sensor.asset_key
        AssetKey(['orders'])
    """

    def __init__(
        self,
        name: str,
        asset_key: CoercibleToAssetKey,
        job_name: str | None = None,
        asset_materialization_fn: Callable[..., Any] | None = None,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        target: Any = None,
    ) -> None:
        if asset_materialization_fn is None:
            raise DefinitionError(
                f"AssetSensorDefinition {name!r}: asset_materialization_fn is required (or use "
                "@asset_sensor)."
            )
        self.asset_key = AssetKey.from_coercible(asset_key)
        what = f"sensor {name!r}"
        self._asset_fn = UserFunction.analyze(asset_materialization_fn, what, values=1)
        keys = set(required_resource_keys or ()) | set(self._asset_fn.resource_params)

        def evaluate(context: SensorEvaluationContext) -> Any:
            return self._evaluate(context)

        super().__init__(
            name=name, evaluation_fn=evaluate, job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds, description=description, job=job,
            jobs=jobs, default_status=default_status, required_resource_keys=keys, tags=tags,
            metadata=metadata, target=target,
        )  # fmt: skip

    @property
    def asset_materialization_fn(self) -> Callable[..., Any]:
        """The user's function, ``fn(context, asset_event)``."""
        return self._asset_fn.fn

    def _evaluate(
        self, context: SensorEvaluationContext, given: Mapping[str, Any] | None = None
    ) -> Any:
        page = context.instance.fetch_materializations(self.asset_key, limit=1)
        record = page.records[0] if page.records else None
        seen = int(context.cursor) if context.cursor and context.cursor.isdigit() else None
        if record is None or (seen is not None and record.storage_id <= seen):
            return SkipReason(
                f"No new materialization of {self.asset_key.to_user_string()!r} since the last "
                "tick."
            )
        context.update_cursor(str(record.storage_id))
        return self._asset_fn.call(context, given, values=(record.event_log_entry,))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate the sensor directly, as in a test: ``sensor(build_sensor_context(instance))``.

        Reads the asset's latest materialization from the context's instance and calls the
        function with it (returns what it returns), or returns a ``SkipReason`` when there is
        none newer than the context's cursor. ``context.cursor`` is updated.

        Resources may be passed by keyword (``sensor(context, my_resource=...)``).

        Raises:
            InvalidInvocationError: no context was given, or the context has no instance.
        """
        if len(args) != 1 or not isinstance(args[0], SensorEvaluationContext):
            raise InvalidInvocationError(
                f"Asset sensor {self.name!r} takes one argument, the context: call it with "
                "build_sensor_context(instance=...)."
            )
        return self._evaluate(args[0]._for_sensor(self.name), kwargs)

    def __repr__(self) -> str:
        return f"<AssetSensorDefinition {self.name!r} on {self.asset_key.to_user_string()!r}>"


def asset_sensor(
    asset_key: CoercibleToAssetKey,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: int | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    target: Any = None,
) -> Callable[[Callable[..., Any]], AssetSensorDefinition]:
    """Declare a sensor that runs its function on each new materialization of ``asset_key``.

    The function takes the ``SensorEvaluationContext`` and the materialization's
    ``EventLogEntry`` (``fn(context, asset_event)``); see :class:`AssetSensorDefinition`.

    Args:
        asset_key: the watched asset.
        name: the sensor's name (default: the function's name).
        job_name, job, jobs, target: what its run requests launch.
        minimum_interval_seconds, description, default_status, required_resource_keys, tags,
        metadata: as for ``@sensor``.

    Returns:
        A decorator producing an :class:`AssetSensorDefinition`.

    Example:
        >>> from headwater import RunRequest, define_asset_job
        >>> @asset_sensor(asset_key="orders", job=define_asset_job("report"))
        ... def on_orders(context, asset_event):
        ...     return RunRequest(run_key=asset_event.run_id)
        >>> on_orders.name, on_orders.asset_key.to_user_string()
        ('on_orders', 'orders')
    """
    if callable(asset_key) and not isinstance(asset_key, str | AssetKey):
        raise DefinitionError(
            "@asset_sensor needs the watched asset: write @asset_sensor(asset_key=..., job=...)."
        )

    def decorate(fn: Callable[..., Any]) -> AssetSensorDefinition:
        doc = getattr(fn, "__doc__", None)
        return AssetSensorDefinition(
            name=name or fn.__name__, asset_key=asset_key, job_name=job_name,
            asset_materialization_fn=fn, minimum_interval_seconds=minimum_interval_seconds,
            description=description or (doc.strip() if doc else None), job=job, jobs=jobs,
            default_status=default_status, required_resource_keys=required_resource_keys,
            tags=tags, metadata=metadata, target=target,
        )  # fmt: skip

    return decorate
