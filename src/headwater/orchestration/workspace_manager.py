"""One code server process per location of a workspace: started, watched, restarted, stopped.

:class:`WorkspaceManager` is the one owner of its code servers (the webserver, the daemon and
``headwater dev`` each hold one). For every ``python_file``/``python_module`` location it starts
``<executable_path> -m headwater code-server start ... --socket <path> --watch-parent`` in the
location's working directory, in a session of its own, with the server's output in a log file
beside its socket. A supervisor thread then watches each process:

- ``STARTING`` until the server answers ``/health``: ``LOADED``, or ``LOAD_ERROR`` when the
  location failed to import (the server stays up and serves the error; the other locations are
  not affected; :meth:`WorkspaceManager.reload` tries again);
- a server that exits (a crash, ``kill -9``, user code calling ``os._exit``) or does not answer
  within ``startup_timeout`` is ``RESTARTING``: it is started again after a delay that doubles
  from ``backoff_initial`` (1 s, 2 s, 4 s, ...) up to ``backoff_max``, and falls back to
  ``backoff_initial`` once a server has stayed up for ``backoff_reset`` seconds;
- ``code_server`` entries (servers started elsewhere) are only polled: ``LOADED``,
  ``LOAD_ERROR`` or ``UNREACHABLE``.

:meth:`WorkspaceManager.stop` sends SIGTERM to each server it started, waits, then kills what is
left; with ``--watch-parent`` a server also stops by itself when its manager's process dies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from headwater.errors import CodeLocationError, CodeServerError
from headwater.execution.plan.origin import CodeLocationOrigin
from headwater.orchestration.code_server_client import CodeServerClient
from headwater.orchestration.workspace import Workspace, WorkspaceLocation

__all__ = ["LocationState", "LocationStatus", "WorkspaceManager"]


class LocationStatus(StrEnum):
    """Where a code location's server stands."""

    STARTING = "STARTING"
    LOADED = "LOADED"
    LOAD_ERROR = "LOAD_ERROR"
    RESTARTING = "RESTARTING"
    UNREACHABLE = "UNREACHABLE"
    STOPPED = "STOPPED"


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationState:
    """One location as its manager last saw it.

    Attributes:
        name: the location's name.
        status: its :class:`LocationStatus`.
        address: where its server listens (``unix:/path`` or ``http://host:port``).
        pid: the server's process id (``None`` for a server started elsewhere, or none now).
        error: why it is not ``LOADED``: the load error's message, or how the server died
            with the end of its output (``None`` when loaded).
        error_traceback: the load error's full traceback, when there is one.
        snapshot_id: the id of the definitions snapshot it serves, when loaded.
        restarts: how many times its server was started again after dying.
        next_restart_in: seconds until the next start, while ``RESTARTING``.
    """

    name: str
    status: LocationStatus
    address: str
    pid: int | None = None
    error: str | None = None
    error_traceback: str = ""
    snapshot_id: str | None = None
    restarts: int = 0
    next_restart_in: float | None = None


class _Managed:
    """What the supervisor keeps about one location (touched under the manager's lock)."""

    def __init__(self, location: WorkspaceLocation, address: str, log_path: Path | None) -> None:
        self.location = location
        self.client = CodeServerClient(address, location_name=location.name)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.restart_at = 0.0
        self.delay = 0.0
        self.last_poll = 0.0
        self.generation = 0  # one more at each start: a check started before it is stale
        self.state = LocationState(name=location.name, status=LocationStatus.STOPPED,
                                   address=address)  # fmt: skip


