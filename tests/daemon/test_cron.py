"""The cron ticks the scheduler evaluates: in the schedule zone, the latest after downtime."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from headwater.daemon.cron import cron_ticks, next_cron_tick


def _at(*args: int, zone: str = "UTC") -> float:
    tz = UTC if zone == "UTC" else ZoneInfo(zone)
    return datetime(*args, tzinfo=tz).timestamp()


def test_ticks_between_two_times_in_the_schedules_zone() -> None:
    ticks, dropped = cron_ticks("0 3 * * *", "Europe/Paris", _at(2026, 3, 27), _at(2026, 3, 31))
    assert dropped == 0
    assert ticks == [_at(2026, 3, d, 3, zone="Europe/Paris") for d in (27, 28, 29, 30)]
    # 29 March: clocks go forward at 2:00 in Paris; 3:00 local is then 1:00 UTC
    assert datetime.fromtimestamp(ticks[2], UTC).hour == 1


def test_only_the_latest_ticks_are_kept_however_long_the_downtime() -> None:
    after, until = _at(2025, 12, 6), _at(2026, 12, 6, 10, 30, 20)
    ticks, dropped = cron_ticks("* * * * *", None, after, until, latest=2)
    assert ticks == [_at(2026, 12, 6, 10, 29), _at(2026, 12, 6, 10, 30)]
    assert dropped >= 10_000 - 2  # counted up to the enumeration limit
    assert cron_ticks("* * * * *", None, after, until, latest=0)[0] == []


def test_several_cron_strings_tick_at_their_union() -> None:
    ticks, _ = cron_ticks(["0 * * * *", "30 * * * *"], None, 0.0, 7200.0)
    assert ticks == [1800.0, 3600.0, 5400.0, 7200.0]
    assert next_cron_tick(["0 * * * *", "45 * * * *"], None, 3600.0) == 3600.0 + 45 * 60
