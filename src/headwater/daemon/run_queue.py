"""The ``run_queue`` loop: dequeues QUEUED runs (:mod:`headwater.orchestration.run_queue`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from headwater.daemon.loop import DaemonLoop
from headwater.orchestration.run_queue import Launcher, RunQueue

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

logger = logging.getLogger("headwater.daemon.run_queue")


class RunQueueLoop(DaemonLoop):
    """Every ``run_queue.dequeue_interval_seconds``, launch the QUEUED runs that fit.

    Args:
        instance: the instance.
        daemon_id: recorded in the RUN_STARTING event of each run it claims.
        launch: starts a claimed run (the launcher's ``launch_run`` by default).

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
        self.interval_seconds = self.queue.config.dequeue_interval_seconds

    def run_once(self) -> None:
        """Dequeue once."""
        result = self.queue.dequeue()
        if result.launched or result.launch_failed:
            logger.debug(
                "Dequeued %d run(s), %d failed to launch, %d waiting.",
                len(result.launched),
                len(result.launch_failed),
                result.waiting,
            )
