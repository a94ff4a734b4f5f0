"""A launched run whose job uses the Dask executor: a real ``headwater run-worker`` process
submits the steps to a real ``LocalCluster(processes=True)`` and records every event."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from worker_helpers import RUN_TIMEOUT, poll

from headwater import EventType, Instance, RunStatus
from headwater.execution.plan.origin import CodeLocationOrigin
from headwater.orchestration.code_location import load_definitions_from_origin
from headwater.orchestration.launcher import launch_run, wait_for_run
from headwater.orchestration.submission import create_run_for_job
from headwater.orchestration.termination import terminate_run

pytestmark = pytest.mark.dask

PIPELINE = """
    import os
    import time
    from pathlib import Path
    from headwater import Definitions, asset, dask_executor, define_asset_job

    @asset
    def raw() -> list[int]:
        return [1, 2, 3]

    @asset
    def total(raw: list[int]) -> int:
        return sum(raw)

    @asset
    def where(total: int) -> int:
        return os.getpid()

    @asset
    def sleepy() -> int:
        Path("{marker}").write_text(str(os.getpid()))  # Dask workers keep their own env
        time.sleep(5)
        return 1

    ON_DASK = dask_executor.configured(
        {{"cluster": {{"existing": {{"address": "{address}"}}}}}})
    defs = Definitions(
        assets=[raw, total, where, sleepy],
        jobs=[define_asset_job("sums", selection=["raw", "total", "where"], executor_def=ON_DASK),
              define_asset_job("sleeper", selection=["sleepy"], executor_def=ON_DASK)],
    )
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as local:  # fmt: skip
        yield local


def test_a_launched_run_executes_its_steps_on_the_dask_cluster(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin], cluster: Any,
) -> None:
    origin = location(PIPELINE.format(address=cluster.scheduler_address, marker="unused"))
    job = load_definitions_from_origin(origin).get_job_def("sums")
    run = create_run_for_job(worker_instance, job, location=origin, queued=False)
    worker_pid = launch_run(worker_instance, run.run_id)

    finished = wait_for_run(worker_instance, run.run_id, timeout=RUN_TIMEOUT)

    assert finished.status is RunStatus.SUCCESS
    events = worker_instance.all_logs(run.run_id)
    types = [e.event_type for e in events]
    assert types.count(EventType.STEP_SUCCESS) == 3 and types[-1] is EventType.RUN_SUCCESS
    engine = next(e for e in events if e.event_type is EventType.ENGINE_EVENT
                  and "Dask cluster" in e.message)  # fmt: skip
    assert engine.data["scheduler"] == cluster.scheduler_address
    pids = {worker.pid for worker in cluster.scheduler.workers.values()}
    ran_in = pickle.loads((worker_instance.storage_directory / "where").read_bytes())
    assert ran_in in pids and ran_in != worker_pid  # a Dask worker, not the run worker


def test_terminating_a_dask_run_records_its_step_interrupted_and_cancels_the_run(
    worker_instance: Instance, location: Callable[[str], CodeLocationOrigin], cluster: Any,
) -> None:
    marker = worker_instance.root_directory / "sleepy_started"
    origin = location(PIPELINE.format(address=cluster.scheduler_address, marker=marker))
    job = load_definitions_from_origin(origin).get_job_def("sleeper")
    run = create_run_for_job(worker_instance, job, location=origin, queued=False)
    launch_run(worker_instance, run.run_id)
    poll(marker.exists, "the sleeping step to start")

    result = terminate_run(worker_instance, run.run_id, grace_seconds=60)

    assert result.run.status is RunStatus.CANCELED and not result.killed
    events = worker_instance.all_logs(run.run_id)
    failure = next(e for e in events if e.event_type is EventType.STEP_FAILURE)
    assert failure.step_key == "sleepy" and failure.data["interrupted"] is True
    assert events[-1].event_type is EventType.RUN_CANCELED
