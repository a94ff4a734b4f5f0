"""WorkspaceManager with real code server processes: a location that fails to import beside one
that works, kill -9 and restart with backoff, reload, stop, and no orphan when the manager dies."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from code_server_helpers import pid_alive, wait_for

from headwater.errors import CodeLocationError
from headwater.orchestration.workspace import load_workspace
from headwater.orchestration.workspace_manager import (
    LocationState,
    LocationStatus,
    WorkspaceManager,
)

SETTLE_SECONDS = 180.0

GOOD = """
import os
from headwater import Definitions, asset

@asset
def orders() -> int:
    return 1

defs = Definitions(assets=[orders], metadata={
    "cwd": os.getcwd(), "via": os.environ.get("HW_VIA_WRAPPER", "no")})
"""

BAD = """
from headwater import Definitions
rate = 1 / 0
"""

FIXED = """
from headwater import Definitions, asset

@asset
def fixed() -> int:
    return 1

defs = Definitions(assets=[fixed])
"""


def _workspace(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "workspace.yaml"
    path.write_text(textwrap.dedent(entries))
    return path


def _wrapper(tmp_path: Path) -> Path:
    """An executable_path that is not this interpreter: a script that marks its children."""
    script = tmp_path / "python-wrapper"
    script.write_text(f'#!/bin/sh\nHW_VIA_WRAPPER=yes exec "{sys.executable}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_failing_location_does_not_stop_the_others_and_crashes_are_restarted(
    tmp_path: Path,
) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "shop_defs.py").write_text(GOOD)
    (tmp_path / "bad_defs.py").write_text(BAD)
    _wrapper(tmp_path)
    path = _workspace(tmp_path, """
        load_from:
          - python_file:
              relative_path: shop/shop_defs.py
              location_name: shop
              working_directory: shop
              executable_path: python-wrapper
          - python_file: {relative_path: bad_defs.py, location_name: bad}
    """)  # fmt: skip
    changes: list[LocationState] = []
    manager = WorkspaceManager(load_workspace(path), backoff_initial=0.5,
                               on_change=changes.append)  # fmt: skip
    with manager:
        states = manager.wait_until_settled(timeout=SETTLE_SECONDS)
        assert states["shop"].status == LocationStatus.LOADED, states["shop"]
        assert states["bad"].status == LocationStatus.LOAD_ERROR, states["bad"]
        assert "ZeroDivisionError: division by zero" in (states["bad"].error or "")
        assert "rate = 1 / 0" in states["bad"].error_traceback

        snapshot = manager.client("shop").snapshot()
        assert [k.to_user_string() for k in snapshot.asset_keys] == ["orders"]
        # its own working directory and its own interpreter (the wrapper ran it)
        assert snapshot.metadata["cwd"]["value"] == str(tmp_path / "shop")
        assert snapshot.metadata["via"]["value"] == "yes"
        with pytest.raises(CodeLocationError, match="ZeroDivisionError"):
            manager.client("bad").snapshot()

        # kill -9 of the working server: restarted, the other location untouched
        first_pid, bad_pid = states["shop"].pid, states["bad"].pid
        assert first_pid is not None and bad_pid is not None
        os.kill(first_pid, signal.SIGKILL)
        assert wait_for(lambda: manager.state("shop").status == LocationStatus.RESTARTING, 60)
        assert "exited with signal SIGKILL" in (manager.state("shop").error or "")
        assert wait_for(lambda: manager.state("shop").status == LocationStatus.LOADED,
                        SETTLE_SECONDS)  # fmt: skip
        again = manager.state("shop")
        assert again.pid not in (None, first_pid) and again.restarts == 1
        assert manager.client("shop").snapshot() == snapshot
        assert manager.state("bad").pid == bad_pid

        # the broken file is fixed: reload loads it
        (tmp_path / "bad_defs.py").write_text(FIXED)
        manager.reload("bad")
        states = manager.wait_until_settled(timeout=SETTLE_SECONDS, names=["bad"])
        assert states["bad"].status == LocationStatus.LOADED, states["bad"]
        assert manager.client("bad").snapshot().asset_keys[0].to_user_string() == "fixed"
        pids = [s.pid for s in manager.states().values()]
        socket_dir = Path(manager.state("shop").address[len("unix:") :]).parent
    assert all(pid is not None and not pid_alive(pid) for pid in pids)
    assert not socket_dir.exists()
    assert {s.status for s in manager.states().values()} == {LocationStatus.STOPPED}
    shop_statuses = [c.status for c in changes if c.name == "shop"]
    assert shop_statuses[:2] == [LocationStatus.STARTING, LocationStatus.LOADED]
    assert LocationStatus.RESTARTING in shop_statuses


def test_a_server_that_keeps_dying_is_restarted_with_growing_delays(tmp_path: Path) -> None:
    (tmp_path / "dies.py").write_text("import os\nos._exit(3)\n")
    path = _workspace(tmp_path, "load_from:\n  - python_file: dies.py\n")
    delays: list[str] = []

    def record(state: LocationState) -> None:
        if state.status == LocationStatus.RESTARTING and state.error:
            delays.append(state.error.split("restarting in ")[1].split(" s.")[0])

    manager = WorkspaceManager(load_workspace(path), backoff_initial=0.25, backoff_max=1.0,
                               on_change=record)  # fmt: skip
    with manager:
        assert wait_for(lambda: len(delays) >= 4, SETTLE_SECONDS), delays
        state = manager.state("dies")
        assert "exited with exit code 3" in (state.error or "")
    assert delays[:4] == ["0.25", "0.5", "1", "1"]
    assert state.restarts >= 3


def test_servers_stop_when_their_manager_is_killed(tmp_path: Path) -> None:
    (tmp_path / "shop_defs.py").write_text(GOOD)
    path = _workspace(tmp_path, "load_from:\n  - python_file: shop_defs.py\n")
    script = textwrap.dedent(f"""
        import sys, time
        from headwater.orchestration.workspace import load_workspace
        from headwater.orchestration.workspace_manager import WorkspaceManager
        manager = WorkspaceManager(load_workspace({str(path)!r}))
        manager.start()
        state = manager.wait_until_settled(timeout={SETTLE_SECONDS})["shop_defs"]
        print(state.status, state.pid, state.address, flush=True)
        time.sleep(600)
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        status, pid, address = owner.stdout.readline().split()
        assert status == "LOADED"
        owner.kill()  # kill -9: no chance to stop its servers
        owner.wait()
        assert wait_for(lambda: not pid_alive(int(pid)), timeout=60), "orphan code server"
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        if owner.stdout is not None:
            owner.stdout.close()
    # the killed manager could not remove its directory (the server removed its socket)
    shutil.rmtree(Path(address[len("unix:") :]).parent, ignore_errors=True)
