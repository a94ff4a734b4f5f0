"""The IO manager of a run that binds none: pickled files under the instance, no pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import headwater as hw
from headwater.declarations.io_managers.filesystem import DefaultFilesystemIOManager


@hw.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@hw.asset
def total(numbers: list[int]) -> int:
    return sum(numbers)


def test_the_default_stores_where_filesystem_io_manager_reads(tmp_path: Path) -> None:
    with hw.Instance.from_path(tmp_path / "home") as instance:
        result = hw.materialize([numbers, total], instance=instance)
        assert result.success
        stored = instance.storage_directory / "numbers"
        assert stored.is_file()
        (event,) = [
            e
            for e in result.get_asset_materialization_events()
            if e.asset_key == hw.AssetKey("numbers")
        ]
        assert event.asset_materialization is not None
        assert event.asset_materialization.metadata["path"].value == str(stored)
        # A run binding FilesystemIOManager() reads what the default wrote, and the other way.
        again = hw.materialize(
            [numbers, total],
            instance=instance,
            selection=["total"],
            resources={"io_manager": hw.FilesystemIOManager()},
        )
        assert again.success
        assert again.output_for_node("total") == 6


def test_the_default_is_a_plain_io_manager_bound_only_when_none_is() -> None:
    seen: list[Any] = []

    @hw.asset
    def probe(context: hw.AssetExecutionContext) -> int:
        seen.append(context.resources.io_manager)
        return 1

    assert hw.materialize([probe]).success
    assert isinstance(seen[0], DefaultFilesystemIOManager)
    assert isinstance(seen[0], hw.IOManager)
    mine = hw.InMemoryIOManager()
    assert hw.materialize([probe], resources={"io_manager": mine}).success
    assert isinstance(seen[1], hw.InMemoryIOManager)  # the run's copy of the one bound


def test_a_run_of_plain_assets_imports_no_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import headwater as hw\n"
        "@hw.asset\n"
        "def a() -> int:\n"
        "    return 1\n"
        "@hw.asset\n"
        "def b(a: int) -> int:\n"
        "    return a + 1\n"
        f"with hw.Instance.from_path({str(tmp_path / 'home')!r}) as instance:\n"
        "    assert hw.materialize([a, b], instance=instance).success\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
        "class Limit(hw.Config):\n"
        "    n: int = 2\n"
        "@hw.asset\n"
        "def c(config: Limit) -> int:\n"
        "    return config.n\n"
        "result = hw.materialize([c], run_config={'ops': {'c': {'config': {'n': 5}}}})\n"
        "assert result.output_for_node('c') == 5\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
