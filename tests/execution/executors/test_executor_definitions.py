"""Executor definitions: configuring them, and where jobs and Definitions take them."""

from __future__ import annotations

from typing import Any

import pytest

import headwater as hw
from headwater.declarations.executors import MultiprocessConfig, TagConcurrencyLimit


@hw.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@hw.op
def one() -> int:
    return 1


def test_multiprocess_config_is_validated_and_resolved() -> None:
    executor = hw.multiprocess_executor.configured({
        "max_concurrent": 4,
        "start_method": {"forkserver": {"preload_modules": ["json"]}},
        "tag_concurrency_limits": [
            {"key": "database", "value": "warehouse", "limit": 1},
            {"key": "team", "value": {"applyLimitPerUniqueValue": True}, "limit": 2},
            {"key": "heavy", "limit": 1},
        ],
    })  # fmt: skip
    kind, config = executor.resolve(in_process=False)
    assert kind == "multiprocess"
    assert config == MultiprocessConfig(
        max_concurrent=4,
        start_method="forkserver",
        preload_modules=("json",),
        tag_concurrency_limits=(
            TagConcurrencyLimit(key="database", value="warehouse", limit=1),
            TagConcurrencyLimit(key="team", per_unique_value=True, limit=2),
            TagConcurrencyLimit(key="heavy", limit=1),
        ),
    )
    assert executor.name == "multiprocess"
    assert hw.multiprocess_executor.config == {}  # configured() made a new definition


def test_bad_executor_config_names_every_path() -> None:
    with pytest.raises(hw.InvalidConfigError) as raised:
        hw.multiprocess_executor.configured({
            "max_concurent": 4,
            "start_method": "fork",
            "tag_concurrency_limits": [{"key": "db", "limit": 0, "valeu": "x"}],
        })  # fmt: skip
    paths = [path for path, _ in raised.value.errors]
    assert paths == [
        "config.max_concurent",
        "config.start_method",
        "config.tag_concurrency_limits[0].valeu",
        "config.tag_concurrency_limits[0].limit",
    ]
    with pytest.raises(hw.InvalidConfigError, match=r"config\.retries"):
        hw.in_process_executor.configured({"retries": {"enabled": {}}})


def test_zero_max_concurrent_means_the_cpu_count() -> None:
    _, config = hw.multiprocess_executor.configured({"max_concurrent": 0}).resolve(
        in_process=False
    )
    assert config is not None and config.max_concurrent is None


def test_multi_or_in_process_is_in_process_only_for_execute_in_process() -> None:
    default = hw.multi_or_in_process_executor.configured({"multiprocess": {"max_concurrent": 3}})
    assert default.resolve(in_process=True) == ("in_process", None)
    kind, config = default.resolve(in_process=False)
    assert kind == "multiprocess" and config is not None and config.max_concurrent == 3
    chosen = default.resolve(in_process=False, execution_config={"config": {"in_process": {}}})
    assert chosen == ("in_process", None)


def test_run_config_execution_section_overrides_the_executor_config() -> None:
    _, config = hw.multiprocess_executor.configured({"max_concurrent": 4}).resolve(
        in_process=False, execution_config={"config": {"max_concurrent": 1}}
    )
    assert config is not None and config.max_concurrent == 1
    with pytest.raises(hw.InvalidConfigError, match=r"execution\.config\.max_concurrent"):
        hw.multiprocess_executor.resolve(
            in_process=False, execution_config={"config": {"max_concurrent": "two"}}
        )


def test_jobs_take_their_executor_from_the_job_then_the_definitions() -> None:
    two = hw.multiprocess_executor.configured({"max_concurrent": 2})

    @hw.job
    def ops_job() -> None:
        one()

    @hw.job(executor_def=hw.in_process_executor)
    def own_executor_job() -> None:
        one()

    defs = hw.Definitions(
        assets=[numbers],
        jobs=[hw.define_asset_job("assets_job"), ops_job, own_executor_job,
              hw.define_asset_job("pinned", executor_def=hw.in_process_executor)],
        executor=two,
    )  # fmt: skip
    assert defs.get_job_def("assets_job").executor_def is two
    assert defs.get_job_def("ops_job").executor_def is two
    assert defs.get_job_def("own_executor_job").executor_def is hw.in_process_executor
    assert defs.get_job_def("pinned").executor_def is hw.in_process_executor
    assert defs.get_implicit_global_asset_job_def().executor_def is two
    assert ops_job.executor_def is hw.multi_or_in_process_executor  # outside any Definitions


def test_a_multiprocess_job_runs_in_process_with_execute_in_process() -> None:
    defs = hw.Definitions(assets=[numbers], executor=hw.multiprocess_executor)
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    assert result.output_for_node("numbers") == [1, 2, 3]


def test_an_in_memory_io_manager_with_the_multiprocess_executor_is_refused_when_built() -> None:
    with pytest.raises(hw.DefinitionError, match="keep values in memory") as raised:
        hw.Definitions(assets=[numbers], resources={"io_manager": hw.InMemoryIOManager()},
                       executor=hw.multiprocess_executor)  # fmt: skip
    assert "FilesystemIOManager" in str(raised.value)
    with pytest.raises(hw.DefinitionError, match="keep values in memory"):

        @hw.job(executor_def=hw.multiprocess_executor,
                resource_defs={"io_manager": hw.mem_io_manager})  # fmt: skip
        def in_memory_ops() -> None:
            one()

    defs = hw.Definitions(
        assets=[numbers], resources={"io_manager": hw.InMemoryIOManager()},
        jobs=[hw.define_asset_job("parallel", executor_def=hw.multiprocess_executor)],
    )  # fmt: skip
    with pytest.raises(hw.DefinitionError, match=r"Job 'parallel'.*\['io_manager'\]"):
        defs.get_job_def("parallel")


def test_an_in_memory_io_manager_is_fine_in_process() -> None:
    job: Any = hw.define_asset_job("quick", executor_def=hw.in_process_executor)
    defs = hw.Definitions(assets=[numbers], jobs=[job],
                          resources={"io_manager": hw.InMemoryIOManager()})  # fmt: skip
    assert defs.get_job_def("quick").execute_in_process().output_for_node("numbers") == [1, 2, 3]


def test_an_executor_must_be_an_executor_definition() -> None:
    with pytest.raises(hw.DefinitionError, match="executor must be"):
        hw.Definitions(assets=[numbers], executor="multiprocess")  # type: ignore[arg-type]
    with pytest.raises(hw.DefinitionError, match="Unknown executor 'celery'"):
        hw.ExecutorDefinition(name="celery")
