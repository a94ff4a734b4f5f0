"""Carrying out a run: lifecycle events, resources, steps in order, skipping after failures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.events.types import EventType
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
from headwater.execution.plan.partitions import UNPARTITIONED, StepPartitions
from headwater.execution.run.event_sink import EventSink
from headwater.execution.run.logs import StepLogger, capture_python_logging
from headwater.execution.step.asset_step import RunContext, execute_step
from headwater.execution.step.lifecycle import StepResult, error_data
from headwater.execution.step.versioning import keys_to_prefetch, latest_versions
from headwater.keys import AssetKey


def required_resource_keys(
    plan: ExecutionPlan[ExecutionStep], assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]]
) -> set[str]:
    """Resource keys the plan's steps use, IO managers of inputs and outputs included."""
    keys: set[str] = set()
    for step in plan.steps:
        assets_def = step.assets_def
        keys |= assets_def.required_resource_keys
        keys |= {assets_def.io_manager_key_for(k) for k in assets_def.keys}
        for step_input in step.inputs:
            asset_in = assets_def.ins.get(step_input.name)
            if asset_in is not None and asset_in.input_manager_key:
                keys.add(asset_in.input_manager_key)
                continue
            upstream = assets_by_key.get(step_input.asset_key)
            keys.add(
                upstream.io_manager_key_for(step_input.asset_key) if upstream else "io_manager"
            )
    return keys


def execute_plan(
    plan: ExecutionPlan[ExecutionStep],
    *,
    run: Any,
    instance: Any,
    sink: EventSink,
    resource_defs: Mapping[str, Any],
    resource_config: Mapping[str, Any],
    op_configs: Mapping[str, Any],
    assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]],
    step_partitions: Mapping[str, StepPartitions] | None = None,
    default_retry_policy: Any = None,
    skip_unchanged: bool = False,
    hooks: frozenset[Any] = frozenset(),
) -> RunContext:
    """Run every step of ``plan`` in process; return the run context with outputs and errors.

    A step whose upstream step failed or was skipped is skipped (STEP_SKIPPED); independent
    branches still run. Emits RUN_START first and RUN_SUCCESS or RUN_FAILURE last.
    """
    step_partitions = step_partitions or {}
    for step in plan.steps:
        parts = step_partitions.get(step.key, UNPARTITIONED)
        for key in sorted(step.assets_def.keys):
            for partition in parts.keys if parts.keys is not None else (None,):
                sink.emit(
                    EventType.ASSET_MATERIALIZATION_PLANNED,
                    f"{run.job_name} intends to materialize asset {key.to_user_string()}"
                    + (f" partition {partition}." if partition is not None else "."),
                    asset_key=key,
                    partition=partition,
                )
    sink.emit(EventType.RUN_START, f'Started execution of run for "{run.job_name}".')
    sink.flush()
    run_ctx = RunContext(
        run=run,
        instance=instance,
        sink=sink,
        resources={},
        assets_by_key=assets_by_key,
        op_configs=op_configs,
        step_partitions=step_partitions,
        logs_dir=getattr(instance, "logs_directory", None),
        default_retry_policy=default_retry_policy,
        skip_unchanged=skip_unchanged,
        hooks=hooks,
    )
    versions, latest = latest_versions(instance, keys_to_prefetch(plan, skip_unchanged))
    run_ctx.data_versions.update(versions)
    run_ctx.latest_materializations = latest

    def body(resources: Any) -> None:
        run_ctx.resources = resources
        execute_steps(plan, run_ctx, execute_step)

    drive_run(
        sink=sink,
        job_name=run.job_name,
        resource_defs=resource_defs,
        required_keys=required_resource_keys(plan, assets_by_key)
        | {k for hook in hooks for k in hook.required_resource_keys},
        resource_config=resource_config,
        instance=instance,
        errors=run_ctx.errors,
        body=body,
    )
    sink.flush()
    return run_ctx


def drive_run(
    *,
    sink: EventSink,
    job_name: str,
    resource_defs: Mapping[str, Any],
    required_keys: set[str],
    resource_config: Mapping[str, Any],
    instance: Any,
    errors: dict[str, BaseException],
    body: Callable[[Any], None],
) -> None:
    """Run ``body(resources)`` with the run's resources set up, then record how the run ended.

    Shared by asset runs and runs of op jobs (after their RUN_START): a resource that fails to
    set up or tear down is an ENGINE_EVENT and fails the run; RUN_FAILURE (naming the failed
    steps, taken from ``errors``) or RUN_SUCCESS comes last; a KeyboardInterrupt records
    RUN_CANCELED (with whatever the interrupted step had emitted) before it propagates.
    """
    from headwater.declarations.resources.definition import initialize_resources

    try:
        with (
            capture_python_logging(),
            initialize_resources(
                resource_defs,
                required_keys=required_keys,
                run_config_resources=resource_config,
                log=StepLogger(sink, None),  # type: ignore[arg-type]
                instance=instance,
            ) as resources,
        ):
            body(resources)
    except KeyboardInterrupt:
        # Record what happened before giving the interrupt back: the run must not stay STARTED.
        sink.emit(
            EventType.RUN_CANCELED,
            f'Execution of run for "{job_name}" was interrupted (KeyboardInterrupt).',
            level=40,
        )
        sink.flush()
        raise
    except Exception as exc:  # resource setup/teardown failure
        errors["<resources>"] = exc
        sink.emit(
            EventType.ENGINE_EVENT,
            f"Resource initialization or teardown failed: {exc}",
            data={"error": error_data(exc)},
            level=40,
        )
    if errors:
        failed = sorted(errors)
        sink.emit(
            EventType.RUN_FAILURE,
            f'Execution of run for "{job_name}" failed. Steps failed: {failed}.',
            data={"failed_steps": failed},
            level=40,
        )
    else:
        sink.emit(EventType.RUN_SUCCESS, f'Finished execution of run for "{job_name}".')
    sink.flush()


def execute_steps(
    plan: ExecutionPlan[Any],
    run_ctx: Any,
    execute: Callable[[Any, Any], StepResult | None],
) -> None:
    """The step loop of every run, of assets or of ops: steps in plan order.

    ``execute(step, run_ctx)`` runs one step through the step lifecycle and returns its result
    (``None``: the step was skipped instead). A failed step's error is recorded in
    ``run_ctx.errors``. A step some of whose upstream steps failed or were skipped is skipped;
    independent branches still run. A step that resolves to other steps (a mapped op, once the
    dynamic output it maps over is known) is replaced by them in the plan, and they run next.
    """
    not_ok: set[str] = set()
    index = 0
    while index < len(plan.steps):
        step = plan.steps[index]
        blocked = sorted(step.upstream_step_keys & not_ok)
        if blocked:
            step.skip(run_ctx, blocked)
            not_ok.add(step.key)
        elif (resolved := step.resolve(run_ctx)) is not None:
            plan.replace(index, resolved)
            continue
        else:
            result = execute(step, run_ctx)
            if result is None or not result.success:
                not_ok.add(step.key)
            if result is not None and result.error is not None:
                run_ctx.errors[step.key] = result.error
        index += 1
