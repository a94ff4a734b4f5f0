"""Small details users rely on: file_relative_path, a job's list selection, a mock resource
passed to an asset called directly, the exception materialize raises."""

import os
from unittest.mock import Mock

import dagster as dg
from _transcript import case, check


class Cities(dg.ConfigurableResource):
    def get_cities(self, state: str) -> list:
        return []


@dg.asset
def cities(cities_api: Cities) -> list:
    return cities_api.get_cities("ny")


@dg.asset
def a() -> int:
    return 1


@dg.asset
def b(a: int) -> int:
    return a + 1


@case("file_relative_path")
def _():
    path = dg.file_relative_path("/project/defs/assets.py", "data.csv")
    check("joined", path == os.path.join("/project/defs", "data.csv"))


@case("job_list_selection")
def _():
    job = dg.define_asset_job("both", selection=[a, b])
    check("equals_assets_selection", job.selection == dg.AssetSelection.assets(a, b))
    check("name", job.name)


@case("mock_resource_direct_call")
def _():
    api = Mock()
    api.get_cities.return_value = [{"city": "Fakestown"}]
    check("result", cities(api))
    check("called_with_ny", api.get_cities.call_args.args == ("ny",))


@case("raised_exception")
def _():
    @dg.asset
    def broken() -> int:
        raise KeyError("missing column")

    try:
        dg.materialize([broken])
    except Exception as exc:  # the user's own exception, not a wrapper
        check("type", type(exc).__name__)
        check("is_dagster_error", isinstance(exc, dg.DagsterError))
