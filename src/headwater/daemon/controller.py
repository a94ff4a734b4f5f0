"""The daemon controller: claims the instance, runs each loop in a thread, heartbeats.

One daemon runs per instance. At start the controller claims the ``controller`` heartbeat row
(:mod:`headwater.storage.daemon_records`) with a conditional write: it refuses to start while
another daemon's heartbeat is fresh, and takes over once that heartbeat is older than
``daemon.heartbeat_tolerance_seconds`` (at once when that daemon ran on this machine and its
process is gone). Every loop then runs in a thread of its own: ``run_once``, a heartbeat, a
wait. A loop that raises is logged, its error is stored in its heartbeat, and it ticks again;
the other loops go on. A daemon that finds its heartbeat taken over (it was paused longer than
the tolerance) stops its loops. :meth:`DaemonController.stop` (SIGTERM, Ctrl-C) ends every
loop after its current tick and releases the instance, so a new daemon may start at once.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.daemon.loop import DaemonLoop
from headwater.errors import DaemonError, HeadwaterError
from headwater.orchestration.process_state import process_exit, process_start_ticks, this_host
from headwater.storage.daemon_records import CONTROLLER_LOOP, DaemonHeartbeat

if TYPE_CHECKING:
    from headwater.instance.daemon_settings import DaemonConfig
    from headwater.instance.instance import Instance

logger = logging.getLogger("headwater.daemon")

#: The longest error text kept in a heartbeat.
MAX_ERROR_CHARS = 4000


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonIdentity:
    """Who a daemon is: a new id per process start, its pid and host."""

    daemon_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    pid: int = field(default_factory=os.getpid)
    hostname: str = field(default_factory=this_host)
    started: float = field(default_factory=time.time)

    @property
    def info(self) -> dict[str, Any]:
        """What the heartbeat rows record about the process (``process_start`` tells a reused
        pid apart)."""
        return {
            "pid": self.pid,
            "hostname": self.hostname,
            "started": self.started,
            "process_start": process_start_ticks(self.pid),
        }


def describe_daemon(beat: DaemonHeartbeat, now: float) -> str:
    """``daemon 3f2a9c (pid 12 on host h), last heartbeat 1.2 s ago``."""
    pid, host = beat.info.get("pid", "?"), beat.info.get("hostname", "?")
    return (
        f"daemon {beat.daemon_id} (pid {pid} on host {host}), "
        f"last heartbeat {beat.age(now):.1f} s ago"
    )


class DaemonController:
    """Runs daemon loops for one instance until stopped.

    Args:
        instance: the instance whose loops run (its ``daemon:`` settings give the heartbeat
            interval and tolerance).
        loops: the loops; names must be distinct.
        identity: who this daemon is (a new one by default).

    Example:
        >>> # with DaemonController(instance, [RunQueueLoop(instance)]) as controller:
        >>> #     controller.run()      # blocks until controller.stop() (e.g. on SIGTERM)
    """

    def __init__(
        self,
        instance: Instance,
        loops: Sequence[DaemonLoop],
        *,
        identity: DaemonIdentity | None = None,
    ) -> None:
        names = [loop.name for loop in loops]
        if len(set(names)) != len(names) or CONTROLLER_LOOP in names or "" in names:
            raise DaemonError(f"Daemon loops need distinct names other than 'controller': {names}")
        self.instance = instance
        self.loops = list(loops)
        self.identity = identity or DaemonIdentity()
        self._config: DaemonConfig = instance.config.daemon
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lost: str | None = None

    @property
    def daemon_id(self) -> str:
        """This daemon's id."""
        return self.identity.daemon_id

    @property
    def lost_reason(self) -> str | None:
        """Why the daemon stopped on its own (its instance was taken over), else ``None``."""
        return self._lost

    # -- claiming the instance ---------------------------------------------------------------
    def claim(self) -> None:
        """Become the instance's daemon, or raise.

        Raises:
            DaemonError: another daemon's heartbeat is fresh (the message names it).
        """
        now = time.time()
        current = self._current_owner()
        replacing = None
        if current is not None and current.daemon_id != self.daemon_id:
            replacing = current.daemon_id if _is_dead(current) else None
            if replacing is None and current.age(now) < self._config.heartbeat_tolerance_seconds:
                raise self._refusal(current, now)
        stored = self._beat(CONTROLLER_LOOP, now, replacing=replacing)
        if stored.daemon_id != self.daemon_id:
            raise self._refusal(stored, time.time())
        if current is not None:
            logger.info("Took over the instance from %s.", describe_daemon(current, now))

    def _current_owner(self) -> DaemonHeartbeat | None:
        for beat in self.instance.get_daemon_heartbeats():
            if beat.loop_name == CONTROLLER_LOOP:
                return beat
        return None

    def _refusal(self, owner: DaemonHeartbeat, now: float) -> DaemonError:
        tolerance = self._config.heartbeat_tolerance_seconds
        return DaemonError(
            f"Another daemon is running on the instance {self.instance.root_directory}: "
            f"{describe_daemon(owner, now)}. Stop it first (SIGTERM or Ctrl-C), or wait: it is "
            f"taken over once its heartbeat is older than {tolerance:g} s "
            "(daemon.heartbeat_tolerance_seconds in headwater.yaml)."
        )

    def _beat(
        self,
        loop_name: str,
        now: float,
        *,
        error: str | None = None,
        cursor: str | None = None,
        replacing: str | None = None,
        always: bool = False,
    ) -> DaemonHeartbeat:
        beat = DaemonHeartbeat(
            loop_name=loop_name,
            daemon_id=self.daemon_id,
            timestamp=now,
            last_error=error,
            last_error_timestamp=now if error is not None else None,
            cursor=cursor,
            info=(
                {**self.identity.info, "loops": [loop.name for loop in self.loops]}
                if loop_name == CONTROLLER_LOOP
                else self.identity.info
            ),
        )
        expired = math.inf if always else now - self._config.heartbeat_tolerance_seconds
        return self.instance.claim_daemon_heartbeat(
            beat, expired_before=expired, replacing=replacing
        )

    # -- running ---------------------------------------------------------------------------------
    def run(self) -> None:
        """Claim the instance (unless :meth:`claim` was called), start every loop and heartbeat
        until :meth:`stop` or until another daemon takes the instance over.

        Raises:
            DaemonError: another daemon is running (see :meth:`claim`).
        """
        if self._current_owner_is_not_me():
            self.claim()
        cursors = {b.loop_name: b.cursor for b in self.instance.get_daemon_heartbeats()}
        logger.info(
            "Daemon %s started on %s (pid %s): loops %s.",
            self.daemon_id,
            self.instance.root_directory,
            self.identity.pid,
            ", ".join(loop.name for loop in self.loops),
        )
        for loop in self.loops:
            thread = threading.Thread(
                target=self._run_loop,
                args=(loop, cursors.get(loop.name)),
                name=f"headwater-daemon-{loop.name}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()
        try:
            self._heartbeat_until_stopped()
        finally:
            self._shut_down()

    def _current_owner_is_not_me(self) -> bool:
        owner = self._current_owner()
        return owner is None or owner.daemon_id != self.daemon_id

    def stop(self) -> None:
        """Ask every loop to stop after its current tick (safe from a signal handler)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called (or the instance was lost)."""
        return self._stopping.is_set()

    def _heartbeat_until_stopped(self) -> None:
        interval = self._config.heartbeat_interval_seconds
        while not self._stopping.wait(interval):
            try:
                stored = self._beat(CONTROLLER_LOOP, time.time())
            except HeadwaterError as exc:  # a busy or unreachable database: try again later
                logger.warning("Daemon heartbeat failed: %s", exc)
                continue
            if stored.daemon_id != self.daemon_id:
                self._lose(stored)

    def _lose(self, owner: DaemonHeartbeat) -> None:
        self._lost = f"the instance was taken over by {describe_daemon(owner, time.time())}"
        logger.error("Daemon %s stops: %s.", self.daemon_id, self._lost)
        self._stopping.set()

    def _shut_down(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=max(30.0, self._config.heartbeat_interval_seconds * 2))
        stuck = [t.name for t in self._threads if t.is_alive()]
        if stuck:
            logger.warning("Loops still busy at shutdown (left behind): %s", ", ".join(stuck))
        if self._lost is None:
            try:
                self.instance.release_daemon_heartbeat(CONTROLLER_LOOP, self.daemon_id)
            except HeadwaterError as exc:
                logger.warning("Could not release the instance: %s", exc)
        logger.info("Daemon %s stopped.", self.daemon_id)

    # -- one loop --------------------------------------------------------------------------------
    def _run_loop(self, loop: DaemonLoop, cursor: str | None) -> None:
        try:
            loop.resume(cursor)
        except Exception:
            logger.exception("Loop %s could not resume from cursor %r.", loop.name, cursor)
        beats = _LoopBeats(self, loop)
        try:
            while not self._stopping.is_set():
                next_tick = time.monotonic() + loop.interval_seconds
                error = _tick(loop)
                beat_ok = beats.beat(error) if error is not None else beats.beat_if_due()
                if not beat_ok:
                    return
                while not self._stopping.is_set():
                    now = time.monotonic()
                    if now >= next_tick:
                        break
                    if beats.due_in(now) <= 0:
                        if not beats.beat(None):
                            return
                        continue
                    self._stopping.wait(min(next_tick - now, beats.due_in(now)))
            if self._lost is None:
                beats.beat(None)  # the last cursor, and "stopped at" for daemon status
        finally:
            self._close(loop)

    def _close(self, loop: DaemonLoop) -> None:
        try:
            loop.close()
        except Exception:
            logger.exception("Loop %s failed to close.", loop.name)

    def __enter__(self) -> DaemonController:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _tick(loop: DaemonLoop) -> str | None:
    """Run one tick; the error text if it raised."""
    try:
        loop.run_once()
    except Exception:
        logger.exception("Loop %s failed; it runs again in %g s.", loop.name, loop.interval_seconds)
        return traceback.format_exc()[-MAX_ERROR_CHARS:]
    return None


class _LoopBeats:
    """The heartbeats of one loop: at most one per heartbeat interval, plus one per error."""

    def __init__(self, controller: DaemonController, loop: DaemonLoop) -> None:
        self.controller = controller
        self.loop = loop
        self.every = controller._config.heartbeat_interval_seconds
        self.last = -math.inf
        self.claimed = False

    def due_in(self, now: float) -> float:
        return self.last + self.every - now

    def beat_if_due(self) -> bool:
        return self.beat(None) if self.due_in(time.monotonic()) <= 0 else True

    def beat(self, error: str | None) -> bool:
        """Write the heartbeat; ``False`` once another daemon holds the loop."""
        controller = self.controller
        try:
            stored = controller._beat(
                self.loop.name,
                time.time(),
                error=error,
                cursor=self.loop.cursor,
                always=not self.claimed,  # the instance's owner takes its loops' rows
            )
        except HeadwaterError as exc:  # a busy or unreachable database: try again later
            logger.warning("Heartbeat of loop %s failed: %s", self.loop.name, exc)
            return True
        self.last = time.monotonic()
        if stored.daemon_id != controller.daemon_id:
            controller._lose(stored)
            return False
        self.claimed = True
        return True


def _is_dead(beat: DaemonHeartbeat) -> bool:
    """Whether the daemon of ``beat`` ran on this machine and its process is gone."""
    pid, host = beat.info.get("pid"), beat.info.get("hostname")
    if not isinstance(pid, int) or host != this_host():
        return False
    if process_exit(pid, host) is not None:
        return True
    recorded, current = beat.info.get("process_start"), process_start_ticks(pid)
    return isinstance(recorded, int) and current is not None and current != recorded
