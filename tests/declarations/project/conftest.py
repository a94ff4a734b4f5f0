"""Fixtures: a project directory in the Dagster layout, written file by file, and forgotten after
the test (its modules leave ``sys.modules``, ``sys.path`` is restored)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PYPROJECT = """
[project]
name = "{name}"

[tool.dg]
directory_type = "project"

[tool.dg.project]
root_module = "{name}"
"""

Write = Callable[[str, str], Path]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path/proj``: an empty project directory; sys.path and sys.modules are restored."""
    root = tmp_path / "proj"
    root.mkdir()
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield root
    # decide first, delete after: a namespace package recomputes __path__ from its parent's
    local = [name for name in set(sys.modules) - before if _below(sys.modules[name], tmp_path)]
    for name in local:
        del sys.modules[name]


def _below(module: object, directory: Path) -> bool:
    where = [getattr(module, "__file__", None) or "", *(getattr(module, "__path__", None) or [])]
    return any(str(directory) in str(w) for w in where)


@pytest.fixture
def write(project: Path) -> Write:
    """``write(relative_path, source)``: write dedented ``source`` under the project."""

    def _write(relative: str, source: str) -> Path:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
        importlib.invalidate_caches()  # a file written within the same second must be found
        return path

    return _write


@pytest.fixture
def dg_project(write: Write) -> Callable[[str], Path]:
    """``dg_project(name)``: pyproject.toml naming root_module ``name``, with src/name/defs/."""

    def _make(name: str) -> Path:
        write("pyproject.toml", PYPROJECT.format(name=name))
        write(f"src/{name}/__init__.py", "")
        return write(f"src/{name}/defs/__init__.py", "")

    return _make
