"""The ``run_queue`` loop: dequeues QUEUED runs (:mod:`headwater.orchestration.run_queue`).

It dequeues every ``run_queue.dequeue_interval_seconds`` and, on storage that can tell when
the database changed (SQLite's ``data_version``), also within a few tens of milliseconds of any
change — a run queued, a run finished — so a run waits for a free slot, not for the next tick.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from headwater.daemon.loop import DaemonLoop
from headwater.orchestration.run_queue import Launcher, RunQueue

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

logger = logging.getLogger("headwater.daemon.run_queue")

#: Seconds between two looks at the database's change counter.
WAKE_SECONDS = 0.02
#: The least time between two dequeues triggered by changes (workers commit often).
MIN_GAP_SECONDS = 0.03


class RunQueueLoop(DaemonLoop):
    """Launch the QUEUED runs that fit, at every change of the database and at least every
    ``run_queue.dequeue_interval_seconds``.

    Args:
        instance: the instance.
        daemon_id: recorded in an ENGINE_EVENT of each run it launches.
        launch: claims and starts a run (the launcher's ``launch_run`` by default).

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     RunQueueLoop(instance).run_once()
    """

    name = "run_queue"

    def __init__(
        self, instance: Instance, daemon_id: str | None = None, *, launch: Launcher | None = None
    ) -> None:
        self.queue = RunQueue(instance, launch=launch, claimed_by=daemon_id)
        self.storage = instance.storage
        self.dequeue_interval = self.queue.config.dequeue_interval_seconds
        self.watches_changes = self.storage.data_version() is not None
        self.interval_seconds = (
            min(WAKE_SECONDS, self.dequeue_interval)
            if self.watches_changes
            else self.dequeue_interval
        )
        self._version: int | None = None
        self._last = -float("inf")

    def run_once(self) -> None:
        """Dequeue if the database changed or the dequeue interval passed."""
        now = time.monotonic()
        since = now - self._last
        version = self.storage.data_version() if self.watches_changes else None
        changed = version != self._version and since >= MIN_GAP_SECONDS
        if not (changed or since >= self.dequeue_interval):
            return
        self._version, self._last = version, now  # read first: a change meanwhile counts
        result = self.queue.dequeue()
        if result.launched or result.launch_failed:
            logger.debug(
                "Dequeued %d run(s), %d failed to launch, %d waiting.",
                len(result.launched),
                len(result.launch_failed),
                result.waiting,
            )
