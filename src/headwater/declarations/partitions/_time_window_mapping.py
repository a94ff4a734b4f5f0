"""TimeWindowPartitionMapping: partitions depend on the partitions whose time windows overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from headwater.declarations.partitions._mapping_base import (
    PartitionMapping,
    UpstreamPartitionsResult,
    incompatible,
)
from headwater.declarations.partitions._schedule import KeyFormat, Ticks, make_ticks
from headwater.declarations.partitions.base import (
    DynamicPartitionsStore,
    PartitionError,
    PartitionsDefinition,
)
from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition
from headwater.errors import DefinitionError


class _Axis:
    """The windows of a time-window definition, numbered from its first window (index 0) and
    extended before its start (negative indexes) and past its end.

    Mappings need windows outside a definition's range: an offset moves a window before the
    start, and a missing upstream partition before the upstream's start is reported by key.
    The ticks are the definition's (same schedule, start, time zone and format); when a
    negative index is needed their origin moves back, keeping every index stable. O(1) per
    window for the standard schedules.
    """

    def __init__(self, partitions_def: TimeWindowPartitionsDefinition) -> None:
        self.partitions_def = partitions_def
        self._tz = ZoneInfo(partitions_def.timezone)
        self._format = KeyFormat(partitions_def.fmt, self._tz)
        self._origin = partitions_def.start
        self._back = timedelta(days=64)
        self._ticks: Ticks = make_ticks(partitions_def.cron_schedule, self._origin, self._tz)
        self._zero = 0  # the position of window 0 among ``_ticks``

    def _move_origin_back(self) -> None:
        window_zero = self._ticks.tick(self._zero).timestamp()
        self._origin -= self._back
        self._back *= 2
        self._ticks = make_ticks(self.partitions_def.cron_schedule, self._origin, self._tz)
        self._zero = self._ticks.count_at_or_before(window_zero) - 1
        if self._zero < 0 or self._ticks.tick(self._zero).timestamp() != window_zero:
            # e.g. hourly ticks before a time zone's switch from local mean time (1800s)
            raise PartitionError(
                f"Cannot compute partitions of {self.describe()} as far back as "
                f"{self._origin.isoformat()}: the time zone's offsets before then do not align."
            )

    def _position(self, index: int) -> int:
        while index + self._zero < 0:
            self._move_origin_back()
        return index + self._zero

    def tick(self, index: int) -> float:
        """The start of window ``index`` (a POSIX timestamp)."""
        position = self._position(index)  # may replace ``_ticks``: compute it first
        return self._ticks.tick(position).timestamp()

    def key(self, index: int) -> str:
        """The key of window ``index``."""
        position = self._position(index)
        return self._format.format(self._ticks.tick(position))

    def index_at_or_before(self, timestamp: float) -> int:
        """The index of the window containing ``timestamp``."""
        while (position := self._ticks.count_at_or_before(timestamp) - 1) < 0:
            self._move_origin_back()
        return position - self._zero

    def indexes_of(self, keys: Sequence[str]) -> list[int]:
        """The sorted, distinct indexes of ``keys``, validated against the definition.

        Keys are visited in string order (time order for the usual formats): a key that
        follows the previous one is recognised by formatting the next window (one tick); any
        other key is parsed and located.

        Raises:
            PartitionError: (the definition's message) a key is not one of its partitions.
        """
        found: set[int] = set()
        previous: int | None = None
        ordered = sorted(set(keys)) if all(isinstance(k, str) for k in keys) else keys
        for key in ordered:
            if previous is None or self.key(previous + 1) != key:
                previous = self._locate(key)
            else:
                previous += 1
            found.add(previous)
        indexes = sorted(found)
        for index in indexes[:1] + indexes[-1:]:  # the bounds; the definition raises if outside
            self.partitions_def.time_window_for_partition_key(self.key(index))
        return indexes

    def _locate(self, key: str) -> int:
        instant = self._format.parse(key) if isinstance(key, str) else None
        index = None if instant is None else self.index_at_or_before(instant)
        if index is None or self.key(index) != key:
            self.partitions_def.time_window_for_partition_key(key)  # raises, naming the key
            raise PartitionError(f"Partition key {key!r} is not one of the {self.describe()}.")
        return index

    def describe(self) -> str:
        """The definition's description."""
        return self.partitions_def.describe()

    def count(self, current_time: datetime | None) -> int:
        """How many partitions exist at ``current_time``: indexes ``0`` to ``count - 1``."""
        return self.partitions_def.get_num_partitions(current_time)

    def overlapping(self, start: float, end: float) -> range:
        """The indexes of the windows overlapping ``[start, end)``."""
        if end <= start:
            return range(0)
        first = self.index_at_or_before(start)
        return range(first, self.index_at_or_before(math.nextafter(end, -math.inf)) + 1)


@dataclass(frozen=True, slots=True)
class TimeWindowPartitionMapping(PartitionMapping):
    """Each downstream partition depends on the upstream partitions whose time windows overlap it.

    The default between two time-window definitions of any granularities: daily downstream
    of hourly upstream depends on the 24 hours of its day (23 or 25 on DST days), monthly of
    daily on the days of its month, daily of monthly on the month containing the day. Keys
    are matched by time, so the definitions may differ in format and time zone.

    Offsets are counted in downstream partitions: ``start_offset`` moves the start of the
    downstream window, ``end_offset`` its end. ``start_offset=-1, end_offset=-1`` maps each
    day to the previous day (or each month to the previous month's days);
    ``start_offset=-1, end_offset=0`` to the previous day and the day itself.

    Args:
        start_offset: partitions to move the start of each downstream window by.
        end_offset: partitions to move the end of each downstream window by; at least
            ``start_offset``.
        allow_nonexistent_upstream_partitions: drop upstream partitions that do not exist
            (before the upstream's start, past its end, not ended yet) instead of reporting
            them in ``required_but_nonexistent_partition_keys``, which blocks a run.

    Raises:
        DefinitionError: if an offset is not an int or ``end_offset < start_offset``.

    Example:
        >>> from headwater import DailyPartitionsDefinition
        >>> days = DailyPartitionsDefinition(start_date="2024-01-01")
        >>> mapping = TimeWindowPartitionMapping(start_offset=-1)
        >>> mapping.get_upstream_partitions_for_partitions(["2024-01-05"], days, days)
        UpstreamPartitionsResult(partition_keys=['2024-01-04', '2024-01-05'], \
required_but_nonexistent_partition_keys=[])
    """

    start_offset: int = 0
    end_offset: int = 0
    allow_nonexistent_upstream_partitions: bool = False

    def __post_init__(self) -> None:
        for name in ("start_offset", "end_offset"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise DefinitionError(
                    f"TimeWindowPartitionMapping: {name} must be an int, got {value!r}."
                )
        if self.end_offset < self.start_offset:
            raise DefinitionError(
                f"TimeWindowPartitionMapping: end_offset ({self.end_offset}) is less than "
                f"start_offset ({self.start_offset}), which maps every partition to nothing; "
                "swap them."
            )

    def validate_partition_mapping(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> None:
        """Both definitions must be time-window definitions.

        Raises:
            PartitionMappingError: naming both definitions.
        """
        self._axes(upstream_partitions_def, downstream_partitions_def)

    def _axes(
        self,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
    ) -> tuple[_Axis, _Axis]:
        if not isinstance(upstream_partitions_def, TimeWindowPartitionsDefinition) or not (
            isinstance(downstream_partitions_def, TimeWindowPartitionsDefinition)
        ):
            raise incompatible(
                self,
                upstream_partitions_def,
                downstream_partitions_def,
                "both assets need time-window partitions (daily, hourly, ...); use "
                "AllPartitionMapping, StaticPartitionMapping or MultiToSingleDimension"
                "PartitionMapping instead",
            )
        return _Axis(upstream_partitions_def), _Axis(downstream_partitions_def)

    def get_upstream_partitions_for_partitions(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> UpstreamPartitionsResult:
        """The upstream partitions overlapping each (offset) downstream window.

        Raises:
            PartitionMappingError: either definition is not a time-window definition.
            PartitionError: a downstream key is not a key of the downstream definition.
        """
        upstream, downstream = self._axes(upstream_partitions_def, downstream_partitions_def)
        found: list[range] = []
        for first, last in _runs(downstream.indexes_of(downstream_partition_keys or ())):
            start = downstream.tick(first + self.start_offset)
            end = downstream.tick(last + 1 + self.end_offset)
            found.append(upstream.overlapping(start, end))
        exists = range(upstream.count(current_time))
        present: list[str] = []
        missing: list[str] = []
        for index in _union(found):
            if index in exists:
                present.append(upstream.key(index))
            elif not self.allow_nonexistent_upstream_partitions:
                missing.append(upstream.key(index))
        return UpstreamPartitionsResult(present, missing)

    def get_downstream_partitions_for_partitions(
        self,
        upstream_partition_keys: Sequence[str] | None,
        upstream_partitions_def: PartitionsDefinition | None,
        downstream_partitions_def: PartitionsDefinition | None,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The existing downstream partitions whose (offset) windows overlap each upstream one.

        The exact inverse of :meth:`get_upstream_partitions_for_partitions`.

        Raises:
            PartitionMappingError: either definition is not a time-window definition.
            PartitionError: an upstream key is not a key of the upstream definition.
        """
        upstream, downstream = self._axes(upstream_partitions_def, downstream_partitions_def)
        found: list[range] = []
        for first, last in _runs(upstream.indexes_of(upstream_partition_keys or ())):
            windows = downstream.overlapping(upstream.tick(first), upstream.tick(last + 1))
            # Downstream window j, offset, overlaps an upstream window of the run iff
            # windows.start - end_offset <= j < windows.stop - start_offset.
            found.append(range(windows.start - self.end_offset, windows.stop - self.start_offset))
        exists = range(downstream.count(current_time))
        return [downstream.key(index) for index in _union(found) if index in exists]


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Sorted distinct ``indexes`` as ``(first, last)`` runs of consecutive indexes."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _union(ranges: list[range]) -> list[int]:
    """The distinct indexes of ``ranges`` (each ascending, starts ascending), in order."""
    indexes: list[int] = []
    for found in ranges:
        start = max(found.start, indexes[-1] + 1) if indexes else found.start
        indexes.extend(range(start, found.stop))
    return indexes
