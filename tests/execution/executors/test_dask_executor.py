"""The Dask executor on a real ``LocalCluster(processes=True)``, a real SQLite instance."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask_jobs as jobs
import pytest

import headwater as hw
from headwater.events.types import EventType

pytestmark = pytest.mark.dask

HERE = Path(__file__).parent
STEP_EVENTS = frozenset(EventType) - {EventType.ENGINE_EVENT, EventType.LOGS_CAPTURED}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each; they import ``dask_jobs`` from this folder."""
    from distributed import LocalCluster

    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), path) if p)
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # 8787 may be taken
        ) as local:
            yield local
    finally:
        if path is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = path


def run(factory: Any, instance: Any, cluster: Any, **kwargs: Any) -> Any:
    return hw.execute_job(hw.reconstructable(factory), instance=instance,
                          run_config=jobs.on(cluster.scheduler_address), **kwargs)  # fmt: skip


def steps(events: Any) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for event in events:
        if event.event_type in STEP_EVENTS:
            out.setdefault(event.step_key, []).append(event.event_type.value)
    return out


def versions(result: Any) -> dict[Any, str]:
    return {e.asset_key: e.data["data_version"] for e in result.get_asset_materialization_events()}


def of_type(result: Any, event_type: EventType) -> list[Any]:
    return [e for e in result.all_events if e.event_type is event_type]


def wait_for_workers(cluster: Any, count: int = 2, timeout: float = 30.0) -> None:
    """A killed worker is restarted by its nanny: wait until the cluster is whole again."""
    deadline = time.monotonic() + timeout
    while len(cluster.scheduler.workers) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_chain_of_20_assets_gives_the_events_outputs_and_versions_of_an_in_process_run(
    instance: Any, cluster: Any,
) -> None:
    here = jobs.chain_job().execute_in_process(instance=instance)
    there = run(jobs.chain_job, instance, cluster)

    assert there.success and here.success
    assert there.output_for_node("c19") == here.output_for_node("c19") == 1 + sum(range(20))
    assert steps(there.all_events) == steps(here.all_events)
    assert versions(there) == versions(here)
    stored = [e.event_type for e in instance.all_logs(there.run_id)]
    assert stored.count(EventType.STEP_SUCCESS) == 20
    assert stored[-1] is EventType.RUN_SUCCESS
    engine = of_type(there, EventType.ENGINE_EVENT)[0]
    assert engine.data["scheduler"] == cluster.scheduler_address
    assert len(engine.data["workers"]) == 2


def test_independent_steps_run_at_once_in_two_worker_processes(
    instance: Any, cluster: Any,
) -> None:
    result = run(jobs.sleepers_job, instance, cluster)

    assert result.success
    pids = {result.output_for_node(f"sleeper{i}") for i in range(2)}
    assert len(pids) == 2 and os.getpid() not in pids
    starts = [e.timestamp for e in of_type(result, EventType.STEP_START)]
    ends = [e.timestamp for e in of_type(result, EventType.STEP_SUCCESS)]
    assert max(starts) < min(ends)  # both were running at once


def test_an_op_job_runs_on_the_cluster(instance: Any, cluster: Any) -> None:
    result = run(jobs.the_ops_job, instance, cluster)

    assert result.success
    assert result.output_for_node("double_2") == 40


def test_a_worker_killed_mid_step_fails_only_that_step(instance: Any, cluster: Any) -> None:
    result = run(jobs.crashes_job, instance, cluster)

    assert not result.success
    by_step = steps(result.all_events)
    assert by_step["killed"] == ["STEP_START", "STEP_FAILURE"]
    assert by_step["after_killed"] == ["STEP_SKIPPED"]
    assert by_step["survivor0"][-1] == by_step["survivor1"][-1] == "STEP_SUCCESS"
    failure = next(e for e in of_type(result, EventType.STEP_FAILURE))
    assert "was lost before the step finished" in failure.message
    assert failure.data["worker_lost"] is True
    run_failure = of_type(result, EventType.RUN_FAILURE)[0]
    assert run_failure.data["failed_steps"] == ["killed"]
    wait_for_workers(cluster)


