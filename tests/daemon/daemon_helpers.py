"""Helpers of the daemon tests: fast instance settings, daemon processes, polling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import headwater

#: Fast settings: 1 s heartbeats everywhere, a daemon silent for 5 s counts as gone.
FAST_YAML = """
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5}
run_queue: {dequeue_interval_seconds: 0.2}
run_monitoring: {heartbeat_interval_seconds: 1, start_timeout_seconds: 30}
"""

SRC = str(Path(headwater.__file__).resolve().parents[1])


def wait_for(
    condition: Callable[[], object], timeout: float = 60.0, what: str = "condition"
) -> object:
    """Poll ``condition`` every 0.1 s until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class Daemons:
    """Starts ``headwater daemon run`` processes and kills any left at the end of the test."""

    def __init__(self, home: Path, log_dir: Path) -> None:
        self.home = home
        self.log_dir = log_dir
        self.started: list[subprocess.Popen[bytes]] = []

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([SRC, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env.pop("HEADWATER_HOME", None)
        return env

    def start(self, *args: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
        """Start ``headwater daemon run ARGS`` (e.g. ``-f defs.py``) in ``cwd``."""
        log = self.log_dir / f"daemon-{len(self.started)}.log"
        command = [sys.executable, "-m", "headwater", "--home", str(self.home), "daemon", "run"]
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [*command, *args],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=self.env(),
                cwd=cwd,
            )
        self.started.append(process)
        return process

    def log(self, process: subprocess.Popen[bytes]) -> str:
        index = self.started.index(process)
        return (self.log_dir / f"daemon-{index}.log").read_text(errors="replace")

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "headwater", "--home", str(self.home), *args],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=timeout,
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
