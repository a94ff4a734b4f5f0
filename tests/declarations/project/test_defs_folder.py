"""load_from_defs_folder / load_defs on real project folders written to disk."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import headwater as hw
from headwater import DefinitionError, DefsFolderError, DuplicateKeyError
from headwater.testing import instance_for_test

Write = Callable[[str, str], Path]
Project = Callable[[str], Path]

ASSETS = """
from headwater import ConfigurableResource, asset

class Warehouse(ConfigurableResource):
    prefix: str

@asset
def raw_orders() -> list[int]:
    return [3, 1, 2]

@asset
def orders(raw_orders: list[int], warehouse: Warehouse) -> str:
    return f"{warehouse.prefix}:{sorted(raw_orders)}"
"""

RESOURCES = """
from headwater import Definitions, definitions
from acme_shop.defs.assets.orders import Warehouse

@definitions
def resources() -> Definitions:
    return Definitions(resources={"warehouse": Warehouse(prefix="wh")})
"""

JOBS = """
from headwater import AssetSelection, define_asset_job

orders_job = define_asset_job("orders_job", selection=AssetSelection.assets("orders").upstream())
"""

ONE_ASSET = "from headwater import asset\n\n@asset\ndef {n}() -> int:\n    return 1\n"

CHECKS = """
from headwater import AssetCheckResult, asset_check
from acme_shop.defs.assets.orders import orders

@asset_check(asset=orders)
def orders_not_empty(orders: str) -> AssetCheckResult:
    return AssetCheckResult(passed=bool(orders))
