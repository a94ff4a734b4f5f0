"""Jobs the multiprocess executor tests run: worker processes import this module by name."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import time
from typing import Any

import headwater as hw

TWO = hw.multiprocess_executor.configured({"max_concurrent": 2})
FOUR = hw.multiprocess_executor.configured({"max_concurrent": 4})


# -- a chain of 20 assets and a fan-out ----------------------------------------------------------
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


@hw.asset(code_version="1")
def root() -> list[int]:
    return [1, 2, 3]


def _branch(i: int) -> Any:
    def fn(root: list[int]) -> int:
        return sum(root) * i

    return hw.asset(name=f"branch{i}", code_version="1")(fn)


BRANCHES = [_branch(i) for i in range(6)]


@hw.asset(code_version="1", ins={f"b{i}": hw.AssetIn(key=f"branch{i}") for i in range(6)})
def joined(**branches: int) -> int:
    return sum(branches.values())


# -- concurrency ---------------------------------------------------------------------------------
SLEEP_SECONDS = 1.0


def _sleeper(i: int) -> Any:
    def fn() -> int:
        time.sleep(SLEEP_SECONDS)
        return os.getpid()

    return hw.asset(name=f"sleeper{i}", op_tags={"kind": "sleep", "lane": f"l{i % 2}"})(fn)


SLEEPERS = [_sleeper(i) for i in range(4)]


# -- crashes -------------------------------------------------------------------------------------
@hw.asset
def killed() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


@hw.asset(pool="warehouse")
def killed_holding_a_slot() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


@hw.asset
def exits() -> int:
    os._exit(3)


@hw.asset
def segfaults() -> int:
    ctypes.string_at(0)
    return 0


@hw.asset
def after_killed(killed: int) -> int:
    return killed


def _survivor(i: int) -> Any:
    def fn() -> int:
        time.sleep(0.5)
        return os.getpid()

    return hw.asset(name=f"survivor{i}")(fn)


SURVIVORS = [_survivor(i) for i in range(4)]


@hw.asset
def raises() -> int:
    raise ValueError("the data is wrong")


@hw.asset
def after_raises(raises: int) -> int:
    return raises


# -- output, logs, retries -----------------------------------------------------------------------
def _meet(name: str, others: list[str]) -> None:
    """Wait (at most 30 s) until the other steps named ``others`` are running too."""
    where = os.environ.get("MEETING_DIR")
    if not where:
        return
    with open(os.path.join(where, name), "w"):
        pass
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(os.path.exists(os.path.join(where, other)) for other in others):
            return
        time.sleep(0.02)


def _talker(name: str) -> Any:
    def fn(context: hw.AssetExecutionContext) -> str:
        _meet(name, ["talker_a", "talker_b"])
        for n in range(3):
            print(f"{name} prints line {n}")
            time.sleep(0.05)
        context.log.info(f"{name} says hello")
        logging.getLogger("user.module").warning(f"{name} warns")
        return name

    return hw.asset(name=name)(fn)


TALKERS = [_talker("talker_a"), _talker("talker_b")]


@hw.asset(retry_policy=hw.RetryPolicy(max_retries=2))
def flaky(context: hw.AssetExecutionContext) -> int:
    if context.retry_number < 2:
        raise RuntimeError(f"attempt {context.retry_number} fails")
    return context.retry_number


@hw.asset
def fails_the_first_time(root: list[int]) -> int:
    marker = os.environ["FAILED_ONCE_MARKER"]
    if not os.path.exists(marker):
        with open(marker, "w") as out:
            out.write(str(os.getpid()))
        raise RuntimeError("first time")
    return sum(root)


@hw.asset
def after_the_first_time(fails_the_first_time: int) -> int:
    return fails_the_first_time * 2


@hw.asset
def reads_environment() -> str | None:
    return os.environ.get("EXECUTOR_TEST_VALUE")


@hw.asset
def asks_for_retry(context: hw.AssetExecutionContext) -> int:
    if context.retry_number == 0:
        raise hw.RetryRequested(max_retries=1)
    return os.getpid()


# -- a job of ops with a dynamic fan-out ---------------------------------------------------------
@hw.op(out=hw.DynamicOut())
def fan_out() -> Any:
    for n in range(5):
        yield hw.DynamicOutput(n, mapping_key=f"k{n}")


@hw.op
def square(n: int) -> int:
    return n * n


@hw.op
def plus_one(n: int) -> int:
    return n + 1


@hw.op
def total(values: list[int]) -> int:
    return sum(values)


@hw.op
def constant() -> int:
    return 10


@hw.op
def add(a: int, b: int) -> int:
    return a + b


@hw.job(executor_def=TWO)
def dynamic_job() -> None:
    squares = fan_out().map(lambda n: plus_one(square(n)))
    add(total(squares.collect()), constant())


@hw.job(executor_def=TWO)
def fan_in_job() -> None:
    add(total([square.alias("sq_a")(constant()), plus_one(constant()), constant.alias("c")()]),
        constant.alias("ten")())  # fmt: skip


@hw.job(executor_def=TWO)
def pid_job() -> None:
    constant()


@hw.multi_asset(outs={"made": hw.AssetOut(is_required=False),
                      "not_made": hw.AssetOut(is_required=False)})  # fmt: skip
def optional_pair() -> Any:
    yield hw.Output(1, output_name="made")


@hw.asset
def after_made(made: int) -> int:
    return made + 1


@hw.asset
def after_not_made(not_made: int) -> int:
    return not_made + 1


ALL_ASSETS = [
    *CHAIN, root, *BRANCHES, joined, *SLEEPERS, killed, killed_holding_a_slot, exits,
    segfaults, after_killed,
    *SURVIVORS, raises, after_raises, *TALKERS, flaky, asks_for_retry, reads_environment,
    fails_the_first_time, after_the_first_time, optional_pair, after_made, after_not_made,
]  # fmt: skip

LANES = hw.multiprocess_executor.configured({
    "max_concurrent": 4,
    "tag_concurrency_limits": [
        {"key": "lane", "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    ],
})


def _job(name: str, selection: Any, executor_def: Any = TWO) -> Any:
    return hw.define_asset_job(name, selection=selection, executor_def=executor_def)


defs = hw.Definitions(
    assets=ALL_ASSETS,
    jobs=[
        _job("chain", [a.key for a in CHAIN]),
        _job("fan", [root, *BRANCHES, joined], FOUR),
        _job("sleepers", SLEEPERS),
        _job("one_sleeper_per_lane", SLEEPERS, LANES),
        _job("crashes", [killed, after_killed, *SURVIVORS]),
        _job("crash_in_pool", [killed_holding_a_slot]),
        _job("exit_and_segfault", [exits, segfaults, *SURVIVORS[:2]]),
        _job("failure", [raises, after_raises, *SURVIVORS[:2]]),
        _job("talkers", TALKERS),
        _job("environment", [reads_environment]),
        _job("second_chance", [root, fails_the_first_time, after_the_first_time]),
        _job("retries", [flaky, asks_for_retry]),
        _job("spawned", [root, *BRANCHES[:2]],
             hw.multiprocess_executor.configured({"start_method": "spawn", "max_concurrent": 2})),
        _job("optional", [optional_pair, after_made, after_not_made]),
        hw.define_asset_job("default_executor", selection=[root]),
    ],
)


def job_named(name: str) -> Any:
    """The job ``name`` of :data:`defs`."""
    return defs.get_job_def(name)


def optional_job() -> Any:
    return job_named("optional")


def chain_job() -> Any:
    return job_named("chain")


def fan_job() -> Any:
    return job_named("fan")


def sleepers_job() -> Any:
    return job_named("sleepers")


def one_sleeper_per_lane_job() -> Any:
    return job_named("one_sleeper_per_lane")


def crashes_job() -> Any:
    return job_named("crashes")


def crash_in_pool_job() -> Any:
    return job_named("crash_in_pool")


def exit_and_segfault_job() -> Any:
    return job_named("exit_and_segfault")


def failure_job() -> Any:
    return job_named("failure")


def talkers_job() -> Any:
    return job_named("talkers")


def second_chance_job() -> Any:
    return job_named("second_chance")


def environment_job() -> Any:
    return job_named("environment")


def retries_job() -> Any:
    return job_named("retries")


def spawned_job() -> Any:
    return job_named("spawned")


def default_executor_job() -> Any:
    return job_named("default_executor")


def fails_in_workers_job() -> Any:
    """The chain job here; an error in a worker process (which has a parent process)."""
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        raise RuntimeError("this job cannot be loaded in a worker")
    return job_named("chain")


@hw.asset
def long_sleeper() -> int:
    marker = os.environ.get("LONG_SLEEPER_MARKER")
    if marker:
        with open(marker, "w") as out:
            out.write(str(os.getpid()))
    time.sleep(120)
    return 1


interrupt_defs = hw.Definitions(
    assets=[long_sleeper, *SURVIVORS[:1]],
    jobs=[_job("interrupted", [long_sleeper, *SURVIVORS[:1]])],
)


def interrupted_job() -> Any:
    return interrupt_defs.get_job_def("interrupted")


@hw.multi_asset(outs={"half_a": hw.AssetOut(), "half_b": hw.AssetOut()}, can_subset=True)
def half_built() -> Any:
    yield hw.Output(1, output_name="half_a")
    raise RuntimeError("half_b failed")


@hw.asset
def reads_half_a(half_a: int) -> int:
    return half_a + 1


@hw.asset
def reads_half_b(half_b: int) -> int:
    return half_b + 1


partial_defs = hw.Definitions(
    assets=[half_built, reads_half_a, reads_half_b],
    jobs=[_job("partial", [half_built, reads_half_a, reads_half_b])],
)


def partial_failure_job() -> Any:
    """A multi-asset that fails after materializing one of its two assets."""
    return partial_defs.get_job_def("partial")


# -- a step that logs, then waits (until the test has seen its events live) ----------------------
def _wait_for_go(context: Any) -> None:
    """Log, then wait until the test creates the ``go`` file (at most 10 s); fail if asked."""
    folder = os.environ["HEADWATER_TEST_LIVE_DIR"]
    context.log.info("halfway through the long step")
    deadline = time.monotonic() + 10.0
    while not os.path.exists(os.path.join(folder, "go")) and time.monotonic() < deadline:
        time.sleep(0.05)
    if os.path.exists(os.path.join(folder, "fail")):
        raise RuntimeError("the long step failed after waiting")


@hw.asset
def long_step(context: hw.AssetExecutionContext) -> int:
    _wait_for_go(context)
    return 1


live_defs = hw.Definitions(
    assets=[long_step],
    jobs=[
        hw.define_asset_job("live_in_process", [long_step], executor_def=hw.in_process_executor),
        hw.define_asset_job("live_multiprocess", [long_step], executor_def=TWO),
        hw.define_asset_job("live_dask", [long_step], executor_def=hw.dask_executor),
    ],
)


def live_in_process_job() -> Any:
    return live_defs.get_job_def("live_in_process")


def live_multiprocess_job() -> Any:
    return live_defs.get_job_def("live_multiprocess")


def live_dask_job() -> Any:
    return live_defs.get_job_def("live_dask")
