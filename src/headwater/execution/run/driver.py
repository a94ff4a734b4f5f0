"""The one run driver: lifecycle events, resources, every step in order, skipping after failures.

Every run — of an asset job, of an op job, of observations — is an :class:`ExecutionPlan`
executed by :func:`execute_plan`. Each step goes through the one step lifecycle
(``step/lifecycle.py``) and hands back a ``StepResult``, which the driver records in the run
state (:meth:`RunContext.record`): steps never write into shared state themselves.

Which process executes a step is the executor's (:mod:`headwater.execution.executors`): by
default :func:`execute_steps` runs them here, one after another; the multiprocess executor
runs the ready ones in worker processes and records their results here, as this loop does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.events.types import EventType
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep, ObservationStep
from headwater.execution.plan.op_plan import OpStep
from headwater.execution.run.logs import capture_python_logging
from headwater.execution.run.state import RunContext
from headwater.execution.step.asset_step import execute_step
from headwater.execution.step.lifecycle import StepResult, error_data
from headwater.execution.step.observe_step import execute_observation_step
from headwater.execution.step.op_step import execute_op_step
from headwater.execution.step.versioning import keys_to_prefetch, latest_versions

if TYPE_CHECKING:
    from headwater.execution.executors.base import Executor

# The body of each kind of step; what surrounds a body is the same for all (run_step).
STEP_EXECUTORS: Mapping[type[Any], Callable[[Any, RunContext], StepResult | None]] = {
    ExecutionStep: execute_step,
    OpStep: execute_op_step,
    ObservationStep: execute_observation_step,
}


def execute_plan(
    plan: ExecutionPlan[Any],
    run_ctx: RunContext,
    *,
    resource_defs: Mapping[str, Any],
    required_keys: set[str],
    resource_config: Mapping[str, Any],
    executor: Executor | None = None,
) -> None:
    """Run every step of ``plan`` with ``executor``, recording results in ``run_ctx``.

    Emits ASSET_MATERIALIZATION_PLANNED for each asset (and partition) the plan materializes,
    then RUN_START; sets up the resources in ``required_keys`` (a resource that fails to set up
    or tear down is an ENGINE_EVENT and fails the run); runs the steps (a step whose upstream
    step failed or was skipped is skipped, independent branches still run); emits RUN_FAILURE
    (naming the failed steps) or RUN_SUCCESS last. A KeyboardInterrupt records RUN_CANCELED
    before it propagates. Every event is committed when this returns.

    ``executor`` (default: :data:`~headwater.execution.executors.in_process.IN_PROCESS`, the
    steps one after another in this process) decides where the steps run.
    """
    sink = run_ctx.sink
    job_name = run_ctx.run.job_name
    asset_steps = [s for s in plan.steps if isinstance(s, ExecutionStep)]
    for step in asset_steps:
        parts = run_ctx.partitions_of(step.key)
        for key in sorted(step.assets_def.keys):
            for partition in parts.keys if parts.keys is not None else (None,):
                sink.emit(
                    EventType.ASSET_MATERIALIZATION_PLANNED,
                    f"{job_name} intends to materialize asset {key.to_user_string()}"
                    + (f" partition {partition}." if partition is not None else "."),
                    asset_key=key,
                    partition=partition,
                )
    sink.emit(EventType.RUN_START, f'Started execution of run for "{job_name}".')
    sink.flush()
    if asset_steps:
        prefetch = keys_to_prefetch(asset_steps, run_ctx.skip_unchanged)
        versions, run_ctx.latest_materializations = latest_versions(run_ctx.instance, prefetch)
        run_ctx.data_versions.update(versions)
    if executor is None:
        from headwater.execution.executors.in_process import IN_PROCESS

        executor = IN_PROCESS
    try:
        with capture_python_logging():
            executor.execute(
                plan, run_ctx, resource_defs=resource_defs, required_keys=required_keys,
                resource_config=resource_config,
            )  # fmt: skip
    except KeyboardInterrupt as interrupt:
        # Record what happened before giving the interrupt back: the run must not stay STARTED.
        sink.emit(
            EventType.RUN_CANCELED,
            f'Execution of run for "{job_name}" was interrupted '
            f"({interrupt or type(interrupt).__name__}).",
            level=40,
        )
        sink.flush()
        raise
    except Exception as exc:  # resource setup/teardown failure
        run_ctx.errors["<resources>"] = exc
        sink.emit(
            EventType.ENGINE_EVENT,
            f"Resource initialization or teardown failed: {exc}",
            data={"error": error_data(exc)},
            level=40,
        )
    if run_ctx.errors:
        failed = sorted(run_ctx.errors)
        sink.emit(
            EventType.RUN_FAILURE,
            f'Execution of run for "{job_name}" failed. Steps failed: {failed}.',
            data={"failed_steps": failed},
            level=40,
        )
    else:
        sink.emit(EventType.RUN_SUCCESS, f'Finished execution of run for "{job_name}".')
    sink.flush()


def execute_steps(plan: ExecutionPlan[Any], run_ctx: RunContext) -> None:
    """The step loop of every run: steps in plan order, each through the step lifecycle.

    A step some of whose upstream steps failed or were skipped is skipped (unless the failed
    step materialized every asset the step reads, see ``RunContext.blocking``); independent
    branches still run. A step that resolves to other steps (a mapped op, once the dynamic
    output it maps over is known) is replaced by them in the plan, and they run next. Each
    step's result (``None``: the step was skipped instead) is recorded in ``run_ctx``.
    """
    not_ok: set[str] = set()
    index = 0
    while index < len(plan.steps):
        step = plan.steps[index]
        blocked = run_ctx.blocking(step, not_ok, plan.step_key_by_asset)
        if blocked:
            run_ctx.executed.add(step.key)
            step.skip(run_ctx, blocked)
            not_ok.add(step.key)
        elif (resolved := step.resolve(run_ctx)) is not None:
            plan.replace(index, resolved)
            continue
        else:
            run_ctx.executed.add(step.key)
            result = STEP_EXECUTORS[type(step)](step, run_ctx)
            if result is None or not result.success:
                not_ok.add(step.key)
            if result is not None:
                run_ctx.record(result)
        index += 1
