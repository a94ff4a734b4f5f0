"""Is a daemon running on an instance, and are its loops healthy? (``headwater daemon status``.)

Read from the daemon heartbeat rows only, so any process can ask: the CLI, the webserver, a
``launch`` command that wants to warn when no daemon will dequeue its run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from headwater.storage.daemon_records import CONTROLLER_LOOP, DaemonHeartbeat

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopStatus:
    """One loop as the heartbeats show it.

    Attributes:
        name: the loop.
        heartbeat: its last heartbeat, or ``None`` if the running daemon never wrote one.
        healthy: it belongs to the running daemon and its heartbeat is younger than the
            tolerance (a loop stuck in a tick stops heartbeating and turns unhealthy).
    """

    name: str
    heartbeat: DaemonHeartbeat | None
    healthy: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonStatus:
    """The daemon of an instance.

    Attributes:
        daemon: the running daemon's ``controller`` heartbeat, or ``None`` when none is fresh.
        last_daemon: the last daemon's heartbeat even when it is stale or gone (``None`` if no
            daemon ever ran or the last one stopped cleanly).
        loops: every loop the running daemon runs and every loop that ever heartbeat, by name.
        tolerance_seconds: how old a heartbeat may be and still count as alive.
        now: when the status was read.
    """

    daemon: DaemonHeartbeat | None
    last_daemon: DaemonHeartbeat | None
    loops: tuple[LoopStatus, ...]
    tolerance_seconds: float
    now: float

    @property
    def healthy(self) -> bool:
        """A daemon is running and every one of its loops is healthy."""
        return self.daemon is not None and all(
            loop.healthy for loop in self.loops if self._expected(loop.name)
        )

    def _expected(self, name: str) -> bool:
        return self.daemon is not None and name in self.daemon.info.get("loops", ())


def get_daemon_status(instance: Instance, now: float | None = None) -> DaemonStatus:
    """The daemon of ``instance`` and its loops, from their heartbeats.

    Args:
        instance: the instance.
        now: the time to judge heartbeats at (epoch seconds; default: now).

    Returns:
        The status.

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     get_daemon_status(instance).daemon is None
        True
    """
    now = time.time() if now is None else now
    tolerance = instance.config.daemon.heartbeat_tolerance_seconds
    beats = {b.loop_name: b for b in instance.get_daemon_heartbeats()}
    last = beats.pop(CONTROLLER_LOOP, None)
    running = last if last is not None and last.age(now) < tolerance else None
    names = set(beats)
    if running is not None:
        names.update(str(n) for n in running.info.get("loops", ()))
    loops = []
    for name in sorted(names):
        beat = beats.get(name)
        healthy = (
            running is not None
            and beat is not None
            and beat.daemon_id == running.daemon_id
            and beat.age(now) < tolerance
        )
        loops.append(LoopStatus(name=name, heartbeat=beat, healthy=healthy))
    return DaemonStatus(
        daemon=running, last_daemon=last, loops=tuple(loops), tolerance_seconds=tolerance, now=now
    )


def is_daemon_running(instance: Instance) -> bool:
    """Whether a daemon heartbeat of ``instance`` is fresh (so QUEUED runs will be dequeued).

    Example:
        >>> from headwater.instance.instance import Instance
        >>> with Instance.ephemeral() as instance:
        ...     is_daemon_running(instance)
        False
    """
    return get_daemon_status(instance).daemon is not None
