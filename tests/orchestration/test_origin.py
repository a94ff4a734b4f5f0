"""Code location and job origins: JSON round trips, made from CLI options, loaded again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from headwater.errors import CodeLocationError, InvalidInvocationError
from headwater.execution.plan.origin import CodeLocationOrigin, JobOrigin
from headwater.orchestration.code_location import (
    load_definitions_from_origin,
    resolve_code_location,
)

DEFS = """
from headwater import Definitions, asset

@asset
def numbers() -> list[int]:
    return [1, 2, 3]

defs = Definitions(assets=[numbers])
"""


def test_job_origin_round_trips_through_json() -> None:
    location = CodeLocationOrigin(
        module="shop.defs", attribute="defs", working_directory="/srv/shop",
        python_executable="/opt/py/bin/python", location_name="shop",
    )  # fmt: skip
    origin = JobOrigin(location=location, job_name="nightly")
    again = JobOrigin.from_dict(json.loads(json.dumps(origin.to_dict())))
    assert again == origin
    assert again.location.description == "module 'shop.defs'"


def test_origin_needs_exactly_one_of_module_or_file() -> None:
    with pytest.raises(InvalidInvocationError, match="exactly one of module= or file="):
        CodeLocationOrigin(working_directory="/", python_executable="py", location_name="x")
    with pytest.raises(InvalidInvocationError, match="'working_directory' must be a string"):
        CodeLocationOrigin.from_dict({"module": "m", "python_executable": "p",
                                      "location_name": "m"})  # fmt: skip


def test_file_location_origin_is_absolute_and_loads_again(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    origin = resolve_code_location(file="defs.py", working_directory=tmp_path).to_origin()
    assert origin.file == str((tmp_path / "defs.py").resolve())
    assert origin.working_directory == str(tmp_path.resolve())
    assert origin.python_executable == sys.executable
    assert origin.location_name == "defs"
    defs = load_definitions_from_origin(CodeLocationOrigin.from_dict(origin.to_dict()))
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["numbers"]


def test_module_origin_loads_from_its_working_directory(tmp_path: Path) -> None:
    (tmp_path / "origin_pkg_mod.py").write_text(DEFS)
    origin = resolve_code_location(module="origin_pkg_mod", working_directory=tmp_path).to_origin(
        location_name="numbers-location"
    )
    assert origin.location_name == "numbers-location"
    assert len(load_definitions_from_origin(origin).get_all_asset_keys()) == 1


def test_origin_of_a_broken_file_fails_as_a_code_location_error(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("rate = 1 / 0\n")
    origin = resolve_code_location(file="broken.py", working_directory=tmp_path).to_origin()
    with pytest.raises(CodeLocationError, match="ZeroDivisionError"):
        load_definitions_from_origin(origin)
