"""Multi-dimensional partitions: two dimensions, keys joined by '|' in dimension-name order."""

from __future__ import annotations

import pickle
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headwater import (
    DailyPartitionsDefinition,
    DefinitionError,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionDimensionDefinition,
    PartitionError,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    TimeWindowPartitionsDefinition,
)

UTC = ZoneInfo("UTC")
DAYS = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")
REGIONS = StaticPartitionsDefinition(["us", "eu"])


def multi() -> MultiPartitionsDefinition:
    return MultiPartitionsDefinition({"region": REGIONS, "date": DAYS})


# -- keys -----------------------------------------------------------------------------------
def test_key_string_joins_dimension_keys_in_name_order() -> None:
    key = MultiPartitionKey({"region": "eu", "date": "2024-01-01"})
    assert key == "2024-01-01|eu" and str(key) == "2024-01-01|eu"
    assert isinstance(key, str) and hash(key) == hash("2024-01-01|eu")
    assert key.keys_by_dimension == {"date": "2024-01-01", "region": "eu"}
    by_key: dict[str, int] = {key: 1}
    assert by_key["2024-01-01|eu"] == 1


def test_keys_survive_pickling_with_their_dimensions() -> None:
    key = MultiPartitionKey({"region": "eu", "date": "2024-01-01"})
    copy = pickle.loads(pickle.dumps(key))
    assert isinstance(copy, MultiPartitionKey) and copy == key
    assert copy.keys_by_dimension == key.keys_by_dimension


@pytest.mark.parametrize("bad", [{"a": "x|y", "b": "z"}, {"a": 1, "b": "z"}, {}, "a|b"])
def test_invalid_multi_partition_keys_are_rejected(bad: object) -> None:
    with pytest.raises(PartitionError):
        MultiPartitionKey(bad)  # type: ignore[arg-type]


def test_keys_are_the_product_in_dimension_name_order() -> None:
    keys = multi().get_partition_keys()
    assert keys == [
        "2024-01-01|us",
        "2024-01-01|eu",
        "2024-01-02|us",
        "2024-01-02|eu",
        "2024-01-03|us",
        "2024-01-03|eu",
    ]
    assert all(isinstance(key, MultiPartitionKey) for key in keys)
    assert keys[1].keys_by_dimension == {"date": "2024-01-01", "region": "eu"}
    assert multi().get_num_partitions() == 6


def test_dimensions_are_ordered_by_name_whatever_the_dict_order() -> None:
    partitions_def = multi()
    assert partitions_def.partition_dimension_names == ["date", "region"]
    assert partitions_def.partitions_defs == [
        PartitionDimensionDefinition("date", DAYS),
        PartitionDimensionDefinition("region", REGIONS),
    ]
    assert partitions_def == MultiPartitionsDefinition({"date": DAYS, "region": REGIONS})
    assert hash(partitions_def) == hash(
        MultiPartitionsDefinition({"date": DAYS, "region": REGIONS})
    )
    assert partitions_def.get_partitions_def_for_dimension("region") is REGIONS
    with pytest.raises(PartitionError, match="no dimension 'country'"):
        partitions_def.get_partitions_def_for_dimension("country")


def test_the_time_dimension_is_primary() -> None:
    by_name_first = MultiPartitionsDefinition({"a_region": REGIONS, "z_date": DAYS})
    assert by_name_first.primary_dimension.name == "z_date"
    assert by_name_first.secondary_dimension.name == "a_region"
    static_only = MultiPartitionsDefinition({"b": REGIONS, "a": StaticPartitionsDefinition(["x"])})
    assert static_only.primary_dimension.name == "a"


def test_first_and_last_keys_combine_each_dimension() -> None:
    assert multi().get_first_partition_key() == "2024-01-01|us"
    assert multi().get_last_partition_key() == "2024-01-03|eu"
    empty = MultiPartitionsDefinition({"a": REGIONS, "b": StaticPartitionsDefinition([])})
    assert empty.get_first_partition_key() is None and empty.get_partition_keys() == []


def test_parsing_a_key_string() -> None:
    key = multi().get_multipartition_key_from_str("2024-01-02|eu")
    assert isinstance(key, MultiPartitionKey)
    assert key.keys_by_dimension == {"date": "2024-01-02", "region": "eu"}
    with pytest.raises(PartitionError, match=r"one key per dimension .* '<date>\|<region>'"):
        multi().get_multipartition_key_from_str("2024-01-02")


def test_membership_checks_each_dimension_without_listing_keys() -> None:
    partitions_def = multi()
    assert partitions_def.has_partition_key("2024-01-03|us")
    assert not partitions_def.has_partition_key("2024-01-04|us")  # past the end
    assert not partitions_def.has_partition_key("2024-01-03|mars")
    assert not partitions_def.has_partition_key("2024-01-03|us|x")
    assert not partitions_def.has_partition_key("eu|2024-01-03")


def test_the_time_dimension_follows_the_current_time() -> None:
    open_ended = MultiPartitionsDefinition(
        {"date": DailyPartitionsDefinition(start_date="2024-01-01"), "region": REGIONS}
    )
    now = datetime(2024, 1, 3, 12, tzinfo=UTC)
    assert open_ended.get_num_partitions(current_time=now) == 4
    assert not open_ended.has_partition_key("2024-01-03|eu", current_time=now)
    assert open_ended.get_last_partition_key(current_time=now) == "2024-01-02|eu"


