"""Fixtures for CLI tests: a temporary HEADWATER_HOME, definitions files, and a runner."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from headwater.cli.main import cli

PIPELINE = """
    from headwater import AssetExecutionContext, Config, Definitions, asset

    class LimitConfig(Config):
        limit: int = 10

    @asset(group_name="raw", kinds={"python"})
    def raw_numbers(context: AssetExecutionContext, config: LimitConfig) -> list[int]:
        context.log.info(f"generating {config.limit} numbers")
        return list(range(config.limit))

    @asset
    def evens(context: AssetExecutionContext, raw_numbers: list[int]) -> list[int]:
        result = [n for n in raw_numbers if n % 2 == 0]
        context.add_output_metadata({"row_count": len(result)})
        return result

    @asset
    def total(evens: list[int]) -> int:
        return sum(evens)

    defs = Definitions(assets=[raw_numbers, evens, total])
"""

FAILING = """
    from headwater import Definitions, asset

    @asset
    def source() -> int:
        return 1

    @asset
    def broken(source: int) -> int:
        raise ValueError(f"cannot divide {source} by zero")

    @asset
    def downstream(broken: int) -> int:
        return broken

    defs = Definitions(assets=[source, broken, downstream])
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HEADWATER_HOME and tmp_path as the current directory; restores sys.path and
    drops the modules loaded from tmp_path afterwards."""
    home = tmp_path / "hw_home"
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    monkeypatch.delenv("HEADWATER_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield home
    for name in set(sys.modules) - before:
        if str(tmp_path) in (getattr(sys.modules[name], "__file__", None) or ""):
            del sys.modules[name]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write(name, source)``: write dedented ``source`` to ``tmp_path / name``."""

    def _write(name: str, source: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def invoke(home: Path) -> Iterator[Callable[..., Result]]:
    """``invoke(*args)``: run the ``headwater`` command in process and return click's result."""
    runner = CliRunner()

    def _invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    yield _invoke


@pytest.fixture
def pipeline_source() -> str:
    """Source of a three-asset pipeline: raw_numbers (configurable) -> evens -> total."""
    return PIPELINE


@pytest.fixture
def pipeline(write: Callable[[str, str], Path]) -> Path:
    """``pipeline.py`` holding :data:`PIPELINE`."""
    return write("pipeline.py", PIPELINE)


@pytest.fixture
def failing(write: Callable[[str, str], Path]) -> Path:
    """``failing.py``: source -> broken (raises ValueError at line 9) -> downstream."""
    return write("failing.py", FAILING)
