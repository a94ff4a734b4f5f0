"""Time-window partitions: one partition per tick of a cron schedule, keyed by its start time."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headwater.declarations.partitions._schedule import (
    MINUTELY,
    KeyFormat,
    make_ticks,
    parse_standard_schedule,
    resolve_wall_time,
)
from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionKeyRange,
    PartitionsDefinition,
)
from headwater.errors import DefinitionError, UnknownPartitionError


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A span of time: ``start`` inclusive, ``end`` exclusive, both timezone-aware.

    Unpacks like a pair: ``start, end = window``.

    Example:
        >>> from datetime import datetime, timezone
        >>> w = TimeWindow(datetime(2024, 1, 1, tzinfo=timezone.utc),
        ...                datetime(2024, 1, 2, tzinfo=timezone.utc))
        >>> (w.end - w.start).days
        1
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise PartitionError(
                f"TimeWindow({self.start!r}, {self.end!r}) needs timezone-aware datetimes; "
                "pass tzinfo=..., e.g. datetime(2024, 1, 1, tzinfo=ZoneInfo('UTC'))."
            )
        if self.end.timestamp() < self.start.timestamp():
            raise PartitionError(
                f"TimeWindow end {self.end.isoformat()} comes before its start "
                f"{self.start.isoformat()}."
            )

    def __iter__(self) -> Iterator[datetime]:
        return iter((self.start, self.end))


class TimeWindowPartitionsDefinition(PartitionsDefinition):
    """Partitions that each cover one interval between two ticks of a cron schedule.

    Partition ``i`` covers ``[tick_i, tick_{i+1})``, where ``tick_0`` is the first tick at or
    after ``start``; its key is ``tick_i`` formatted with ``fmt`` in ``timezone``. A partition
    exists once its window has ended (``end_offset`` adds that many later partitions, or removes
    them when negative), and never past ``end``. Hourly, daily, weekly and monthly schedules are
    computed arithmetically (any number of partitions costs O(1) per key lookup); other cron
    schedules are enumerated with croniter. See ``docs/partitions.md`` for the DST rules.

    Args:
        cron_schedule: when windows start, e.g. ``"0 0 * * *"`` or ``"@daily"``.
        fmt: the ``strftime`` format of partition keys, e.g. ``"%Y-%m-%d"``.
        start: the first partition's start: a datetime (a naive one is read in ``timezone``)
            or a string in ``fmt``.
        end: where partitions stop (exclusive: the last partition is the last window that ends
            at or before it), same types as ``start``; ``None`` for no end.
        timezone: an IANA time zone name (default ``"UTC"``).
        end_offset: how many partitions to add (or remove, if negative) past the last ended
            window; ``1`` includes the window in progress.

    Raises:
        DefinitionError: unknown time zone, invalid cron schedule, ``start``/``end`` not in
            ``fmt``, ``end`` not after ``start``, or no complete window before ``end``.

    Example:
        >>> every_6h = TimeWindowPartitionsDefinition(
        ...     cron_schedule="0 */6 * * *", fmt="%Y-%m-%d-%H:%M",
        ...     start="2024-01-01-00:00", end="2024-01-02-00:00")
        >>> every_6h.get_partition_keys()
        ['2024-01-01-00:00', '2024-01-01-06:00', '2024-01-01-12:00', '2024-01-01-18:00']
    """

    def __init__(
        self,
        *,
        cron_schedule: str,
        fmt: str,
        start: datetime | str,
        end: datetime | str | None = None,
        timezone: str | None = None,
        end_offset: int = 0,
    ) -> None:
        self._cron_schedule = cron_schedule.strip()
        self._fmt = fmt
        self._timezone = timezone or "UTC"
        if isinstance(end_offset, bool) or not isinstance(end_offset, int):
            raise DefinitionError(f"end_offset must be an int, got {end_offset!r}.")
        self._end_offset = end_offset
        try:
            self._tz = ZoneInfo(self._timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise DefinitionError(
                f"Unknown time zone {self._timezone!r}; use an IANA name such as "
                "'UTC' or 'Europe/Berlin'."
            ) from None
        if parse_standard_schedule(self._cron_schedule) is None:
            from croniter import croniter

            if not croniter.is_valid(self._cron_schedule):
                raise DefinitionError(
                    f"Invalid cron schedule {self._cron_schedule!r}; expected five fields, "
                    "e.g. '0 0 * * *' (daily at midnight)."
                )
        self._start = self._instant(start, "start")
        self._end = None if end is None else self._instant(end, "end")
        self._setup()

    def _setup(self) -> None:
        # Derived state, rebuilt after unpickling.
        self._ticks = make_ticks(self._cron_schedule, self._start, self._tz)
        self._format = KeyFormat(self._fmt, self._tz)
        self._keys: list[str] = []
        self._end_count: int | None = None
        if self._end is not None:
            if self._end.timestamp() <= self._start.timestamp():
                raise DefinitionError(
                    f"Partitions end {self._end.isoformat()} is not after their start "
                    f"{self._start.isoformat()}; pass an end later than the start."
                )
            self._end_count = max(self._ticks.count_at_or_before(self._end.timestamp()) - 1, 0)
            if self._end_count == 0:
                raise DefinitionError(
                    f"No complete partition window fits between start {self._start.isoformat()} "
                    f"and end {self._end.isoformat()} on cron schedule {self._cron_schedule!r}."
                )
        for index in (0, 1):  # every key must lead back to its own partition
            key = self._key(index)
            if self._locate(key) != index:
                raise DefinitionError(
                    f"Partition format {self._fmt!r} does not identify the partitions of cron "
                    f"schedule {self._cron_schedule!r}: key {key!r} does not parse back to "
                    "its partition; add the missing fields (e.g. '%H:%M' for sub-daily)."
                )

    def _instant(self, value: datetime | str, what: str) -> datetime:
        if isinstance(value, str):
            try:
                value = datetime.strptime(value, self._fmt)
            except ValueError:
                example = datetime(2024, 1, 1).strftime(self._fmt)
                raise DefinitionError(
                    f"Partitions {what} {value!r} does not match the format {self._fmt!r} "
                    f"(e.g. {example!r}); pass a string in that format or a datetime."
                ) from None
        elif not isinstance(value, datetime):
            raise DefinitionError(
                f"Partitions {what} must be a datetime or a string, got {value!r}."
            )
        if value.tzinfo is None:
            return resolve_wall_time(value, self._tz)
        return value.astimezone(self._tz)

    # -- the parameters ---------------------------------------------------------------------
    @property
    def cron_schedule(self) -> str:
        """The cron schedule whose ticks start the windows."""
        return self._cron_schedule

    @property
    def fmt(self) -> str:
        """The ``strftime`` format of the keys."""
        return self._fmt

    @property
    def start(self) -> datetime:
        """The given start (aware, in ``timezone``); the first window starts at or after it."""
        return self._start

    @property
    def end(self) -> datetime | None:
        """The given end (aware, in ``timezone``), or ``None``."""
        return self._end

    @property
    def timezone(self) -> str:
        """The IANA time zone the schedule and the keys are in."""
        return self._timezone

    @property
    def end_offset(self) -> int:
        """Partitions added (removed when negative) past the last window that ended."""
        return self._end_offset

    # -- index arithmetic -------------------------------------------------------------------
    def _count(self, current_time: datetime | None) -> int:
        """How many partitions exist at ``current_time`` (default: now)."""
        if current_time is None:
            now = time.time()
        elif current_time.tzinfo is None:
            now = resolve_wall_time(current_time, self._tz).timestamp()
        else:
            now = current_time.timestamp()
        if self._end is not None and self._end_count is not None and now >= self._end.timestamp():
            if self._end_offset >= 0:
                return self._end_count
            # Past the end: no need to look at (or, with croniter, enumerate) later ticks.
            now = min(now, self._ticks.tick(self._end_count - self._end_offset).timestamp())
        started = self._ticks.count_at_or_before(now)
        count = max(started - 1 + self._end_offset, 0) if started else 0
        return count if self._end_count is None else min(count, self._end_count)

    def _key(self, index: int) -> str:
        keys = self._keys
        return keys[index] if index < len(keys) else self._format.format(self._ticks.tick(index))

    def _keys_between(self, first: int, stop: int, *, cache: bool = False) -> list[str]:
        """Keys ``first`` to ``stop`` (exclusive).

        The keys of existing partitions (``cache=True``) are kept as a growing prefix, so
        listing them again is a slice; other ranges use the prefix but do not extend it.
        """
        keys = self._keys
        if len(keys) >= stop:
            return keys[first:stop]
        ticks, format_many = self._ticks.ticks, self._format.format_many
        if cache:
            keys = keys + format_many(ticks(len(keys), stop))
            self._keys = keys  # replaced, never mutated: safe for concurrent readers
            return keys[first:stop]
        known = keys[first:stop]
        return known + format_many(ticks(first + len(known), stop))

    def _locate(self, key: str) -> int | None:
        """The index of ``key`` ignoring ``end`` and the current time, or ``None``."""
        if not isinstance(key, str):
            return None
        instant = self._format.parse(key)
        if instant is None or math.isnan(instant):
            return None
        index = self._ticks.count_at_or_before(instant) - 1
        for candidate in (index, index + 1):  # keys need not carry every field of the tick
            try:
                if candidate >= 0 and self._key(candidate) == key:
                    return candidate
            except IndexError:  # a cron schedule that runs out of ticks
                return None
        return None

    def _index(self, key: str, what: str = "Partition key", where: str = "") -> int:
        """The index of ``key`` within ``start`` and ``end``; raises a helpful error if none."""
        index = self._locate(key)
        if index is None:
            raise UnknownPartitionError(
                f"{what} {key!r}{where} is not a partition: {self._expected()}."
            )
        if self._end is not None and self._end_count is not None and index >= self._end_count:
            raise UnknownPartitionError(
                f"{what} {key!r}{where} is past the end of {self.describe()}: its window ends "
                f"after {self._end.isoformat()}; the last partition is "
                f"{self._key(self._end_count - 1)!r}."
            )
        return index

    def _expected(self) -> str:
        first = self._key(0)
        span = (
            f"from {first!r} to {self._key(self._end_count - 1)!r}"
            if self._end_count is not None
            else f"from {first!r} onwards"
        )
        return f"expected a key in format {self._fmt!r} ({self._label()}) {span}"

    def _window(self, index: int) -> TimeWindow:
        return TimeWindow(self._ticks.tick(index), self._ticks.tick(index + 1))

    # -- PartitionsDefinition ---------------------------------------------------------------
    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Every partition key that exists at ``current_time`` (default: now), in time order."""
        return self._keys_between(0, self._count(current_time), cache=True)

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many partitions exist at ``current_time`` (O(1))."""
        return self._count(current_time)

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` exists at ``current_time`` (O(1))."""
        index = self._locate(partition_key)
        return index is not None and index < self._count(current_time)

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The first key, or ``None`` when no partition exists yet."""
        return self._key(0) if self._count(current_time) else None

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The last key that exists at ``current_time``, or ``None``."""
        count = self._count(current_time)
        return self._key(count - 1) if count else None

    def get_next_partition_key(
        self, partition_key: str, current_time: datetime | None = None
    ) -> str | None:
        """The key of the window after ``partition_key``'s, or ``None`` when that partition does
        not exist at ``current_time`` (default: now) or is past ``end``.

        Raises:
            UnknownPartitionError: ``partition_key`` is not a key of this definition.

        Example:
            >>> days = TimeWindowPartitionsDefinition(start="2024-01-01", cron_schedule="0 0 * * *",
            ...                                       fmt="%Y-%m-%d", end="2024-01-05")
            >>> days.get_next_partition_key("2024-01-03"), days.get_next_partition_key("2024-01-04")
            ('2024-01-04', None)
        """
        following = self._index(partition_key) + 1
        return self._key(following) if following < self._count(current_time) else None

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The keys from ``start`` to ``end`` inclusive (bounds located in O(1)).

        The bounds must lie within ``start`` and ``end`` of the definition; they need not have
        ended yet (use :meth:`validate_partition_key` for that).

        Raises:
            UnknownPartitionError: a bound is not a key of this definition (or is past
                ``end``).
            PartitionError: ``end`` comes before ``start``.
        """
        first = self._index(partition_key_range.start, "Partition range start")
        last = self._index(partition_key_range.end, "Partition range end")
        if last < first:
            raise PartitionError(
                f"Partition range end {partition_key_range.end!r} comes before its start "
                f"{partition_key_range.start!r}; swap them."
            )
        return self._keys_between(first, last + 1)

    def validate_partition_key(
        self,
        partition_key: str,
        *,
        asset: str | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> None:
        """Raise :class:`UnknownPartitionError` unless ``partition_key`` exists now.

        The message names the asset, the key, the expected format and the valid span.
        """
        where = f" of asset {asset!r}" if asset else ""
        index = self._index(partition_key, where=where)
        count = self._count(None)
        if index >= count:
            last = f"the last partition now is {self._key(count - 1)!r}" if count else "none yet"
            raise UnknownPartitionError(
                f"Partition key {partition_key!r}{where} does not exist yet: its window ends at "
                f"{self._ticks.tick(index + 1).isoformat()} ({self.describe()}; {last})."
            )

    # -- time windows -----------------------------------------------------------------------
    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        """The window ``[start, end)`` of ``partition_key`` (whether or not it ended yet).

        Raises:
            UnknownPartitionError: ``partition_key`` is not a key of this definition or is past
                ``end``.
        """
        return self._window(self._index(partition_key))

    def get_partition_key_for_timestamp(self, timestamp: float, end_closed: bool = False) -> str:
        """The key of the window containing ``timestamp`` (POSIX seconds).

        With ``end_closed``, a timestamp on a boundary belongs to the window that ends there.

        Raises:
            PartitionError: ``timestamp`` is before the first window or past ``end``.
        """
        if end_closed:
            timestamp = math.nextafter(timestamp, -math.inf)
        index = self._ticks.count_at_or_before(timestamp) - 1
        moment = datetime.fromtimestamp(timestamp, self._tz).isoformat()
        if index < 0:
            raise PartitionError(f"{moment} is before the first partition of {self.describe()}.")
        if self._end_count is not None and index >= self._end_count:
            raise PartitionError(f"{moment} is past the end of {self.describe()}.")
        return self._key(index)

    def get_partition_keys_in_time_window(self, time_window: TimeWindow) -> list[str]:
        """The keys of every partition whose window overlaps ``time_window``, in order.

        Partitions are bounded by ``start`` and ``end`` but not by the current time.
        """
        start, end = time_window.start.timestamp(), time_window.end.timestamp()
        if end <= start:
            return []
        first = max(self._ticks.count_at_or_before(start) - 1, 0)
        stop = self._ticks.count_at_or_before(math.nextafter(end, -math.inf))
        if self._end_count is not None:
            stop = min(stop, self._end_count)
        return self._keys_between(first, stop) if stop > first else []

    def get_first_partition_window(self, current_time: datetime | None = None) -> TimeWindow | None:
        """The first partition's window, or ``None`` when no partition exists yet."""
        return self._window(0) if self._count(current_time) else None

    def get_last_partition_window(self, current_time: datetime | None = None) -> TimeWindow | None:
        """The window of the last partition that exists at ``current_time``, or ``None``."""
        count = self._count(current_time)
        return self._window(count - 1) if count else None

    # -- identity ---------------------------------------------------------------------------
    def _label(self) -> str:
        schedule = parse_standard_schedule(self._cron_schedule)
        if schedule is None:
            return f"cron {self._cron_schedule!r}"
        return f"{schedule.every}-minute" if schedule.kind == MINUTELY else schedule.kind

    def describe(self) -> str:
        """E.g. ``"daily partitions from 2013-01-01 to 2013-12-31 (UTC)"``."""
        first = self._key(0)
        if self._end_count is None:
            return f"{self._label()} partitions from {first} onwards ({self._timezone})"
        last = self._key(self._end_count - 1)
        return f"{self._label()} partitions from {first} to {last} ({self._timezone})"

    def _identity(self) -> tuple[Any, ...]:
        end = None if self._end is None else self._end.timestamp()
        schedule = parse_standard_schedule(self._cron_schedule) or self._cron_schedule
        return (schedule, self._fmt, self._start.timestamp(), end, self._timezone, self._end_offset)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TimeWindowPartitionsDefinition)
            and self._identity() == other._identity()
        )

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        end = None if self._end is None else self._end.isoformat()
        return (
            f"{type(self).__name__}(cron_schedule={self._cron_schedule!r}, fmt={self._fmt!r}, "
            f"start={self._start.isoformat()!r}, end={end!r}, timezone={self._timezone!r}, "
            f"end_offset={self._end_offset})"
        )

    def __getstate__(self) -> dict[str, Any]:
        derived = {"_ticks", "_format", "_keys", "_end_count"}
        return {k: v for k, v in self.__dict__.items() if k not in derived}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._setup()


