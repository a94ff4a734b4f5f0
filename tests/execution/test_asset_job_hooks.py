"""Hooks run on asset jobs as on op jobs: after each step, with its outputs or its error."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw

calls: list[tuple[str, str, Any]] = []


@hw.success_hook
def record_success(context: Any) -> None:
    calls.append(("success", context.step_key, dict(context.op_output_values)))


@hw.failure_hook
def record_failure(context: Any) -> None:
    calls.append(("failure", context.step_key, str(context.op_exception)))


@hw.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@hw.asset
def total(numbers: list[int]) -> int:
    return sum(numbers)


@hw.asset
def broken(numbers: list[int]) -> int:
    raise ValueError("no good")


def test_success_and_failure_hooks_run_after_each_asset_step(instance: Any) -> None:
    calls.clear()
    job = hw.define_asset_job("with_hooks", hooks=[record_success, record_failure])
    defs = hw.Definitions(assets=[numbers, total, broken], jobs=[job])
    result = defs.get_job_def("with_hooks").execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert not result.success
    assert sorted(calls, key=lambda c: c[1]) == [
        ("failure", "broken", "no good"),
        ("success", "numbers", {"result": [1, 2, 3]}),
        ("success", "total", {"result": 6}),
    ]
    completed = [
        (e.step_key, e.data["hook"])
        for e in result.filter_events(hw.EventType.HOOK_COMPLETED)
    ]
    assert sorted(completed) == [
        ("broken", "record_failure"),
        ("numbers", "record_success"),
        ("total", "record_success"),
    ]


def test_a_job_without_hooks_runs_none() -> None:
    calls.clear()
    defs = hw.Definitions(assets=[numbers, total], jobs=[hw.define_asset_job("plain")])
    assert defs.get_job_def("plain").execute_in_process().success
    assert calls == []


def test_an_executor_that_is_no_executor_definition_is_refused() -> None:
    with pytest.raises(hw.DefinitionError, match="executor must be in_process_executor"):
        hw.define_asset_job("parallel", executor_def=object())


def test_a_hook_must_be_a_hook_definition() -> None:
    with pytest.raises(hw.DefinitionError, match="hooks= takes"):
        hw.define_asset_job("bad_hooks", hooks=[lambda context: None])  # type: ignore[list-item]
