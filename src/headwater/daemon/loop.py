"""One loop of the daemon: a class whose :meth:`DaemonLoop.run_once` does one tick's work.

The controller (:mod:`headwater.daemon.controller`) calls ``run_once`` every
``interval_seconds`` in a thread of its own, heartbeats for it, records its errors and logs
them; the loop itself only does the work. Tests call ``run_once`` directly.

A loop that consumes something in order (the run retry loop reads failure events) keeps its
position in :attr:`DaemonLoop.cursor`; the controller stores it with the loop's heartbeat and
hands it back through :meth:`DaemonLoop.resume` when a daemon (this one or the next) starts the
loop again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class DaemonLoop(ABC):
    """A unit of background work that runs by itself, tick after tick.

    Subclasses set :attr:`name` and implement :meth:`run_once`. An exception raised by
    ``run_once`` is logged and stored as the loop's last error; the next tick runs as usual and
    the other loops are not affected.

    Example:
        >>> class Counter(DaemonLoop):
        ...     name = "counter"
        ...     interval_seconds = 1.0
        ...     ticks = 0
        ...     def run_once(self) -> None:
        ...         self.ticks += 1
        >>> loop = Counter()
        >>> loop.run_once(); loop.ticks
        1
    """

    #: The loop's name: its heartbeat row and what ``headwater daemon status`` shows.
    name: str = ""
    #: Seconds between the start of one tick and the start of the next.
    interval_seconds: float = 1.0

    @abstractmethod
    def run_once(self) -> None:
        """Do one tick's work (raise to report an error; the loop goes on)."""

    @property
    def cursor(self) -> str | None:
        """Where the loop is in what it consumes, stored with each heartbeat (``None``: the
        loop keeps no position)."""
        return None

    def resume(self, cursor: str | None) -> None:  # noqa: B027 (optional hook)
        """Called once before the first tick with the cursor stored by the last daemon that
        ran this loop (``None`` the first time ever)."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Called once when the daemon stops (after the last tick)."""
