"""``observe``: run the observation functions of observable source assets."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from headwater.declarations.assets.observable import ObservableSourceAsset, ObserveResult
from headwater.declarations.assets.versions import DataVersion
from headwater.declarations.results import AssetObservation
from headwater.errors import ExecutionError, user_code_boundary
from headwater.events.records import materialization_data
from headwater.events.types import EventType
from headwater.execution.context.asset_context import AssetExecutionContext
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.logs import StepLogger
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.execution.step.lifecycle import StepRun, run_step

OBSERVE_JOB_NAME = "__OBSERVE_JOB"


def observe_in_process(
    assets: Iterable[Any],
    *,
    instance: Any,
    resources: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = True,
) -> ExecuteInProcessResult:
    """Observe the observable source assets among ``assets`` in one run recorded in
    ``instance`` (the public entry point is :func:`headwater.api.observe`)."""
    from headwater.declarations.resources.definition import initialize_resources

    observables = [a for a in assets if isinstance(a, ObservableSourceAsset)]
    if not observables:
        raise ExecutionError(
            "observe() got no observable source assets; declare them with @observable_source_asset."
        )
    keys = frozenset(k for a in observables for k in a.keys)
    run = instance.create_run(job_name=OBSERVE_JOB_NAME, tags=dict(tags or {}),
                              asset_selection=keys, run_id=str(uuid.uuid4()))  # fmt: skip
    sink = EventSink(run_id=run.run_id, job_name=run.job_name, store=instance.store_events)
    sink.emit(EventType.RUN_START, f'Started execution of run for "{run.job_name}".')
    sink.flush()
    errors: list[Exception] = []
    needed = {k for a in observables for k in a.required_resource_keys}
    with initialize_resources(dict(resources or {}), required_keys=needed,
                              instance=instance) as res:  # fmt: skip
        for asset in observables:
            error = _observe_one(asset, run, sink, res, instance)
            if error is not None:
                errors.append(error)
    final = EventType.RUN_FAILURE if errors else EventType.RUN_SUCCESS
    sink.emit(final, f'Finished execution of run for "{run.job_name}".')
    sink.flush()
    stored = instance.get_run_by_id(run.run_id) or run
    if errors and raise_on_error:
        raise errors[0]
    return ExecuteInProcessResult(
        run=stored, success=not errors, events=sink.all_events, outputs={}, step_keys_by_asset={}
    )


def _observe_one(
    asset: ObservableSourceAsset, run: Any, sink: EventSink, resources: Any, instance: Any
) -> Exception | None:
    """Observe one asset as a step of the run, through the one step lifecycle."""
    step = asset.node_name
    key = asset.key

    def body(log: StepLogger, attempt: int) -> dict[str, Any]:
        params = asset.params
        kwargs: dict[str, Any] = {}
        if params is not None:
            for param, resource_key in params.resource_params.items():
                kwargs[param] = resources[resource_key]
            if params.context_param is not None:
                kwargs[params.context_param] = AssetExecutionContext(
                    run_id=run.run_id, job_name=run.job_name, step_key=step, assets_def=asset,
                    resources=resources, instance=instance, log=log, run=run,
                    retry_number=attempt,
                )  # fmt: skip
        with user_code_boundary(f"observation function of {key.to_user_string()!r}"):
            value = asset.observe_fn(**kwargs)
        result = _as_result(value, key.to_user_string())
        observation = AssetObservation(key, metadata=result.metadata, tags=result.tags)
        data = materialization_data(observation)
        if result.data_version is not None:
            data["data_version"] = result.data_version
        sink.emit(EventType.ASSET_OBSERVATION, f"Observed {key.to_user_string()}.",
                  step_key=step, asset_key=key, data=data)  # fmt: skip
        return {}

    lifecycle = StepRun(
        key=step, sink=sink, run=run, instance=instance, resources=resources,
        logs_dir=getattr(instance, "logs_directory", None), asset_key=key,
    )  # fmt: skip
    return run_step(lifecycle, body).error


def _as_result(value: Any, where: str) -> ObserveResult:
    if isinstance(value, ObserveResult):
        return value
    if isinstance(value, DataVersion):
        return ObserveResult(data_version=value)
    raise ExecutionError(
        f"The observation function of {where!r} returned {type(value).__name__}; return an "
        "ObserveResult(data_version=..., metadata=...) or a DataVersion."
    )
