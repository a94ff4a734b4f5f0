"""Asset keys: path as a list, prefixes, wrong argument types."""

from __future__ import annotations

import pickle

import pytest

from headwater import AssetKey, HeadwaterError
from headwater.errors import ArgumentTypeError, DefinitionError


def test_path_is_a_fresh_list_and_mutating_it_leaves_the_key_alone() -> None:
    key = AssetKey(("lake", "orders"))
    path = key.path
    assert path == ["lake", "orders"]
    path.append("oops")
    assert key.path == ["lake", "orders"]
    assert key == AssetKey(["lake", "orders"])
    assert hash(key) == hash(AssetKey(["lake", "orders"]))


def test_has_prefix_compares_whole_components() -> None:
    key = AssetKey(["lake", "orders", "daily"])
    assert key.has_prefix(["lake"])
    assert key.has_prefix("lake")
    assert key.has_prefix(["lake", "orders"])
    assert key.has_prefix([])
    assert not key.has_prefix(["la"])
    assert not key.has_prefix(["orders"])
    assert not key.has_prefix(["lake", "orders", "daily", "more"])


def test_a_key_of_the_wrong_type_is_a_type_error_outside_the_headwater_tree() -> None:
    with pytest.raises(ArgumentTypeError, match=r"Invalid asset key 3 \(int\)") as info:
        AssetKey(3)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert not isinstance(info.value, HeadwaterError)
    with pytest.raises(ArgumentTypeError):
        AssetKey(["a", 1])  # type: ignore[list-item]


def test_an_empty_component_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="non-empty"):
        AssetKey(["a", ""])


def test_keys_order_and_pickle_by_their_components() -> None:
    keys = [AssetKey(["b"]), AssetKey(["a", "z"]), AssetKey(["a"])]
    assert [k.to_user_string() for k in sorted(keys)] == ["a", "a/z", "b"]
    key = AssetKey(["a", "b"])
    assert pickle.loads(pickle.dumps(key)) == key
    assert AssetKey(iter(["a", "b"])) == key  # any iterable of strings
