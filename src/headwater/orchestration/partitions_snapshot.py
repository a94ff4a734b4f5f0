"""A partitions definition as data: what a code location's snapshot says about partitions.

The webserver and the daemon never import user code, so they learn how an asset is partitioned
from a :class:`PartitionsSnapshot`: its kind, its parameters and a human description. A
snapshot of a time-window, static, dynamic or multi-dimensional definition can be turned back
into an equal ``PartitionsDefinition`` (:meth:`PartitionsSnapshot.to_partitions_def`), so a
process without the user's code can still list partition keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from headwater.errors import InvalidInvocationError

__all__ = ["PartitionsSnapshot"]

TIME_WINDOW = "time_window"
STATIC = "static"
DYNAMIC = "dynamic"
MULTI = "multi"
OTHER = "other"


class PartitionsSnapshot(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """How an asset (or job) is partitioned, as JSON-serializable data (a msgspec Struct).

    Attributes:
        kind: ``"time_window"``, ``"static"``, ``"dynamic"``, ``"multi"``, or ``"other"`` for a
            user-defined ``PartitionsDefinition`` subclass (described, not rebuildable).
        class_name: the definition's class, e.g. ``"DailyPartitionsDefinition"``.
        description: one line, e.g. ``"daily partitions from 2024-01-01 onwards (UTC)"``.
        cron_schedule, fmt, start, end, timezone, end_offset: a time-window definition's
            parameters (``start``/``end`` as ISO 8601 strings with their UTC offset).
        keys: a static definition's keys, in order.
        name: a dynamic definition's name.
        dimensions: a multi-partitions definition's ``(name, snapshot)`` pairs, by name.

    Example:
        >>> from headwater import DailyPartitionsDefinition
        >>> daily = DailyPartitionsDefinition(start_date="2024-01-01")
        >>> snap = PartitionsSnapshot.from_partitions_def(daily)
        >>> snap.kind, snap.cron_schedule
        ('time_window', '0 0 * * *')
        >>> msgspec.json.decode(msgspec.json.encode(snap), type=PartitionsSnapshot) == snap
        True
        >>> snap.to_partitions_def() == daily
        True
    """

    kind: str
    class_name: str
    description: str
    cron_schedule: str | None = None
    fmt: str | None = None
    start: str | None = None
    end: str | None = None
    timezone: str | None = None
    end_offset: int = 0
    keys: tuple[str, ...] = ()
    name: str | None = None
    dimensions: tuple[tuple[str, PartitionsSnapshot], ...] = ()

    @staticmethod
    def from_partitions_def(partitions_def: Any) -> PartitionsSnapshot:
        """The snapshot of a ``PartitionsDefinition``."""
        from headwater.declarations.partitions.dynamic import DynamicPartitionsDefinition
        from headwater.declarations.partitions.multi import MultiPartitionsDefinition
        from headwater.declarations.partitions.static import StaticPartitionsDefinition
        from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition

        common = {"class_name": type(partitions_def).__name__,
                  "description": partitions_def.describe()}  # fmt: skip
        if isinstance(partitions_def, TimeWindowPartitionsDefinition):
            end = partitions_def.end
            return PartitionsSnapshot(
                kind=TIME_WINDOW, cron_schedule=partitions_def.cron_schedule,
                fmt=partitions_def.fmt, start=partitions_def.start.isoformat(),
                end=None if end is None else end.isoformat(), timezone=partitions_def.timezone,
                end_offset=partitions_def.end_offset, **common,
            )  # fmt: skip
        if isinstance(partitions_def, StaticPartitionsDefinition):
            keys = tuple(partitions_def.get_partition_keys())
            return PartitionsSnapshot(kind=STATIC, keys=keys, **common)
        if isinstance(partitions_def, DynamicPartitionsDefinition):
            return PartitionsSnapshot(kind=DYNAMIC, name=partitions_def.name, **common)
        if isinstance(partitions_def, MultiPartitionsDefinition):
            dims = tuple(
                (dim.name, PartitionsSnapshot.from_partitions_def(dim.partitions_def))
                for dim in partitions_def.partitions_defs
            )
            return PartitionsSnapshot(kind=MULTI, dimensions=dims, **common)
        return PartitionsSnapshot(kind=OTHER, **common)

    def to_partitions_def(self) -> Any:
        """An equal ``PartitionsDefinition``, built without the user's code.

        Raises:
            InvalidInvocationError: the kind is ``"other"`` (a user-defined class: ask the code
                server for its keys instead).
        """
        from headwater.declarations.partitions.dynamic import DynamicPartitionsDefinition
        from headwater.declarations.partitions.multi import MultiPartitionsDefinition
        from headwater.declarations.partitions.static import StaticPartitionsDefinition
        from headwater.declarations.partitions.time_window import TimeWindowPartitionsDefinition

        if self.kind == TIME_WINDOW and self.cron_schedule and self.fmt and self.start:
            return TimeWindowPartitionsDefinition(
                cron_schedule=self.cron_schedule, fmt=self.fmt,
                start=datetime.fromisoformat(self.start),
                end=None if self.end is None else datetime.fromisoformat(self.end),
                timezone=self.timezone, end_offset=self.end_offset,
            )  # fmt: skip
        if self.kind == STATIC:
            return StaticPartitionsDefinition(list(self.keys))
        if self.kind == DYNAMIC:
            return DynamicPartitionsDefinition(name=self.name or "")
        if self.kind == MULTI:
            return MultiPartitionsDefinition(
                {name: dim.to_partitions_def() for name, dim in self.dimensions}
            )
        raise InvalidInvocationError(
            f"{self.class_name} ({self.description}) is a user-defined partitions definition; "
            "only its code location can list its keys (POST /partitions on its code server)."
        )
