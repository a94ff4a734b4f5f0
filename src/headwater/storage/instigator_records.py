"""Instigators (schedules and sensors) as storage records: their state and their ticks.

An *instigator* is a schedule or a sensor of a code location, identified by
:class:`InstigatorId` (kind, location name, name). Storage keeps, per instigator:

- one :class:`InstigatorState`: whether someone started or stopped it (``status``; ``None``
  until then, when its definition's ``default_status`` applies), a sensor's cursor, and the
  time of its last tick;
- its tick history, one :class:`InstigatorTick` per evaluation (``STARTED`` while it runs,
  then ``SUCCESS``, ``SKIPPED`` or ``FAILURE``) with the runs it launched, its skip reason or
  error (with the user's traceback) and the cursor before and after;
- the run keys it launched runs for: a run key is claimed once, with one run id, so a
  request with a run key already claimed never launches a second run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

__all__ = [
    "KEEP",
    "InstigatorId",
    "InstigatorState",
    "InstigatorStatus",
    "InstigatorTick",
    "InstigatorType",
    "Keep",
    "TickStatus",
]


class InstigatorType(StrEnum):
    """What kind of instigator: a schedule or a sensor."""

    SCHEDULE = "SCHEDULE"
    SENSOR = "SENSOR"


class InstigatorStatus(StrEnum):
    """Whether the daemon evaluates an instigator."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class TickStatus(StrEnum):
    """Where one tick is: ``STARTED`` while evaluated, then how it ended."""

    STARTED = "STARTED"
    SUCCESS = "SUCCESS"
    SKIPPED = "SKIPPED"
    FAILURE = "FAILURE"


class Keep(Enum):
    """The type of :data:`KEEP`."""

    KEEP = "KEEP"


#: Passed for a field of :meth:`~headwater.storage.base.InstigatorStorage.update_instigator_state`
#: that must keep its stored value.
KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class InstigatorId:
    """Which schedule or sensor: its kind, its code location and its name.

    Example:
        >>> InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="shop",
        ...              name="new_files").describe()
        "sensor 'new_files' of location 'shop'"
    """

    instigator_type: InstigatorType
    location_name: str
    name: str

    def describe(self) -> str:
        """``sensor 'new_files' of location 'shop'``, for messages."""
        return f"{self.instigator_type.lower()} {self.name!r} of location {self.location_name!r}"


@dataclass(frozen=True, slots=True, kw_only=True)
class InstigatorState:
    """What storage knows of one instigator.

    Attributes:
        instigator: which one.
        status: ``RUNNING`` or ``STOPPED`` as someone set it; ``None`` when never set (its
            definition's ``default_status`` applies, see :meth:`effective_status`).
        cursor: a sensor's cursor (``None``: none yet).
        last_tick_timestamp: a schedule's last cron tick handled, a sensor's last evaluation
            start, in epoch seconds (``None``: never ticked).
        update_timestamp: when the row was last written.
    """

    instigator: InstigatorId
    status: InstigatorStatus | None = None
    cursor: str | None = None
    last_tick_timestamp: float | None = None
    update_timestamp: float = 0.0

    def effective_status(self, default_status: str) -> InstigatorStatus:
        """The status, or ``default_status`` (``"RUNNING"``/``"STOPPED"``) when never set."""
        return self.status if self.status is not None else InstigatorStatus(default_status)


@dataclass(frozen=True, slots=True, kw_only=True)
class InstigatorTick:
    """One evaluation of a schedule or sensor.

    Attributes:
        instigator: whose tick.
        timestamp: a schedule's cron tick time, a sensor's evaluation start (epoch seconds).
        status: see :class:`TickStatus`.
        tick_id: the storage id (``None`` until stored; increases with every tick).
        end_timestamp: when it ended (``None`` while ``STARTED``).
        run_ids: the runs it launched (or found already launched for its run keys).
        run_keys: the run keys of its requests.
        skip_reason: why it requested nothing (``SKIPPED``).
        error: what went wrong, the user's traceback included (``FAILURE``).
        cursor_before / cursor_after: a sensor's cursor when the tick began and after it.
        extra: other facts worth showing, as JSON-able data (e.g. the dynamic partitions
            added, the runs a run status sensor handled).
    """

    instigator: InstigatorId
    timestamp: float
    status: TickStatus = TickStatus.STARTED
    tick_id: int | None = None
    end_timestamp: float | None = None
    run_ids: tuple[str, ...] = ()
    run_keys: tuple[str, ...] = ()
    skip_reason: str | None = None
    error: str | None = None
    cursor_before: str | None = None
    cursor_after: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def body_json(self) -> str:
        """The fields without a column of their own, as the JSON of the ``body`` column."""
        return json.dumps(
            {
                "run_ids": list(self.run_ids), "run_keys": list(self.run_keys),
                "skip_reason": self.skip_reason, "error": self.error,
                "cursor_before": self.cursor_before, "cursor_after": self.cursor_after,
                "extra": self.extra,
            },
            separators=(",", ":"), sort_keys=True, default=str,
        )  # fmt: skip

    @staticmethod
    def body_fields(text: str | None) -> dict[str, Any]:
        """The constructor arguments stored in a ``body`` column (see :meth:`body_json`)."""
        data = json.loads(text) if text else {}
        return {
            "run_ids": tuple(data.get("run_ids") or ()),
            "run_keys": tuple(data.get("run_keys") or ()),
            "skip_reason": data.get("skip_reason"),
            "error": data.get("error"),
            "cursor_before": data.get("cursor_before"),
            "cursor_after": data.get("cursor_after"),
            "extra": dict(data.get("extra") or {}),
        }
