"""The Dask executor on a cluster of separate processes: ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1 (one with a ``GPU`` resource), started and stopped here."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dask_jobs as jobs
import pytest

import headwater as hw
from headwater.events.types import EventType

pytestmark = [pytest.mark.dask, pytest.mark.slow]

HERE = Path(__file__).parent
SRC = HERE.parents[2] / "src"


@dataclass
class ProcessCluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def all(self) -> list[subprocess.Popen[bytes]]:
        return [*self.workers.values(), self.scheduler]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT)  # fmt: skip


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_workers(address: str, count: int, timeout: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=timeout)


@pytest.fixture(scope="module")
def process_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessCluster]:
    logs = tmp_path_factory.mktemp("dask-logs")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    cluster = ProcessCluster(address=address, scheduler=_dask(
        "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
        log=logs / "scheduler.log"))  # fmt: skip
    try:
        for name, extra in (("gpu", ["--resources", "GPU=1"]), ("plain", [])):
            cluster.workers[name] = _dask(
                "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--name", name, *extra, log=logs / f"worker-{name}.log",
            )  # fmt: skip
        _wait_for_workers(address, 2)
        yield cluster
    finally:
        for process in cluster.all():
            _stop(process)


def run(factory: Any, instance: Any, cluster: ProcessCluster) -> Any:
    return hw.execute_job(hw.reconstructable(factory), instance=instance,
                          run_config=jobs.on(cluster.address))  # fmt: skip


def test_a_chain_runs_on_a_cluster_of_separate_processes(
    instance: Any, process_cluster: ProcessCluster,
) -> None:
    result = run(jobs.chain_job, instance, process_cluster)

    assert result.success
    assert result.output_for_node("c19") == 1 + sum(range(20))
    stored = instance.all_logs(result.run_id)
    assert [e.event_type for e in stored].count(EventType.STEP_SUCCESS) == 20
    engine = next(e for e in stored if e.event_type is EventType.ENGINE_EVENT)
    assert len(engine.data["workers"]) == 2


def test_a_step_tagged_with_a_dask_resource_runs_on_the_worker_that_has_it(
    instance: Any, process_cluster: ProcessCluster,
) -> None:
    gpu_pid = process_cluster.workers["gpu"].pid
    for _ in range(3):
        result = run(jobs.gpu_job, instance, process_cluster)
        assert result.success
        assert result.output_for_node("on_gpu") == gpu_pid
    logs = [e.message for e in result.all_events if e.step_key == "on_gpu"]
    assert "running where the GPU is" in logs  # context.log came back with the step's events


def test_a_worker_process_killed_mid_step_fails_only_that_step(
    instance: Any, process_cluster: ProcessCluster,
) -> None:
    result = run(jobs.crashes_job, instance, process_cluster)

    assert not result.success
    failed = [e.step_key for e in result.all_events if e.event_type is EventType.STEP_FAILURE]
    assert failed == ["killed"]
    skipped = [e.step_key for e in result.all_events if e.event_type is EventType.STEP_SKIPPED]
    assert skipped == ["after_killed"]
    succeeded = {e.step_key for e in result.get_step_success_events()}
    assert succeeded == {"survivor0", "survivor1"}
    dead = [name for name, p in process_cluster.workers.items() if p.poll() is not None]
    assert len(dead) == 1 and process_cluster.workers[dead[0]].returncode == -signal.SIGKILL
