"""Time-window partitions: keys, windows, DST, end bounds, offsets, ranges and errors."""

from __future__ import annotations

import itertools
import pickle
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headwater import (
    DailyPartitionsDefinition,
    DefinitionError,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    PartitionError,
    PartitionKeyRange,
    TimeWindow,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)

UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600


def hours(window: TimeWindow) -> float:
    return (window.end.timestamp() - window.start.timestamp()) / HOUR


def windows(partitions_def: TimeWindowPartitionsDefinition) -> list[TimeWindow]:
    return [
        partitions_def.time_window_for_partition_key(key)
        for key in partitions_def.get_partition_keys()
    ]


def instants(partitions_def: TimeWindowPartitionsDefinition) -> list[tuple[float, float]]:
    return [(w.start.timestamp(), w.end.timestamp()) for w in windows(partitions_def)]


def assert_contiguous(partitions_def: TimeWindowPartitionsDefinition) -> None:
    keys = partitions_def.get_partition_keys()
    assert len(set(keys)) == len(keys)
    spans = windows(partitions_def)
    for before, after in itertools.pairwise(spans):
        assert before.end.timestamp() == after.start.timestamp()
        assert before.start.timestamp() < after.start.timestamp()


# -- keys -------------------------------------------------------------------------------------
def test_daily_partitions_over_a_year_end_before_the_end_date() -> None:
    days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
    keys = days.get_partition_keys()
    assert len(keys) == 365 == days.get_num_partitions()
    assert keys[:2] == ["2013-01-01", "2013-01-02"]
    assert keys[-1] == "2013-12-31" == days.get_last_partition_key()
    assert days.get_first_partition_key() == "2013-01-01"
    assert days.describe() == "daily partitions from 2013-01-01 to 2013-12-31 (UTC)"
    assert days.time_window_for_partition_key("2013-02-28") == TimeWindow(
        datetime(2013, 2, 28, tzinfo=UTC), datetime(2013, 3, 1, tzinfo=UTC)
    )


def test_default_formats_and_parameters_follow_dagster() -> None:
    hourly = HourlyPartitionsDefinition(start_date="2024-01-01-00:00")
    assert hourly.fmt == "%Y-%m-%d-%H:%M"
    assert hourly.cron_schedule == "0 * * * *"
    for cls in (DailyPartitionsDefinition, WeeklyPartitionsDefinition):
        assert cls(start_date="2024-01-01").fmt == "%Y-%m-%d"
    monthly = MonthlyPartitionsDefinition(start_date="2024-01-01")
    assert (monthly.fmt, monthly.cron_schedule, monthly.day_offset) == ("%Y-%m-%d", "0 0 1 * *", 1)
    assert WeeklyPartitionsDefinition(start_date="2024-01-01").cron_schedule == "0 0 * * 0"
    assert hourly.timezone == "UTC" and hourly.end is None and hourly.end_offset == 0
    assert hourly.start == datetime(2024, 1, 1, tzinfo=UTC)


def test_weekly_partitions_start_on_sunday_and_day_offset_moves_them() -> None:
    sundays = WeeklyPartitionsDefinition(start_date="2024-01-01", end_date="2024-02-01")
    assert sundays.get_partition_keys() == ["2024-01-07", "2024-01-14", "2024-01-21"]
    mondays = WeeklyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-02-01", day_offset=1
    )
    assert mondays.get_partition_keys() == ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"]
    assert all(hours(w) == 7 * 24 for w in windows(mondays))


def test_monthly_partitions_with_day_offset() -> None:
    months = MonthlyPartitionsDefinition(
        start_date="2024-01-15", end_date="2025-01-01", day_offset=5
    )
    keys = months.get_partition_keys()
    assert keys[0] == "2024-02-05" and keys[-1] == "2024-11-05" and len(keys) == 10
    assert hours(months.time_window_for_partition_key("2024-02-05")) == 29 * 24


