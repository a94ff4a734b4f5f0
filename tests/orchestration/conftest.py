"""Fixtures for tests with real run worker processes: an instance whose workers heartbeat every
second, a code location file, and a guard that no worker outlives its test."""

from __future__ import annotations

import contextlib
import os
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from headwater import Instance
from headwater.execution.plan.origin import CodeLocationOrigin
from headwater.orchestration import launcher
from headwater.orchestration.code_location import resolve_code_location


@pytest.fixture
def worker_instance(headwater_home: Path) -> Iterator[Instance]:
    """A persistent instance under ``headwater_home`` with 1 s worker heartbeats; every worker
    launched during the test is killed (if still running) and reaped afterwards."""
    (headwater_home / "headwater.yaml").write_text(
        "run_monitoring:\n  heartbeat_interval_seconds: 1\n"
    )
    instance = Instance.from_path(headwater_home)
    try:
        yield instance
    finally:
        for pid, process in list(launcher._children.items()):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                process.wait(timeout=30)
        launcher.reap_workers()
        instance.dispose()


@pytest.fixture
def location(tmp_path: Path) -> Callable[[str], CodeLocationOrigin]:
    """``location(source)``: write ``defs.py`` (dedented) in a fresh directory; its origin."""

    def _write(source: str) -> CodeLocationOrigin:
        directory = tmp_path / "project"
        directory.mkdir(exist_ok=True)
        (directory / "defs.py").write_text(textwrap.dedent(source))
        return resolve_code_location(file="defs.py", working_directory=directory).to_origin()

    return _write
