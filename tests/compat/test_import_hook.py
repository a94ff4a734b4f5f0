"""The compat import hook serves ``dagster`` and its aliased modules from headwater."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import headwater
import headwater.compat.dagster as compat_dg
from headwater.compat import importer
from headwater.compat.backoff import backoff, backoff_delay_generator
from headwater.integrations.duckdb import DuckDBPandasIOManager, DuckDBResource


@pytest.fixture
def hook() -> Iterator[None]:
    importer.install()
    try:
        yield
    finally:
        importer.uninstall()


def test_import_dagster_serves_headwater_objects(hook: None) -> None:
    import dagster as dg

    assert dg.asset is headwater.asset
    assert dg.Definitions is headwater.Definitions
    assert dg.DagsterInstance is headwater.Instance
    assert dg.DagsterRunStatus is headwater.RunStatus
    assert set(dg.__all__) == set(compat_dg.__all__)


def test_dagster_names_resolve_once_then_are_plain_attributes(hook: None) -> None:
    import dagster as dg

    assert "materialize" not in vars(dg)
    first = dg.materialize
    assert vars(dg)["materialize"] is first is headwater.materialize
    assert importlib.import_module("dagster") is dg


def test_alias_module_is_built_once_per_process(hook: None) -> None:
    import dagster._core.errors as first

    del sys.modules["dagster._core.errors"]
    second = importlib.import_module("dagster._core.errors")
    assert second is first


def test_core_errors_are_headwater_errors_under_dagster_names(hook: None) -> None:
    from dagster._core import errors

    assert errors.DagsterError is headwater.HeadwaterError
    assert errors.DagsterInvalidDefinitionError is headwater.DefinitionError
    assert errors.DagsterInvariantViolationError is headwater.InvariantViolationError
    assert errors.DagsterTypeCheckDidNotPass is headwater.TypeCheckError
    assert all(name.startswith("Dagster") for name in errors.__all__)
    classes = [getattr(errors, name) for name in errors.__all__]
    assert all(issubclass(cls, headwater.HeadwaterError) for cls in classes)


def test_test_utils_instance_for_test_sets_home_like_dagster(hook: None, tmp_path: Path) -> None:
    from dagster._core.test_utils import instance_for_test

    @headwater.asset
    def one() -> int:
        return 1

    with instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert os.environ["HEADWATER_HOME"] == str(tmp_path)
        assert headwater.materialize([one], instance=instance).success
        assert len(instance.get_runs()) == 1
    assert (tmp_path / "history.db").exists()


def test_test_utils_instance_for_test_refuses_overrides(hook: None) -> None:
    from dagster._core.test_utils import instance_for_test

    with pytest.raises(TypeError, match=r"overrides=.*headwater.yaml"):  # noqa: SIM117
        with instance_for_test(overrides={"run_launcher": {}}):
            pass


def test_utils_backoff_is_served(hook: None) -> None:
    from dagster._utils.backoff import backoff as served

    assert served is backoff


def test_duckdb_packages_are_served_by_the_duckdb_integration(hook: None) -> None:
    import dagster_duckdb
    import dagster_duckdb_pandas

    assert dagster_duckdb.DuckDBResource is DuckDBResource
    assert dagster_duckdb.DuckDBIOManager is DuckDBPandasIOManager
    assert dagster_duckdb_pandas.DuckDBPandasIOManager is DuckDBPandasIOManager
    assert dagster_duckdb.__all__ == ["DuckDBIOManager", "DuckDBResource"]


def test_unknown_dagster_submodule_says_headwater_does_not_provide_it(hook: None) -> None:
    with pytest.raises(ModuleNotFoundError) as raised:
        importlib.import_module("dagster._core.definitions.asset_spec")
    message = str(raised.value)
    assert "headwater does not provide the Dagster module 'dagster._core.definitions" in message
    assert "headwater compat scan" in message
    assert raised.value.name == "dagster._core.definitions"


def test_missing_name_in_served_module_points_to_the_scan(hook: None) -> None:
    import dagster_duckdb

    with pytest.raises(AttributeError, match=r"headwater does not provide.*compat scan"):
        dagster_duckdb.build_future_io_manager  # noqa: B018
    with pytest.raises(ImportError, match=r"cannot import name 'ScheduleDefinitionX'"):
        exec("from dagster import ScheduleDefinitionX", {})


def test_other_packages_are_left_to_the_normal_import_system(hook: None) -> None:
    with pytest.raises(ModuleNotFoundError, match="No module named 'dagster_futurepkg'"):
        importlib.import_module("dagster_futurepkg")
    assert importlib.import_module("json").__name__ == "json"


def test_uninstall_removes_the_hook() -> None:
    importer.install()
    importer.install()
    assert sys.meta_path.count(importer._FINDER) == 1
    import dagster  # noqa: F401

    importer.uninstall()
    assert not importer.installed()
    assert "dagster" not in sys.modules
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("dagster")


class _Flaky:
    def __init__(self, failures: int, error: type[Exception] = ConnectionError) -> None:
        self.calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
        self.failures = failures
        self.error = error

    def __call__(self, *args: object, **kwargs: object) -> str:
        self.calls.append((args, kwargs))
        if len(self.calls) <= self.failures:
            raise self.error(f"failure {len(self.calls)}")
        return "ok"


def test_backoff_retries_until_success_with_the_given_arguments() -> None:
    flaky = _Flaky(failures=2)
    result = backoff(
        flaky, retry_on=(ConnectionError,), args=[1], kwargs={"x": 2}, delay_generator=[0, 0, 0]
    )
    assert result == "ok"
    assert flaky.calls == [((1,), {"x": 2})] * 3


def test_backoff_raises_the_last_error_after_max_retries() -> None:
    flaky = _Flaky(failures=10)
    with pytest.raises(ConnectionError, match="failure 3"):
        backoff(flaky, retry_on=ConnectionError, max_retries=2, delay_generator=[0.0] * 10)
    assert len(flaky.calls) == 3


def test_backoff_does_not_retry_other_exceptions() -> None:
    flaky = _Flaky(failures=1, error=KeyError)
    with pytest.raises(KeyError):
        backoff(flaky, retry_on=(ConnectionError,), delay_generator=[0.0])
    assert len(flaky.calls) == 1


def test_backoff_stops_when_the_delays_run_out() -> None:
    flaky = _Flaky(failures=10)
    with pytest.raises(ConnectionError, match="failure 2"):
        backoff(flaky, retry_on=(ConnectionError,), max_retries=5, delay_generator=[0.0])


def test_backoff_refuses_negative_max_retries() -> None:
    with pytest.raises(ValueError, match="max_retries must be 0 or more"):
        backoff(lambda: 1, retry_on=(ValueError,), max_retries=-1)


def test_default_delays_double_with_bounded_jitter() -> None:
    delays = backoff_delay_generator()
    first, second, third = next(delays), next(delays), next(delays)
    assert 0.1 <= first < 0.2
    assert 0.2 <= second < 0.3
    assert 0.4 <= third < 0.5
