"""Mappings involving multi-partitioned assets: multi <-> single, and dimension by dimension."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from headwater import (
    DailyPartitionsDefinition,
    DefinitionError,
    MonthlyPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
)
from headwater.declarations.partitions.mappings import (
    DimensionPartitionMapping,
    IdentityPartitionMapping,
    MultiPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    PartitionMappingError,
    StaticPartitionMapping,
    TimeWindowPartitionMapping,
    UpstreamPartitionsResult,
    infer_partition_mapping,
)

NOW = datetime(2024, 2, 1, tzinfo=UTC)
DAYS = DailyPartitionsDefinition(start_date="2024-01-01")
MONTHS = MonthlyPartitionsDefinition(start_date="2024-01-01")
REGIONS = StaticPartitionsDefinition(["eu", "us"])
DAY_REGION = MultiPartitionsDefinition({"date": DAYS, "region": REGIONS})
MONTH_REGION = MultiPartitionsDefinition({"month": MONTHS, "region": REGIONS})


# -- multi <-> single --------------------------------------------------------------------------
def test_a_day_depends_on_every_region_of_that_day() -> None:
    mapping = MultiToSingleDimensionPartitionMapping()
    result = mapping.get_upstream_partitions_for_partitions(["2024-01-05"], DAYS, DAY_REGION, NOW)
    assert result == UpstreamPartitionsResult(["2024-01-05|eu", "2024-01-05|us"], [])
    assert all(isinstance(key, MultiPartitionKey) for key in result.partition_keys)
    down = mapping.get_downstream_partitions_for_partitions(
        ["2024-01-05|us", "2024-01-05|eu", "2024-01-06|eu"], DAY_REGION, DAYS, NOW
    )
    assert down == ["2024-01-05", "2024-01-06"]


def test_a_day_and_region_depends_on_its_day() -> None:
    mapping = MultiToSingleDimensionPartitionMapping()
    keys = [MultiPartitionKey({"date": "2024-01-05", "region": "us"}), "2024-01-05|eu"]
    result = mapping.get_upstream_partitions_for_partitions(keys, DAY_REGION, DAYS, NOW)
    assert result == UpstreamPartitionsResult(["2024-01-05"], [])
    down = mapping.get_downstream_partitions_for_partitions(["2024-01-05"], DAYS, DAY_REGION, NOW)
    assert down == ["2024-01-05|eu", "2024-01-05|us"]


def test_the_named_dimension_is_used_and_missing_keys_are_reported() -> None:
    mapping = MultiToSingleDimensionPartitionMapping(partition_dimension_name="region")
    all_regions = StaticPartitionsDefinition(["eu", "us", "apac"])
    result = mapping.get_upstream_partitions_for_partitions(
        ["us", "apac"], all_regions, DAY_REGION, datetime(2024, 1, 3, tzinfo=UTC)
    )
    assert result == UpstreamPartitionsResult(
        ["2024-01-01|us", "2024-01-02|us"], ["2024-01-01|apac", "2024-01-02|apac"]
    )


def test_dimension_inference_errors_name_both_definitions() -> None:
    same_twice = MultiPartitionsDefinition({"a": REGIONS, "b": REGIONS})
    with pytest.raises(PartitionMappingError, match=r"dimensions \['a', 'b'\] are all"):
        MultiToSingleDimensionPartitionMapping().validate_partition_mapping(same_twice, REGIONS)
    with pytest.raises(PartitionMappingError) as raised:
        MultiToSingleDimensionPartitionMapping().validate_partition_mapping(DAY_REGION, MONTHS)
    assert "no dimension is partitioned like monthly partitions" in str(raised.value)
    assert "multi partitions (date: daily" in str(raised.value)
    with pytest.raises(PartitionMappingError, match="'country' is not one of the dimensions"):
        MultiToSingleDimensionPartitionMapping("country").validate_partition_mapping(
            DAY_REGION, REGIONS
        )
    with pytest.raises(PartitionMappingError, match="single-dimension partitions"):
        MultiToSingleDimensionPartitionMapping().validate_partition_mapping(DAYS, REGIONS)


def test_multi_and_a_matching_single_definition_default_to_multi_to_single() -> None:
    expected = MultiToSingleDimensionPartitionMapping()
    assert infer_partition_mapping(DAY_REGION, DAYS) == expected
    assert infer_partition_mapping(REGIONS, DAY_REGION) == expected
    with pytest.raises(PartitionMappingError, match="explicit partition_mapping"):
        infer_partition_mapping(DAY_REGION, MONTHS)
    with pytest.raises(PartitionMappingError, match="explicit partition_mapping"):
        infer_partition_mapping(DAY_REGION, MONTH_REGION)


# -- multi <-> multi ---------------------------------------------------------------------------
def test_each_dimension_maps_through_its_own_mapping() -> None:
    mapping = MultiPartitionMapping(
        {
            "date": DimensionPartitionMapping("month", TimeWindowPartitionMapping()),
            "region": DimensionPartitionMapping("region", IdentityPartitionMapping()),
        }
    )
    result = mapping.get_upstream_partitions_for_partitions(
        ["2024-01-01|us"], MONTH_REGION, DAY_REGION, NOW
    )
    assert len(result.partition_keys) == 31
    assert result.partition_keys[0] == "2024-01-01|us" and result.partition_keys[-1] == (
        "2024-01-31|us"
    )
    down = mapping.get_downstream_partitions_for_partitions(
        ["2024-01-07|eu", "2024-01-08|eu"], DAY_REGION, MONTH_REGION, NOW
    )
    assert down == ["2024-01-01|eu"]


def test_unmapped_dimensions_depend_on_every_key() -> None:
    mapping = MultiPartitionMapping(
        {"date": DimensionPartitionMapping("date", TimeWindowPartitionMapping(-1, -1))}
    )
    result = mapping.get_upstream_partitions_for_partitions(
        ["2024-01-05|us"], DAY_REGION, DAY_REGION, NOW
    )
    assert result.partition_keys == ["2024-01-04|eu", "2024-01-04|us"]
    down = mapping.get_downstream_partitions_for_partitions(
        ["2024-01-04|eu"], DAY_REGION, DAY_REGION, NOW
    )
    assert down == ["2024-01-05|eu", "2024-01-05|us"]


def test_combinations_with_a_missing_part_are_required_but_nonexistent() -> None:
    mapping = MultiPartitionMapping(
        {
            "date": DimensionPartitionMapping("date", TimeWindowPartitionMapping(-1, 0)),
            "region": DimensionPartitionMapping("region", IdentityPartitionMapping()),
        }
    )
    result = mapping.get_upstream_partitions_for_partitions(
        ["2024-01-01|eu"], DAY_REGION, DAY_REGION, NOW
    )
    assert result == UpstreamPartitionsResult(["2024-01-01|eu"], ["2023-12-31|eu"])


def test_multi_partition_mapping_errors_name_the_dimensions() -> None:
    cities = StaticPartitionsDefinition(["paris", "boston"])
    city_days = MultiPartitionsDefinition({"city": cities, "date": DAYS})
    bad_table = MultiPartitionMapping(
        {"city": DimensionPartitionMapping("region", StaticPartitionMapping({"rome": "eu"}))}
    )
    with pytest.raises(PartitionMappingError) as raised:
        bad_table.validate_partition_mapping(city_days, DAY_REGION)
    assert "upstream dimension 'city' -> downstream dimension 'region'" in str(raised.value)
    assert "['rome']" in str(raised.value)
    wrong_name = MultiPartitionMapping(
        {"town": DimensionPartitionMapping("region", IdentityPartitionMapping())}
    )
    with pytest.raises(PartitionMappingError, match="upstream dimension 'town' does not exist"):
        wrong_name.get_upstream_partitions_for_partitions(["2024-01-01|eu"], DAY_REGION, city_days)
    with pytest.raises(PartitionMappingError, match="both assets need multi partitions"):
        wrong_name.validate_partition_mapping(DAYS, DAY_REGION)
    with pytest.raises(DefinitionError, match=r"\['date'\] are mapped from more than one"):
        MultiPartitionMapping(
            {
                "date": DimensionPartitionMapping("date", IdentityPartitionMapping()),
                "region": DimensionPartitionMapping("date", IdentityPartitionMapping()),
            }
        )
    with pytest.raises(DefinitionError, match="must be a PartitionMapping"):
        DimensionPartitionMapping("date", "identity")  # type: ignore[arg-type]


def test_mappings_are_hashable_values() -> None:
    table = {"date": DimensionPartitionMapping("date", IdentityPartitionMapping())}
    assert MultiPartitionMapping(table) == MultiPartitionMapping(dict(table))
    assert len({MultiPartitionMapping(table), MultiPartitionMapping(dict(table))}) == 1
