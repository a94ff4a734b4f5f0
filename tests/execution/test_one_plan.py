"""Asset runs and runs of op jobs share one ExecutionPlan type and one step loop."""

from __future__ import annotations

from typing import Any

import pytest

import headwater.execution.run.driver as run_module
from headwater import asset, materialize
from headwater.declarations.jobs.op_jobs import job
from headwater.declarations.ops.definition import DynamicOut, DynamicOutput, op
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
from headwater.execution.plan.op_plan import OpStep


@op(out=DynamicOut())
def letters() -> Any:
    for name in ["a", "b"]:
        yield DynamicOutput(name, mapping_key=name)


@op
def upper(text: str) -> str:
    return text.upper()


@op
def join(parts: list[str]) -> str:
    return "".join(parts)


@job
def fan() -> None:
    join(letters().map(upper).collect())


@asset
def raw() -> int:
    return 1


@asset
def doubled(raw: int) -> int:
    return raw * 2


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[ExecutionPlan[Any]]:
    seen: list[ExecutionPlan[Any]] = []
    loop = run_module.execute_steps

    def spy(plan: ExecutionPlan[Any], run_ctx: Any, execute: Any) -> None:
        seen.append(plan)
        loop(plan, run_ctx, execute)

    monkeypatch.setattr(run_module, "execute_steps", spy)
    return seen


def test_op_job_and_asset_job_run_one_plan_type_through_one_loop(
    instance: Any, plans: list[ExecutionPlan[Any]]
) -> None:
    assert materialize([raw, doubled], instance=instance).success
    assert fan.execute_in_process(instance=instance).output_for_node("join") == "AB"

    asset_plan, op_plan = plans
    assert type(asset_plan) is type(op_plan) is ExecutionPlan
    assert asset_plan.step_keys == ["raw", "doubled"]
    assert all(isinstance(s, ExecutionStep) for s in asset_plan.steps)
    # mapped steps take the place of their node once the dynamic output is known
    assert op_plan.step_keys == ["letters", "upper[a]", "upper[b]", "join"]
    assert all(isinstance(s, OpStep) for s in op_plan.steps)
    assert op_plan.steps_by_key["join"].upstream_step_keys == {"upper[a]", "upper[b]"}


def test_mapped_node_whose_producer_failed_is_skipped_as_one_step(
    instance: Any, plans: list[ExecutionPlan[Any]]
) -> None:
    @op(out=DynamicOut())
    def broken() -> Any:
        raise ValueError("no letters")
        yield

    @job
    def broken_fan() -> None:
        join(broken().map(upper).collect())

    result = broken_fan.execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    (plan,) = plans
    assert plan.step_keys == ["broken", "upper", "join"]
