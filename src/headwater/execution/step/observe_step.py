"""The body of an observation step: call the observation function, emit ASSET_OBSERVATION.

Events, capture, retries and hooks around it are the step lifecycle's (``step/lifecycle.py``).
"""

from __future__ import annotations

from typing import Any

from headwater.declarations.assets.observable import ObserveResult
from headwater.declarations.assets.versions import DataVersion
from headwater.declarations.results import AssetObservation
from headwater.errors import ExecutionError, user_code_boundary
from headwater.events.records import materialization_data
from headwater.events.types import EventType
from headwater.execution.context.asset_context import AssetExecutionContext
from headwater.execution.plan.execution_plan import ObservationStep
from headwater.execution.run.logs import StepLogger
from headwater.execution.run.state import RunContext
from headwater.execution.step.invocation import user_kwargs
from headwater.execution.step.lifecycle import StepOutputs, StepResult, StepRun, run_step


def execute_observation_step(step: ObservationStep, run_ctx: RunContext) -> StepResult:
    """Observe one observable source asset through the step lifecycle."""
    lifecycle = StepRun(
        key=step.key, sink=run_ctx.sink, run=run_ctx.run, instance=run_ctx.instance,
        resources=run_ctx.resources, logs_dir=run_ctx.logs_dir, asset_key=step.assets_def.key,
        retry_policy=run_ctx.default_retry_policy, hooks=run_ctx.hooks, node_name=step.key,
    )  # fmt: skip
    return run_step(lifecycle, lambda log, attempt: _observe(step, run_ctx, log, attempt))


def _observe(step: ObservationStep, run_ctx: RunContext, log: StepLogger, attempt: int
             ) -> StepOutputs:  # fmt: skip
    asset = step.assets_def
    key = asset.key
    params = asset.params
    kwargs: dict[str, Any] = {}
    if params is not None:
        context = AssetExecutionContext(
            run_id=run_ctx.run.run_id, job_name=run_ctx.run.job_name, step_key=step.key,
            assets_def=asset, resources=run_ctx.resources, instance=run_ctx.instance,
            log=log, run=run_ctx.run, retry_number=attempt, run_tags=run_ctx.run.tags,
        )  # fmt: skip
        kwargs = user_kwargs(params, inputs={}, resources=run_ctx.resources, context=context)
    with user_code_boundary(f"observation function of {key.to_user_string()!r}"):
        value = asset.observe_fn(**kwargs)
    result = _as_result(value, key.to_user_string())
    observation = AssetObservation(key, metadata=result.metadata, tags=result.tags)
    data = materialization_data(observation)
    if result.data_version is not None:
        data["data_version"] = result.data_version
    run_ctx.sink.emit(EventType.ASSET_OBSERVATION, f"Observed {key.to_user_string()}.",
                      step_key=step.key, asset_key=key, data=data)  # fmt: skip
    outputs = StepOutputs()
    outputs.data_versions[key] = result.data_version
    return outputs


def _as_result(value: Any, where: str) -> ObserveResult:
    if isinstance(value, ObserveResult):
        return value
    if isinstance(value, DataVersion):
        return ObserveResult(data_version=value)
    raise ExecutionError(
        f"The observation function of {where!r} returned {type(value).__name__}; return an "
        "ObserveResult(data_version=..., metadata=...) or a DataVersion."
    )
