"""DynamicPartitionsDefinition: keys from a store, requests for sensors, clear errors."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from headwater import (
    AddDynamicPartitionsRequest,
    DefinitionError,
    DeleteDynamicPartitionsRequest,
    DynamicPartitionsDefinition,
    PartitionError,
    PartitionKeyRange,
)


class FakeStore:
    """A DynamicPartitionsStore in a dict, counting the calls it gets."""

    def __init__(self, **keys: Sequence[str]) -> None:
        self.keys = {name: list(values) for name, values in keys.items()}
        self.listings = 0
        self.lookups = 0

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        self.listings += 1
        return self.keys.get(partitions_def_name, [])

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        self.lookups += 1
        return partition_key in self.keys.get(partitions_def_name, [])


FILES = DynamicPartitionsDefinition(name="files")


def test_keys_come_from_the_store_under_the_definitions_name() -> None:
    store = FakeStore(files=["a.csv", "b.csv", "c.csv"], other=["x"])
    assert list(FILES.get_partition_keys(dynamic_partitions_store=store)) == [
        "a.csv",
        "b.csv",
        "c.csv",
    ]
    assert FILES.get_first_partition_key(dynamic_partitions_store=store) == "a.csv"
    assert FILES.get_partition_keys_in_range(PartitionKeyRange("b.csv", "c.csv"), store) == [
        "b.csv",
        "c.csv",
    ]
    assert list(DynamicPartitionsDefinition("empty").get_partition_keys(None, store)) == []


def test_membership_is_one_lookup_not_a_listing() -> None:
    store = FakeStore(files=["a.csv"])
    assert FILES.has_partition_key("a.csv", dynamic_partitions_store=store)
    assert not FILES.has_partition_key("z.csv", dynamic_partitions_store=store)
    assert (store.lookups, store.listings) == (2, 0)


def test_without_a_store_the_error_says_to_pass_the_instance() -> None:
    with pytest.raises(PartitionError, match=r"dynamic partitions 'files'.*instance"):
        FILES.get_partition_keys()
    with pytest.raises(PartitionError, match="dynamic_partitions_store=instance"):
        FILES.has_partition_key("a.csv")


def test_unknown_key_error_names_asset_key_and_the_fix() -> None:
    store = FakeStore(files=["a.csv"])
    with pytest.raises(PartitionError) as raised:
        FILES.validate_partition_key("b.csv", asset="raw_files", dynamic_partitions_store=store)
    message = str(raised.value)
    assert "'b.csv'" in message and "'raw_files'" in message
    assert "instance.add_dynamic_partitions('files', ['b.csv'])" in message


def test_definitions_with_the_same_name_are_equal() -> None:
    assert DynamicPartitionsDefinition("files") == FILES
    assert hash(DynamicPartitionsDefinition("files")) == hash(FILES)
    assert DynamicPartitionsDefinition("other") != FILES
    assert FILES.describe() == "dynamic partitions 'files'"


@pytest.mark.parametrize("name", ["", None, 3])
def test_name_must_be_a_non_empty_string(name: object) -> None:
    with pytest.raises(DefinitionError, match="non-empty string"):
        DynamicPartitionsDefinition(name=name)  # type: ignore[arg-type]


def test_requests_for_sensors_carry_name_and_keys() -> None:
    add = FILES.build_add_request(["a.csv", "b.csv"])
    delete = FILES.build_delete_request(["a.csv"])
    assert add == AddDynamicPartitionsRequest("files", ("a.csv", "b.csv"))
    assert (add.partitions_def_name, add.partition_keys) == ("files", ("a.csv", "b.csv"))
    assert delete == DeleteDynamicPartitionsRequest("files", ["a.csv"])
    assert delete.partition_keys == ("a.csv",)


def test_requests_refuse_bad_keys_where_they_are_built() -> None:
    with pytest.raises(DefinitionError, match="a list of strings"):
        FILES.build_add_request("a.csv")
    with pytest.raises(DefinitionError, match="control characters"):
        FILES.build_delete_request(["tab\there"])
    with pytest.raises(DefinitionError, match="non-empty strings"):
        AddDynamicPartitionsRequest("files", [""])
