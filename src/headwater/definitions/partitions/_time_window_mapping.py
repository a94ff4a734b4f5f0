"""TimeWindowPartitionMapping: partitions depend on the partitions whose time windows overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from headwater.definitions.partitions._mapping_base import (
    PartitionMapping,
    UpstreamPartitionsResult,
    incompatible,
    unique,
)
from headwater.definitions.partitions._schedule import KeyFormat, Ticks, make_ticks
from headwater.definitions.partitions.base import DynamicPartitionsStore, PartitionsDefinition
from headwater.definitions.partitions.time_window import TimeWindowPartitionsDefinition
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

    def index_of(self, key: str) -> int:
        """The index of ``key``'s window (the definition validates the key)."""
        window = self.partitions_def.time_window_for_partition_key(key)
        return self.index_at_or_before(window.start.timestamp())

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
        >>> from headwater.definitions.partitions.time_window import DailyPartitionsDefinition
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
        indexes: dict[int, None] = {}
        for key in unique(downstream_partition_keys or ()):
            index = downstream.index_of(key)
            start = downstream.tick(index + self.start_offset)
            end = downstream.tick(index + 1 + self.end_offset)
            indexes.update(dict.fromkeys(upstream.overlapping(start, end)))
        return self._split(upstream, sorted(indexes), current_time)

    def _split(
        self, upstream: _Axis, indexes: list[int], current_time: datetime | None
    ) -> UpstreamPartitionsResult:
        present: list[str] = []
        missing: list[str] = []
        exists = upstream.partitions_def.has_partition_key
        for index in indexes:
            key = upstream.key(index)
            (present if exists(key, current_time) else missing).append(key)
        if self.allow_nonexistent_upstream_partitions:
            missing = []
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
        indexes: dict[int, None] = {}
        for key in unique(upstream_partition_keys or ()):
            index = upstream.index_of(key)
            windows = downstream.overlapping(upstream.tick(index), upstream.tick(index + 1))
            # Window j, offset, overlaps the upstream window iff
            # windows.start - end_offset <= j < windows.stop - start_offset.
            shifted = range(windows.start - self.end_offset, windows.stop - self.start_offset)
            indexes.update(dict.fromkeys(shifted))
        exists = downstream.partitions_def.has_partition_key
        keys = (downstream.key(index) for index in sorted(indexes))
        return [key for key in keys if exists(key, current_time)]
