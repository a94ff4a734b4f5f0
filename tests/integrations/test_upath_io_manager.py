"""UPathIOManager against a real S3-compatible server (moto in server mode, a separate process
on 127.0.0.1 started and stopped here), fsspec's memory filesystem and local directories."""

from __future__ import annotations

import json
import pickle
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import headwater as hw
from headwater.integrations.upath import UPathIOManager
from s3_server import CREDENTIALS, keys_in, moto_server, new_bucket

DAYS = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-06")


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a moto S3 server process, stopped after the module."""
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint: str) -> Any:
    """A boto3 client of the moto server (to look at what was stored) and a fresh bucket."""
    return new_bucket(s3_endpoint)


def on_s3(s3: Any, endpoint: str, cls: type[UPathIOManager] = UPathIOManager) -> UPathIOManager:
    return cls(base_path=f"s3://{s3.bucket}/headwater",
               storage_options={**CREDENTIALS, "endpoint_url": endpoint})  # fmt: skip


def _visits_of(day: str) -> dict[str, int]:
    return {"day": int(day[-2:]), "count": 10 * int(day[-1])}


@hw.asset(partitions_def=DAYS, key_prefix="web")
def visits(context: hw.AssetExecutionContext) -> Any:
    if context.has_partition_key:
        return _visits_of(context.partition_key)
    return {day: _visits_of(day) for day in context.partition_keys}  # a range in one run


@hw.asset(ins={"visits": hw.AssetIn(key=["web", "visits"])})
def weekly_total(visits: dict[str, dict[str, int]]) -> int:
    return sum(v["count"] for v in visits.values())


def test_partitioned_assets_are_stored_one_object_per_partition_on_s3(
    s3: Any, s3_endpoint: str,
) -> None:
    io_manager = on_s3(s3, s3_endpoint)
    resources = {"io_manager": io_manager}
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        assert hw.materialize([visits], partition_key=day, resources=resources).success

    assert keys_in(s3) == [f"headwater/web/visits/2024-01-0{d}" for d in (1, 2, 3)]
    body = s3.get_object(Bucket=s3.bucket, Key="headwater/web/visits/2024-01-02")["Body"].read()
    assert pickle.loads(body) == {"day": 2, "count": 20}


def test_a_range_run_stores_each_partition_and_downstream_reads_them_as_a_dict(
    s3: Any, s3_endpoint: str,
) -> None:
    resources = {"io_manager": on_s3(s3, s3_endpoint)}
    all_days = DAYS.get_partition_keys()
    every_day = hw.PartitionKeyRange(all_days[0], all_days[-1])
    assert hw.materialize([visits], resources=resources, partition_key_range=every_day).success
    assert keys_in(s3) == [f"headwater/web/visits/{day}" for day in all_days]

    total = hw.materialize([visits, weekly_total], resources=resources,
                           selection=[weekly_total.key])  # fmt: skip

    assert total.success
    assert total.output_for_node("weekly_total") == sum(10 * int(d[-1]) for d in all_days)
    assert "headwater/weekly_total" in keys_in(s3)


def test_a_range_run_must_return_one_value_per_partition(s3: Any, s3_endpoint: str) -> None:
    @hw.asset(partitions_def=DAYS, key_prefix="web", name="visits")
    def not_a_dict(context: hw.AssetExecutionContext) -> int:
        return 1

    with pytest.raises(hw.ExecutionError, match="one value per partition key; got int"):
        hw.materialize([not_a_dict], resources={"io_manager": on_s3(s3, s3_endpoint)},
                       partition_key_range=hw.PartitionKeyRange("2024-01-01", "2024-01-02"))
    assert keys_in(s3) == []


def test_a_missing_object_names_its_url(s3: Any, s3_endpoint: str) -> None:
    resources = {"io_manager": on_s3(s3, s3_endpoint)}

    with pytest.raises(hw.ExecutionError, match=rf"s3://{s3.bucket}/headwater/web/visits/2024-01-0"):
        hw.materialize([visits, weekly_total], resources=resources, selection=[weekly_total.key])


class JsonUPathIOManager(UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context: hw.OutputContext, obj: Any, path: Any) -> None:
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: hw.InputContext, path: Any) -> Any:
        return json.loads(path.read_text())


def test_a_subclass_chooses_the_format_and_extension(s3: Any, s3_endpoint: str) -> None:
    resources = {"io_manager": on_s3(s3, s3_endpoint, JsonUPathIOManager)}

    assert hw.materialize([visits], partition_key="2024-01-04", resources=resources).success

    body = s3.get_object(Bucket=s3.bucket, Key="headwater/web/visits/2024-01-04.json")["Body"]
    assert json.loads(body.read()) == {"day": 4, "count": 40}


def test_memory_and_local_paths_round_trip(tmp_path: Path) -> None:
    for base in (f"memory://headwater-{uuid.uuid4().hex[:8]}", str(tmp_path / "values")):
        resources = {"io_manager": UPathIOManager(base_path=base)}
        for day in DAYS.get_partition_keys():
            assert hw.materialize([visits], partition_key=day, resources=resources).success
        total = hw.materialize([visits, weekly_total], resources=resources,
                               selection=[weekly_total.key])  # fmt: skip
        assert total.output_for_node("weekly_total") == 150
    stored = sorted(p.name for p in (tmp_path / "values" / "web" / "visits").iterdir())
    assert stored == DAYS.get_partition_keys()  # no temporary file left behind


def test_without_a_base_path_values_go_to_the_instance_storage(instance: Any) -> None:
    result = hw.materialize([visits], partition_key="2024-01-05", instance=instance,
                            resources={"io_manager": UPathIOManager()})  # fmt: skip

    assert result.success
    stored = instance.storage_directory / "web" / "visits" / "2024-01-05"
    assert pickle.loads(stored.read_bytes()) == {"day": 5, "count": 50}