def test_custom_cron_schedule_uses_its_ticks() -> None:
    every_6h = TimeWindowPartitionsDefinition(
        cron_schedule="0 */6 * * *",
        fmt="%Y-%m-%d-%H:%M",
        start="2024-01-01-00:00",
        end="2024-01-02-00:00",
    )
    assert every_6h.get_partition_keys() == [
        "2024-01-01-00:00",
        "2024-01-01-06:00",
        "2024-01-01-12:00",
        "2024-01-01-18:00",
    ]
    assert every_6h.has_partition_key("2024-01-01-12:00")
    assert not every_6h.has_partition_key("2024-01-01-13:00")
    assert every_6h.describe().startswith("cron '0 */6 * * *' partitions from 2024-01-01-00:00")


def test_start_not_on_a_tick_starts_at_the_next_tick() -> None:
    days = DailyPartitionsDefinition(
        start_date=datetime(2024, 1, 1, 6), end_date="2024-01-05", hour_offset=5
    )
    assert days.get_partition_keys() == ["2024-01-02", "2024-01-03"]
    window = days.time_window_for_partition_key("2024-01-02")
    assert window.start == datetime(2024, 1, 2, 5, tzinfo=UTC)


def test_aware_start_is_converted_to_the_time_zone() -> None:
    days = DailyPartitionsDefinition(
        start_date=datetime(2024, 1, 1, 5, tzinfo=UTC), timezone="America/New_York"
    )
    assert days.start == datetime(2024, 1, 1, 0, tzinfo=NEW_YORK)
    assert days.get_first_partition_key() == "2024-01-01"


# -- time zones and DST -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tz", "spring", "fall"),
    [
        ("America/New_York", "2024-03-10", "2024-11-03"),
        ("Europe/Berlin", "2024-03-31", "2024-10-27"),
    ],
)
def test_daily_windows_are_local_calendar_days(tz: str, spring: str, fall: str) -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2025-01-01", timezone=tz)
    assert days.get_num_partitions() == 366
    assert_contiguous(days)
    lengths = {
        key: hours(days.time_window_for_partition_key(key)) for key in days.get_partition_keys()
    }
    assert lengths[spring] == 23 and lengths[fall] == 25
    assert sum(lengths.values()) == 366 * 24
    for window in windows(days):
        assert (window.start.hour, window.start.minute) == (0, 0)


def test_hourly_partitions_on_the_day_clocks_go_back_are_25_unique_hours() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2023-11-05-00:00", end_date="2023-11-06-00:00", timezone="America/New_York"
    )
    keys = hourly.get_partition_keys()
    assert len(keys) == 25
    assert keys[:5] == [
        "2023-11-05-00:00",
        "2023-11-05-01:00",
        "2023-11-05-01:00-0500",  # the repeated hour, told apart by its UTC offset
        "2023-11-05-02:00",
        "2023-11-05-03:00",
    ]
    assert_contiguous(hourly)
    assert all(hours(w) == 1 for w in windows(hourly))
    first, second = (hourly.time_window_for_partition_key(k) for k in keys[1:3])
    assert second.start.timestamp() - first.start.timestamp() == HOUR
    assert (first.start.fold, second.start.fold) == (0, 1)


def test_hourly_partitions_on_the_day_clocks_go_forward_skip_the_missing_hour() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2024-03-31-00:00", end_date="2024-04-01-00:00", timezone="Europe/Berlin"
    )
    keys = hourly.get_partition_keys()
    assert len(keys) == 23
    assert keys[1:3] == ["2024-03-31-01:00", "2024-03-31-03:00"]
    assert not hourly.has_partition_key("2024-03-31-02:00")
    assert all(hours(w) == 1 for w in windows(hourly))


def test_weekly_and_monthly_windows_span_dst_changes() -> None:
    weeks = WeeklyPartitionsDefinition(
        start_date="2024-03-01", end_date="2024-04-01", timezone="America/New_York"
    )
    assert hours(weeks.time_window_for_partition_key("2024-03-10")) == 7 * 24 - 1
    assert_contiguous(weeks)
    months = MonthlyPartitionsDefinition(
        start_date="2024-01-01", end_date="2025-01-01", timezone="Europe/Berlin"
    )
    assert hours(months.time_window_for_partition_key("2024-03-01")) == 31 * 24 - 1
    assert hours(months.time_window_for_partition_key("2024-10-01")) == 31 * 24 + 1
    assert_contiguous(months)


