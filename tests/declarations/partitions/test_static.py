"""Static partitions: a fixed, ordered list of keys."""

from __future__ import annotations

import pickle

import pytest

from headwater import DefinitionError, PartitionError, PartitionKeyRange, StaticPartitionsDefinition


def test_keys_keep_their_order_and_are_looked_up_directly() -> None:
    regions = StaticPartitionsDefinition(["eu", "us", "apac"])
    assert regions.get_partition_keys() == ["eu", "us", "apac"]
    assert regions.get_num_partitions() == 3
    assert regions.has_partition_key("us") and not regions.has_partition_key("EU")
    assert (regions.get_first_partition_key(), regions.get_last_partition_key()) == ("eu", "apac")


def test_listing_returns_a_copy() -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])
    regions.get_partition_keys().append("mars")
    assert regions.get_partition_keys() == ["eu", "us"]


def test_ranges_follow_the_definition_order() -> None:
    regions = StaticPartitionsDefinition(["eu", "us", "apac", "latam"])
    assert regions.get_partition_keys_in_range(PartitionKeyRange("us", "latam")) == [
        "us",
        "apac",
        "latam",
    ]
    assert regions.get_partition_keys_in_range(PartitionKeyRange("apac", "apac")) == ["apac"]
    with pytest.raises(PartitionError, match=r"end 'eu' comes before its start 'apac'.*swap"):
        regions.get_partition_keys_in_range(PartitionKeyRange("apac", "eu"))
    with pytest.raises(PartitionError, match="range start 'africa' is not one of the 4 static"):
        regions.get_partition_keys_in_range(PartitionKeyRange("africa", "us"))
    with pytest.raises(PartitionError, match="range end 'mars' is not one of"):
        regions.get_partition_keys_in_range(PartitionKeyRange("eu", "mars"))


def test_unknown_key_names_the_asset_and_some_keys() -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])
    regions.validate_partition_key("eu", asset="sales")
    with pytest.raises(PartitionError) as raised:
        regions.validate_partition_key("mars", asset="sales")
    assert str(raised.value) == (
        "Partition key 'mars' of asset 'sales' is not one of the 2 static partitions ['eu', 'us']."
    )


def test_describe_shows_the_first_keys_only() -> None:
    many = StaticPartitionsDefinition([f"k{i}" for i in range(1000)])
    assert many.describe() == "1000 static partitions ['k0', 'k1', 'k2', 'k3', 'k4', ...]"
    assert StaticPartitionsDefinition(["one"]).describe() == "1 static partition ['one']"


def test_duplicates_are_rejected_naming_them() -> None:
    with pytest.raises(DefinitionError, match=r"duplicate partition keys \['eu', 'us'\]"):
        StaticPartitionsDefinition(["eu", "us", "eu", "apac", "us", "us"])


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("eu", "takes a list of keys, got the string 'eu'; write \\['eu'\\]"),
        (["eu", ""], "non-empty strings, got ''"),
        (["eu", 3], "non-empty strings, got 3"),
        (["a...b"], "contains '...'"),
        (["line\nbreak"], "control character"),
        (["tab\there"], "control character"),
    ],
)
def test_invalid_keys_are_rejected(keys: object, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        StaticPartitionsDefinition(keys)  # type: ignore[arg-type]


def test_keys_with_punctuation_and_unicode_are_fine() -> None:
    keys = ["a|b", "x,y", "[z]", "São Paulo", "a.b", "a/b"]
    assert StaticPartitionsDefinition(keys).get_partition_keys() == keys


def test_an_empty_definition_has_no_partitions() -> None:
    empty = StaticPartitionsDefinition([])
    assert empty.get_partition_keys() == [] and empty.get_num_partitions() == 0
    assert empty.get_first_partition_key() is None and empty.get_last_partition_key() is None


def test_equal_keys_make_equal_definitions() -> None:
    first, second = StaticPartitionsDefinition(["a", "b"]), StaticPartitionsDefinition(("a", "b"))
    assert first == second and hash(first) == hash(second)
    assert first != StaticPartitionsDefinition(["b", "a"])
    assert pickle.loads(pickle.dumps(first)) == first
    assert repr(first) == "StaticPartitionsDefinition(['a', 'b'])"
