"""The filesystem IO manager stores each value atomically: readers see the old or the new one."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

import headwater as hw
from headwater.declarations.io_managers import _files


def _write(path: Path, value: object) -> None:
    tmp = _files.temporary_path(str(path))
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh)
    _files.install(tmp, str(path))


def test_install_creates_then_replaces_a_value_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "value"
    _write(target, "first")
    _write(target, "second")
    assert pickle.loads(target.read_bytes()) == "second"
    assert os.listdir(tmp_path) == ["value"]


def test_install_over_a_directory_fails_and_keeps_the_directory(tmp_path: Path) -> None:
    (tmp_path / "value").mkdir()
    (tmp_path / "value" / "p1").write_text("kept")
    with pytest.raises(OSError):
        _write(tmp_path / "value", 1)
    assert (tmp_path / "value" / "p1").read_text() == "kept"


def test_temporary_paths_differ_between_threads(tmp_path: Path) -> None:
    names: list[str] = []
    worker = threading.Thread(target=lambda: names.append(_files.temporary_path("/x/v")))
    worker.start()
    worker.join()
    assert names[0] != _files.temporary_path("/x/v")
    assert os.path.dirname(names[0]) == "/x" and names[0].endswith(".tmp")


def test_a_reader_never_sees_a_partial_value(tmp_path: Path) -> None:
    target = tmp_path / "value"
    values = [list(range(n)) for n in (10, 50_000)]  # small and multi-page pickles
    _write(target, values[0])
    done = threading.Event()
    seen: set[int] = set()

    def read() -> None:
        while not done.is_set():
            seen.add(len(pickle.loads(target.read_bytes())))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(200):
            _write(target, values[i % 2])
    finally:
        done.set()
        reader.join()
    assert seen <= {10, 50_000} and seen


def test_materializing_twice_stores_the_new_values(tmp_path: Path) -> None:
    calls: list[int] = []

    @hw.asset
    def counter() -> int:
        calls.append(1)
        return len(calls)

    @hw.asset
    def doubled(counter: int) -> int:
        return counter * 2

    io_manager = hw.FilesystemIOManager(base_dir=str(tmp_path))
    for expected in (2, 4):
        result = hw.materialize([counter, doubled], resources={"io_manager": io_manager})
        assert result.output_for_node("doubled") == expected
    assert sorted(os.listdir(tmp_path)) == ["counter", "doubled"]
    assert pickle.loads((tmp_path / "doubled").read_bytes()) == 4