def test_a_skipped_start_time_fires_when_the_clocks_jump() -> None:
    days = DailyPartitionsDefinition(
        start_date="2024-03-09",
        end_date="2024-03-13",
        hour_offset=2,
        minute_offset=30,
        timezone="America/New_York",
    )
    window = days.time_window_for_partition_key("2024-03-10")
    assert window.start == datetime(2024, 3, 10, 3, 0, tzinfo=NEW_YORK)
    assert window.end == datetime(2024, 3, 11, 2, 30, tzinfo=NEW_YORK)
    assert hours(window) == 23.5


def test_a_repeated_start_time_fires_at_its_first_occurrence() -> None:
    days = DailyPartitionsDefinition(
        start_date="2024-11-02", end_date="2024-11-05", hour_offset=1, timezone="America/New_York"
    )
    window = days.time_window_for_partition_key("2024-11-03")
    assert window.start.utcoffset() == timedelta(hours=-4)  # 01:00 EDT, before the clocks go back
    assert hours(window) == 25


def test_hourly_minute_offset_in_a_half_hour_time_zone() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2024-01-01-00:00",
        end_date="2024-01-01-03:00",
        minute_offset=15,
        timezone="Asia/Kolkata",
    )
    assert hourly.get_partition_keys() == ["2024-01-01-00:15", "2024-01-01-01:15"]


def test_a_format_with_utc_offset_needs_no_disambiguation() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2023-11-05-01:00-0400",
        end_date="2023-11-05-03:00-0500",
        timezone="America/New_York",
        fmt="%Y-%m-%d-%H:%M%z",
    )
    assert hourly.get_partition_keys() == [
        "2023-11-05-01:00-0400",
        "2023-11-05-01:00-0500",
        "2023-11-05-02:00-0500",
    ]


# -- existence over time ----------------------------------------------------------------------
def test_a_partition_exists_only_once_its_window_has_ended() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01")
    almost = datetime(2024, 1, 2, 23, 59, tzinfo=UTC)
    ended = datetime(2024, 1, 3, tzinfo=UTC)
    assert days.get_partition_keys(current_time=almost) == ["2024-01-01"]
    assert days.get_partition_keys(current_time=ended) == ["2024-01-01", "2024-01-02"]
    assert not days.has_partition_key("2024-01-02", current_time=almost)
    assert days.has_partition_key("2024-01-02", current_time=ended)
    assert days.get_num_partitions(current_time=datetime(2023, 6, 1, tzinfo=UTC)) == 0
    assert days.get_last_partition_key(current_time=datetime(2023, 6, 1, tzinfo=UTC)) is None
    last = days.get_last_partition_window(current_time=ended)
    assert last is not None and last.start == datetime(2024, 1, 2, tzinfo=UTC)


def test_naive_current_time_is_read_in_the_time_zone() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", timezone="Asia/Tokyo")
    assert days.get_partition_keys(current_time=datetime(2024, 1, 2, 0, 30)) == ["2024-01-01"]


def test_end_offset_adds_or_removes_partitions_but_never_passes_end() -> None:
    now = datetime(2024, 1, 3, 12, tzinfo=UTC)
    ahead = DailyPartitionsDefinition(start_date="2024-01-01", end_offset=1)
    assert ahead.get_partition_keys(current_time=now)[-1] == "2024-01-03"  # in progress
    behind = DailyPartitionsDefinition(start_date="2024-01-01", end_offset=-1)
    assert behind.get_partition_keys(current_time=now) == ["2024-01-01"]
    bounded = DailyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-01-03", end_offset=5
    )
    assert bounded.get_partition_keys(current_time=now) == ["2024-01-01", "2024-01-02"]
    assert ahead != DailyPartitionsDefinition(start_date="2024-01-01")


