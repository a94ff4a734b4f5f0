"""Definitions validates at construction and indexes assets and jobs."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater.errors import CycleError, DuplicateKeyError, MissingResourceError


@hw.asset
def upstream() -> int:
    return 1


@hw.asset
def downstream(upstream: int) -> int:
    return upstream + 1


def test_duplicate_keys_name_both_definitions() -> None:
    @hw.asset(name="upstream")
    def other() -> int:
        return 2

    with pytest.raises(DuplicateKeyError, match=r"'upstream' is defined twice: by 'upstream' at "):
        hw.Definitions(assets=[upstream, other])
    with pytest.raises(DuplicateKeyError, match="and by an AssetSpec"):
        hw.Definitions(assets=[upstream, hw.AssetSpec("upstream")])


def test_the_same_definition_listed_twice_is_one_definition() -> None:
    defs = hw.Definitions(assets=[upstream, downstream, upstream])
    assert len(defs.get_all_asset_keys()) == 2


def test_cycle_is_reported_with_its_path() -> None:
    @hw.asset
    def a(c: int) -> int:
        return c

    @hw.asset
    def b(a: int) -> int:
        return a

    @hw.asset
    def c(b: int) -> int:
        return b

    with pytest.raises(CycleError, match="cycle: a <- c <- b <- a"):
        hw.Definitions(assets=[a, b, c])


def test_missing_resource_names_asset_and_key() -> None:
    @hw.asset(required_resource_keys={"warehouse"})
    def needs() -> int:
        return 1

    with pytest.raises(MissingResourceError, match="asset 'needs' requires resource 'warehouse'"):
        hw.Definitions(assets=[needs])


def test_undefined_dependency_becomes_external_asset() -> None:
    defs = hw.Definitions(assets=[downstream])
    graph = defs.resolve_asset_graph()
    assert graph.has(hw.AssetKey("upstream"))
    assert not graph.get(hw.AssetKey("upstream")).is_materializable
    assert defs.get_assets_def("upstream").is_external


def test_asset_spec_is_an_external_asset() -> None:
    defs = hw.Definitions(assets=[hw.AssetSpec("upstream", group_name="ext"), downstream])
    assert defs.get_assets_def("upstream").is_external
    assert defs.resolve_asset_graph().get(hw.AssetKey("upstream")).group_name == "ext"


def test_get_assets_def_suggests_close_keys() -> None:
    defs = hw.Definitions(assets=[upstream, downstream])
    with pytest.raises(hw.DefinitionError, match="Did you mean 'upstream'"):
        defs.get_assets_def("upstrem")


def test_jobs_resolve_their_selection() -> None:
    job = hw.define_asset_job("just_down", selection="downstream")
    defs = hw.Definitions(assets=[upstream, downstream], jobs=[job])
    assert defs.get_job_def("just_down").resolve_selection() == {hw.AssetKey("downstream")}
    assert defs.resolve_implicit_global_asset_job_def().resolve_selection() == {
        hw.AssetKey("upstream"),
        hw.AssetKey("downstream"),
    }
    with pytest.raises(hw.DefinitionError, match="No job named 'nope'"):
        defs.get_job_def("nope")
    hw.Definitions.validate_loadable(defs)


def test_invalid_job_name_is_rejected() -> None:
    with pytest.raises(hw.DefinitionError, match="not valid"):
        hw.define_asset_job("my job")


def test_merge_combines_and_rejects_conflicting_resources() -> None:
    merged = hw.Definitions.merge(
        hw.Definitions(assets=[upstream], resources={"r": 1}),
        hw.Definitions(assets=[downstream], resources={"s": 2}),
    )
    assert set(merged.assets_by_key) == {hw.AssetKey("upstream"), hw.AssetKey("downstream")}
    assert merged.resources == {"r": 1, "s": 2}
    with pytest.raises(hw.DefinitionError, match="resource 'r'"):
        hw.Definitions.merge(
            hw.Definitions(resources={"r": object()}), hw.Definitions(resources={"r": object()})
        )


def test_graph_is_topologically_ordered() -> None:
    defs = hw.Definitions(assets=[downstream, upstream])
    assert defs.get_all_asset_keys() == [hw.AssetKey("upstream"), hw.AssetKey("downstream")]
