"""The ``run_monitoring`` loop: fails runs whose worker died, retries failed runs.

One tick runs :meth:`~headwater.orchestration.monitoring.RunMonitor.check` (when
``run_monitoring.enabled``) and then
:meth:`~headwater.orchestration.run_retries.RunRetries.process`, whose position in the failure
events is the loop's cursor, so a restarted daemon neither skips nor repeats a retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.daemon.loop import DaemonLoop
from headwater.orchestration.monitoring import RunMonitor
from headwater.orchestration.run_retries import RunRetries

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


class RunMonitoringLoop(DaemonLoop):
    """Every ``run_monitoring.poll_interval_seconds`` (default: half the worker heartbeat
    interval), check the runs in progress and submit retries of failed runs.

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     loop = RunMonitoringLoop(instance)
        ...     loop.run_once()
        ...     loop.cursor
        '0'
    """

    name = "run_monitoring"

    def __init__(self, instance: Instance) -> None:
        config = instance.config
        self.enabled = config.run_monitoring.enabled
        self.monitor = RunMonitor(instance)
        self.retries = RunRetries(instance)
        self.interval_seconds = config.run_monitoring.poll_interval

    def resume(self, cursor: str | None) -> None:
        """Continue the retries after the failure event ``cursor`` (a storage id)."""
        self.retries.cursor = int(cursor) if cursor and cursor.isdigit() else None

    @property
    def cursor(self) -> str | None:
        """The storage id of the last failure event handled."""
        return None if self.retries.cursor is None else str(self.retries.cursor)

    def run_once(self) -> None:
        """Check runs in progress, then retry new failures."""
        if self.enabled:
            self.monitor.check()
        self.retries.process()
