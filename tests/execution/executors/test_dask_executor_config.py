"""The Dask executor's definition: its config, resource tags, and where it is refused."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.declarations.dask_config import DaskConfig, dask_resources


def test_the_cluster_config_resolves_to_a_local_or_an_existing_cluster() -> None:
    assert hw.dask_executor.resolve(in_process=False) == ("dask", DaskConfig())
    local = hw.dask_executor.configured(
        {"cluster": {"local": {"n_workers": 4, "threads_per_worker": 2, "processes": False}}})
    assert local.resolve(in_process=True) == (
        "dask", DaskConfig(n_workers=4, threads_per_worker=2, processes=False))
    existing = hw.dask_executor.configured(
        {"cluster": {"existing": {"address": "tcp://10.0.0.5:8786"}}})
    kind, config = existing.resolve(
        in_process=False,
        execution_config={"config": {"cluster": {"existing": {"address": "tcp://h:1",
                                                              "timeout": 2}}}},
    )  # fmt: skip
    assert (kind, config) == ("dask", DaskConfig(address="tcp://h:1", timeout=2.0))


def test_a_bad_cluster_config_names_every_path() -> None:
    with pytest.raises(hw.InvalidConfigError) as raised:
        hw.dask_executor.configured({
            "cluster": {"local": {"n_workers": 0, "threads": 2, "processes": "yes"}},
            "max_concurrent": 2,
        })  # fmt: skip
    assert sorted(path for path, _ in raised.value.errors) == [
        "config.cluster.local.n_workers", "config.cluster.local.processes",
        "config.cluster.local.threads", "config.max_concurrent",
    ]  # fmt: skip
    with pytest.raises(hw.InvalidConfigError) as raised:
        hw.dask_executor.configured({"cluster": {"existing": {"timeout": -1}}})
    assert dict(raised.value.errors) == {
        "config.cluster.existing.address": "expected the scheduler address, e.g. "
                                           "'tcp://127.0.0.1:8786', got None",
        "config.cluster.existing.timeout": "expected seconds > 0, got -1",
    }  # fmt: skip
    with pytest.raises(hw.InvalidConfigError, match=r"execution\.config\.cluster\.yarn"):
        hw.dask_executor.resolve(in_process=False,
                                 execution_config={"config": {"cluster": {"yarn": {}}}})


def test_dask_resource_tags_become_resource_requirements() -> None:
    tags = {"dask/resource/GPU": "1", "dask/resource/MEMORY": "2.5e9", "team": "ml"}
    assert dask_resources(tags) == {"GPU": 1.0, "MEMORY": 2.5e9}
    for bad in ("lots", "0", "-1", "inf"):
        with pytest.raises(hw.DefinitionError, match=r"Step 'train'.*dask/resource/GPU"):
            dask_resources({"dask/resource/GPU": bad}, "Step 'train'")


def test_a_job_with_an_in_memory_io_manager_is_refused_for_the_dask_executor() -> None:
    @hw.asset
    def numbers() -> list[int]:
        return [1]

    with pytest.raises(hw.DefinitionError, match="Dask executor"):
        hw.Definitions(assets=[numbers], executor=hw.dask_executor,
                       resources={"io_manager": hw.InMemoryIOManager()})  # fmt: skip


def test_a_plain_job_definition_cannot_run_on_dask(instance: object) -> None:
    @hw.op
    def one() -> int:
        return 1

    @hw.job(executor_def=hw.dask_executor)
    def plain() -> None:
        one()

    with pytest.raises(hw.ExecutionError, match="dask executor, whose Dask workers must load"):
        hw.execute_job(plain, instance=instance)


def test_dagster_dask_serves_the_dask_executor() -> None:
    from headwater.compat import importer

    importer.install()
    try:
        import dagster_dask
    finally:
        importer.uninstall()

    assert dagster_dask.dask_executor is hw.dask_executor
    import headwater.compat.dagster as dg

    assert dg.dask_executor is hw.dask_executor
