"""Loading code locations: by file, module and pyproject.toml, and the errors when that fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from headwater import AssetKey, Definitions, HeadwaterError
from headwater.orchestration.code_location import (
    CodeLocationError,
    load_definitions,
    resolve_code_location,
)

ONE_ASSET = """
from headwater import Definitions, asset

@asset
def one() -> int:
    return 1

defs = Definitions(assets=[one])
"""

Write = Callable[[str, str], Path]


def test_load_from_file_finds_the_single_definitions(home: Path, write: Write) -> None:
    path = write("pipeline.py", ONE_ASSET)
    defs = load_definitions(file=path)
    assert isinstance(defs, Definitions)
    assert defs.get_all_asset_keys() == [AssetKey("one")]


def test_load_from_file_can_import_its_sibling_modules(home: Path, write: Write) -> None:
    write("helpers_for_sibling.py", "VALUE = 41\n")
    path = write(
        "with_sibling.py",
        """
        from helpers_for_sibling import VALUE
        from headwater import Definitions, asset

        @asset
        def answer() -> int:
            return VALUE + 1

        defs = Definitions(assets=[answer])
        """,
    )
    assert load_definitions(file=path).get_all_asset_keys() == [AssetKey("answer")]


def test_load_from_module_uses_the_working_directory(
    home: Path, write: Write, tmp_path: Path
) -> None:
    write("proj_mod/__init__.py", "")
    write("proj_mod/defs.py", ONE_ASSET)
    defs = load_definitions(module="proj_mod.defs", working_directory=tmp_path)
    assert defs.get_all_asset_keys() == [AssetKey("one")]


def test_pyproject_names_the_module_and_attribute(home: Path, write: Write, tmp_path: Path) -> None:
    write("pyproj_mod.py", ONE_ASSET + "\nother = Definitions(assets=[])\n")
    write(
        "pyproject.toml",
        """
        [tool.headwater]
        module = "pyproj_mod"
        attribute = "other"
        """,
    )
    location = resolve_code_location(working_directory=tmp_path)
    assert (location.module, location.attribute) == ("pyproj_mod", "other")
    assert load_definitions(working_directory=tmp_path).get_all_asset_keys() == []


def test_attribute_may_be_a_function_returning_definitions(home: Path, write: Write) -> None:
    path = write(
        "factory.py",
        """
        from headwater import Definitions, asset

        @asset
        def made() -> int:
            return 1

        def build():
            return Definitions(assets=[made])
        """,
    )
    defs = load_definitions(file=path, attribute="build")
    assert defs.get_all_asset_keys() == [AssetKey("made")]


def test_no_location_given_explains_the_options(home: Path, tmp_path: Path) -> None:
    with pytest.raises(CodeLocationError, match=r"(?s)-m MODULE or -f FILE.*\[tool.headwater\]"):
        load_definitions(working_directory=tmp_path)


def test_module_and_file_together_are_rejected(home: Path, write: Write) -> None:
    with pytest.raises(CodeLocationError, match="not both"):
        load_definitions(module="x", file=write("x.py", ONE_ASSET))


def test_several_definitions_are_listed_by_name(home: Path, write: Write) -> None:
    path = write("several.py", ONE_ASSET + "\nsecond = Definitions(assets=[one])\n")
    with pytest.raises(CodeLocationError, match=r"several Definitions objects: defs, second"):
        load_definitions(file=path)


def test_no_definitions_is_an_error(home: Path, write: Write) -> None:
    path = write("empty_loc.py", "X = 1\n")
    with pytest.raises(CodeLocationError, match="No Definitions object found in file"):
        load_definitions(file=path)


def test_unknown_attribute_lists_the_definitions_there_are(home: Path, write: Write) -> None:
    path = write("attr_loc.py", ONE_ASSET)
    with pytest.raises(CodeLocationError, match=r"no attribute 'nope'.*found: defs"):
        load_definitions(file=path, attribute="nope")


def test_syntax_error_names_file_and_line(home: Path, write: Write) -> None:
    path = write("broken_syntax.py", "from headwater import asset\n\ndef f(:\n    pass\n")
    with pytest.raises(CodeLocationError) as info:
        load_definitions(file=path)
    error = info.value
    assert isinstance(error, HeadwaterError)
    assert "Syntax error in file 'broken_syntax.py'" in str(error)
    assert "broken_syntax.py:3" in str(error)
    assert error.user_frame == f"{path}:3"


def test_import_error_points_at_the_users_frame_not_the_library(home: Path, write: Write) -> None:
    path = write(
        "raising_import.py",
        """
        import json

        def parse():
            return json.loads("{not json")

        CONFIG = parse()
        """,
    )
    with pytest.raises(CodeLocationError) as info:
        load_definitions(file=path)
    message = str(info.value)
    assert "JSONDecodeError" in message
    assert "raised at raising_import.py:4" in message  # inside parse(), not in json/
    assert info.value.user_frame == f"{path}:4"
    assert "json/decoder.py" in info.value.full_traceback
    assert isinstance(info.value.__cause__, ValueError)


def test_cycle_is_reported_as_invalid_definitions_with_the_line(home: Path, write: Write) -> None:
    path = write(
        "cyclic.py",
        """
        from headwater import Definitions, asset

        @asset(deps=["b"])
        def a() -> None: ...

        @asset(deps=["a"])
        def b() -> None: ...

        defs = Definitions(assets=[a, b])
        """,
    )
    with pytest.raises(
        CodeLocationError,
        match=r"Invalid definitions in file 'cyclic.py': "
        r"CycleError: .*cycle.*\(raised at cyclic.py:9\)",
    ):
        load_definitions(file=path)


def test_bad_job_selection_fails_validation(home: Path, write: Write) -> None:
    path = write(
        "bad_job.py",
        """
        from headwater import Definitions, asset, define_asset_job

        @asset
        def a() -> int:
            return 1

        defs = Definitions(assets=[a], jobs=[define_asset_job("j", selection="nope")])
        """,
    )
    with pytest.raises(CodeLocationError, match=r"Invalid definitions in .*'nope'"):
        load_definitions(file=path)


def test_missing_module_says_where_it_looked(home: Path, tmp_path: Path) -> None:
    with pytest.raises(CodeLocationError, match=r"no module named 'no_such_mod_xyz' under"):
        load_definitions(module="no_such_mod_xyz", working_directory=tmp_path)


def test_missing_file(home: Path, tmp_path: Path) -> None:
    with pytest.raises(CodeLocationError, match="does not exist"):
        load_definitions(file=tmp_path / "nowhere.py")


def test_reloading_an_edited_file_sees_the_edit(home: Path, write: Write) -> None:
    path = write("edited.py", ONE_ASSET)
    assert load_definitions(file=path).get_all_asset_keys() == [AssetKey("one")]
    write("edited.py", ONE_ASSET.replace("one", "two"))
    assert load_definitions(file=path).get_all_asset_keys() == [AssetKey("two")]


def test_attribute_naming_an_asset_is_rejected_without_calling_it(home: Path, write: Write) -> None:
    path = write(
        "asset_attr.py",
        """
        from headwater import Definitions, asset

        CALLS = []

        @asset
        def thing() -> int:
            CALLS.append(1)
            return 1

        defs = Definitions(assets=[thing])
        """,
    )
    with pytest.raises(CodeLocationError, match=r"'thing' in file 'asset_attr\.py' is a"):
        load_definitions(file=path, attribute="thing")
    import asset_attr  # type: ignore[import-not-found]  # registered by the loader

    assert asset_attr.CALLS == []


# -- @definitions functions and defs folders --------------------------------------------------
LAZY_ONE_ASSET = """
from headwater import Definitions, asset, definitions