def test_a_key_that_does_not_exist_yet_is_rejected_with_its_window_end() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01")
    days.validate_partition_key("2024-01-01", asset="flights")
    with pytest.raises(PartitionError, match=r"'2999-01-01' of asset 'flights' does not exist yet"):
        days.validate_partition_key("2999-01-01", asset="flights")


# -- end bounds and bad keys --------------------------------------------------------------------
def test_keys_past_end_are_rejected_naming_the_last_partition() -> None:
    days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
    assert not days.has_partition_key("2014-01-01")
    with pytest.raises(PartitionError, match=r"'2014-01-05' is past the end .* '2013-12-31'"):
        days.time_window_for_partition_key("2014-01-05")
    with pytest.raises(PartitionError, match="past the end"):
        days.get_partition_key_for_timestamp(datetime(2014, 1, 2, tzinfo=UTC).timestamp())


@pytest.mark.parametrize("key", ["2013-13-01", "2013-1-01", "20130101", "", "2012-12-31"])
def test_unknown_keys_name_the_key_format_and_span(key: str) -> None:
    days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
    assert not days.has_partition_key(key)
    message = f"{key!r} of asset 'flights' is not a partition: expected a key in format "
    with pytest.raises(PartitionError) as raised:
        days.validate_partition_key(key, asset="flights")
    assert message in str(raised.value)
    assert "'%Y-%m-%d' (daily) from '2013-01-01' to '2013-12-31'" in str(raised.value)


def test_timestamp_lookup_and_end_closed_boundaries() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01")
    midnight = datetime(2024, 1, 3, tzinfo=UTC).timestamp()
    assert days.get_partition_key_for_timestamp(midnight) == "2024-01-03"
    assert days.get_partition_key_for_timestamp(midnight, end_closed=True) == "2024-01-02"
    assert days.get_partition_key_for_timestamp(midnight + 5) == "2024-01-03"
    with pytest.raises(PartitionError, match="before the first partition"):
        days.get_partition_key_for_timestamp(datetime(2023, 12, 31, tzinfo=UTC).timestamp())


def test_keys_in_a_time_window_are_those_whose_windows_overlap_it() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
    months = MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
    february = months.time_window_for_partition_key("2024-02-01")
    keys = days.get_partition_keys_in_time_window(february)
    assert len(keys) == 29 and keys[0] == "2024-02-01" and keys[-1] == "2024-02-29"
    noon = TimeWindow(datetime(2024, 1, 5, 12, tzinfo=UTC), datetime(2024, 1, 6, 12, tzinfo=UTC))
    assert days.get_partition_keys_in_time_window(noon) == ["2024-01-05", "2024-01-06"]
    before = TimeWindow(datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC))
    assert days.get_partition_keys_in_time_window(before) == ["2024-01-01"]
    after = TimeWindow(datetime(2024, 2, 29, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
    assert days.get_partition_keys_in_time_window(after) == ["2024-02-29"]
    assert months.get_partition_keys_in_time_window(noon) == ["2024-01-01"]


# -- ranges -----------------------------------------------------------------------------------
def test_ranges_are_inclusive_and_validated() -> None:
    days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
    keys = days.get_partition_keys_in_range(PartitionKeyRange("2013-01-30", "2013-02-02"))
    assert keys == ["2013-01-30", "2013-01-31", "2013-02-01", "2013-02-02"]
    assert days.get_partition_keys_in_range(PartitionKeyRange("2013-05-05", "2013-05-05")) == [
        "2013-05-05"
    ]
    with pytest.raises(PartitionError, match=r"end '2013-01-01' comes before its start"):
        days.get_partition_keys_in_range(PartitionKeyRange("2013-02-01", "2013-01-01"))
    with pytest.raises(PartitionError, match=r"range start 'Jan 1' is not a partition.*%Y-%m-%d"):
        days.get_partition_keys_in_range(PartitionKeyRange("Jan 1", "2013-01-05"))
    with pytest.raises(PartitionError, match=r"range end '2014-02-01' is past the end"):
        days.get_partition_keys_in_range(PartitionKeyRange("2013-01-01", "2014-02-01"))


# -- construction errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: DailyPartitionsDefinition("01/01/2013"),
            r"'01/01/2013' does not match .*%Y-%m-%d",
        ),
        (lambda: HourlyPartitionsDefinition("2024-01-01"), r"format '%Y-%m-%d-%H:%M'"),
        (lambda: DailyPartitionsDefinition("2024-01-02", "2024-01-01"), "is not after their start"),
        (lambda: DailyPartitionsDefinition("2024-01-01", "2024-01-01"), "is not after their start"),
        (lambda: MonthlyPartitionsDefinition("2024-01-01", "2024-01-20"), "No complete partition"),
        (lambda: DailyPartitionsDefinition("2024-01-01", timezone="Mars/Olympus"), "time zone"),
        (lambda: DailyPartitionsDefinition("2024-01-01", hour_offset=24), "hour_offset"),
        (lambda: WeeklyPartitionsDefinition("2024-01-01", day_offset=7), "day_offset"),
        (lambda: DailyPartitionsDefinition("2024-01-01", end_offset=1.5), "end_offset"),  # type: ignore[arg-type]
        (
            lambda: TimeWindowPartitionsDefinition(
                cron_schedule="every day", fmt="%Y-%m-%d", start="2024-01-01"
            ),
            "Invalid cron schedule",
        ),
        (
            lambda: TimeWindowPartitionsDefinition(
                cron_schedule="0 0 * * *", fmt="%Y-%m", start="2024-01"
            ),
            "does not identify the partitions",
        ),
    ],
)
def test_invalid_definitions_are_rejected_with_the_fix(make: object, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        make()  # type: ignore[operator]


def test_time_windows_must_be_aware_and_ordered() -> None:
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)
    assert tuple(TimeWindow(start, end)) == (start, end)
    with pytest.raises(PartitionError, match="timezone-aware"):
        TimeWindow(datetime(2024, 1, 1), end)
    with pytest.raises(PartitionError, match="comes before its start"):
        TimeWindow(end, start)