def _offset(name: str, value: int, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DefinitionError(f"{name} must be an int from {low} to {high}, got {value!r}.")
    return value


class HourlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per hour, keyed ``"%Y-%m-%d-%H:%M"`` by default.

    Hours are instants one hour apart: the day clocks go back has 25 partitions, and the
    repeated hour's second key carries its UTC offset (``"2023-11-05-01:00-0500"``).

    Args:
        start_date: the first partition's start, a datetime or a string in ``fmt``.
        end_date: exclusive end (see :class:`TimeWindowPartitionsDefinition`), or ``None``.
        minute_offset: the minute past the hour partitions start at (0-59).
        timezone: an IANA time zone name (default ``"UTC"``).
        fmt: the key format (default ``"%Y-%m-%d-%H:%M"``).
        end_offset: partitions added past the last ended hour (1: include the current hour).

    Example:
        >>> HourlyPartitionsDefinition("2024-01-01-00:00", "2024-01-01-03:00").get_partition_keys()
        ['2024-01-01-00:00', '2024-01-01-01:00', '2024-01-01-02:00']
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
    ) -> None:
        self.minute_offset = _offset("minute_offset", minute_offset, 0, 59)
        super().__init__(
            cron_schedule=f"{minute_offset} * * * *",
            fmt=fmt or "%Y-%m-%d-%H:%M",
            start=start_date,
            end=end_date,
            timezone=timezone,
            end_offset=end_offset,
        )


class DailyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per calendar day in ``timezone``, keyed ``"%Y-%m-%d"`` by default.

    Days follow the local calendar: a day with a DST change lasts 23 or 25 hours.

    Args:
        start_date: the first day, a datetime or a string in ``fmt`` (e.g. ``"2013-01-01"``).
        end_date: the day after the last partition (exclusive), or ``None`` for no end.
        minute_offset: minutes past the hour a day starts at (0-59).
        hour_offset: the hour a day starts at (0-23).
        timezone: an IANA time zone name (default ``"UTC"``).
        fmt: the key format (default ``"%Y-%m-%d"``).
        end_offset: partitions added past the last ended day (1: include today).

    Example:
        >>> days = DailyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
        >>> days.get_num_partitions(), days.get_last_partition_key()
        (365, '2013-12-31')
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
    ) -> None:
        self.minute_offset = _offset("minute_offset", minute_offset, 0, 59)
        self.hour_offset = _offset("hour_offset", hour_offset, 0, 23)
        super().__init__(
            cron_schedule=f"{minute_offset} {hour_offset} * * *",
            fmt=fmt or "%Y-%m-%d",
            start=start_date,
            end=end_date,
            timezone=timezone,
            end_offset=end_offset,
        )


class WeeklyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per week, starting Sunday by default, keyed ``"%Y-%m-%d"``.

    Args:
        start_date: weeks start at the first ``day_offset`` weekday at or after it.
        end_date: exclusive end, or ``None``.
        minute_offset: minutes past the hour a week starts at (0-59).
        hour_offset: the hour a week starts at (0-23).
        day_offset: the weekday a week starts on, 0 = Sunday ... 6 = Saturday.
        timezone: an IANA time zone name (default ``"UTC"``).
        fmt: the key format (default ``"%Y-%m-%d"``).
        end_offset: partitions added past the last ended week.

    Example:
        >>> weeks = WeeklyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-31")
        >>> weeks.get_partition_keys()  # 2024-01-01 is a Monday
        ['2024-01-07', '2024-01-14', '2024-01-21']
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
    ) -> None:
        self.minute_offset = _offset("minute_offset", minute_offset, 0, 59)
        self.hour_offset = _offset("hour_offset", hour_offset, 0, 23)
        self.day_offset = _offset("day_offset", day_offset, 0, 6)
        super().__init__(
            cron_schedule=f"{minute_offset} {hour_offset} * * {day_offset}",
            fmt=fmt or "%Y-%m-%d",
            start=start_date,
            end=end_date,
            timezone=timezone,
            end_offset=end_offset,
        )


class MonthlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per month, starting on day ``day_offset``, keyed ``"%Y-%m-%d"``.

    Args:
        start_date: months start at the first ``day_offset`` at or after it.
        end_date: exclusive end, or ``None``.
        minute_offset: minutes past the hour a month starts at (0-59).
        hour_offset: the hour a month starts at (0-23).
        day_offset: the day of the month a month starts on (1-31; months without that day
            are skipped, as in cron, so prefer 1-28).
        timezone: an IANA time zone name (default ``"UTC"``).
        fmt: the key format (default ``"%Y-%m-%d"``).
        end_offset: partitions added past the last ended month.

    Example:
        >>> months = MonthlyPartitionsDefinition(start_date="2013-01-01", end_date="2014-01-01")
        >>> months.get_partition_keys()[:2], months.get_num_partitions()
        (['2013-01-01', '2013-02-01'], 12)
    """

    def __init__(
        self,
        start_date: datetime | str,
        end_date: datetime | str | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 1,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
    ) -> None:
        self.minute_offset = _offset("minute_offset", minute_offset, 0, 59)
        self.hour_offset = _offset("hour_offset", hour_offset, 0, 23)
        self.day_offset = _offset("day_offset", day_offset, 1, 31)
        super().__init__(
            cron_schedule=f"{minute_offset} {hour_offset} {day_offset} * *",
            fmt=fmt or "%Y-%m-%d",
            start=start_date,
            end=end_date,
            timezone=timezone,
            end_offset=end_offset,
        )