class WorkspaceManager:
    """Start, watch and restart one code server per location of a workspace.

    Args:
        workspace: the workspace (``load_workspace("workspace.yaml")``).
        instance_home: ``HEADWATER_HOME`` for the servers (their default instance for ticks).
        startup_timeout: seconds a server may take to answer after starting (importing the
            location included) before it is killed and started again.
        backoff_initial, backoff_max, backoff_reset: the restart delays (see the module).
        poll_interval: seconds between two looks at the processes.
        on_change: called with the new :class:`LocationState` whenever one changes (from the
            supervisor thread).

    Example:
        >>> from headwater.orchestration.workspace import load_workspace
        >>> with WorkspaceManager(load_workspace("workspace.yaml")) as manager:  # doctest: +SKIP
        ...     manager.wait_until_settled(timeout=60)
        ...     snapshot = manager.client("shop").snapshot()
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        instance_home: str | os.PathLike[str] | None = None,
        startup_timeout: float = 120.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        backoff_reset: float = 60.0,
        poll_interval: float = 0.2,
        on_change: Callable[[LocationState], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.instance_home = None if instance_home is None else os.path.abspath(instance_home)
        self.startup_timeout = startup_timeout
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.backoff_reset = backoff_reset
        self.poll_interval = poll_interval
        self.on_change = on_change
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dir: str | None = None
        self._managed: dict[str, _Managed] = {}

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start every location's server and the supervisor thread (returns at once)."""
        with self._lock:
            if self._thread is not None:
                return
            # Unix socket paths are limited to ~100 bytes: a short directory of our own
            self._dir = tempfile.mkdtemp(prefix="hw-ws-")
            for index, location in enumerate(self.workspace.locations):
                if location.origin is None:
                    assert location.address is not None  # a code_server entry
                    managed = _Managed(location, location.address, None)
                    self._set(managed, status=LocationStatus.UNREACHABLE)
                else:
                    sock = os.path.join(self._dir, f"{index}.sock")
                    log = Path(self._dir) / f"{index}.log"
                    managed = _Managed(location, f"unix:{sock}", log)
                    self._spawn(managed)
                self._managed[location.name] = managed
            self._thread = threading.Thread(target=self._supervise, name="headwater-workspace",
                                            daemon=True)  # fmt: skip
            self._thread.start()

    def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop the supervisor, then every server: SIGTERM, and SIGKILL after ``grace_seconds``."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._lock:
            managed = list(self._managed.values())
            for item in managed:
                if item.process is not None and item.process.poll() is None:
                    item.process.terminate()
            for item in managed:
                if item.process is not None:
                    _wait_or_kill(item.process, grace_seconds)
                    item.process = None
                if item.location.origin is not None:
                    self._set(item, status=LocationStatus.STOPPED, pid=None)
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
            self._thread = None

    def __enter__(self) -> WorkspaceManager:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- what it knows ------------------------------------------------------------------------
    def states(self) -> dict[str, LocationState]:
        """Every location's current :class:`LocationState`, by name."""
        with self._lock:
            return {name: self._current(item) for name, item in self._managed.items()}

    def state(self, name: str) -> LocationState:
        """One location's current :class:`LocationState`.

        Raises:
            CodeLocationError: the workspace has no location of that name.
        """
        return self._current(self._get(name))

    def client(self, name: str) -> CodeServerClient:
        """The client of a location's server (whatever its state: calls raise while it is not
        loaded).

        Raises:
            CodeLocationError: the workspace has no location of that name.
        """
        return self._get(name).client

    def wait_until_settled(
        self, timeout: float = 120.0, names: list[str] | None = None
    ) -> dict[str, LocationState]:
        """Wait until every location (or those of ``names``) is ``LOADED`` or ``LOAD_ERROR``.

        Returns:
            The states at that moment (also on timeout: check them).
        """
        deadline = time.monotonic() + timeout
        settled = (LocationStatus.LOADED, LocationStatus.LOAD_ERROR)
        while True:
            states = self.states()
            wanted = [states[n] for n in (names or list(states))]
            if all(s.status in settled for s in wanted) or time.monotonic() >= deadline:
                return states
            time.sleep(0.05)

    def reload(self, name: str) -> None:
        """Start a location's server again (after its code changed, or to retry a load error)."""
        with self._lock:
            item = self._get(name)
            if item.location.origin is None:
                return  # not ours to restart
            if item.process is not None and item.process.poll() is None:
                item.process.terminate()
                _wait_or_kill(item.process, 10.0)
            item.delay = 0.0
            self._spawn(item)

    # -- the supervisor -----------------------------------------------------------------------
    def _supervise(self) -> None:
        while not self._stop.wait(self.poll_interval):
            for item in list(self._managed.values()):
                try:
                    self._check(item)
                except Exception as exc:  # one location's trouble must not stop the others
                    self._set(item, error=f"supervisor error: {type(exc).__name__}: {exc}")

    def _check(self, item: _Managed) -> None:
        now = time.monotonic()
        if item.location.origin is None:
            if now - item.last_poll >= 2.0:
                item.last_poll = now
                self._apply_health(item, self._health(item), unreachable=True)
            return
        with self._lock:
            generation, status, process = item.generation, item.state.status, item.process
            if status == LocationStatus.RESTARTING:
                if now >= item.restart_at and not self._stop.is_set():
                    self._spawn(item, restarted=True)
                return
            if process is None:
                return
            code = process.poll()
            if code is not None:
                self._died(item, f"its code server exited with {_exit_reason(code)}")
                return
            if status == LocationStatus.LOADED and item.delay and (
                now - item.started_at >= self.backoff_reset
            ):
                item.delay = 0.0  # it stayed up: the next crash restarts after backoff_initial
            if status != LocationStatus.STARTING:
                return
        health = self._health(item)  # outside the lock: it may take a moment
        with self._lock:
            if item.generation != generation:
                return  # restarted meanwhile (reload)
            if health is not None:
                self._apply_health(item, health, unreachable=False)
            elif time.monotonic() - item.started_at > self.startup_timeout:
                process.kill()
                process.wait()
                self._died(item, f"its code server did not answer within "
                                 f"{self.startup_timeout:g} s")  # fmt: skip

    @staticmethod
    def _health(item: _Managed) -> dict[str, Any] | CodeServerError | None:
        try:
            return item.client.health(timeout=5.0)
        except CodeServerError as exc:
            return exc if item.location.origin is None else None

    def _apply_health(
        self, item: _Managed, health: dict[str, Any] | CodeServerError | None, *, unreachable: bool
    ) -> None:
        if isinstance(health, CodeServerError) or health is None:
            if unreachable:
                self._set(item, status=LocationStatus.UNREACHABLE, error=str(health))
            return
        error = health.get("error") or {}
        if health.get("status") == "ok":
            self._set(item, status=LocationStatus.LOADED, error=None, error_traceback="",
                      snapshot_id=health.get("snapshot_id"))  # fmt: skip
        else:
            self._set(item, status=LocationStatus.LOAD_ERROR, snapshot_id=None,
                      error=error.get("message", "the location failed to load"),
                      error_traceback=error.get("traceback") or "")  # fmt: skip

    def _died(self, item: _Managed, why: str) -> None:
        item.process = None
        item.delay = min(self.backoff_max, item.delay * 2 if item.delay else self.backoff_initial)
        item.restart_at = time.monotonic() + item.delay
        tail = _tail(item.log_path)
        self._set(item, status=LocationStatus.RESTARTING, pid=None, snapshot_id=None,
                  error=f"Code location {item.location.name!r}: {why}; restarting in "
                        f"{item.delay:g} s." + (f"\nIts last output:\n{tail}" if tail else ""),
                  error_traceback="")  # fmt: skip

    def _spawn(self, item: _Managed, *, restarted: bool = False) -> None:
        origin = item.location.origin
        assert origin is not None and item.log_path is not None and self._dir is not None
        socket_path = item.client.address[len("unix:") :]
        with contextlib.suppress(FileNotFoundError):
            os.unlink(socket_path)
        env = dict(os.environ)
        if self.instance_home is not None:
            env["HEADWATER_HOME"] = self.instance_home
        env["HEADWATER_PARENT_PID"] = str(os.getpid())  # --watch-parent: who its parent is
        with open(item.log_path, "ab") as log:
            item.process = subprocess.Popen(
                _command(origin, socket_path), cwd=origin.working_directory, env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        item.started_at = time.monotonic()
        item.generation += 1
        restarts = item.state.restarts + (1 if restarted else 0)
        self._set(item, status=LocationStatus.STARTING, pid=item.process.pid,
                  restarts=restarts, snapshot_id=None)  # fmt: skip

    # -- bookkeeping --------------------------------------------------------------------------
    def _get(self, name: str) -> _Managed:
        item = self._managed.get(name)
        if item is None:
            raise CodeLocationError(
                f"The workspace has no code location named {name!r}; its locations are "
                f"{', '.join(self.workspace.location_names)}.",
                location=self.workspace.description,
            )
        return item

    def _current(self, item: _Managed) -> LocationState:
        state = item.state
        if state.status == LocationStatus.RESTARTING:
            return replace(state, next_restart_in=max(0.0, item.restart_at - time.monotonic()))
        return state

    def _set(self, item: _Managed, **changes: Any) -> None:
        with self._lock:
            new = replace(item.state, **changes)
            changed = new != item.state
            item.state = new
        if changed and self.on_change is not None:
            self.on_change(new)


def _command(origin: CodeLocationOrigin, socket_path: str) -> list[str]:
    where = ["-m", origin.module] if origin.module else ["-f", str(origin.file)]
    if origin.attribute:
        where += ["-a", origin.attribute]
    return [
        origin.python_executable, "-m", "headwater", "code-server", "start", *where,
        "-d", origin.working_directory, "--socket", socket_path,
        "--location-name", origin.location_name, "--watch-parent",
    ]  # fmt: skip


def _wait_or_kill(process: subprocess.Popen[bytes], grace_seconds: float) -> None:
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _exit_reason(code: int) -> str:
    if code < 0:
        import signal

        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _tail(path: Path | None, lines: int = 15) -> str:
    if path is None:
        return ""
    try:
        text = path.read_bytes()[-8000:].decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