# -- identity -----------------------------------------------------------------------------------
def test_definitions_with_the_same_parameters_are_equal_and_hash_alike() -> None:
    daily = DailyPartitionsDefinition(start_date="2024-01-01", timezone="Europe/Berlin")
    generic = TimeWindowPartitionsDefinition(
        cron_schedule="@daily", fmt="%Y-%m-%d", start="2024-01-01", timezone="Europe/Berlin"
    )
    assert daily == generic and hash(daily) == hash(generic)
    assert len({daily, generic, DailyPartitionsDefinition(start_date="2024-01-01")}) == 2
    assert daily != DailyPartitionsDefinition(start_date="2024-01-02", timezone="Europe/Berlin")


def test_definitions_survive_pickling() -> None:
    hourly = HourlyPartitionsDefinition(
        "2024-01-01-00:00", "2024-01-02-00:00", timezone="Europe/Berlin"
    )
    copy = pickle.loads(pickle.dumps(hourly))
    assert copy == hourly and type(copy) is HourlyPartitionsDefinition
    assert copy.get_partition_keys() == hourly.get_partition_keys()
    assert copy.minute_offset == 0


# -- scale --------------------------------------------------------------------------------------
def test_100k_hourly_partitions_are_listed_and_looked_up_correctly() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2010-01-01-00:00", end_date="2022-01-01-00:00", timezone="Europe/Berlin"
    )
    expected = int(
        (
            datetime(2022, 1, 1, tzinfo=BERLIN).timestamp()
            - datetime(2010, 1, 1, tzinfo=BERLIN).timestamp()
        )
        // HOUR
    )
    keys = hourly.get_partition_keys()
    assert len(keys) == expected == hourly.get_num_partitions() > 100_000
    assert len(set(keys)) == len(keys)
    assert keys[0] == "2010-01-01-00:00" and keys[-1] == "2021-12-31-23:00"
    assert all(hourly.has_partition_key(key) for key in keys[::997])
    middle = hourly.get_partition_keys_in_range(PartitionKeyRange(keys[50_000], keys[50_100]))
    assert middle == keys[50_000:50_101]
    assert sum(key.endswith("+0100") for key in keys) == 12  # one repeated hour per autumn