"""


def _shop(dg_project: Project, write: Write) -> None:
    dg_project("acme_shop")
    write("src/acme_shop/defs/assets/orders.py", ASSETS)  # assets/ has no __init__.py
    write("src/acme_shop/defs/resources.py", RESOURCES)
    write("src/acme_shop/defs/jobs.py", JOBS)
    write("src/acme_shop/defs/quality/__init__.py", "")
    write("src/acme_shop/defs/quality/checks.py", CHECKS)
    write("src/acme_shop/defs/README.md", "not python\n")


def test_every_module_of_the_folder_is_merged_into_one_definitions(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    defs = hw.load_from_defs_folder(project_root=project)

    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["raw_orders", "orders"]
    assert defs.job_names == ["orders_job"]
    assert sorted(defs.resources) == ["warehouse"]
    assert [k.to_user_string() for k in defs.get_all_asset_check_keys()] == [
        "orders:orders_not_empty"
    ]
    # the project was not installed: its src/ directory was put on sys.path to import it
    assert str(project / "src") in sys.path


def test_the_merged_definitions_run_with_resources_from_another_module(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    defs = hw.load_from_defs_folder(path_within_project=project / "src" / "acme_shop")
    with instance_for_test() as instance:
        result = defs.get_job_def("orders_job").execute_in_process(instance=instance)
        assert result.success
        assert result.output_for_node("orders") == "wh:[1, 2, 3]"


def test_a_path_deep_inside_the_project_finds_it(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    inside = project / "src" / "acme_shop" / "definitions.py"
    defs = hw.load_from_defs_folder(path_within_project=inside)
    assert defs.job_names == ["orders_job"]


def test_load_defs_takes_the_imported_package_as_university_tests_do(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    sys.path.insert(0, str(project / "src"))
    import acme_shop.defs  # type: ignore[import-not-found]

    defs = hw.Definitions.merge(hw.load_defs(acme_shop.defs))
    assert defs.job_names == ["orders_job"]
    assert sorted(defs.resources) == ["warehouse"]


def test_objects_imported_into_several_modules_are_defined_once(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    write(
        "src/acme_shop/defs/schedules.py",
        """
        from acme_shop.defs.jobs import orders_job
        from acme_shop.defs.assets.orders import orders, raw_orders

        every_asset = [orders, raw_orders]
        """,
    )
    defs = hw.load_from_defs_folder(project_root=project)
    assert defs.job_names == ["orders_job"]
    assert len(defs.get_all_asset_keys()) == 2


def test_two_different_assets_with_one_key_name_both_places(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("dup")
    body = "from headwater import asset\n\n@asset\ndef report() -> int:\n    return {n}\n"
    write("src/dup/defs/a.py", body.format(n=1))
    write("src/dup/defs/b.py", body.format(n=2))
    with pytest.raises(DuplicateKeyError) as info:
        hw.load_from_defs_folder(project_root=project)
    message = str(info.value)
    assert "'report' is defined twice" in message
    assert "defs/a.py" in message and "defs/b.py" in message


def test_an_import_error_names_the_file_and_keeps_the_traceback(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("broken")
    write("src/broken/defs/fine.py", ONE_ASSET.format(n="ok"))
    write(
        "src/broken/defs/sub/bad.py",
        """
        def load():
            return {"a": 1}["missing"]

        VALUE = load()
        """,
    )
    with pytest.raises(DefsFolderError) as info:
        hw.load_from_defs_folder(project_root=project)
    error = info.value
    assert isinstance(error, DefinitionError)
    assert str(error).startswith("Error while importing src/broken/defs/sub/bad.py")
    assert "KeyError: 'missing'" in str(error)
    assert "raised at src/broken/defs/sub/bad.py:2" in str(error)
    assert error.path == project / "src/broken/defs/sub/bad.py"
    assert error.module == "broken.defs.sub.bad"
    assert isinstance(error.original, KeyError) and error.__cause__ is error.original
    assert 'return {"a": 1}["missing"]' in error.full_traceback


def test_a_syntax_error_names_file_and_line(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("syn")
    write("src/syn/defs/oops.py", "x = 1\ndef f(:\n    pass\n")
    with pytest.raises(DefsFolderError, match=r"src/syn/defs/oops.py.*SyntaxError.*oops.py:2"):
        hw.load_from_defs_folder(project_root=project)


def test_a_yaml_component_is_refused_naming_the_file_and_type(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("yamlproj")
    yaml_file = write(
        "src/yamlproj/defs/export/defs.yaml",
        "type: dagster_sling.SlingReplicationCollectionComponent\nattributes:\n  x: 1\n",
    )
    with pytest.raises(DefsFolderError) as info:
        hw.load_from_defs_folder(project_root=project)
    assert "YAML components are not supported yet" in str(info.value)
    assert str(yaml_file) in str(info.value)
    assert "'dagster_sling.SlingReplicationCollectionComponent'" in str(info.value)
    assert info.value.path == yaml_file


def test_hidden_and_cache_folders_are_skipped_underscore_modules_are_not(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("skips")
    asset = ONE_ASSET
    write("src/skips/defs/_private.py", asset.format(n="from_private"))
    write("src/skips/defs/.hidden/x.py", "raise RuntimeError('never imported')\n")
    write("src/skips/defs/__pycache__/y.py", "raise RuntimeError('never imported')\n")
    write("src/skips/defs/.dotfile.py", "raise RuntimeError('never imported')\n")
    defs = hw.load_from_defs_folder(project_root=project)
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["from_private"]


def test_a_module_with_a_definitions_object_contributes_only_that(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("only")
    write(
        "src/only/defs/mod.py",
        """
        from headwater import Definitions, asset

        @asset
        def listed() -> int:
            return 1

        @asset
        def not_listed() -> int:
            return 2

        defs = Definitions(assets=[listed])
        """,
    )
    defs = hw.load_from_defs_folder(project_root=project)
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["listed"]


def test_a_module_may_not_mix_definitions_objects_and_functions(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("mixed")
    write(
        "src/mixed/defs/mod.py",
        """
        from headwater import Definitions, definitions

        plain = Definitions()

        @definitions
        def lazy() -> Definitions:
            return Definitions()
        """,
    )
    with pytest.raises(DefsFolderError, match=r"src/mixed/defs/mod.py has both .*plain.*lazy"):
        hw.load_from_defs_folder(project_root=project)


def test_a_failing_definitions_function_names_it_and_its_file(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("failing")
    write(
        "src/failing/defs/resources.py",
        """
        import os
        from headwater import Definitions, definitions

        @definitions
        def resources() -> Definitions:
            return Definitions(resources={"db": os.environ["NO_SUCH_VARIABLE_HERE"]})
        """,
    )
    with pytest.raises(DefsFolderError) as info:
        hw.load_from_defs_folder(project_root=project)
    assert "@definitions function 'resources' of src/failing/defs/resources.py" in str(info.value)
    assert isinstance(info.value.original, KeyError)


def test_keyword_files_stop_load_defs_at_definitions_py(
    dg_project: Project, write: Write, project: Path
) -> None:
    dg_project("kw")
    asset = ONE_ASSET
    write("src/kw/defs/legacy/__init__.py", "")
    write("src/kw/defs/legacy/definitions.py", asset.format(n="from_definitions"))
    write("src/kw/defs/legacy/other.py", asset.format(n="from_other"))
    sys.path.insert(0, str(project / "src"))
    defs_root = importlib.import_module("kw.defs")

    stopped = hw.load_defs(defs_root)
    assert [k.to_user_string() for k in stopped.get_all_asset_keys()] == ["from_definitions"]
    everything = hw.load_defs(defs_root, terminate_autoloading_on_keyword_files=False)
    assert sorted(k.to_user_string() for k in everything.get_all_asset_keys()) == [
        "from_definitions",
        "from_other",
    ]
    # load_from_defs_folder never stops at keyword files
    assert len(hw.load_from_defs_folder(project_root=project).get_all_asset_keys()) == 2


def test_schedules_and_sensors_are_collected_with_the_jobs_they_import(
    dg_project: Project, write: Write, project: Path
) -> None:
    _shop(dg_project, write)
    write(
        "src/acme_shop/defs/schedules.py",
        """
        from headwater import ScheduleDefinition
        from acme_shop.defs.jobs import orders_job

        nightly = ScheduleDefinition(job=orders_job, cron_schedule="0 2 * * *")
        """,
    )
    write(
        "src/acme_shop/defs/sensors.py",
        """
        from headwater import RunRequest, sensor
        from acme_shop.defs.jobs import orders_job

        @sensor(job=orders_job)
        def new_orders(context):
            return RunRequest(run_key="one")
        """,
    )
    defs = hw.load_from_defs_folder(project_root=project)
    assert defs.job_names == ["orders_job"]  # imported by both modules, defined once
    assert defs.get_schedule_def(defs.schedule_names[0]).cron_schedule == "0 2 * * *"
    assert defs.sensor_names == ["new_orders"]


def test_missing_configuration_and_arguments_are_explained(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match=r"No project found at or above .*\[tool.dg.proj"):
        hw.load_from_defs_folder(path_within_project=tmp_path)
    with pytest.raises(DefinitionError, match="needs path_within_project"):
        hw.load_from_defs_folder()
    with pytest.raises(DefinitionError, match="not both"):
        hw.load_from_defs_folder(path_within_project=tmp_path, project_root=tmp_path)
    with pytest.raises(DefinitionError, match="takes the imported defs package"):
        hw.load_defs("acme_shop.defs")  # type: ignore[arg-type]


def test_a_project_without_root_module_or_defs_folder_is_explained(
    write: Write, project: Path
) -> None:
    write("pyproject.toml", "[tool.dg]\ndirectory_type = 'project'\n")
    with pytest.raises(DefinitionError, match=r"pyproject.toml has no root_module under \[tool.dg"):
        hw.load_from_defs_folder(project_root=project)
    write("pyproject.toml", "[tool.dg.project]\nroot_module = 'nodefs'\n")
    write("src/nodefs/__init__.py", "")
    with pytest.raises(DefinitionError, match=r"defs module 'nodefs.defs'.*create the folder"):
        hw.load_from_defs_folder(project_root=project)


def test_dg_toml_may_name_the_project(write: Write, project: Path) -> None:
    write("dg.toml", "[project]\nroot_module = 'tomlproj'\n")
    write("tomlproj/defs/a.py", ONE_ASSET.format(n="a"))
    defs = hw.load_from_defs_folder(project_root=project)
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["a"]


def test_a_namespace_package_of_the_same_name_elsewhere_does_not_hide_the_project(
    dg_project: Project, write: Write, project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "shop").mkdir(parents=True)  # a directory "shop" without __init__.py
    sys.path.insert(0, str(elsewhere))  # the project fixture restores sys.path
    importlib.invalidate_caches()
    _shop(dg_project, write)
    defs = hw.load_from_defs_folder(project_root=project)
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["raw_orders", "orders"]
