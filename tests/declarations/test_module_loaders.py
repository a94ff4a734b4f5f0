"""Loading assets and checks from modules: grouping, key prefixes, checks on their own."""

from __future__ import annotations

import types
from typing import Any

import pytest

import headwater as hw


def _module() -> types.ModuleType:
    module = types.ModuleType("loaded_for_test")

    @hw.asset
    def m_one() -> int:
        return 1

    @hw.asset
    def m_two(m_one: int) -> int:
        return m_one + 1

    @hw.asset(deps=["outside"])
    def m_three() -> int:
        return 3

    @hw.asset_check(asset=m_two)
    def m_two_positive(m_two: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=m_two > 0)

    @hw.observable_source_asset(group_name="ext")
    def watched() -> hw.DataVersion:
        return hw.DataVersion("v1")

    module.__dict__.update(m_one=m_one, m_two=m_two, m_three=m_three, watched=watched,
                           m_two_positive=m_two_positive, NOT_AN_ASSET=3,
                           listed=[m_one, hw.AssetSpec("spec_only")])  # fmt: skip
    return module


def _keys(items: list[Any]) -> list[str]:
    return sorted(k.to_user_string() for a in items for k in getattr(a, "keys", [a.key]))


def test_assets_come_once_and_checks_stay_out() -> None:
    loaded = hw.load_assets_from_modules([_module()])
    assert _keys(loaded) == ["m_one", "m_three", "m_two", "spec_only", "watched"]
    assert not any(isinstance(a, hw.AssetChecksDefinition) for a in loaded)


def test_a_key_prefix_renames_the_assets_and_the_dependencies_between_them(
    instance: Any,
) -> None:
    loaded = hw.load_assets_from_modules([_module()], key_prefix=["pre"])
    names = ["m_one", "m_three", "m_two", "spec_only", "watched"]
    assert _keys(loaded) == [f"pre/{name}" for name in names]
    by_name = {getattr(a, "node_name", None): a for a in loaded}
    assert by_name["m_two"].keys_by_input_name == {"m_one": hw.AssetKey(["pre", "m_one"])}
    assert by_name["m_three"].dependency_keys == {hw.AssetKey("outside")}  # not loaded: kept
    assert by_name["watched"].is_observable and by_name["watched"].group_name == "ext"
    result = hw.materialize([by_name["m_one"], by_name["m_two"]], instance=instance)
    assert result.output_for_node("m_two") == 2


def test_group_name_and_key_prefix_combine() -> None:
    loaded = hw.load_assets_from_modules([_module()], group_name="g", key_prefix="pre")
    groups = {g for a in loaded if isinstance(a, hw.AssetsDefinition)
              for g in a.group_names_by_key.values()}  # fmt: skip
    assert groups == {"g"}


def test_checks_load_on_their_own_and_follow_a_prefix(instance: Any) -> None:
    module = _module()
    (check,) = hw.load_asset_checks_from_modules([module])
    assert check.check_key == hw.AssetCheckKey(hw.AssetKey("m_two"), "m_two_positive")
    (moved,) = hw.load_asset_checks_from_modules([module], asset_key_prefix="pre")
    assert moved.check_key == hw.AssetCheckKey(hw.AssetKey(["pre", "m_two"]), "m_two_positive")
    assets = hw.load_assets_from_modules([module], key_prefix="pre")
    runnable = [a for a in assets if getattr(a, "node_name", "") in ("m_one", "m_two")]
    result = hw.materialize([*runnable, moved], instance=instance)
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_no_module_no_assets() -> None:
    assert hw.load_assets_from_modules([types.ModuleType("empty")], key_prefix="x") == []
    assert hw.load_asset_checks_from_modules([types.ModuleType("empty")]) == []


@pytest.mark.parametrize("prefix", ["pre", ["pre"], ("pre",)])
def test_prefix_forms(prefix: Any) -> None:
    loaded = hw.load_assets_from_modules([_module()], key_prefix=prefix)
    assert "pre/m_one" in _keys(loaded)
