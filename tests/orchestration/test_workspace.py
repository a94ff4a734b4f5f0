"""``workspace.yaml``: Dagster's ``load_from`` format read into code location origins, and every
bad key reported with its path and what was expected there."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from headwater.errors import CodeLocationError, InvalidConfigError
from headwater.orchestration.workspace import load_workspace


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def test_entries_become_origins_with_paths_from_the_workspace_directory(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path / "workspace.yaml", """
        load_from:
          - python_file:
              relative_path: shop/defs.py
              location_name: shop
              working_directory: shop
              executable_path: shop/.venv/bin/python
              attribute: defs
          - python_module:
              module_name: analytics.definitions
          - python_package: {package_name: etl, location_name: etl_jobs}
          - python_file: tools/scripts.py
          - python_module: reports.defs
          - code_server: {location_name: remote, socket: run/remote.sock}
          - code_server: {location_name: far, host: 10.1.2.3, port: 4000}
    """))  # fmt: skip
    assert ws.location_names == ["shop", "analytics.definitions", "etl_jobs", "scripts",
                                 "reports.defs", "remote", "far"]  # fmt: skip
    shop = ws.origin("shop")
    assert shop.file == str(tmp_path / "shop" / "defs.py")
    assert shop.working_directory == str(tmp_path / "shop")
    assert shop.python_executable == str(tmp_path / "shop" / ".venv" / "bin" / "python")
    assert (shop.attribute, shop.module, shop.location_name) == ("defs", None, "shop")
    analytics = ws.origin("analytics.definitions")
    assert analytics.module == "analytics.definitions" and analytics.file is None
    assert analytics.working_directory == str(tmp_path)  # default: the workspace's directory
    assert analytics.python_executable == sys.executable  # default: this interpreter
    assert ws.origin("etl_jobs").module == "etl"
    assert ws.origin("scripts").file == str(tmp_path / "tools" / "scripts.py")
    assert ws.location("remote").address == f"unix:{tmp_path / 'run' / 'remote.sock'}"
    assert ws.location("far").address == "http://10.1.2.3:4000"
    with pytest.raises(CodeLocationError, match="served by a code server at"):
        ws.origin("remote")


def test_choosing_a_location(tmp_path: Path) -> None:
    two = load_workspace(write(tmp_path / "two.yaml", """
        load_from:
          - python_file: a.py
          - python_file: b.py
    """))  # fmt: skip
    with pytest.raises(CodeLocationError, match=r"lists 2 code locations \(a, b\); choose one "
                                                r"with --location NAME"):  # fmt: skip
        two.location()
    with pytest.raises(CodeLocationError, match="no code location named 'c'; its locations are"):
        two.location("c")
    one = load_workspace(write(tmp_path / "one.yaml", "load_from: [{python_file: a.py}]"))
    assert one.location().name == "a"


def test_bad_keys_are_reported_with_their_path_and_the_expected_value(tmp_path: Path) -> None:
    path = write(tmp_path / "workspace.yaml", """
        load_from:
          - python_file:
              relativ_path: defs.py
          - python_module:
              module_name: shop
              location_name: 3
          - python_file: {relative_path: a.py, location_name: shop}
          - grpc_server: {host: localhost, port: 4266}
          - python_notebook: {path: x.ipynb}
          - python_file: b.py
            python_module: c
          - code_server: {location_name: remote}
        targets: []
    """)  # fmt: skip
    with pytest.raises(InvalidConfigError) as raised:
        load_workspace(path)
    errors = dict(raised.value.errors)
    assert str(path) in str(raised.value)
    assert errors["targets"] == "unknown key; expected one of ['load_from']"
    assert errors["load_from[0].python_file.relativ_path"] == (
        "unknown key; expected one of ['attribute', 'executable_path', 'location_name', "
        "'relative_path', 'working_directory']"
    )
    assert errors["load_from[0].python_file.relative_path"] == "required; expected a string"
    assert errors["load_from[1].python_module.location_name"] == (
        "expected a non-empty string, got 3 (int)"
    )
    assert errors["load_from[2]"] == "duplicate location name 'shop' (also load_from[1])"
    assert "speak HTTP, not gRPC; use code_server" in errors["load_from[3].grpc_server"]
    assert errors["load_from[4].python_notebook"] == (
        "unknown kind of location; expected one of ['code_server', 'python_file', "
        "'python_module', 'python_package']"
    )
    assert errors["load_from[5]"].startswith("expected a mapping with exactly one of")
    assert errors["load_from[6].code_server"] == (
        "expected either socket (a path) or port (with an optional host)"
    )
    assert len(raised.value.errors) == 9


def test_files_that_are_not_workspaces(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigError, match=r"Cannot read the workspace file .*missing\.yaml"):
        load_workspace(tmp_path / "missing.yaml")
    with pytest.raises(InvalidConfigError, match="is not valid YAML"):
        load_workspace(write(tmp_path / "broken.yaml", "load_from: [python_file: {"))
    with pytest.raises(InvalidConfigError) as raised:
        load_workspace(write(tmp_path / "empty.yaml", ""))
    assert raised.value.errors == [
        ("(top level)", "expected a mapping with load_from, got nothing")
    ]
    with pytest.raises(InvalidConfigError) as raised:
        load_workspace(write(tmp_path / "nolist.yaml", "load_from: defs.py"))
    assert raised.value.errors == [
        ("load_from", "expected a non-empty list of locations, got 'defs.py' (str)")
    ]


def test_a_workspace_of_the_command_line_location(tmp_path: Path) -> None:
    from headwater.orchestration.code_location import resolve_code_location
    from headwater.orchestration.workspace import Workspace

    origin = resolve_code_location(file="defs.py", working_directory=tmp_path).to_origin()
    ws = Workspace.of(origin)
    assert ws.path is None and ws.location_names == ["defs"]
    assert ws.origin() == origin
    with pytest.raises(CodeLocationError, match="the workspace has no code location named 'x'"):
        ws.location("x")
    with pytest.raises(InvalidConfigError, match="Two code locations are named 'defs'"):
        Workspace.of(origin, origin)
