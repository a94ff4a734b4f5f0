"""Definitions validates at construction and indexes assets and jobs."""

from __future__ import annotations

import pytest

import headwater as hw
from headwater import CycleError, DuplicateKeyError, MissingResourceError


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

    with pytest.raises(CycleError, match="cycle: a <- c <- b <- a") as info:
        hw.Definitions(assets=[a, b, c])
    assert "circular" in str(info.value)  # the word Dagster users search for


def test_get_job_def_refuses_a_job_selecting_an_unknown_asset() -> None:
    @hw.asset
    def present() -> int:
        return 1

    defs = hw.Definitions(
        assets=[present], jobs=[hw.define_asset_job("bad", ["absent"]), hw.define_asset_job("ok")]
    )

    with pytest.raises(hw.InvalidSelectionError, match="absent"):
        defs.get_job_def("bad")
    assert defs.get_job_def("ok").resolve_selection() == {present.key}


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


@pytest.mark.parametrize("enabled", [True, False])
def test_building_definitions_leaves_the_garbage_collector_as_it_was(enabled: bool) -> None:
    import gc

    assets = [hw.asset(name=f"a{i}", deps=[f"a{i - 1}"][:i])(lambda: None) for i in range(3)]
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        defs = hw.Definitions(assets=assets)
        assert gc.isenabled() is enabled
        with pytest.raises(CycleError):
            hw.Definitions(assets=[hw.asset(name="x", deps=["x"])(lambda: None)])
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert [k.to_user_string() for k in defs.get_all_asset_keys()] == ["a0", "a1", "a2"]


def test_assets_naming_the_same_upstream_share_its_key_and_keep_their_own_deps() -> None:
    import dataclasses

    mapping = hw.IdentityPartitionMapping()
    up = hw.asset(name="up")(lambda: None)
    one = hw.asset(name="one", deps=["up"])(lambda: None)
    two = hw.asset(name="two", deps=[hw.AssetKey("up")])(lambda: None)
    mapped = hw.AssetDep("up", partition_mapping=mapping)
    three = hw.asset(name="three", deps=[mapped])(lambda: None)
    (dep_one,), (dep_two,), (dep_three,) = (a.specs[0].deps for a in (one, two, three))
    assert dep_one.asset_key is up.key and dep_two.asset_key is up.key
    assert dep_one == dep_two and dep_three.partition_mapping is mapping
    with pytest.raises(dataclasses.FrozenInstanceError):
        dep_one.partition_mapping = mapping  # type: ignore[misc]
    assert one.keys == {hw.AssetKey("one")} and one.key == hw.AssetKey("one")


def _mapping_defs() -> hw.Definitions:
    @hw.asset(group_name="g1")
    def a1() -> int:
        return 1

    @hw.asset(group_name="g2")
    def a2(a1: int) -> int:
        return a1 + 1

    return hw.Definitions(assets=[a1, a2, hw.AssetSpec("ext")], resources={"r": object()})


def test_resolve_all_asset_keys_and_specs_include_external_assets() -> None:
    defs = _mapping_defs()
    assert sorted(k.to_user_string() for k in defs.resolve_all_asset_keys()) == ["a1", "a2", "ext"]
    specs = {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}
    assert specs["a2"].group_name == "g2" and specs["a2"].dep_keys == (hw.AssetKey("a1"),)


def test_map_asset_specs_returns_new_definitions_and_keeps_the_rest() -> None:
    defs = _mapping_defs()
    mapped = defs.map_asset_specs(func=lambda s: s.replace_attributes(owners=["team:x"]))
    assert {s.key.to_user_string(): s.owners for s in mapped.resolve_all_asset_specs()} == {
        "a1": ("team:x",), "a2": ("team:x",), "ext": ("team:x",),
    }  # fmt: skip
    assert all(not s.owners for s in defs.resolve_all_asset_specs())  # the original is unchanged
    assert mapped.resources == defs.resources
    assert mapped.get_implicit_global_asset_job_def().execute_in_process().success


def test_map_asset_specs_with_a_selection_maps_only_those_assets() -> None:
    mapped = _mapping_defs().map_asset_specs(
        func=lambda s: s.merge_attributes(tags={"tier": "gold"}), selection="group:g2"
    )
    tags = {s.key.to_user_string(): dict(s.tags) for s in mapped.resolve_all_asset_specs()}
    assert tags == {"a1": {}, "a2": {"tier": "gold"}, "ext": {}}


def test_map_asset_specs_refuses_a_new_key_or_a_lost_input() -> None:
    defs = _mapping_defs()
    with pytest.raises(hw.DefinitionError, match="changed the key"):
        defs.map_asset_specs(func=lambda s: s.replace_attributes(key=["other", *s.key.path]))
    with pytest.raises(hw.DefinitionError, match=r"dropped dependencies \['a1'\]"):
        defs.map_asset_specs(func=lambda s: s.replace_attributes(deps=[]))


def test_map_asset_specs_function_maps_definitions_and_specs() -> None:
    defs = _mapping_defs()
    mapped = hw.map_asset_specs(lambda s: s.replace_attributes(group_name="all"), defs.assets)
    groups = sorted(
        g for item in mapped
        for g in (item.group_names_by_key.values() if isinstance(item, hw.AssetsDefinition)
                  else [item.group_name])
    )  # fmt: skip
    assert groups == ["all", "all", "all"]
