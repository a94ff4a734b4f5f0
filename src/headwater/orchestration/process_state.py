"""Is a process still alive, and if not, how did it end? (For run workers and daemons.)

Only a process on this machine can be checked; one on another host is reported alive (its
heartbeat tells the rest). A child of the calling process that has ended is reaped here, which
is how its exit signal is known; of any other process only "gone" is known.
"""

from __future__ import annotations

import os
import signal
import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessExit:
    """How a process ended, as far as is known.

    Attributes:
        pid: the process id.
        exit_code: its exit code, when it exited and the caller was its parent.
        signal: the signal that killed it, when it was killed and the caller was its parent.

    Example:
        >>> ProcessExit(pid=42, signal=9).describe()
        'was killed by signal SIGKILL (9)'
    """

    pid: int
    exit_code: int | None = None
    signal: int | None = None

    def describe(self) -> str:
        """``was killed by signal SIGKILL (9)``, ``exited with code 1`` or ``is gone``."""
        if self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = "unknown"
            return f"was killed by signal {name} ({self.signal})"
        if self.exit_code is not None:
            return f"exited with code {self.exit_code}"
        return "is gone (its exit status is unknown: it is not a child of the daemon)"


def this_host() -> str:
    """The name of this machine, as run workers and daemons record it."""
    return socket.gethostname()


def process_exit(pid: int, hostname: str | None = None) -> ProcessExit | None:
    """How process ``pid`` ended, or ``None`` while it runs (or cannot be checked from here).

    Args:
        pid: the process id.
        hostname: the machine the process runs on; another machine's process is not checked.

    Returns:
        ``None`` if the process is alive, runs on another host, or belongs to a user the caller
        may not signal; else a :class:`ProcessExit` (with the exit code or signal when the
        caller was its parent, which reaps it).

    Example:
        >>> process_exit(os.getpid()) is None
        True
    """
    if pid <= 0 or (hostname is not None and hostname != this_host()):
        return None
    try:
        waited, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: ask the kernel whether it exists
    else:
        if waited == 0:
            return None
        if os.WIFSIGNALED(status):
            return ProcessExit(pid=pid, signal=os.WTERMSIG(status))
        return ProcessExit(pid=pid, exit_code=os.waitstatus_to_exitcode(status))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return ProcessExit(pid=pid)
    except PermissionError:
        return None
    return ProcessExit(pid=pid) if _is_zombie(pid) else None


def process_start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (Linux ``/proc``), or ``None``
    where unknown; with the pid it identifies a process even after its pid is reused.

    Example:
        >>> process_start_ticks(os.getpid()) == process_start_ticks(os.getpid())
        True
    """
    fields = _stat_fields(pid)
    if fields is None or len(fields) < 20:
        return None
    try:
        return int(fields[19])  # field 22 of stat; fields[0] is field 3 (the state)
    except ValueError:
        return None


def _is_zombie(pid: int) -> bool:
    # A dead child of another process stays in the table until its parent reaps it.
    fields = _stat_fields(pid)
    return fields is not None and fields[:1] == ["Z"]


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()
