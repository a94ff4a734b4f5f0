"""Re-executing past runs: from failure (succeeded outputs loaded, not recomputed), a step
selection, everything; clear errors when the definitions changed."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater import ReexecutionOptions, execute_job

calls: dict[str, int] = {}
broken_switch = {"broken": True}


def _count(name: str) -> None:
    calls[name] = calls.get(name, 0) + 1


@hw.asset
def source() -> int:
    _count("source")
    return 10


@hw.asset
def flaky_transform(source: int) -> int:
    _count("flaky_transform")
    if broken_switch["broken"]:
        raise RuntimeError("the API was down")
    return source * 2


@hw.asset
def report(flaky_transform: int) -> str:
    _count("report")
    return f"value={flaky_transform}"


@hw.asset
def side_branch(source: int) -> int:
    _count("side_branch")
    return source + 1


ASSETS = [source, flaky_transform, report, side_branch]


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()
    broken_switch["broken"] = True


def test_from_failure_reruns_only_what_did_not_succeed(instance: Any) -> None:
    defs = hw.Definitions(assets=ASSETS)
    job = defs.get_implicit_global_asset_job_def()
    failed = job.execute_in_process(instance=instance, raise_on_error=False)
    assert failed.get_failed_step_keys() == {"flaky_transform"}
    assert failed.get_skipped_step_keys() == {"report"}

    broken_switch["broken"] = False
    calls.clear()
    options = ReexecutionOptions.from_failure(failed.run_id, instance)
    result = execute_job(job, instance, reexecution_options=options)
    assert result.success
    assert calls == {"flaky_transform": 1, "report": 1}  # source was loaded, not recomputed
    assert result.output_for_node("report") == "value=20"
    run = instance.get_run_by_id(result.run_id)
    assert run.parent_run_id == failed.run_id
    assert run.root_run_id == failed.run_id
    assert run.tags["headwater/parent_run_id"] == failed.run_id


def test_selected_steps_and_whole_run_reexecution(instance: Any) -> None:
    broken_switch["broken"] = False
    defs = hw.Definitions(assets=ASSETS)
    job = defs.get_implicit_global_asset_job_def()
    first = job.execute_in_process(instance=instance)
    calls.clear()
    only = execute_job(
        job, instance,
        reexecution_options=ReexecutionOptions(parent_run_id=first.run_id,
                                               step_selection=["side_branch"]),
    )  # fmt: skip
    assert only.success and calls == {"side_branch": 1}
    calls.clear()
    everything = execute_job(job, instance, reexecution_options=ReexecutionOptions(
        parent_run_id=only.run_id))  # fmt: skip
    # the parent of this one materialized only side_branch: re-executing it reruns that
    assert calls == {"side_branch": 1}
    assert instance.get_run_by_id(everything.run_id).root_run_id == first.run_id


def test_bad_reexecutions_are_clear_errors(instance: Any) -> None:
    defs = hw.Definitions(assets=ASSETS)
    job = defs.get_implicit_global_asset_job_def()
    failed = job.execute_in_process(instance=instance, raise_on_error=False)
    with pytest.raises(hw.StorageError, match="No run with id 'nope'"):
        ReexecutionOptions.from_failure("nope", instance)
    with pytest.raises(hw.ExecutionError, match=r"no steps \['ghost'\]"):
        execute_job(job, instance, reexecution_options=ReexecutionOptions(
            parent_run_id=failed.run_id, step_selection=["ghost"]))  # fmt: skip
    changed = hw.Definitions(assets=[source, side_branch])
    with pytest.raises(
        hw.ExecutionError, match=r"no longer have the assets \['flaky_transform', 'report'\]"
    ):
        options = ReexecutionOptions.from_failure(failed.run_id, instance)
        execute_job(
            changed.get_implicit_global_asset_job_def(), instance, reexecution_options=options
        )
    broken_switch["broken"] = False
    ok = job.execute_in_process(instance=instance)
    with pytest.raises(hw.ExecutionError, match="only a FAILURE or CANCELED run"):
        ReexecutionOptions.from_failure(ok.run_id, instance)
