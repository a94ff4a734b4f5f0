"""The Dask executor: per-step cost on an already running 2-worker ``LocalCluster``.

A ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` is started once (its
start and stop are timed separately, they are not per-step costs). Then, with
``execute_job`` and ``dask_executor`` pointed at it (``cluster: existing``), a real SQLite
instance in a temporary directory and the default filesystem IO manager:

1. a chain of 20 trivial assets (each adds one to the previous);
2. 50 independent trivial assets.

Per step = the whole ``execute_job`` call (planning, recording the run, connecting to the
scheduler, every step, every event committed) divided by the number of steps. "first" is
the first run of the job on the cluster (each Dask worker loads the job and opens the
instance once per run); the figure is the median of 5 later runs. Budget: <= 20 ms per step
(Dagster 1.13.27 on the same kind of machine: 221-226 ms on the chain, 186 ms on the 50
independent steps, plus about 4.7 s to start and stop the cluster).

Run: ``.venv/bin/python benchmarks/bench_dask_executor.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any

import headwater as hw

CHAIN_LENGTH = 20
INDEPENDENT = 50
RUNS = 5


def _link(i: int) -> Any:
    if i == 0:

        def first() -> int:
            return 1

        return hw.asset(name="link0")(first)

    def fn(previous: int) -> int:
        return previous + 1

    return hw.asset(name=f"link{i}", ins={"previous": hw.AssetIn(key=f"link{i - 1}")})(fn)


def _single(i: int) -> Any:
    def fn() -> int:
        return i

    return hw.asset(name=f"single{i}")(fn)


CHAIN = [_link(i) for i in range(CHAIN_LENGTH)]
SINGLES = [_single(i) for i in range(INDEPENDENT)]
defs = hw.Definitions(
    assets=[*CHAIN, *SINGLES],
    jobs=[
        hw.define_asset_job("chain", selection=[a.key for a in CHAIN],
                            executor_def=hw.dask_executor),
        hw.define_asset_job("independent", selection=SINGLES, executor_def=hw.dask_executor),
    ],
)  # fmt: skip


def chain_job() -> Any:
    return defs.get_job_def("chain")


def independent_job() -> Any:
    return defs.get_job_def("independent")


def _time(factory: Any, instance: hw.Instance, address: str) -> float:
    config = {"execution": {"config": {"cluster": {"existing": {"address": address}}}}}
    started = time.perf_counter()
    result = hw.execute_job(hw.reconstructable(factory), instance=instance, run_config=config)
    elapsed = time.perf_counter() - started
    assert result.success
    return elapsed


def main() -> None:
    from distributed import LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)  # fmt: skip
    start_s = time.perf_counter() - started
    try:
        with tempfile.TemporaryDirectory() as home:
            instance = hw.Instance.from_path(home)
            for name, factory, steps in (("chain of 20", chain_job, CHAIN_LENGTH),
                                         ("50 independent", independent_job, INDEPENDENT)):
                first = _time(factory, instance, cluster.scheduler_address)
                runs = [_time(factory, instance, cluster.scheduler_address) for _ in range(RUNS)]
                median = statistics.median(runs) / steps * 1000
                print(
                    f"dask executor, 2-worker LocalCluster, {name} steps: {median:.1f} ms per "
                    f"step (median of {RUNS}; best {min(runs) / steps * 1000:.1f}, first run "
                    f"{first / steps * 1000:.1f}) (budget 20 ms; Dagster "
                    f"{'221' if steps == CHAIN_LENGTH else '186'} ms)"
                )
            instance.dispose()
    finally:
        started = time.perf_counter()
        cluster.close()
        stop_s = time.perf_counter() - started
    print(f"dask LocalCluster: {start_s:.2f} s to start, {stop_s:.2f} s to stop "
          "(Dagster about 4.7 s for both)")  # fmt: skip


if __name__ == "__main__":
    main()
