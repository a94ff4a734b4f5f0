"""The ``retention`` loop: applies ``retention:`` of ``headwater.yaml`` on a schedule.

Each tick is :meth:`~headwater.storage.base.Storage.vacuum` with a time limit, so that a tick
never outlasts the daemon's heartbeat tolerance; a tick that ran out of time is followed soon
by the next one, which continues, and once everything due is deleted the loop waits an hour.
The loop runs only when retention is configured.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from headwater.daemon.loop import DaemonLoop

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.storage.maintenance import VacuumReport

logger = logging.getLogger(__name__)

#: Seconds between ticks once nothing due is left.
IDLE_INTERVAL_SECONDS = 3600.0
#: Seconds between ticks while there is more to delete.
BUSY_INTERVAL_SECONDS = 5.0
#: The most one tick deletes for, in seconds.
TICK_TIME_LIMIT_SECONDS = 20.0


class RetentionLoop(DaemonLoop):
    """Delete old runs and log events as ``retention:`` asks (what is always kept:
    :mod:`headwater.storage.maintenance`).

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     loop = RetentionLoop(instance)
        ...     loop.run_once()
        ...     loop.last_report.runs_deleted
        0
    """

    name = "retention"
    interval_seconds = IDLE_INTERVAL_SECONDS

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.policy = instance.config.retention
        self.last_report: VacuumReport | None = None

    def run_once(self) -> None:
        """Delete what is due, for at most :data:`TICK_TIME_LIMIT_SECONDS`."""
        report = self.instance.storage.vacuum(self.policy, time_limit=TICK_TIME_LIMIT_SECONDS)
        self.last_report = report
        self.interval_seconds = IDLE_INTERVAL_SECONDS if report.complete else BUSY_INTERVAL_SECONDS
        if report.runs_deleted or report.events_deleted:
            logger.info(
                "Retention deleted %d run(s) and %d event(s) in %d transaction(s) "
                "(longest %.0f ms)%s.",
                report.runs_deleted,
                report.events_deleted,
                report.batches,
                report.longest_batch_ms,
                "" if report.complete else "; more next tick",
            )
