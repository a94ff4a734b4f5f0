"""Code locations served by real code server processes for the scheduler and sensor tests."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from headwater.orchestration.code_location import resolve_code_location
from headwater.orchestration.workspace import Workspace
from headwater.orchestration.workspace_manager import LocationStatus, WorkspaceManager


@contextmanager
def served_location(
    directory: Path, source: str, name: str = "defs", instance_home: Path | None = None
) -> Iterator[WorkspaceManager]:
    """Write ``<name>.py`` in ``directory`` and serve it with a started, loaded
    ``WorkspaceManager`` (stopped, with its code server, on exit)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    origin = resolve_code_location(file=f"{name}.py", working_directory=directory).to_origin()
    manager = WorkspaceManager(Workspace.of(origin), instance_home=instance_home)
    manager.start()
    try:
        states = manager.wait_until_settled(timeout=120)
        state = states[origin.location_name]
        assert state.status == LocationStatus.LOADED, state.error
        yield manager
    finally:
        manager.stop()
