"""The cron ticks that bound time-window partitions, and partition key formatting.

Partition ``i`` of a time-window definition is the window ``[tick(i), tick(i + 1))``, where
``tick(0)`` is the first tick of the cron schedule at or after the definition's start. For the
standard schedules (hourly, daily, weekly, monthly) ``tick(i)`` and its inverse are computed
arithmetically in O(1); any other cron schedule is enumerated with croniter (imported lazily)
and cached.

Time zones and DST (the same rules as Dagster's schedules):

- Daily, weekly and monthly ticks are wall-clock times in the definition's time zone, so a day
  that contains a DST change is 23 or 25 hours long.
- A wall time that occurs twice (clocks go back) fires at its first occurrence; a wall time that
  does not exist (clocks go forward) fires at the first instant after the jump (2:30 -> 3:00).
- Hourly ticks (and croniter's sub-daily ticks) are distinct instants, one hour apart: the day the
  clocks go back has 25 hourly partitions. The second occurrence of a repeated wall-clock time
  gets its UTC offset appended to its key (``2023-11-05-01:00-0500``), keeping keys unique and
  parseable; a format that already contains ``%z`` needs no suffix.

Instants are compared as POSIX timestamps, never as aware datetimes: two datetimes sharing a
tzinfo compare by wall time and ignore ``fold``, which is wrong around DST changes.
"""

from __future__ import annotations

import bisect
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY = "minutely", "hourly", "daily", "weekly", "monthly"
_ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
}


@dataclass(frozen=True, slots=True)
class StandardSchedule:
    """A cron schedule whose ticks can be computed arithmetically."""

    kind: str
    minute: int  # the (first) minute past the hour
    hour: int = 0
    day: int = 0  # weekly: day of week (0 = Sunday); monthly: day of month (1-28)
    every: int = 60  # hourly and minutely: minutes between ticks (a divisor of 60)


def _field(text: str, low: int, high: int) -> int | None:
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    return None


def parse_standard_schedule(cron_schedule: str) -> StandardSchedule | None:
    """The standard schedule ``cron_schedule`` denotes, or ``None`` for any other schedule."""
    fields = _ALIASES.get(cron_schedule.strip(), cron_schedule).split()
    if len(fields) != 5 or fields[3] != "*":
        return None
    if fields[1:] == ["*", "*", "*", "*"]:
        return _within_the_hour(fields[0])
    minute = _field(fields[0], 0, 59)
    hour = _field(fields[1], 0, 23)
    day_of_month, day_of_week = fields[2], fields[4]
    if minute is None or hour is None:
        return None
    if day_of_month == "*" and day_of_week == "*":
        return StandardSchedule(DAILY, minute, hour)
    if day_of_month == "*":
        weekday = _field(day_of_week, 0, 7)
        return None if weekday is None else StandardSchedule(WEEKLY, minute, hour, weekday % 7)
    if day_of_week == "*":
        # Days 29-31 are not in every month: cron skips those months, croniter handles it.
        day = _field(day_of_month, 1, 28)
        return None if day is None else StandardSchedule(MONTHLY, minute, hour, day)
    return None


def _within_the_hour(field: str) -> StandardSchedule | None:
    """Every hour at one minute, or every N minutes (N dividing 60): ``5``, ``*/15``, ``0,30``."""
    if field == "*":
        return StandardSchedule(MINUTELY, 0, every=1)
    if field.startswith("*/"):
        step = _field(field[2:], 1, 60)
        if step is None or 60 % step:
            return None
        return StandardSchedule(HOURLY if step == 60 else MINUTELY, 0, every=step)
    minutes = sorted(
        {m for m in (_field(part, 0, 59) for part in field.split(",")) if m is not None}
    )
    if len(minutes) != field.count(",") + 1 or 60 % len(minutes):
        return None  # not numbers, repeated, or not evenly spaced
    step = 60 // len(minutes)
    if any(m - minutes[0] != i * step for i, m in enumerate(minutes)):
        return None
    return StandardSchedule(HOURLY if step == 60 else MINUTELY, minutes[0], every=step)


