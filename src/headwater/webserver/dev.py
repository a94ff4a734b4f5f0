"""What ``headwater dev`` adds to the webserver: a daemon child process and hot reload.

:class:`DevCompanions` is started with the webserver's :class:`WorkspaceManager` and stopped
before it:

- the daemon runs as ``python -m headwater daemon run <the same code location options>`` in a
  session of its own (on Linux it also gets SIGTERM if this process dies), and is stopped with
  SIGTERM, then SIGKILL after a grace period;
- a watcher thread (watchfiles, 50 ms debounce) reloads the code location whose working
  directory holds a changed ``.py`` file (or a ``.yaml``/``.toml``/``.sql`` file: dbt projects,
  config), and then restarts the daemon so its schedules and sensors use the new definitions. A
  location that no longer imports shows its error; the webserver keeps its last good
  definitions visible meanwhile.
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from headwater.orchestration.workspace_manager import WorkspaceManager

__all__ = ["DevCompanions", "watched_suffixes"]

logger = logging.getLogger(__name__)

#: Files whose change reloads their code location.
watched_suffixes = (".py", ".yaml", ".yml", ".toml", ".sql", ".json")
#: Directories never watched (besides watchfiles' own list: .git, .venv, __pycache__, ...).
IGNORED_DIRS = (".headwater", "target", "logs", "dbt_packages", "build", "dist")


class DevCompanions:
    """The daemon child and the file watcher of ``headwater dev``.

    Args:
        daemon_args: the code location options for ``headwater daemon run`` (``["-f",
            "defs.py"]``); ``None``: start no daemon.
        instance_home: ``HEADWATER_HOME`` of the daemon.
        cwd: the directory the daemon starts in.
        log_path: where the daemon's output goes (appended).
        watch: watch files and reload on change.
        grace_seconds: how long the daemon has to stop after SIGTERM.
    """

    def __init__(
        self,
        *,
        daemon_args: Sequence[str] | None,
        instance_home: str,
        cwd: str,
        log_path: Path,
        watch: bool = True,
        grace_seconds: float = 15.0,
    ) -> None:
        self.daemon_args = None if daemon_args is None else list(daemon_args)
        self.instance_home = instance_home
        self.cwd = cwd
        self.log_path = log_path
        self.watch = watch
        self.grace_seconds = grace_seconds
        self.reloads = 0
        self._manager: WorkspaceManager | None = None
        self._daemon: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._reloaded: list[str] = []
        self._threads: list[threading.Thread] = []

    @property
    def daemon_pid(self) -> int | None:
        """The daemon child's process id, while it runs."""
        process = self._daemon
        return None if process is None or process.poll() is not None else process.pid

    def start(self, manager: WorkspaceManager) -> None:
        """Start the daemon and the watcher for ``manager``'s locations."""
        self._manager = manager
        targets = [("headwater-dev-daemon", self._own_daemon)]
        if self.watch:
            targets.append(("headwater-dev-watch", self._watch))
        for name, target in targets:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop the watcher, then the daemon (SIGTERM, SIGKILL after the grace period)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.grace_seconds + 10)

    # -- the daemon -------------------------------------------------------------------------
    def _own_daemon(self) -> None:
        # One thread starts, restarts and stops the daemon: Linux sends the parent-death signal
        # when the *thread* that started a child ends, so that thread must live as long as it.
        manager = self._manager
        assert manager is not None
        self._start_daemon()
        try:
            while not self._stop.is_set():
                if not self._restart.wait(0.1):
                    continue
                self._restart.clear()
                names, self._reloaded = self._reloaded, []
                # after the webserver's servers settled: loading the code twice at once is slower
                manager.wait_until_settled(timeout=60, names=sorted(set(names)))
                if not self._stop.is_set():
                    self._stop_daemon()
                    self._start_daemon()
        finally:
            self._stop_daemon()

    def _start_daemon(self) -> None:
        if self.daemon_args is None:
            return
        env = {**os.environ, "HEADWATER_HOME": self.instance_home}
        command = [sys.executable, "-m", "headwater", "daemon", "run", *self.daemon_args]
        with self.log_path.open("ab") as log:
            self._daemon = subprocess.Popen(
                command, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip

    def _stop_daemon(self) -> None:
        process, self._daemon = self._daemon, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=self.grace_seconds)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        else:
            process.wait()

    # -- hot reload -------------------------------------------------------------------------
    def _watch(self) -> None:
        import watchfiles

        manager = self._manager
        assert manager is not None
        roots = _roots(manager)
        if not roots:
            return
        watch_filter = watchfiles.DefaultFilter(
            ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, *IGNORED_DIRS),
            ignore_paths=(self.instance_home,),  # the database, logs, headwater.yaml
        )
        try:
            for changes in watchfiles.watch(*roots, watch_filter=watch_filter, debounce=50,
                                            step=25, stop_event=self._stop,
                                            raise_interrupt=False):  # fmt: skip
                self._changed(manager, {Path(p) for _kind, p in changes})
        except Exception:  # a watcher failure must not take the webserver down
            logger.exception("the file watcher stopped; hot reload is off")

    def _changed(self, manager: WorkspaceManager, paths: set[Path]) -> None:
        relevant = {p for p in paths if p.suffix in watched_suffixes}
        if not relevant or self._stop.is_set():
            return
        reloaded = []
        for location in manager.workspace.locations:
            origin = location.origin
            if origin is None:
                continue
            root = Path(origin.working_directory)
            if any(p.is_relative_to(root) for p in relevant):
                manager.reload(location.name)
                reloaded.append(location.name)
        if reloaded:
            self.reloads += 1
            logger.info("reloaded %s after changes to %s", ", ".join(reloaded),
                        ", ".join(sorted(str(p) for p in relevant)))  # fmt: skip
            self._reloaded += reloaded
            self._restart.set()


def _roots(manager: WorkspaceManager) -> list[str]:
    """The working directories of the locations, without those inside another."""
    dirs = sorted({Path(loc.origin.working_directory).resolve()
                   for loc in manager.workspace.locations if loc.origin is not None})  # fmt: skip
    kept: list[Path] = []
    for directory in dirs:
        if not any(directory.is_relative_to(k) for k in kept):
            kept.append(directory)
    return [str(k) for k in kept]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send SIGTERM to this (child) process when its parent dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
