"""What runs the project by itself: a daily schedule, an inbox sensor and the Dask jobs.

- ``daily_flights_schedule`` runs ``daily_flights`` (the ``flights_daily`` model) for the day
  that just ended, at 06:00 New York time; its run key is the day, so a day runs once. The
  data set is 2013: a tick in 2013 requests the day before it, a tick after 2013 requests the
  last day, 2013-12-31 (once, by its run key). STOPPED until started.
- ``flights_inbox`` watches the inbox (``$FLIGHTS_INBOX``, else ``$HEADWATER_HOME/inbox``) for
  delivery files named after a day of 2013, ``2013-07-04.csv``: each announces that day's
  flights, and the sensor requests that day's partition of ``flights_daily`` with the file
  name as the run key (one run per file, ever). Other files are left alone and named in the
  skip reason. STOPPED until started.
- ``refresh_analytics_dask`` and ``load_sources_dask``: ``refresh_analytics`` and the sources
  on a Dask ``LocalCluster`` of two worker processes (see the README: their DuckDB steps share
  the pool ``duckdb``, which needs a limit of 1).

The analytics' automation conditions and the report's freshness policy are declared on the
assets themselves (``flights.assets.transform``, ``flights.assets.report``).
"""

from __future__ import annotations

import os
from pathlib import Path

from flights.partitions import daily_partitions
from headwater import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    build_schedule_from_partitioned_job,
    dask_executor,
    define_asset_job,
    sensor,
)

SOURCES = "group:raw or weather_hourly"
"""The unpartitioned tables the partitioned ones are computed from."""

PARTITIONED = "flights_daily or delays_by_carrier_month"
"""The partitioned assets: backfill them with ``--partition-range``."""

ANALYTICS = f"group:analytics+ and not ({PARTITIONED})"
"""The whole-year marts and the report."""

daily_flights = define_asset_job(
    "daily_flights",
    selection="flights_daily",
    partitions_def=daily_partitions,
    description="flights_daily for one day (the schedule's and the inbox sensor's runs).",
)

daily_flights_schedule = build_schedule_from_partitioned_job(
    daily_flights,
    hour_of_day=6,
    name="daily_flights_schedule",
    description="At 06:00 New York time, flights_daily for the day that ended.",
)

refresh_analytics = define_asset_job(
    "refresh_analytics",
    selection=ANALYTICS,
    description="Recompute the whole-year analytics tables and the report from the stored "
    "partitions of flights_daily and delays_by_carrier_month.",
)

ON_DASK = dask_executor.configured({"cluster": {"local": {"n_workers": 2, "processes": True}}})
"""A LocalCluster of two worker processes, started for the run and closed when it ends."""

refresh_analytics_dask = define_asset_job(
    "refresh_analytics_dask",
    selection=ANALYTICS,
    executor_def=ON_DASK,
    description="refresh_analytics on a Dask LocalCluster (2 worker processes).",
)

load_sources_dask = define_asset_job(
    "load_sources_dask",
    selection=SOURCES,
    executor_def=ON_DASK,
    description="The raw tables and weather_hourly on a Dask LocalCluster (2 worker processes); "
    "their steps take turns on the DuckDB file through the pool 'duckdb'.",
)


def inbox_directory() -> Path:
    """The directory ``flights_inbox`` watches: ``$FLIGHTS_INBOX``, else
    ``$HEADWATER_HOME/inbox`` (``HEADWATER_HOME`` defaulting to ``.headwater``)."""
    configured = os.environ.get("FLIGHTS_INBOX")
    if configured:
        return Path(configured)
    return Path(os.environ.get("HEADWATER_HOME") or ".headwater") / "inbox"


@sensor(
    job=daily_flights,
    minimum_interval_seconds=5,
    default_status=DefaultSensorStatus.STOPPED,
    description="A file YYYY-MM-DD.csv in the inbox requests that day of flights_daily.",
)
def flights_inbox(context: SensorEvaluationContext) -> RunRequest | SkipReason | list[RunRequest]:
    """One run of ``daily_flights`` per delivery file ``<day of 2013>.csv`` in the inbox.

    The run key is the file name: the daemon launches one run per file name, ever, so a file
    left in the inbox is not run again on later ticks. The file's content is not read: the day
    is recomputed from the stored ``raw_flights`` and ``weather_hourly`` tables.
    """
    inbox = inbox_directory()
    files = sorted(inbox.glob("*.csv")) if inbox.is_dir() else []
    days = set(daily_partitions.get_partition_keys())
    requests = [
        RunRequest(
            run_key=path.name, partition_key=path.stem, tags={"flights/inbox_file": path.name}
        )
        for path in files
        if path.stem in days
    ]
    if requests:
        return requests
    ignored = [path.name for path in files if path.stem not in days]
    if ignored:
        names = ", ".join(ignored)
        return SkipReason(f"No file named after a day of 2013 in {inbox}; ignored: {names}")
    return SkipReason(f"No new file in {inbox}.")
