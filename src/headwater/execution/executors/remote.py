"""What the executors that run steps in other processes share (multiprocess, Dask): the
result of a step that ended elsewhere, a failure recorded on a step's behalf, its tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.errors import ExecutionError
from headwater.events.types import EventType
from headwater.execution.executors.messages import StepDone, StepRequest, load_error
from headwater.execution.plan.execution_plan import ExecutionStep
from headwater.execution.plan.op_plan import OpStep
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import StepOutputs, StepResult, error_data


class _NotLoaded:
    """Stands for a value a worker stored with its IO manager (values never cross processes)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<stored by a worker process>"


NOT_LOADED: Any = _NotLoaded()


def step_result(done: StepDone, run_ctx: RunContext) -> StepResult | None:
    """The ``StepResult`` of a step that ended in another process (``None``: it skipped
    itself); values stay where its IO managers stored them (:data:`NOT_LOADED`)."""
    if done.resource_error is not None:
        run_ctx.errors["<resources>"] = ExecutionError(done.resource_error["message"])
    if not done.ran:
        return None
    outputs = StepOutputs(
        values=dict.fromkeys(done.output_keys, NOT_LOADED),
        mapping_keys={k: list(v) for k, v in done.mapping_keys.items()},
        data_versions=dict(done.data_versions),
    )
    return StepResult(
        step_key=done.step_key,
        success=done.success,
        error=None if done.success else load_error(done),
        attempts=done.attempts,
        duration_ms=done.duration_ms,
        outputs=outputs,
    )


def fail_step(run_ctx: RunContext, step: Any, what: str, data: dict[str, Any],
              error: Exception | None = None) -> None:  # fmt: skip
    """Emit STEP_FAILURE for ``step`` on its behalf (the process running it cannot any more)."""
    keys = getattr(getattr(step, "assets_def", None), "keys", None)
    asset_key = next(iter(keys)) if keys and len(keys) == 1 else None
    error = error or ExecutionError(f"Step {step.key!r} {what}.")
    run_ctx.sink.emit(
        EventType.STEP_FAILURE,
        f"Execution of step {step.key!r} {what}",
        step_key=step.key,
        asset_key=asset_key,
        partition=run_ctx.partitions_of(step.key).single_key,
        data={"error": error_data(error), **data},
        level=40,
    )
    run_ctx.errors.setdefault(step.key, error)


def release_pool_slot(run_ctx: RunContext, step: Any) -> None:
    """Give back the concurrency pool slot a step held when the process running it died."""
    pool = step_pool(step)
    if pool is not None:
        run_ctx.instance.release_concurrency_slot(pool, run_ctx.run.run_id, step.key)



def step_request(step: Any, run_ctx: RunContext) -> StepRequest:
    """What ``step`` needs to know of the run, and no more."""
    if isinstance(step, ExecutionStep):
        assets_def = step.assets_def
        needed = set(assets_def.keys)
        for spec in assets_def.specs:
            needed.update(spec.dep_keys)
        known = run_ctx.data_versions
        latest = run_ctx.latest_materializations
        return StepRequest(
            step_key=step.key,
            data_versions={k: known[k] for k in needed if k in known},
            latest_materializations={k: latest[k] for k in assets_def.keys if k in latest}
            if run_ctx.skip_unchanged else {},
        )  # fmt: skip
    if isinstance(step, OpStep):
        state, nodes = run_ctx.state, run_ctx.nodes
        related = {u.node for s in step.node.inputs.values() for u in s.upstream()}
        if step.node.mapped_over is not None:
            related.add(step.node.mapped_over[0])
        related |= {nodes[n].mapped_over[0] for n in list(related)  # type: ignore[index]
                    if n in nodes and nodes[n].mapped_over is not None}  # fmt: skip
        sources = [s for i in step.inputs for s in i.sources]
        return StepRequest(
            step_key=step.key,
            mapping_keys={k: v for k, v in state.mapping_keys.items() if k[0] in related},
            produced=frozenset((s.step_key, s.output) for s in sources
                               if (s.step_key, s.output) in state.produced),
            executed=frozenset(s.producer_step for s in sources
                               if s.producer_step in run_ctx.executed),
        )  # fmt: skip
    return StepRequest(step_key=step.key)


def step_pool(step: Any) -> str | None:
    """The concurrency pool ``step`` claims a slot of (``None``: none)."""
    definition = step.node.op_def if isinstance(step, OpStep) else getattr(step, "assets_def", None)
    pool = getattr(definition, "pool", None)
    return pool if isinstance(pool, str) else None


def step_tags(step: Any) -> Mapping[str, str]:
    """The op tags of ``step`` (an asset step: its assets' ``op_tags``)."""
    if isinstance(step, OpStep):
        return step.node.op_def.tags or {}
    return getattr(getattr(step, "assets_def", None), "op_tags", None) or {}
