"""The Dask executor with values in an S3-compatible object store (UPathIOManager on moto's
server, a separate process on 127.0.0.1): steps in Dask worker processes hand values to each
other through the bucket only."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import dask_jobs as jobs
import pytest

import headwater as hw
from s3_server import CREDENTIALS, keys_in, moto_server, new_bucket

pytestmark = pytest.mark.dask


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as url:
        yield url


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as local:  # fmt: skip
        yield local


def test_a_chain_on_dask_passes_its_values_through_the_bucket(
    instance: Any, cluster: Any, endpoint: str,
) -> None:
    s3 = new_bucket(endpoint)
    storage = {"base_path": f"s3://{s3.bucket}/values",
               "storage_options": {**CREDENTIALS, "endpoint_url": endpoint}}  # fmt: skip
    config = {**jobs.on(cluster.scheduler_address),
              "resources": {"io_manager": {"config": storage}}}  # fmt: skip

    result = hw.execute_job(hw.reconstructable(jobs.chain_on_s3_job), instance=instance,
                            run_config=config)  # fmt: skip

    assert result.success
    assert keys_in(s3) == [f"values/c{i}" for i in range(5)]
    last = s3.get_object(Bucket=s3.bucket, Key="values/c4")["Body"].read()
    assert pickle.loads(last) == 1 + sum(range(5))
    assert result.output_for_node("c4") == 1 + sum(range(5))  # loaded from the bucket here
    paths = [e.data["metadata"]["path"] for e in result.get_asset_materialization_events()]
    assert len(paths) == 5 and all(f"s3://{s3.bucket}/values/c" in str(p) for p in paths)
