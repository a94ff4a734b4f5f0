"""A real webserver on a real SQLite instance, shared by a module's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_helpers import DEFS, Server, free_port


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with ``defs.py`` and a HEADWATER_HOME beside it."""
    root = tmp_path_factory.mktemp("project")
    (root / "defs.py").write_text(DEFS)
    (root / "home").mkdir()
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[Server]:
    """``headwater webserver -f defs.py`` on a free port, ready."""
    port = free_port()
    with Server(
        ["webserver", "-f", "defs.py", "--port", str(port)],
        home=project / "home",
        cwd=project,
        port=port,
    ) as running:
        running.wait_ready()
        yield running
