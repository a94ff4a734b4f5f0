"""Doctests of src/headwater: ``pytest`` runs every ``>>>`` example of the package.

``pyproject.toml`` lists ``src/headwater`` in ``testpaths``; the hook below collects each module
of the package as a doctest module (as ``--doctest-modules`` would, but only here: the test
programs under ``tests/`` are not doctest-collected). Each example runs with the working
directory and ``HEADWATER_HOME`` in a fresh temporary directory, so it may write relative files
(``defs.py``, ``warehouse.duckdb``) or open ``Instance.get()`` without touching the repository
or the user's ``./.headwater``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

collect_ignore = [
    # Alembic's environment script runs only inside ``alembic`` (it reads its ``context``).
    "headwater/storage/migrations/env.py",
]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".py" or file_path.name in ("conftest.py", "__main__.py"):
        return None
    if parent.config.option.doctestmodules:  # pytest's own doctest plugin collects it
        return None
    return DoctestModule.from_parent(parent, path=file_path)


@pytest.fixture(autouse=True)
def _scratch_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / ".headwater"))
