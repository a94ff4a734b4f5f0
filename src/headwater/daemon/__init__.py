"""The daemon: ``headwater daemon run`` runs the instance's background loops.

A face of headwater (like the CLI and the webserver): it talks to the instance and to
orchestration, never to user code. :class:`~headwater.daemon.controller.DaemonController`
claims the instance and runs each :class:`~headwater.daemon.loop.DaemonLoop` in a thread that
heartbeats; :func:`default_loops` are the loops ``headwater daemon run`` starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.daemon.locations import CodeLocations
    from headwater.daemon.loop import DaemonLoop
    from headwater.instance.instance import Instance

#: The loops of ``headwater daemon run``, in start order (the last ones only with code
#: locations).
DEFAULT_LOOP_NAMES = ("run_queue", "run_monitoring", "scheduler", "sensors", "automation",
                      "freshness", "backfills")


def default_loops(
    instance: Instance, daemon_id: str, workspace: CodeLocations | None = None
) -> list[DaemonLoop]:
    """The loops ``headwater daemon run`` starts for ``instance``: run queue, run monitoring,
    retention (when ``retention:`` is configured), and the loops that evaluate user code when
    the daemon serves code locations.

    Args:
        instance: the instance.
        daemon_id: the daemon's id (recorded in what its loops write).
        workspace: the daemon's code locations (a started ``WorkspaceManager``), ``None`` when
            it serves none: then only the loops that need no user code run.

    Returns:
        New loop objects.
    """
    from headwater.daemon.monitoring import RunMonitoringLoop
    from headwater.daemon.run_queue import RunQueueLoop

    loops: list[DaemonLoop] = [RunQueueLoop(instance, daemon_id), RunMonitoringLoop(instance)]
    if instance.config.retention.enabled:  # retention: in headwater.yaml
        from headwater.daemon.retention import RetentionLoop

        loops.append(RetentionLoop(instance))
    if workspace is not None:
        from headwater.daemon.scheduler import SchedulerLoop
        from headwater.daemon.sensors import SensorLoop

        loops += [SchedulerLoop(instance, workspace), SensorLoop(instance, workspace)]
        from headwater.daemon.automation import AutomationLoop
        from headwater.daemon.freshness import FreshnessLoop

        loops += [AutomationLoop(instance, workspace), FreshnessLoop(instance, workspace)]
        from headwater.daemon.backfills import BackfillLoop

        loops.append(BackfillLoop(instance, workspace))
    return loops
