"""A code server started with --watch-parent stops by itself when its parent is gone, even when
the parent died before the server started watching (the server then already belongs to init)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

DEFS = "from headwater import Definitions, asset\n\n@asset\ndef a() -> int:\n    return 1\n\n" \
       "defs = Definitions(assets=[a])\n"  # fmt: skip


def test_a_server_whose_named_parent_is_not_its_parent_stops(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    # a pid that is alive but is not the server's parent: as if the real parent died at once
    env = {**os.environ, "HEADWATER_PARENT_PID": str(os.getppid()), "HEADWATER_HOME":
           str(tmp_path / "home")}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "headwater", "code-server", "start", "-f", "defs.py", "--socket",
         str(tmp_path / "s.sock"), "--watch-parent"], cwd=tmp_path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        started = time.monotonic()
        assert process.wait(timeout=60) == 0
        assert time.monotonic() - started < 60
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_server_of_a_living_parent_keeps_running(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    env = {**os.environ, "HEADWATER_PARENT_PID": str(os.getpid()),
           "HEADWATER_HOME": str(tmp_path / "home")}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "headwater", "code-server", "start", "-f", "defs.py", "--socket",
         str(tmp_path / "s.sock"), "--watch-parent"], cwd=tmp_path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "s.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # three looks at the parent
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=30)