def test_a_worker_killed_mid_step_is_retried_as_the_retry_policy_allows(
    instance: Any, cluster: Any, tmp_path: Path,
) -> None:
    wait_for_workers(cluster)
    marker = tmp_path / "killed-once"
    config = {**jobs.on(cluster.scheduler_address),
              "ops": {"killed_once": {"config": {"marker": str(marker)}}}}  # fmt: skip

    result = hw.execute_job(hw.reconstructable(jobs.killed_once_job), instance=instance,
                            run_config=config)  # fmt: skip

    assert result.success
    killed_pid = int(marker.read_text())
    assert result.output_for_node("killed_once") != killed_pid
    events = steps(result.all_events)["killed_once"]
    assert events[:3] == ["STEP_START", "STEP_UP_FOR_RETRY", "STEP_START"]
    assert events[-1] == "STEP_SUCCESS" and "STEP_FAILURE" not in events
    retry = of_type(result, EventType.STEP_UP_FOR_RETRY)[0]
    assert retry.data["retry_number"] == 1 and "was lost" in retry.message
    wait_for_workers(cluster)


def test_a_failing_step_is_retried_in_its_worker_and_a_raising_one_fails_alone(
    instance: Any, cluster: Any,
) -> None:
    result = run(jobs.failure_job, instance, cluster)

    assert not result.success
    by_step = steps(result.all_events)
    assert by_step["raises"][-1] == "STEP_FAILURE"
    assert by_step["after_raises"] == ["STEP_SKIPPED"]
    assert by_step["flaky"].count("STEP_UP_FOR_RETRY") == 2
    assert by_step["flaky"][-1] == "STEP_SUCCESS"
    assert result.output_for_node("flaky") == 2
    assert by_step["survivor0"][-1] == "STEP_SUCCESS"
    failure = next(e for e in of_type(result, EventType.STEP_FAILURE) if e.step_key == "raises")
    assert "the data is wrong" in failure.message
    with pytest.raises(ValueError, match="the data is wrong"):
        run(jobs.failure_job, instance, cluster, raise_on_error=True)


def test_a_scheduler_that_does_not_answer_fails_the_run_before_any_step_starts(
    instance: Any,
) -> None:
    with socket.socket() as sock:  # a port with nothing listening on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"

    result = hw.execute_job(hw.reconstructable(jobs.chain_job), instance=instance,
                            run_config=jobs.on(address, timeout=1))  # fmt: skip

    assert not result.success
    stored = instance.all_logs(result.run_id)
    assert not [e for e in stored if e.event_type is EventType.STEP_START]
    error = next(e for e in stored if e.event_type is EventType.ENGINE_EVENT and e.level == 40)
    assert address in error.message and "dask scheduler" in error.message
    assert stored[-1].event_type is EventType.RUN_FAILURE
    assert instance.get_run_by_id(result.run_id).status.value == "FAILURE"


def test_a_local_cluster_of_its_own_is_started_and_closed_for_the_run(instance: Any) -> None:
    own = hw.dask_executor.configured({"cluster": {"local": {"n_workers": 1}}})
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), path) if p)
    try:
        result = hw.execute_job(
            hw.reconstructable(jobs.where_job), instance=instance,
            run_config={"execution": {"config": own.config}},
        )  # fmt: skip
    finally:
        if path is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = path

    assert result.success, [e.message for e in result.all_events]
    pid = result.output_for_node("where")
    assert pid != os.getpid()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()  # the cluster's worker is gone with the run


def test_a_bad_dask_resource_tag_fails_the_run_before_any_step_starts(
    instance: Any, cluster: Any,
) -> None:
    result = run(bad_resource_job, instance, cluster)

    assert not result.success
    stored = instance.all_logs(result.run_id)
    assert not [e for e in stored if e.event_type is EventType.STEP_START]
    error = next(e for e in stored if e.event_type is EventType.ENGINE_EVENT and e.level == 40)
    assert "'dask/resource/GPU'='lots'" in error.message


@hw.asset(op_tags={"dask/resource/GPU": "lots"})
def greedy() -> int:
    return 1


def bad_resource_job() -> Any:
    return hw.Definitions(assets=[greedy], jobs=[hw.define_asset_job(
        "greedy_job", selection=[greedy], executor_def=hw.dask_executor)]).get_job_def(
        "greedy_job")  # fmt: skip
