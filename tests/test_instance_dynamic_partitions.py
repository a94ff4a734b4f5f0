"""Dynamic partitions through the Instance: real SQLite under HEADWATER_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater import DefinitionError, DynamicPartitionsDefinition, Instance
from headwater.declarations.partitions.base import DynamicPartitionsStore, PartitionError

CUSTOMERS = DynamicPartitionsDefinition(name="customers")


def test_added_keys_are_the_definitions_keys_in_order(instance: Instance) -> None:
    instance.add_dynamic_partitions("customers", ["globex", "acme"])
    instance.add_dynamic_partitions("customers", ("acme", "initech"))
    assert instance.get_dynamic_partitions("customers") == ["globex", "acme", "initech"]
    assert list(CUSTOMERS.get_partition_keys(dynamic_partitions_store=instance)) == [
        "globex",
        "acme",
        "initech",
    ]
    assert CUSTOMERS.get_num_partitions(dynamic_partitions_store=instance) == 3
    assert CUSTOMERS.get_last_partition_key(dynamic_partitions_store=instance) == "initech"


def test_instance_is_a_dynamic_partitions_store(instance: Instance) -> None:
    store: DynamicPartitionsStore = instance
    instance.add_dynamic_partitions("customers", ["acme"])
    assert store.has_dynamic_partition("customers", "acme")
    assert not store.has_dynamic_partition("customers", "globex")


def test_deleted_partition_is_refused_with_a_clear_error(instance: Instance) -> None:
    instance.add_dynamic_partitions("customers", ["acme", "globex"])
    instance.delete_dynamic_partition("customers", "acme")
    assert instance.get_dynamic_partitions("customers") == ["globex"]
    assert not instance.has_dynamic_partition("customers", "acme")
    with pytest.raises(PartitionError, match=r"'acme' of asset 'orders'.*deleted"):
        CUSTOMERS.validate_partition_key("acme", asset="orders", dynamic_partitions_store=instance)
    CUSTOMERS.validate_partition_key("globex", dynamic_partitions_store=instance)


def test_partitions_survive_reopening_the_instance(headwater_home: Path) -> None:
    with Instance.get() as instance:
        instance.add_dynamic_partitions("files", ["a.csv", "b.csv"])
    with Instance.get() as instance:
        assert instance.get_dynamic_partitions("files") == ["a.csv", "b.csv"]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("acme", "a list of strings"),
        (["ok", ""], "non-empty strings"),
        (["ok", 3], "non-empty strings"),
        (["a...b"], r"contains '\.\.\.'"),
        (["line\nbreak"], "control characters"),
    ],
)
def test_invalid_keys_are_refused_before_anything_is_stored(
    instance: Instance, keys: object, message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        instance.add_dynamic_partitions("customers", keys)  # type: ignore[arg-type]
    assert instance.get_dynamic_partitions("customers") == []


def test_wipe_forgets_dynamic_partitions(instance: Instance) -> None:
    instance.add_dynamic_partitions("customers", ["acme"])
    instance.wipe()
    assert instance.get_dynamic_partitions("customers") == []


def test_a_hundred_thousand_keys_on_sqlite(instance: Instance) -> None:
    keys = [f"customer-{i}" for i in range(100_000)]
    instance.add_dynamic_partitions("customers", keys)
    instance.add_dynamic_partitions("customers", [*keys[:10], "late"])
    stored = instance.get_dynamic_partitions("customers")
    assert len(stored) == 100_001 and stored[:3] == keys[:3] and stored[-1] == "late"
    assert CUSTOMERS.has_partition_key("customer-99999", dynamic_partitions_store=instance)
