"""Shared fixtures: a real SQLite-backed instance under a temporary HEADWATER_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def headwater_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HEADWATER_HOME for the test."""
    home = tmp_path / "headwater_home"
    home.mkdir()
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    return home


@pytest.fixture
def instance(headwater_home: Path) -> Iterator[object]:
    """A real SQLite instance in ``headwater_home``."""
    from headwater.instance.instance import Instance

    inst = Instance.get()
    try:
        yield inst
    finally:
        inst.dispose()