# -- properties ---------------------------------------------------------------------------------
# Lord Howe Island moves its clocks by 30 minutes (+10:30 / +11:00).
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"]
TIMESTAMPS = st.integers(
    min_value=int(datetime(2000, 3, 1, tzinfo=UTC).timestamp()),
    max_value=int(datetime(2040, 1, 1, tzinfo=UTC).timestamp()),
)


@st.composite
def standard_definitions(draw: st.DrawFn) -> TimeWindowPartitionsDefinition:
    tz = draw(st.sampled_from(ZONES))
    minute, hour = draw(st.sampled_from([0, 30, 45])), draw(st.integers(0, 23))
    kind = draw(st.sampled_from(["15-minute", "hourly", "daily", "weekly", "monthly"]))
    if kind in ("15-minute", "hourly"):
        tz = tz if tz != "Australia/Lord_Howe" else "Australia/Sydney"  # croniter: slow here
        cron = "*/15 * * * *" if kind == "15-minute" else f"{minute} * * * *"
        return TimeWindowPartitionsDefinition(
            cron_schedule=cron, fmt="%Y-%m-%d-%H:%M", start="2000-01-01-00:00", timezone=tz
        )
    if kind == "daily":
        return DailyPartitionsDefinition("2000-01-01", None, minute, hour, timezone=tz)
    if kind == "weekly":
        day = draw(st.integers(0, 6))
        return WeeklyPartitionsDefinition("2000-01-01", None, minute, hour, day, timezone=tz)
    day = draw(st.integers(1, 28))
    return MonthlyPartitionsDefinition("2000-01-01", None, minute, hour, day, timezone=tz)


@settings(max_examples=300, deadline=None)
@given(standard_definitions(), TIMESTAMPS)
def test_key_and_window_round_trip(
    partitions_def: TimeWindowPartitionsDefinition, timestamp: int
) -> None:
    key = partitions_def.get_partition_key_for_timestamp(timestamp)
    window = partitions_def.time_window_for_partition_key(key)
    assert window.start.timestamp() <= timestamp < window.end.timestamp()
    assert partitions_def.get_partition_key_for_timestamp(window.start.timestamp()) == key
    assert partitions_def.get_partition_keys_in_time_window(window) == [key]
    assert partitions_def.has_partition_key(key, current_time=window.end)
    assert not partitions_def.has_partition_key(key, current_time=window.start)


# The same schedules spelled so that the arithmetic does not recognise them: croniter
# enumerates these, and both must agree tick for tick, DST changes included.
def croniter_spelling(kind: str, minute: int, hour: int, day: int) -> tuple[str, str]:
    weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][day]
    return {
        "10-minute": ("*/10 * * * *", "0-59/10 * * * *"),
        "hourly": (f"{minute} * * * *", f"{minute} */1 * * *"),
        "daily": (f"{minute} {hour} * * *", f"{minute} {hour} */1 * *"),
        "weekly": (f"{minute} {hour} * * {day}", f"{minute} {hour} * * {weekday}"),
        "monthly": (f"{minute} {hour} {day + 1} * *", f"{minute} {hour} {day + 1} */1 *"),
    }[kind]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Sydney"]),
    st.sampled_from(["10-minute", "hourly", "daily", "weekly", "monthly"]),
    st.integers(0, 59),
    st.integers(0, 23),
    st.integers(0, 6),
    st.integers(2010, 2030),
    st.sampled_from([3, 4, 10, 11]),  # months with DST changes in these zones
)
def test_arithmetic_ticks_match_croniter(
    tz: str, kind: str, minute: int, hour: int, day: int, year: int, month: int
) -> None:
    start = datetime(year, month, 1)
    length = {"10-minute": 2, "hourly": 10, "daily": 70, "weekly": 200, "monthly": 800}[kind]
    definitions = [
        TimeWindowPartitionsDefinition(
            cron_schedule=cron,
            fmt="%Y-%m-%d-%H:%M",
            start=start,
            end=start + timedelta(days=length),
            timezone=tz,
        )
        for cron in croniter_spelling(kind, minute, hour, day)
    ]
    assert definitions[0] != definitions[1]
    arithmetic, enumerated = definitions
    assert arithmetic.get_partition_keys() == enumerated.get_partition_keys()
    assert instants(arithmetic) == instants(enumerated)


