"""Fixtures for daemon tests: an instance directory with fast heartbeats, daemon processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import FAST_YAML, Daemons


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An instance directory whose headwater.yaml asks for fast heartbeats."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text(FAST_YAML, encoding="utf-8")
    return home


@pytest.fixture
def daemons(home: Path, tmp_path: Path) -> Iterator[Daemons]:
    """Start daemon processes on ``home``; every one still running is killed afterwards."""
    started = Daemons(home, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()
