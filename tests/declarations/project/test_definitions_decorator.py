"""@definitions functions, the Dagster-compat names that reach them, and Definitions.merge."""

from __future__ import annotations

import pytest

import headwater as hw
import headwater.compat.dagster as dg
from headwater import DefinitionError, DuplicateKeyError
from headwater.declarations.project.decorator import LazyDefinitions


@hw.asset
def numbers() -> list[int]:
    return [1, 2, 3]


class Store(hw.ConfigurableResource):
    path: str


def test_the_decorated_function_builds_fresh_definitions_on_every_call() -> None:
    calls: list[int] = []

    @hw.definitions
    def defs() -> hw.Definitions:
        calls.append(1)
        return hw.Definitions(assets=[numbers])

    assert isinstance(defs, LazyDefinitions)
    first, second = defs(), defs()
    assert first is not second and len(calls) == 2
    assert [k.to_user_string() for k in first.get_all_asset_keys()] == ["numbers"]
    assert defs.__name__ == "defs" and defs.__wrapped__ is defs.load_fn


def test_returning_something_else_is_a_definition_error() -> None:
    @hw.definitions
    def defs() -> hw.Definitions:
        return [numbers]  # type: ignore[return-value]

    with pytest.raises(DefinitionError, match=r"'defs' .* returned a list, not a Definitions"):
        defs()


def test_a_function_with_parameters_is_refused_when_decorated() -> None:
    with pytest.raises(DefinitionError, match=r"takes parameters \(context\).*Remove"):

        @hw.definitions
        def defs(context: object) -> hw.Definitions:  # type: ignore[arg-type]
            return hw.Definitions()

    with pytest.raises(DefinitionError, match="decorates a function"):
        hw.definitions(hw.Definitions)  # type: ignore[arg-type]


def test_dagster_names_reach_the_same_functions() -> None:
    assert dg.load_defs is hw.load_defs
    assert dg.load_from_defs_folder is hw.load_from_defs_folder
    assert dg.components.load_defs is hw.load_defs
    assert dg.components.load_from_defs_folder is hw.load_from_defs_folder

    @dg.components.definitions
    def defs() -> hw.Definitions:
        return hw.Definitions(assets=[numbers])

    assert isinstance(defs, LazyDefinitions)
    assert isinstance(dg.definitions(lambda: hw.Definitions()), LazyDefinitions)
    with pytest.raises(AttributeError, match=r"components .* are not supported yet"):
        _ = dg.components.ComponentLoadContext


def test_merge_keeps_one_of_each_object_reached_twice() -> None:
    job = hw.define_asset_job("all_numbers", selection="numbers")
    store = Store(path="/data")
    a = hw.Definitions(assets=[numbers], jobs=[job], resources={"store": store})
    b = hw.Definitions(assets=[numbers], jobs=[job], resources={"store": Store(path="/data")})
    merged = hw.Definitions.merge(a, b)
    assert merged.job_names == ["all_numbers"]
    assert len(merged.assets) == 1
    assert merged.resources == {"store": store}  # an equal resource is the same resource


def test_merge_refuses_conflicting_resources_and_two_jobs_of_one_name() -> None:
    with pytest.raises(DefinitionError, match="resource 'store' is defined differently"):
        hw.Definitions.merge(
            hw.Definitions(resources={"store": Store(path="/a")}),
            hw.Definitions(resources={"store": Store(path="/b")}),
        )
    with pytest.raises(DuplicateKeyError, match="Two jobs are named 'j'"):
        hw.Definitions.merge(
            hw.Definitions(assets=[numbers], jobs=[hw.define_asset_job("j", selection="numbers")]),
            hw.Definitions(assets=[numbers], jobs=[hw.define_asset_job("j", selection="numbers")]),
        )