# -- ranges and validation --------------------------------------------------------------------
def test_a_range_is_the_rectangle_between_two_corners() -> None:
    keys = multi().get_partition_keys_in_range(PartitionKeyRange("2024-01-02|us", "2024-01-03|eu"))
    assert keys == ["2024-01-02|us", "2024-01-02|eu", "2024-01-03|us", "2024-01-03|eu"]
    one_region = multi().get_partition_keys_in_range(
        PartitionKeyRange("2024-01-01|eu", "2024-01-03|eu")
    )
    assert one_region == ["2024-01-01|eu", "2024-01-02|eu", "2024-01-03|eu"]


def test_bad_ranges_name_the_dimension() -> None:
    with pytest.raises(PartitionError, match=r"Dimension 'date': .* comes before its start"):
        multi().get_partition_keys_in_range(PartitionKeyRange("2024-01-03|us", "2024-01-01|us"))
    with pytest.raises(PartitionError, match=r"Dimension 'region': .*'mars' is not one of"):
        multi().get_partition_keys_in_range(PartitionKeyRange("2024-01-01|us", "2024-01-02|mars"))


def test_validation_names_the_asset_and_the_dimension_at_fault() -> None:
    multi().validate_partition_key("2024-01-02|eu", asset="sales")
    with pytest.raises(PartitionError) as raised:
        multi().validate_partition_key("2024-01-09|eu", asset="sales")
    message = str(raised.value)
    assert message.startswith("Partition key '2024-01-09|eu' of asset 'sales' is not a partition")
    assert "in dimension 'date'" in message and "past the end" in message
    with pytest.raises(PartitionError, match=r"in dimension 'region'.*'asia'"):
        multi().validate_partition_key("2024-01-02|asia", asset="sales")


# -- construction errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dimensions", "message"),
    [
        ({"date": DAYS}, "exactly two dimensions"),
        ({"a": DAYS, "b": REGIONS, "c": REGIONS}, "exactly two dimensions"),
        ({"a": DAYS, "": REGIONS}, "non-empty strings"),
        ({"a": DAYS, "b": ["eu"]}, "must be a single-dimension partitions definition"),
        (
            {"a": DAYS, "b": MultiPartitionsDefinition({"x": DAYS, "y": REGIONS})},
            "must be a single-dimension",
        ),
        (
            {"a": DAYS, "b": StaticPartitionsDefinition(["ok", "x|y"])},
            r"'b' has partition keys containing '\|'.*\['x\|y'\]",
        ),
        (
            {
                "a": REGIONS,
                "b": TimeWindowPartitionsDefinition(
                    cron_schedule="@daily", fmt="%Y|%m|%d", start="2024|01|01"
                ),
            },
            "format '%Y|%m|%d' of dimension 'b'",
        ),
    ],
)
def test_invalid_definitions_are_rejected(dimensions: object, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        MultiPartitionsDefinition(dimensions)  # type: ignore[arg-type]


def test_describe_and_repr() -> None:
    assert multi().describe() == (
        "multi partitions (date: daily partitions from 2024-01-01 to 2024-01-03 (UTC) x "
        "region: 2 static partitions ['us', 'eu'])"
    )
    assert repr(multi()).startswith("MultiPartitionsDefinition({'date': DailyPartitionsDefinition(")


# -- scale and properties -------------------------------------------------------------------
def test_daily_by_ten_regions_over_a_year() -> None:
    regions = StaticPartitionsDefinition([f"region-{i}" for i in range(10)])
    year = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
    partitions_def = MultiPartitionsDefinition({"date": year, "region": regions})
    keys = partitions_def.get_partition_keys()
    assert len(keys) == 3650 == len(set(keys)) == partitions_def.get_num_partitions()
    assert keys[0] == "2013-01-01|region-0" and keys[-1] == "2013-12-31|region-9"
    assert all(partitions_def.has_partition_key(key) for key in keys[::37])


KEY_PART = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="|"), min_size=1)


@given(
    st.dictionaries(st.sampled_from(["a", "b", "date", "region"]), KEY_PART, min_size=2, max_size=2)
)
def test_key_string_round_trip(keys_by_dimension: dict[str, str]) -> None:
    names = sorted(keys_by_dimension)
    partitions_def = MultiPartitionsDefinition({name: REGIONS for name in names})
    key = MultiPartitionKey(keys_by_dimension)
    parsed = partitions_def.get_multipartition_key_from_str(str(key))
    assert parsed.keys_by_dimension == keys_by_dimension
    assert parsed == key and str(key).split("|") == [keys_by_dimension[n] for n in names]


def test_dimension_keys_name_each_dimensions_key_in_dimension_order() -> None:
    key = MultiPartitionKey({"region": "eu", "date": "2024-01-02"})
    pairs = [(d.dimension_name, d.partition_key) for d in key.dimension_keys]
    assert pairs == [("date", "2024-01-02"), ("region", "eu")]
