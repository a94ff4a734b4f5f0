"""A partition key a definition does not have is an UnknownPartitionError, wherever it is met."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import (
    DailyPartitionsDefinition,
    DefinitionError,
    DynamicPartitionsDefinition,
    MultiPartitionsDefinition,
    PartitionError,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    UnknownPartitionError,
    asset,
    materialize,
)

DAILY = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-02-01")
STATIC = StaticPartitionsDefinition(["eu", "us"])
MULTI = MultiPartitionsDefinition({"region": STATIC, "date": DAILY})


@pytest.mark.parametrize(
    ("partitions_def", "key"),
    [(DAILY, "1999-01-01"), (DAILY, "2024-03-01"), (DAILY, "not-a-date"), (STATIC, "mars"),
     (MULTI, "2024-01-02|mars"), (MULTI, "eu")],
)
def test_validate_partition_key_raises_unknown_partition_error(
    partitions_def: Any, key: str
) -> None:
    with pytest.raises(UnknownPartitionError, match="'sales'") as raised:
        partitions_def.validate_partition_key(key, asset="sales")
    assert isinstance(raised.value, PartitionError)


def test_an_unknown_bound_of_a_range_is_unknown_but_a_reversed_range_is_not() -> None:
    with pytest.raises(UnknownPartitionError, match="'mars'"):
        STATIC.get_partition_keys_in_range(PartitionKeyRange("eu", "mars"))
    with pytest.raises(PartitionError, match="swap") as raised:
        STATIC.get_partition_keys_in_range(PartitionKeyRange("us", "eu"))
    assert not isinstance(raised.value, UnknownPartitionError)


def test_materialize_with_an_unknown_key_raises_it_and_runs_nothing(instance: Any) -> None:
    @asset(partitions_def=DAILY)
    def events() -> int:
        raise AssertionError("must not run")

    with pytest.raises(UnknownPartitionError, match="'1999-01-01'"):
        materialize([events], partition_key="1999-01-01", instance=instance)
    assert instance.get_runs() == []


def test_a_dynamic_key_never_added_is_unknown(instance: Any) -> None:
    fruits = DynamicPartitionsDefinition(name="fruits")
    instance.add_dynamic_partitions("fruits", ["apple"])

    @asset(partitions_def=fruits)
    def fruit() -> str:
        return "ok"

    with pytest.raises(UnknownPartitionError, match="add_dynamic_partitions"):
        materialize([fruit], partition_key="durian", instance=instance)
    assert materialize([fruit], partition_key="apple", instance=instance).success


def test_a_dynamic_partitions_definition_without_a_name_is_refused() -> None:
    with pytest.raises(DefinitionError, match=r"needs name=.*got none"):
        DynamicPartitionsDefinition()
