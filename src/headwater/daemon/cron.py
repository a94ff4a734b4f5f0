"""The ticks of a schedule's cron string(s) in its execution time zone, as POSIX timestamps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["cron_ticks", "next_cron_tick"]

#: At most this many ticks are enumerated in one call (a daemon down for a year on a minutely
#: schedule must not enumerate half a million ticks to catch up one).
MAX_TICKS = 10_000


def _strings(cron_schedule: str | Sequence[str]) -> list[str]:
    return [cron_schedule] if isinstance(cron_schedule, str) else list(cron_schedule)


def _iterator(cron: str, zone: ZoneInfo, after: float) -> object:
    from croniter import croniter

    return croniter(cron, datetime.fromtimestamp(after, zone), ret_type=float)


def next_cron_tick(cron_schedule: str | Sequence[str], timezone: str | None, after: float) -> float:
    """The first tick strictly after ``after`` (epoch seconds) of the cron string, or of
    any of several (their union).

    Example:
        >>> next_cron_tick("0 * * * *", "UTC", 0.0)
        3600.0
    """
    zone = ZoneInfo(timezone or "UTC")
    return min(float(_iterator(c, zone, after).get_next()) for c in _strings(cron_schedule))  # type: ignore[attr-defined]


def cron_ticks(
    cron_schedule: str | Sequence[str],
    timezone: str | None,
    after: float,
    until: float,
    *,
    latest: int | None = None,
) -> tuple[list[float], int]:
    """The ticks in ``(after, until]``, oldest first, and how many more were left out.

    Args:
        cron_schedule: a cron string, or several.
        timezone: the IANA zone the cron is read in (``None``: UTC).
        after / until: the bounds, epoch seconds.
        latest: keep only the latest this many (``None``: all, up to :data:`MAX_TICKS`).

    Returns:
        ``(ticks, dropped)``: the ticks kept and the number of earlier ones left out.

    Example:
        >>> cron_ticks("*/30 * * * *", None, 0.0, 7200.0, latest=1)
        ([7200.0], 3)
    """
    zone = ZoneInfo(timezone or "UTC")
    crons = _strings(cron_schedule)
    if latest is None:
        ticks = _forward(crons, zone, after, until)
        return ticks, 0
    keep = _latest(crons, zone, after, until, latest)
    # count the ticks passed over (at most MAX_TICKS of them are enumerated)
    first_kept = keep[0] if keep else until + 1.0
    dropped = len([t for t in _forward(crons, zone, after, until) if t < first_kept])
    return keep, dropped


def _forward(crons: list[str], zone: ZoneInfo, after: float, until: float) -> list[float]:
    """The ticks in ``(after, until]``, oldest first, at most :data:`MAX_TICKS` per cron."""
    found: set[float] = set()
    for cron in crons:
        iterator = _iterator(cron, zone, after)
        for _ in range(MAX_TICKS):
            tick = float(iterator.get_next())  # type: ignore[attr-defined]
            if tick > until:
                break
            found.add(tick)
    return sorted(found)


def _latest(
    crons: list[str], zone: ZoneInfo, after: float, until: float, count: int
) -> list[float]:
    """The latest ``count`` ticks in ``(after, until]``, oldest first, found backwards from
    ``until`` (however long ago ``after`` is)."""
    found: set[float] = set()
    for cron in crons:
        iterator = _iterator(cron, zone, until + 0.001)  # get_prev is strictly before
        for _ in range(count):
            tick = float(iterator.get_prev())  # type: ignore[attr-defined]
            if tick <= after:
                break
            found.add(tick)
    ticks = sorted(found)
    return ticks[len(ticks) - count :] if count else []
