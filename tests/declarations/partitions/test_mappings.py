"""Partition mappings: time windows of any granularity, keys, multi dimensions, defaults."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from headwater import (
    DailyPartitionsDefinition,
    DefinitionError,
    DynamicPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    PartitionError,
    StaticPartitionsDefinition,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)
from headwater.declarations.partitions.mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    PartitionMappingError,
    SpecificPartitionsPartitionMapping,
    StaticPartitionMapping,
    TimeWindowPartitionMapping,
    UpstreamPartitionsResult,
    infer_partition_mapping,
)

NOW = datetime(2025, 6, 15, 12, tzinfo=UTC)
DAYS = DailyPartitionsDefinition(start_date="2024-01-01")
MONTHS = MonthlyPartitionsDefinition(start_date="2024-01-01")
REGIONS = StaticPartitionsDefinition(["eu", "us", "apac"])


def upstream_of(
    mapping: TimeWindowPartitionMapping | IdentityPartitionMapping,
    keys: Sequence[str],
    downstream: object,
    upstream: object,
) -> UpstreamPartitionsResult:
    return mapping.get_upstream_partitions_for_partitions(
        keys,
        downstream,  # type: ignore[arg-type]
        upstream,  # type: ignore[arg-type]
        current_time=NOW,
    )


def days_of(month: str) -> list[str]:
    return [key for key in DAYS.get_partition_keys(NOW) if key.startswith(month)]


# -- time windows: granularities ---------------------------------------------------------------
def test_a_month_depends_on_its_days_and_a_day_affects_its_month() -> None:
    mapping = TimeWindowPartitionMapping()
    result = upstream_of(mapping, ["2024-02-01"], MONTHS, DAYS)
    assert result.partition_keys == days_of("2024-02") and len(result.partition_keys) == 29
    assert result.required_but_nonexistent_partition_keys == []
    down = mapping.get_downstream_partitions_for_partitions(["2024-02-29"], DAYS, MONTHS, NOW)
    assert down == ["2024-02-01"]


def test_a_day_depends_on_its_month_and_a_month_affects_its_days() -> None:
    mapping = TimeWindowPartitionMapping()
    result = upstream_of(mapping, ["2024-03-10", "2024-03-31", "2024-04-01"], DAYS, MONTHS)
    assert result.partition_keys == ["2024-03-01", "2024-04-01"]
    down = mapping.get_downstream_partitions_for_partitions(["2024-04-01"], MONTHS, DAYS, NOW)
    assert down == days_of("2024-04")


def test_weeks_overlapping_a_month_are_all_included() -> None:
    weeks = WeeklyPartitionsDefinition(start_date="2024-01-07")  # Sundays
    result = upstream_of(TimeWindowPartitionMapping(), ["2024-03-01"], MONTHS, weeks)
    assert result.partition_keys == [
        "2024-02-25",
        "2024-03-03",
        "2024-03-10",
        "2024-03-17",
        "2024-03-24",
        "2024-03-31",
    ]


def test_keys_are_matched_by_time_across_formats_and_time_zones() -> None:
    compact = TimeWindowPartitionsDefinition(
        cron_schedule="0 0 * * *", fmt="%Y%m%d", start="20240101"
    )
    new_york = DailyPartitionsDefinition(start_date="2024-01-01", timezone="America/New_York")
    mapping = TimeWindowPartitionMapping()
    assert upstream_of(mapping, ["2024-05-05"], DAYS, compact).partition_keys == ["20240505"]
    # A UTC day overlaps the end of one New York day and the start of the next.
    assert upstream_of(mapping, ["2024-05-05"], DAYS, new_york).partition_keys == [
        "2024-05-04",
        "2024-05-05",
    ]


@pytest.mark.parametrize(
    ("day", "hours", "repeated"),
    [("2024-03-10", 23, []), ("2024-11-03", 25, ["2024-11-03-01:00-0500"]), ("2024-11-04", 24, [])],
)
def test_a_day_depends_on_its_23_24_or_25_hours_across_dst(
    day: str, hours: int, repeated: list[str]
) -> None:
    zone = "America/New_York"
    new_york_days = DailyPartitionsDefinition(start_date="2024-01-01", timezone=zone)
    new_york_hours = HourlyPartitionsDefinition(start_date="2024-01-01-00:00", timezone=zone)
    mapping = TimeWindowPartitionMapping()
    keys = upstream_of(mapping, [day], new_york_days, new_york_hours).partition_keys
    assert len(keys) == hours
    assert keys[0] == f"{day}-00:00" and keys[-1] == f"{day}-23:00"
    assert [key for key in keys if key.endswith("-0500")] == repeated
    for hour in (keys[0], keys[-1], *repeated):
        assert mapping.get_downstream_partitions_for_partitions(
            [hour], new_york_hours, new_york_days, NOW
        ) == [day]


# -- time windows: offsets ---------------------------------------------------------------------
def test_offsets_select_the_previous_day() -> None:
    previous = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    assert upstream_of(previous, ["2024-03-01"], DAYS, DAYS).partition_keys == ["2024-02-29"]
    down = previous.get_downstream_partitions_for_partitions(["2024-02-29"], DAYS, DAYS, NOW)
    assert down == ["2024-03-01"]


def test_a_start_offset_widens_the_window() -> None:
    two_days = TimeWindowPartitionMapping(start_offset=-1)
    result = upstream_of(two_days, ["2024-03-01", "2024-03-05"], DAYS, DAYS)
    assert result.partition_keys == ["2024-02-29", "2024-03-01", "2024-03-04", "2024-03-05"]
    down = two_days.get_downstream_partitions_for_partitions(["2024-03-04"], DAYS, DAYS, NOW)
    assert down == ["2024-03-04", "2024-03-05"]


def test_offsets_count_downstream_partitions() -> None:
    previous_month = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    result = upstream_of(previous_month, ["2024-03-01"], MONTHS, DAYS)
    assert result.partition_keys == days_of("2024-02")
    for day in ("2024-02-01", "2024-02-29"):
        down = previous_month.get_downstream_partitions_for_partitions([day], DAYS, MONTHS, NOW)
        assert down == ["2024-03-01"]


def test_offsets_before_the_first_partition_report_nonexistent_upstream_keys() -> None:
    previous = TimeWindowPartitionMapping(start_offset=-1, end_offset=0)
    result = upstream_of(previous, ["2024-01-01"], DAYS, DAYS)
    assert result == UpstreamPartitionsResult(["2024-01-01"], ["2023-12-31"])
    previous_month = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    result = upstream_of(previous_month, ["2024-01-01"], MONTHS, DAYS)
    assert result.partition_keys == []
    assert result.required_but_nonexistent_partition_keys[0] == "2023-12-01"
    assert len(result.required_but_nonexistent_partition_keys) == 31


def test_allow_nonexistent_upstream_partitions_drops_them() -> None:
    lenient = TimeWindowPartitionMapping(-1, 0, allow_nonexistent_upstream_partitions=True)
    assert upstream_of(lenient, ["2024-01-01"], DAYS, DAYS) == UpstreamPartitionsResult(
        ["2024-01-01"], []
    )


def test_upstream_partitions_outside_the_upstream_range_do_not_exist() -> None:
    late = DailyPartitionsDefinition(start_date="2024-03-01", end_date="2024-03-10")
    result = upstream_of(TimeWindowPartitionMapping(), ["2024-02-01", "2024-03-01"], MONTHS, late)
    assert result.partition_keys == [f"2024-03-{d:02d}" for d in range(1, 10)]
    missing = result.required_but_nonexistent_partition_keys
    assert missing[:2] == ["2024-02-01", "2024-02-02"] and len(missing) == 29 + 22
    assert "2024-03-10" in missing and "2024-03-31" in missing


def test_partitions_that_have_not_ended_yet_do_not_exist() -> None:
    hours = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")
    result = upstream_of(TimeWindowPartitionMapping(), ["2025-06-15"], DAYS, hours)
    assert result.partition_keys[-1] == "2025-06-15-11:00" and len(result.partition_keys) == 12
    assert result.required_but_nonexistent_partition_keys[0] == "2025-06-15-12:00"
    down = TimeWindowPartitionMapping().get_downstream_partitions_for_partitions(
        ["2025-06-15"], DAYS, hours, NOW
    )
    assert down[-1] == "2025-06-15-11:00" and len(down) == 12


def test_mapping_one_key_does_not_enumerate_the_partitions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("enumerated every partition")

    for method in ("get_partition_keys", "get_partition_keys_in_time_window"):
        monkeypatch.setattr(TimeWindowPartitionsDefinition, method, refuse)
    hours = HourlyPartitionsDefinition(start_date="1971-01-01-00:00")
    result = upstream_of(TimeWindowPartitionMapping(-2, 0), ["2025-06-01"], DAYS, hours)
    assert len(result.partition_keys) == 72
    down = TimeWindowPartitionMapping().get_downstream_partitions_for_partitions(
        ["1999-12-31-23:00", "2024-12-31-23:00"], hours, MONTHS, NOW
    )
    assert down == ["2024-12-01"]


def test_keys_in_any_order_and_with_gaps_map_like_sorted_keys() -> None:
    hours = HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
    keys = [*days_of("2024-03")[:3], "2024-03-20", "2024-02-29"]
    mapping = TimeWindowPartitionMapping()
    result = upstream_of(mapping, list(reversed(keys)), DAYS, hours)
    assert result == upstream_of(mapping, sorted(keys), DAYS, hours)
    assert len(result.partition_keys) == 5 * 24
    assert result.partition_keys[:2] == ["2024-02-29-00:00", "2024-02-29-01:00"]
    assert result.partition_keys[-1] == "2024-03-20-23:00"


def test_time_window_mapping_errors() -> None:
    with pytest.raises(PartitionError, match="'2024-13-01'"):
        upstream_of(TimeWindowPartitionMapping(), ["2024-13-01"], DAYS, MONTHS)
    with pytest.raises(PartitionMappingError) as raised:
        upstream_of(TimeWindowPartitionMapping(), ["eu"], REGIONS, DAYS)
    assert "3 static partitions" in str(raised.value) and "daily partitions" in str(raised.value)
    with pytest.raises(DefinitionError, match="swap them"):
        TimeWindowPartitionMapping(start_offset=0, end_offset=-1)
    with pytest.raises(DefinitionError, match="must be an int"):
        TimeWindowPartitionMapping(start_offset=1.5)  # type: ignore[arg-type]


# -- identity, all, last -----------------------------------------------------------------------
def test_identity_reports_keys_the_upstream_lacks() -> None:
    fewer = StaticPartitionsDefinition(["eu", "us"])
    mapping = IdentityPartitionMapping()
    assert upstream_of(mapping, ["eu", "apac"], REGIONS, REGIONS).partition_keys == ["eu", "apac"]
    assert upstream_of(mapping, ["eu", "apac"], REGIONS, fewer) == UpstreamPartitionsResult(
        ["eu"], ["apac"]
    )
    assert mapping.get_downstream_partitions_for_partitions(["apac", "us"], REGIONS, fewer) == [
        "us"
    ]
    with pytest.raises(PartitionMappingError, match="an unpartitioned asset"):
        mapping.get_upstream_partitions_for_partitions(None, None, REGIONS)


class Store:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        return self.keys

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        return partition_key in self.keys


def test_identity_between_dynamic_definitions_reports_deleted_keys() -> None:
    files = DynamicPartitionsDefinition("files")
    other = DynamicPartitionsDefinition("other_files")
    keys = [f"f{i}" for i in range(20)]
    store = Store(keys[:15])
    result = IdentityPartitionMapping().get_upstream_partitions_for_partitions(
        keys, files, other, dynamic_partitions_store=store
    )
    assert result == UpstreamPartitionsResult(keys[:15], keys[15:])


def test_all_maps_every_partition_to_and_from_unpartitioned_assets() -> None:
    mapping = AllPartitionMapping()
    assert mapping.get_upstream_partitions_for_partitions(None, None, REGIONS).partition_keys == [
        "eu",
        "us",
        "apac",
    ]
    assert (
        mapping.get_upstream_partitions_for_partitions(["eu"], REGIONS, None).partition_keys == []
    )
    assert mapping.get_downstream_partitions_for_partitions(None, None, REGIONS) == [
        "eu",
        "us",
        "apac",
    ]
    assert mapping.get_downstream_partitions_for_partitions([], DAYS, REGIONS) == []
    assert mapping.get_downstream_partitions_for_partitions(["eu"], REGIONS, None) == []


def test_last_maps_to_the_latest_partition_at_the_time() -> None:
    mapping = LastPartitionMapping()
    result = mapping.get_upstream_partitions_for_partitions(None, None, DAYS, NOW)
    assert result.partition_keys == ["2025-06-14"]
    assert (
        mapping.get_downstream_partitions_for_partitions(["2025-06-13"], DAYS, REGIONS, NOW) == []
    )
    assert mapping.get_downstream_partitions_for_partitions(["2025-06-14"], DAYS, REGIONS, NOW) == [
        "eu",
        "us",
        "apac",
    ]
    with pytest.raises(PartitionMappingError, match="upstream asset must be partitioned"):
        mapping.get_upstream_partitions_for_partitions(["eu"], REGIONS, None)


# -- keys: specific and static -----------------------------------------------------------------
def test_specific_partitions_are_required_by_every_downstream_partition() -> None:
    mapping = SpecificPartitionsPartitionMapping(["us", "mars"])
    result = mapping.get_upstream_partitions_for_partitions(["2024-01-01"], DAYS, REGIONS)
    assert result == UpstreamPartitionsResult(["us"], ["mars"])
    assert mapping.get_downstream_partitions_for_partitions(["eu"], REGIONS, None) == []
    down = mapping.get_downstream_partitions_for_partitions(["us"], REGIONS, MONTHS, NOW)
    assert down[0] == "2024-01-01" and len(down) == 17
    with pytest.raises(DefinitionError, match=r"write \['us'\]"):
        SpecificPartitionsPartitionMapping("us")


CITIES = StaticPartitionsDefinition(["paris", "lyon", "boston", "austin"])
COUNTRIES = StaticPartitionsDefinition(["fr", "us", "ca"])


def test_static_mapping_follows_its_table_both_ways() -> None:
    mapping = StaticPartitionMapping(
        {"paris": "fr", "lyon": {"fr"}, "boston": ["us", "ca"], "austin": "us"}
    )
    mapping.validate_partition_mapping(CITIES, COUNTRIES)
    result = mapping.get_upstream_partitions_for_partitions(["us", "ca"], COUNTRIES, CITIES)
    assert result == UpstreamPartitionsResult(["boston", "austin"], [])
    assert mapping.get_downstream_partitions_for_partitions(["boston"], CITIES, COUNTRIES) == [
        "us",
        "ca",
    ]
    assert mapping.get_downstream_partitions_for_partitions(["nowhere"], CITIES, COUNTRIES) == []
    assert mapping == StaticPartitionMapping(
        {"paris": ["fr"], "lyon": "fr", "boston": ("us", "ca"), "austin": "us"}
    )
    assert hash(mapping) == hash(StaticPartitionMapping(dict(mapping._table())))


def test_static_mapping_with_unknown_keys_is_refused_at_validation() -> None:
    mapping = StaticPartitionMapping({"paris": "fr", "rome": "it"})
    with pytest.raises(PartitionMappingError) as raised:
        mapping.validate_partition_mapping(CITIES, COUNTRIES)
    message = str(raised.value)
    assert "upstream keys ['rome']" in message and "4 static partitions" in message
    with pytest.raises(PartitionMappingError, match="both assets must be partitioned"):
        mapping.validate_partition_mapping(CITIES, None)


# -- defaults ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("upstream", "downstream", "expected"),
    [
        (DAYS, DailyPartitionsDefinition(start_date="2024-01-01"), IdentityPartitionMapping()),
        (REGIONS, StaticPartitionsDefinition(["eu", "us", "apac"]), IdentityPartitionMapping()),
        (DAYS, MONTHS, TimeWindowPartitionMapping()),
        (MONTHS, DAYS, TimeWindowPartitionMapping()),
        (DAYS, None, AllPartitionMapping()),
        (None, REGIONS, AllPartitionMapping()),
        (None, None, AllPartitionMapping()),
    ],
)
def test_default_mappings(upstream: object, downstream: object, expected: object) -> None:
    assert infer_partition_mapping(upstream, downstream) == expected  # type: ignore[arg-type]


def test_no_default_between_unrelated_definitions() -> None:
    with pytest.raises(PartitionMappingError) as raised:
        infer_partition_mapping(REGIONS, DAYS)
    message = str(raised.value)
    assert "3 static partitions" in message and "daily partitions from 2024-01-01" in message
    assert "explicit partition_mapping" in message
    assert isinstance(raised.value, DefinitionError)
