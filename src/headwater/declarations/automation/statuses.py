"""Whether a schedule or sensor starts running when its code location first loads."""

from __future__ import annotations

from enum import Enum


class DefaultScheduleStatus(Enum):
    """The status a schedule has until someone starts or stops it.

    ``STOPPED`` (the default) means the daemon evaluates it only after ``headwater schedule
    start NAME``; ``RUNNING`` means it ticks as soon as the code location is loaded.

    Example:
        >>> DefaultScheduleStatus("RUNNING") is DefaultScheduleStatus.RUNNING
        True
    """

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class DefaultSensorStatus(Enum):
    """The status a sensor has until someone starts or stops it (as :class:`DefaultScheduleStatus`).

    Example:
        >>> DefaultSensorStatus.STOPPED.value
        'STOPPED'
    """

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"
