"""Jobs the Dask executor tests run: Dask workers import this module by name.

Every job uses ``dask_executor``; a test points it at its cluster with the run config
``{"execution": {"config": {"cluster": {"existing": {"address": ...}}}}}`` (:func:`on`).
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import headwater as hw


def on(address: str, timeout: float = 10) -> dict[str, Any]:
    """The run config sending a run's steps to the scheduler at ``address``."""
    return {"execution": {"config": {"cluster": {"existing": {"address": address,
                                                              "timeout": timeout}}}}}  # fmt: skip


def _link(i: int) -> Any:
    if i == 0:

        def first() -> int:
            return 1

        return hw.asset(name="c0", code_version="1")(first)

    def fn(previous: int) -> int:
        return previous + i

    return hw.asset(name=f"c{i}", ins={"previous": hw.AssetIn(key=f"c{i - 1}")},
                    code_version="1")(fn)  # fmt: skip


CHAIN = [_link(i) for i in range(20)]


def _sleeper(i: int) -> Any:
    def fn() -> int:
        time.sleep(1.0)
        return os.getpid()

    return hw.asset(name=f"sleeper{i}")(fn)


SLEEPERS = [_sleeper(i) for i in range(2)]


def _survivor(i: int) -> Any:
    def fn() -> int:
        time.sleep(0.5)
        return os.getpid()

    return hw.asset(name=f"survivor{i}")(fn)


SURVIVORS = [_survivor(i) for i in range(2)]


@hw.asset
def killed() -> int:
    time.sleep(0.2)  # the survivors are running too
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


@hw.asset
def after_killed(killed: int) -> int:
    return killed


class MarkerConfig(hw.Config):
    marker: str


@hw.asset(retry_policy=hw.RetryPolicy(max_retries=1))
def killed_once(config: MarkerConfig) -> int:
    """Kills its worker the first time (the marker file says it did), then succeeds."""
    marker = config.marker
    if not os.path.exists(marker):
        with open(marker, "w") as out:
            out.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


@hw.asset
def raises() -> int:
    raise ValueError("the data is wrong")


@hw.asset
def after_raises(raises: int) -> int:
    return raises


@hw.asset(retry_policy=hw.RetryPolicy(max_retries=2))
def flaky(context: hw.AssetExecutionContext) -> int:
    if context.retry_number < 2:
        raise RuntimeError(f"attempt {context.retry_number} fails")
    return context.retry_number


@hw.asset(op_tags={"dask/resource/GPU": "1"})
def on_gpu(context: hw.AssetExecutionContext) -> int:
    context.log.info("running where the GPU is")
    return os.getpid()


@hw.asset
def where() -> int:
    return os.getpid()


@hw.op
def constant() -> int:
    return 10


@hw.op
def double(n: int) -> int:
    return n * 2


@hw.job(executor_def=hw.dask_executor)
def ops_job() -> None:
    double(double(constant()))


ALL_ASSETS = [*CHAIN, *SLEEPERS, *SURVIVORS, killed, after_killed, killed_once, raises,
              after_raises, flaky, on_gpu, where]  # fmt: skip


def _job(name: str, selection: Any) -> Any:
    return hw.define_asset_job(name, selection=selection, executor_def=hw.dask_executor)


defs = hw.Definitions(
    assets=ALL_ASSETS,
    jobs=[
        _job("chain", [a.key for a in CHAIN]),
        _job("sleepers", SLEEPERS),
        _job("crashes", [killed, after_killed, *SURVIVORS]),
        _job("killed_once", [killed_once]),
        _job("failure", [raises, after_raises, flaky, *SURVIVORS]),
        _job("gpu", [on_gpu, where]),
        _job("where", [where]),
        ops_job,
    ],
)


def chain_job() -> Any:
    return defs.get_job_def("chain")


def sleepers_job() -> Any:
    return defs.get_job_def("sleepers")


def crashes_job() -> Any:
    return defs.get_job_def("crashes")


def killed_once_job() -> Any:
    return defs.get_job_def("killed_once")


def failure_job() -> Any:
    return defs.get_job_def("failure")


def gpu_job() -> Any:
    return defs.get_job_def("gpu")


def where_job() -> Any:
    return defs.get_job_def("where")


def the_ops_job() -> Any:
    return defs.get_job_def("ops_job")


# -- values in an object store (UPathIOManager; base_path and storage_options from run config)
s3_defs = hw.Definitions(
    assets=CHAIN[:5],
    jobs=[_job("chain_on_s3", [a.key for a in CHAIN[:5]])],
    resources={"io_manager": hw.UPathIOManager(base_path="memory://set-by-run-config")},
)


def chain_on_s3_job() -> Any:
    return s3_defs.get_job_def("chain_on_s3")
