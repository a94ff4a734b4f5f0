"""Runs of assets, of ops and of observations share one job type, one ExecutionPlan type and
one step loop."""

from __future__ import annotations

from typing import Any

import pytest

import headwater.execution.run.driver as run_module
from headwater import (
    ConfigurableResource,
    DataVersion,
    Definitions,
    DynamicOut,
    DynamicOutput,
    InvalidInvocationError,
    JobDefinition,
    asset,
    define_asset_job,
    job,
    materialize,
    observable_source_asset,
    observe,
    op,
)
from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep, ObservationStep
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

    def spy(plan: ExecutionPlan[Any], run_ctx: Any) -> None:
        seen.append(plan)
        loop(plan, run_ctx)

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


def test_observations_run_as_steps_of_the_same_loop(
    instance: Any, plans: list[ExecutionPlan[Any]]
) -> None:
    @observable_source_asset
    def feed() -> DataVersion:
        return DataVersion("7")

    result = observe([feed], instance=instance)

    (plan,) = plans
    assert [type(s) for s in plan.steps] == [ObservationStep]
    assert [e.event_type.value for e in result.all_events if e.step_key == "feed"][:2] == [
        "STEP_START", "ASSET_OBSERVATION"
    ]  # fmt: skip


def test_jobs_of_ops_and_of_assets_are_one_job_type() -> None:
    defs = Definitions(
        assets=[raw, doubled], jobs=[fan, define_asset_job("both", selection=[raw, doubled])]
    )
    ops_job, assets_job = defs.get_job_def("fan"), defs.get_job_def("both")
    assert type(ops_job) is type(assets_job) is JobDefinition
    assert not ops_job.is_asset_job and ops_job.graph is not None
    assert assets_job.is_asset_job and assets_job.graph is None
    with pytest.raises(InvalidInvocationError, match="asset_selection"):
        assets_job.execute_in_process(op_selection=["raw"])
    with pytest.raises(InvalidInvocationError, match="op_selection"):
        ops_job.execute_in_process(asset_selection=["raw"])


def test_a_job_of_ops_gets_the_resources_of_its_definitions(instance: Any) -> None:
    class Greeting(ConfigurableResource):
        word: str

    @op
    def greet(greeting: Greeting) -> str:
        return greeting.word

    @job
    def hello() -> None:
        greet()

    defs = Definitions(jobs=[hello], resources={"greeting": Greeting(word="hi")})
    result = defs.get_job_def("hello").execute_in_process(instance=instance)
    assert result.output_for_node("greet") == "hi"