def test_hourly_partitions_where_clocks_move_by_half_an_hour() -> None:
    hourly = HourlyPartitionsDefinition(
        start_date="2024-04-06-22:00", end_date="2024-04-07-04:00", timezone="Australia/Lord_Howe"
    )
    keys = hourly.get_partition_keys()
    assert keys[:4] == [
        "2024-04-06-22:00",
        "2024-04-06-23:00",
        "2024-04-07-00:00",
        "2024-04-07-01:00",
    ]
    assert len(set(keys)) == len(keys) and all(key.endswith(":00") or "+" in key for key in keys)
    assert_contiguous(hourly)
    assert sorted({hours(w) for w in windows(hourly)}) == [1, 1.5]  # 01:30 repeats, 02:00 once


def test_15_minute_partitions_on_the_day_clocks_go_back() -> None:
    quarters = TimeWindowPartitionsDefinition(
        cron_schedule="*/15 * * * *",
        fmt="%Y-%m-%d-%H:%M",
        start="2023-11-05-00:00",
        end="2023-11-06-00:00",
        timezone="America/New_York",
    )
    keys = quarters.get_partition_keys()
    assert len(keys) == 25 * 4 and len(set(keys)) == 100
    assert keys[8] == "2023-11-05-01:00-0500"
    assert quarters.describe().startswith("15-minute partitions")
    assert all(hours(w) == 0.25 for w in windows(quarters))


def test_a_clock_past_the_end_with_a_negative_end_offset() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11", end_offset=-2)
    assert days.get_num_partitions(current_time=datetime(2024, 1, 11, tzinfo=UTC)) == 8
    assert days.get_num_partitions(current_time=datetime(2024, 1, 12, tzinfo=UTC)) == 9
    assert days.get_num_partitions(current_time=datetime(2030, 1, 1, tzinfo=UTC)) == 10
    assert days.get_num_partitions() == 10


def test_monthly_on_day_31_skips_shorter_months_like_cron() -> None:
    months = MonthlyPartitionsDefinition(
        start_date="2024-01-01", end_date="2025-01-01", day_offset=31
    )
    assert months.get_partition_keys() == [
        "2024-01-31",
        "2024-03-31",
        "2024-05-31",
        "2024-07-31",
        "2024-08-31",
        "2024-10-31",
    ]


def test_a_repeated_wall_time_fires_once_on_croniter_schedules_too() -> None:
    weekdays = TimeWindowPartitionsDefinition(
        cron_schedule="30 1 * * 0-6",
        fmt="%Y-%m-%d-%H:%M",
        start="2023-11-04-00:00",
        end="2023-11-07-00:00",
        timezone="America/New_York",
    )
    assert weekdays.get_partition_keys() == ["2023-11-04-01:30", "2023-11-05-01:30"]
    assert hours(weekdays.time_window_for_partition_key("2023-11-05-01:30")) == 25


def test_next_partition_key_is_the_following_window_or_none_when_it_does_not_exist() -> None:
    days = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-05")
    assert days.get_next_partition_key("2024-01-01") == "2024-01-02"
    assert days.get_next_partition_key("2024-01-04") is None  # the last one: past end
    open_ended = DailyPartitionsDefinition(start_date="2024-01-01")
    at = datetime(2024, 1, 3, 12, tzinfo=ZoneInfo("UTC"))  # 2024-01-02 is the last ended day
    assert open_ended.get_next_partition_key("2024-01-01", current_time=at) == "2024-01-02"
    assert open_ended.get_next_partition_key("2024-01-02", current_time=at) is None
    assert open_ended.get_next_partition_key("2024-01-02") == "2024-01-03"  # now: long ended
    with pytest.raises(PartitionError, match="'2024-13-01' is not a partition"):
        days.get_next_partition_key("2024-13-01")