@asset
def lazy_one() -> int:
    return 1

@definitions
def defs() -> Definitions:
    return Definitions(assets=[lazy_one])
"""

PROJECT_DEFINITIONS = """
from pathlib import Path

from headwater import definitions, load_from_defs_folder


@definitions
def defs():
    return load_from_defs_folder(project_root=Path(__file__).parent.parent.parent)
"""


def _defs_folder_project(write: Write, name: str) -> Path:
    """A project in the layout of the Dagster University courses; returns its definitions.py."""
    write("pyproject.toml", f'[tool.dg.project]\nroot_module = "{name}"\n')
    write(f"src/{name}/__init__.py", "")
    write(f"src/{name}/defs/__init__.py", "")
    write(
        f"src/{name}/defs/assets/trips.py",
        """
        from headwater import asset

        @asset
        def taxi_trips() -> int:
            return 1

        @asset(required_resource_keys={"database"})
        def trips_by_week(taxi_trips: int) -> int:
            return taxi_trips
        """,
    )
    write(
        f"src/{name}/defs/resources.py",
        """
        from headwater import Definitions, definitions

        @definitions
        def resources() -> Definitions:
            return Definitions(resources={"database": "duckdb://memory"})
        """,
    )
    return write(f"src/{name}/definitions.py", PROJECT_DEFINITIONS)


def test_a_definitions_function_is_found_like_a_definitions_object(
    home: Path, write: Write
) -> None:
    defs = load_definitions(file=write("lazy_loc.py", LAZY_ONE_ASSET))
    assert defs.get_all_asset_keys() == [AssetKey("lazy_one")]
    by_name = load_definitions(file=write("lazy_loc2.py", LAZY_ONE_ASSET), attribute="defs")
    assert by_name.get_all_asset_keys() == [AssetKey("lazy_one")]


def test_a_definitions_function_beside_a_definitions_object_is_ambiguous(
    home: Path, write: Write
) -> None:
    path = write("lazy_and_plain.py", LAZY_ONE_ASSET + "\nplain = Definitions(assets=[])\n")
    with pytest.raises(CodeLocationError, match="several Definitions objects: defs, plain"):
        load_definitions(file=path)


def test_a_failing_definitions_function_points_at_the_users_line(
    home: Path, write: Write
) -> None:
    path = write(
        "lazy_fails.py",
        """
        from headwater import definitions

        @definitions
        def defs():
            raise RuntimeError("no warehouse configured")
        """,
    )
    with pytest.raises(CodeLocationError) as info:
        load_definitions(file=path)
    assert "Error calling 'defs()' of file 'lazy_fails.py'" in str(info.value)
    assert "raised at lazy_fails.py:5" in str(info.value)


def test_validate_loads_a_defs_folder_project_through_its_definitions_function(
    invoke: Callable[..., Any], write: Write
) -> None:
    definitions_py = _defs_folder_project(write, "cl_taxi")
    result = invoke("definitions", "validate", "-f", str(definitions_py))
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert ["2", "assets"] in lines and ["1", "resources"] in lines


def test_validate_names_the_broken_module_of_the_defs_folder(
    invoke: Callable[..., Any], write: Write
) -> None:
    definitions_py = _defs_folder_project(write, "cl_broken")
    write("src/cl_broken/defs/assets/zones.py", "import no_such_dependency_xyz\n")
    result = invoke("definitions", "validate", "-f", str(definitions_py))
    assert result.exit_code == 2
    assert "src/cl_broken/defs/assets/zones.py" in result.output
    assert "no_such_dependency_xyz" in result.output