def resolve_wall_time(naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant a schedule fires at wall time ``naive`` in ``tz``.

    A repeated wall time resolves to its first occurrence; a skipped one to the first instant
    after the clocks jumped.
    """
    aware = naive.replace(tzinfo=tz)
    before, after = aware.utcoffset(), aware.replace(fold=1).utcoffset()
    if before is None or after is None or after <= before:
        return aware
    # ``naive`` falls in a gap: binary-search the (whole-second) instant of the jump.
    epoch = datetime(1970, 1, 1)
    low = int((naive - after - epoch).total_seconds())  # shown before the gap
    high = int((naive - before - epoch).total_seconds())  # shown after the gap
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, tz)


class Ticks(ABC):
    """The ticks of one schedule from one start, in one time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    @abstractmethod
    def tick(self, index: int) -> datetime:
        """Tick ``index`` (>= 0) as an aware datetime in the time zone."""

    @abstractmethod
    def count_at_or_before(self, timestamp: float) -> int:
        """How many ticks fall at or before ``timestamp``."""

    def ticks(self, first: int, stop: int) -> list[datetime]:
        """Ticks ``first`` to ``stop`` (exclusive)."""
        tick = self.tick
        return [tick(index) for index in range(first, stop)]


class HourlyTicks(Ticks):
    """Ticks every ``period`` seconds (dividing an hour) at fixed minutes past the hour.

    Ticks are instants, not wall times: the hour repeated when clocks go back ticks twice.
    """

    def __init__(self, start: datetime, minute: int, tz: ZoneInfo, period: int = 3600) -> None:
        super().__init__(tz)
        offset = start.utcoffset()
        offset_seconds = int(offset.total_seconds()) if offset else 0
        phase = (minute * 60 - offset_seconds) % period  # tick instants are phase mod period
        first = -int(-start.timestamp() // 1)  # ceil
        self._anchor = first + (phase - first) % period
        self._period = period

    def tick(self, index: int) -> datetime:
        return datetime.fromtimestamp(self._anchor + self._period * index, self.tz)

    def ticks(self, first: int, stop: int) -> list[datetime]:
        anchor, period, tz, at = self._anchor, self._period, self.tz, datetime.fromtimestamp
        return [at(anchor + period * index, tz) for index in range(first, stop)]

    def count_at_or_before(self, timestamp: float) -> int:
        if timestamp < self._anchor:
            return 0
        return int((timestamp - self._anchor) // self._period) + 1


class _WallClockTicks(Ticks):
    """Ticks at a wall time, stepping in calendar units; subclasses map index <-> date."""

    def __init__(self, wall_time: time, tz: ZoneInfo) -> None:
        super().__init__(tz)
        self._time = wall_time

    @abstractmethod
    def _date(self, index: int) -> date: ...

    @abstractmethod
    def _approximate_index(self, local: date) -> int: ...

    def tick(self, index: int) -> datetime:
        return resolve_wall_time(datetime.combine(self._date(index), self._time), self.tz)

    def count_at_or_before(self, timestamp: float) -> int:
        local = datetime.fromtimestamp(timestamp, self.tz).date()
        index = self._approximate_index(local)
        if index < -1:
            return 0
        # DST resolution moves a tick by at most an hour or two: a step either way at most.
        while index >= 0 and self.tick(index).timestamp() > timestamp:
            index -= 1
        while self.tick(index + 1).timestamp() <= timestamp:
            index += 1
        return max(index + 1, 0)


class DayTicks(_WallClockTicks):
    """Ticks every ``step`` days (1: daily, 7: weekly) at a wall time."""

    def __init__(
        self, start: datetime, wall_time: time, tz: ZoneInfo, step: int = 1, weekday: int = 0
    ) -> None:
        super().__init__(wall_time, tz)
        self._step = step
        first = start.astimezone(tz).date()
        if step == 7:  # cron counts weekdays from Sunday = 0, Python from Monday = 0
            first += timedelta(days=(weekday - (first.weekday() + 1)) % 7)
        self._first = first
        if self.tick(0).timestamp() < start.timestamp():
            self._first = first + timedelta(days=step)

    def _date(self, index: int) -> date:
        return self._first + timedelta(days=self._step * index)

    def _approximate_index(self, local: date) -> int:
        return (local - self._first).days // self._step


class MonthTicks(_WallClockTicks):
    """Ticks monthly on a day of month (1-28) at a wall time."""

    def __init__(self, start: datetime, day: int, wall_time: time, tz: ZoneInfo) -> None:
        super().__init__(wall_time, tz)
        self._day = day
        local = start.astimezone(tz)
        self._first_month = local.year * 12 + local.month - 1
        if self.tick(0).timestamp() < start.timestamp():
            self._first_month += 1

    def _date(self, index: int) -> date:
        month = self._first_month + index
        return date(month // 12, month % 12 + 1, self._day)

    def _approximate_index(self, local: date) -> int:
        return local.year * 12 + local.month - 1 - self._first_month


class CronTicks(Ticks):
    """Ticks of any cron schedule, enumerated with croniter and cached.

    croniter fires at every instant whose wall time matches, so a repeated wall time (clocks
    going back) would fire twice. As with the arithmetic schedules, the second occurrence is
    kept only when the schedule fires every hour (its hour field matches every hour).
    """

    def __init__(self, cron_schedule: str, start: datetime, tz: ZoneInfo) -> None:
        from croniter import croniter

        super().__init__(tz)
        self._start = start.timestamp()
        self._iterator = croniter(cron_schedule, start.astimezone(tz) - timedelta(seconds=1))
        self._timestamps: list[float] = []
        self._exhausted = False
        self._lock = threading.Lock()
        self._keep_repeats = croniter.expand(cron_schedule)[0][1] == ["*"]  # every hour

    def _extend_until(self, done: Callable[[list[float]], bool]) -> None:
        with self._lock:
            timestamps = self._timestamps
            while not self._exhausted and not done(timestamps):
                try:
                    value = self._iterator.get_next(float)
                except Exception:  # croniter gives up when no tick exists within ~50 years
                    self._exhausted = True
                    break
                if value < self._start:
                    continue
                if self._keep_repeats or not datetime.fromtimestamp(value, self.tz).fold:
                    timestamps.append(value)

    def tick(self, index: int) -> datetime:
        self._extend_until(lambda ts: len(ts) > index)
        if index >= len(self._timestamps):
            raise IndexError(f"the cron schedule has no tick number {index}")
        return datetime.fromtimestamp(self._timestamps[index], self.tz)

    def count_at_or_before(self, timestamp: float) -> int:
        self._extend_until(lambda ts: bool(ts) and ts[-1] > timestamp)
        return bisect.bisect_right(self._timestamps, timestamp)


def _steady_phase(start: datetime, tz: ZoneInfo, period: int) -> bool:
    """Whether DST changes of ``tz`` around ``start`` shift clocks by multiples of ``period``."""
    year = start.astimezone(tz).year
    offsets = {datetime(year, month, 1, tzinfo=tz).utcoffset() or timedelta() for month in (1, 7)}
    return len({offset.total_seconds() % period for offset in offsets}) == 1


def make_ticks(cron_schedule: str, start: datetime, tz: ZoneInfo) -> Ticks:
    """The ticks of ``cron_schedule`` from ``start`` (aware) in ``tz``."""
    schedule = parse_standard_schedule(cron_schedule)
    if schedule is None:
        return CronTicks(cron_schedule, start, tz)
    if schedule.kind in (HOURLY, MINUTELY):
        period = schedule.every * 60
        if _steady_phase(start, tz, period):
            return HourlyTicks(start, schedule.minute, tz, period)
        return CronTicks(cron_schedule, start, tz)  # e.g. hourly on Lord Howe Island (DST +30')
    wall_time = time(schedule.hour, schedule.minute)
    if schedule.kind == DAILY:
        return DayTicks(start, wall_time, tz)
    if schedule.kind == WEEKLY:
        return DayTicks(start, wall_time, tz, step=7, weekday=schedule.day)
    return MonthTicks(start, schedule.day, wall_time, tz)


# -- keys ---------------------------------------------------------------------------------------
_TWO_DIGITS = [f"{number:02d}" for number in range(60)]


def _format_day(moment: datetime) -> str:
    digits = _TWO_DIGITS
    return f"{moment.year:04d}-{digits[moment.month]}-{digits[moment.day]}"


def _format_minute(moment: datetime) -> str:
    digits = _TWO_DIGITS
    return (
        f"{moment.year:04d}-{digits[moment.month]}-{digits[moment.day]}-"
        f"{digits[moment.hour]}:{digits[moment.minute]}"
    )


def _parse_day(key: str) -> datetime:
    if len(key) != 10 or key[4] != "-" or key[7] != "-":
        raise ValueError(key)
    return datetime(int(key[:4]), int(key[5:7]), int(key[8:]))


def _parse_minute(key: str) -> datetime:
    if len(key) != 16 or key[10] != "-" or key[13] != ":":
        raise ValueError(key)
    day = _parse_day(key[:10])
    return day.replace(hour=int(key[11:13]), minute=int(key[14:]))


# The default formats, without strftime/strptime (keys of 100,000 partitions add up).
_FAST_FORMATTERS: dict[str, Callable[[datetime], str]] = {
    "%Y-%m-%d": _format_day,
    "%Y-%m-%d-%H:%M": _format_minute,
}
_FAST_PARSERS: dict[str, Callable[[str], datetime]] = {
    "%Y-%m-%d": _parse_day,
    "%Y-%m-%d-%H:%M": _parse_minute,
}


class KeyFormat:
    """Formats ticks as partition keys and parses keys back to instants."""

    def __init__(self, fmt: str, tz: ZoneInfo) -> None:
        self.fmt = fmt
        self.tz = tz
        self._disambiguate = "%z" not in fmt
        self._format = _FAST_FORMATTERS.get(fmt) or (lambda moment: moment.strftime(fmt))
        self._parse = _FAST_PARSERS.get(fmt) or (lambda key: datetime.strptime(key, fmt))

    def format(self, moment: datetime) -> str:
        """The key of the window starting at ``moment`` (aware, in the time zone)."""
        key = self._format(moment)
        if moment.fold and self._disambiguate:  # the second occurrence of a wall time
            key += moment.strftime("%z")
        return key

    def format_many(self, moments: list[datetime]) -> list[str]:
        """The keys of the windows starting at ``moments`` (faster than one by one)."""
        fast = self._format
        keys = [fast(moment) for moment in moments]
        if self._disambiguate:
            for index, moment in enumerate(moments):
                if moment.fold:
                    keys[index] += moment.strftime("%z")
        return keys

    def parse(self, key: str) -> float | None:
        """The instant ``key`` names (a timestamp), or ``None`` if it does not parse."""
        try:
            parsed = self._parse(key)
        except ValueError:
            if not self._disambiguate:
                return None
            try:
                parsed = datetime.strptime(key, self.fmt + "%z")
            except ValueError:
                return None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=self.tz).timestamp()
        return parsed.timestamp()
