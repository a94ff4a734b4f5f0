"""The partitions of the flights project: days and months of 2013, in New York time.

A flight belongs to the day of its scheduled local departure.
"""

from __future__ import annotations

from headwater import DailyPartitionsDefinition, MonthlyPartitionsDefinition

TIMEZONE = "America/New_York"

daily_partitions = DailyPartitionsDefinition(
    start_date="2013-01-01", end_date="2014-01-01", timezone=TIMEZONE
)
"""One partition per day of 2013, keyed ``YYYY-MM-DD`` (the scheduled local departure date)."""

monthly_partitions = MonthlyPartitionsDefinition(
    start_date="2013-01-01", end_date="2014-01-01", timezone=TIMEZONE
)
"""One partition per month of 2013, keyed by its first day (``2013-07-01``)."""

DAY_EXPR = "CAST(make_date(year, month, day) AS VARCHAR)"
"""SQL equal to the partition key of a row of ``flights_daily`` (its scheduled date)."""
